"""How often a client did something lately: fixed-window counters in the shared cache.

The counts live in Django's cache, Redis in production, so every app server
sees the same numbers (files or memory on one machine). Windows are aligned to
the clock: a budget of 5 an hour allows 5 between 14:00 and 15:00, whatever the
minute of the first. That is cruder than a sliding window (a client may spend
one window's budget at 14:59 and the next at 15:00), but each count is one
atomic INCR, and "try again in N minutes" is exact. django-ratelimit works the
same way; for the one form that needs it, these few lines spare a dependency.

Who "the client" is comes from profiles.throttling.client_address (IPv6 by /64,
X-Forwarded-For only behind our own proxy).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Budget:
    """At most `limit` of something per client in each window of `seconds`."""

    name: str
    limit: int
    seconds: int


def _now() -> float:
    return time.time()


def _slot(budget: Budget, who: str, now: float) -> tuple[str, int]:
    """The cache key of `who`'s count in the current window, and the seconds left in it."""
    window = int(now // budget.seconds)
    return f"ratelimit:{budget.name}:{who}:{window}", budget.seconds - int(now % budget.seconds)


def spend(budget: Budget, who: str) -> int:
    """Count one more for `who`; the count in this window, this one included."""
    key, left = _slot(budget, who, _now())
    # The key outlives its window a little: it is never read after the window
    # ends (the next window has its own key), and never expires while counting.
    cache.add(key, 0, timeout=left + 60)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=left + 60)
        return 1


def retry_after(budgets: Iterable[Budget], who: str) -> int:
    """Seconds until every budget `who` has used up has room again; 0 when none is."""
    now = _now()
    slots = {budget: _slot(budget, who, now) for budget in budgets}
    counts = cache.get_many([key for key, _ in slots.values()])
    waits = [left for budget, (key, left) in slots.items() if counts.get(key, 0) >= budget.limit]
    return max(waits, default=0)


def wait_words(seconds: int) -> str:
    """A wait in words for "try again in …": minutes up to 90, then hours (rounded up)."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes <= 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hours"
