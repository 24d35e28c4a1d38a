"""Accent colours that stay readable: WCAG contrast against our light and dark pages."""

from __future__ import annotations

import functools

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#1c1c1f"
MIN_CONTRAST = 4.5  # WCAG AA for body-size text (links are text)


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in rgb)


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(color: str, toward: str, amount: float) -> str:
    c, t = _rgb(color), _rgb(toward)
    return _hex(tuple(ci + (ti - ci) * amount for ci, ti in zip(c, t, strict=True)))


def readable_on(color: str, background: str) -> str:
    """`color`, darkened or lightened just enough to reach MIN_CONTRAST on `background`."""
    toward = "#000000" if _luminance(background) > 0.5 else "#ffffff"
    for step in range(21):
        candidate = _mix(color, toward, step / 20)
        if contrast(candidate, background) >= MIN_CONTRAST:
            return candidate
    return toward


@functools.lru_cache(maxsize=1024)
def text_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (a venue badge's colour)."""
    return (
        "#ffffff"
        if contrast("#ffffff", background) >= contrast("#000000", background)
        else "#000000"
    )


@functools.lru_cache(maxsize=1024)  # a pure function of one short string
def accent_pair(color: str) -> tuple[str, str]:
    """(for light pages, for dark pages): the owner's hue, readable on each."""
    return readable_on(color, LIGHT_BACKGROUND), readable_on(color, DARK_BACKGROUND)
