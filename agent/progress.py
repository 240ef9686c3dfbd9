"""Progress of long work (a first scan of a large mailbox): a bar on a terminal, INFO lines under journald.

The engine reports what it does through a `ScanProgress`: `start(folder, total)` when a folder's listing is
known (total may be None: Gmail does not say), `advance(n)` as messages are processed, `finish()` at the end.
`for_terminal(quiet)` picks the reporter: nothing with `-q`, a tqdm bar when stderr is a terminal (count,
total, rate and time left), otherwise a log line about every `LOG_EVERY_SECONDS`, which journald stores like
any other. Only counts are reported, never a subject or an address.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import IO, Any

log = logging.getLogger("agent.progress")

LOG_EVERY_SECONDS = 10.0


class ScanProgress:
    """Reports nothing: the reporter for `-q`, tests and library use."""

    def start(self, folder: str, total: int | None) -> None:
        """A folder's listing is known: `total` messages to go through (None when the backend cannot say)."""

    def advance(self, count: int) -> None:
        """`count` more messages were processed."""

    def finish(self) -> None:
        """The scan ended (or stopped); release the terminal."""


class LogProgress(ScanProgress):
    """An INFO line about every `every` seconds: "scan: INBOX 12000/100000 messages, 950/s, about 1 min 33 s left"."""

    def __init__(self, every: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = LOG_EVERY_SECONDS if every is None else every
        self.clock = clock
        self.folder = ""
        self.total: int | None = None
        self.done = 0
        self.started = self.last = clock()

    def start(self, folder: str, total: int | None) -> None:
        self.folder, self.total, self.done = folder, total, 0
        self.started = self.last = self.clock()

    def advance(self, count: int) -> None:
        self.done += count
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            log.info("scan: %s", describe(self.folder, self.done, self.total, now - self.started))


class BarProgress(ScanProgress):
    """A tqdm bar on the terminal: count, total, rate and time left."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = None

    def start(self, folder: str, total: int | None) -> None:
        from tqdm import tqdm  # imported only when a bar is drawn

        self.finish()
        self.bar = tqdm(total=total, desc=f"scan {folder}", unit=" msgs", file=self.stream, dynamic_ncols=True)

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def describe(folder: str, done: int, total: int | None, seconds: float) -> str:
    """`INBOX 12000/100000 messages, 950/s, about 1 min 33 s left` (the parts that are known)."""
    rate = done / seconds if seconds > 0 else 0.0
    text = f"{folder} {done}/{total} messages" if total is not None else f"{folder} {done} messages"
    if rate > 0:
        text += f", {rate:.0f}/s"
        if total is not None and total >= done:
            text += f", about {_duration((total - done) / rate)} left"
    return text


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def for_terminal(quiet: bool, stream: IO[str] | None = None) -> ScanProgress:
    """Nothing with `-q`; a bar when `stream` (stderr) is a terminal; otherwise log lines (journald)."""
    if quiet:
        return ScanProgress()
    stream = stream or sys.stderr
    if stream.isatty():
        return BarProgress(stream)
    return LogProgress()
