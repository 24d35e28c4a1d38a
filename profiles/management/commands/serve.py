"""`manage.py serve` (what `make serve` runs): production mode on this machine.

Migrates, collects the static files, then runs granian (the WSGI server, on
127.0.0.1 unless told otherwise: a TLS front such as deploy/Caddyfile faces the
world) and the task worker beside it, until either stops or Ctrl-C / SIGTERM
stops both. README.md, "Production", says why granian and how the front fits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from types import FrameType

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from profiles.checks import PER_PROCESS_CACHES, SHARED_CACHE_HINT, per_process_cache

# With no TLS front the app answers plain http on loopback: these production
# defaults would send every request to an https:// address nothing answers
# (the redirect) or keep browsers from sending the log-in cookies back.
PLAIN_HTTP_DEFAULTS = {
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "PUBLIC_SCHEME": "http",
}
STOP_SECONDS = 15  # how long each process may take to finish what it is doing
# A task worker that stops is started again, up to this many times in this many
# seconds; one that keeps stopping is started again as often as that allows.
RESTARTS_ALLOWED, RESTART_WINDOW = 5, 60


class _Stop(Exception):
    """SIGTERM (or SIGINT) reached this process."""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}es" if noun.endswith("s") else f"{n} {noun}s"


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.strsignal(signum))


class Command(BaseCommand):
    help = "Run the production server (granian) and the task worker; make serve runs this."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="address to listen on: loopback, or a private address the front reaches",
        )
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help="threads per worker: requests one worker serves at once",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say what would run, and run nothing",
        )

    def handle(self, *args: object, **options: object) -> None:
        host, port = options["host"], options["port"]
        workers, threads = options["workers"], options["threads"]
        if settings.DEBUG:
            raise CommandError("serve is production mode: run it with DEBUG=0 (make serve does).")
        if min(workers, threads) < 1 or not 0 < port < 65536:
            raise CommandError("--workers and --threads must be 1 or more, --port 1 to 65535.")
        kind = per_process_cache()
        if kind is not None:
            raise CommandError(
                f"Not starting: the default cache is {kind}, and {PER_PROCESS_CACHES[kind]}. "
                f"{SHARED_CACHE_HINT}"
            )

        env = dict(os.environ)
        behind_proxy = settings.SECURE_PROXY_SSL_HEADER is not None
        if not behind_proxy:
            for name, value in PLAIN_HTTP_DEFAULTS.items():
                env.setdefault(name, value)
            env.setdefault("PUBLIC_PORT", str(port))
        self._say_plan(host, port, workers, threads, behind_proxy, env)
        web = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--respawn-failed-workers", "--log-level", "warning",
            "config.wsgi:application",
        ]  # fmt: skip
        tasks = [
            sys.executable, str(settings.BASE_DIR / "manage.py"),
            "db_worker", "--no-reload", "--queue-name", "*",
        ]  # fmt: skip
        if options["dry_run"]:
            self.stdout.write("Would run: migrate, collectstatic, then")
            self.stdout.write("  " + " ".join(web))
            self.stdout.write("  " + " ".join(tasks))
            return

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self._run_until_stopped(
            {"granian": web, "the task worker": tasks}, env, restarted="the task worker"
        )

    def _say_plan(
        self,
        host: str,
        port: int,
        workers: int,
        threads: int,
        behind_proxy: bool,
        env: dict[str, str],
    ) -> None:
        cache = settings.CACHES["default"]
        where = "Redis" if "redis" in cache["BACKEND"].lower() else cache.get("LOCATION", "")
        self.stdout.write(
            f"DEBUG off. granian on http://{host}:{port}/: {_count(workers, 'worker process')} "
            f"of {_count(threads, 'thread')}, and the task worker beside it. "
            f"They share the cache ({where})."
        )
        if behind_proxy:
            self.stdout.write(
                "BEHIND_TLS_PROXY is on: the TLS front (deploy/Caddyfile) must be running; "
                "http requests that reach the app directly are redirected to https."
            )
            return
        public_port = env["PUBLIC_PORT"]
        suffix = f":{public_port}" if public_port else ""
        scheme = env["PUBLIC_SCHEME"]
        self.stdout.write(
            "No TLS front (BEHIND_TLS_PROXY is off): plain http, so the https redirect and "
            "https-only cookies are off unless set. For the Caddy front: BEHIND_TLS_PROXY=1."
        )
        self.stdout.write(f"Landing page:  {scheme}://{settings.PLATFORM_HOST}{suffix}/")
        self.stdout.write(f"Sites:         {scheme}://<slug>.{settings.SITES_DOMAIN}{suffix}/")

    def _run_until_stopped(
        self, commands: dict[str, list[str]], env: dict[str, str], *, restarted: str = ""
    ) -> None:
        """Start every command; when one ends, or a signal comes, stop them all.

        Except `restarted` (the task worker): it is started again, since a task
        worker that fails must not take the sites down with it, and its tasks
        wait in the database meanwhile. If it keeps failing, it is started again
        at most RESTARTS_ALLOWED times in RESTART_WINDOW seconds, and the sites
        keep serving: a database that is down stops the worker at once, and the
        page cache serves sites without the database (stopping everything for
        a supervisor would have taken them down; its restart would fail too,
        on migrate).

        Each runs in a process group of its own, which is signalled whole: granian's
        workers go with their master even if it died first, and a Ctrl-C reaches
        them once, from here (two signals made granian hang on its way out).
        """
        previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        running: dict[str, subprocess.Popen] = {}
        restarts: list[float] = []
        held_back = False  # the worker keeps stopping: said once, until it runs again
        ended = ""
        try:
            for name, command in commands.items():
                running[name] = subprocess.Popen(command, env=env, process_group=0)  # noqa: S603
            while not ended:
                time.sleep(0.5)
                ended = next((n for n, p in running.items() if p.poll() is not None), "")
                now = time.monotonic()
                restarts = [at for at in restarts if now - at < RESTART_WINDOW]
                if ended and ended == restarted and len(restarts) < RESTARTS_ALLOWED:
                    self.stderr.write(
                        f"{ended} stopped (exit status {running[ended].returncode}); "
                        "starting it again. Its messages are above."
                    )
                    restarts.append(now)
                    held_back = False
                    _signal_group(running[ended], signal.SIGKILL)  # anything it left
                    running[ended] = subprocess.Popen(  # noqa: S603
                        commands[ended], env=env, process_group=0
                    )
                    ended = ""
                elif ended and ended == restarted:
                    if not held_back:
                        self.stderr.write(
                            f"{ended} keeps stopping ({RESTARTS_ALLOWED} times in "
                            f"{RESTART_WINDOW} s; is the database down?): starting it again "
                            "when that rate allows. The sites keep being served."
                        )
                        held_back = True
                    ended = ""  # checked again on the next round
        except _Stop:
            pass
        finally:
            # Told once is enough: a second Ctrl-C must not leave orphans behind.
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)
            _stop_all(running.values())
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if ended:
            raise CommandError(
                f"{ended} stopped (exit status {running[ended].returncode}), so everything "
                "was stopped; its messages are above."
            )


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # nothing left in it
        os.killpg(process.pid, sig)  # the group's id is its first process's


def _stop_all(processes: Iterable[subprocess.Popen]) -> None:
    processes = list(processes)
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Whatever is still in the group (a worker whose master is gone) goes now.
        _signal_group(process, signal.SIGKILL)
        process.wait()
