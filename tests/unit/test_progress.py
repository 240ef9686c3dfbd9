"""agent.progress: what the log lines say and how often they come."""

from __future__ import annotations

import logging

import pytest

from agent.progress import LogProgress, ScanProgress, describe, for_terminal


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_line_about_every_ten_seconds_with_count_total_rate_and_time_left(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    reporter = LogProgress(clock=clock)
    caplog.set_level(logging.INFO, logger="agent.progress")
    reporter.start("inbox", 100_000)
    for _ in range(50):  # 200 messages every 0.5 s: 400/s
        clock.now += 0.5
        reporter.advance(200)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2  # at 10 s and at 20 s, not after every batch
    assert lines[0] == "scan: inbox 4000/100000 messages, 400/s, about 4 min 0 s left"
    assert lines[1] == "scan: inbox 8000/100000 messages, 400/s, about 3 min 50 s left"


def test_without_a_total_the_line_has_no_time_left() -> None:
    assert describe("inbox", 500, None, 2.0) == "inbox 500 messages, 250/s"
    assert describe("sent", 30_000, 300_000, 10.0) == "sent 30000/300000 messages, 3000/s, about 1 min 30 s left"
    assert describe("inbox", 0, 10, 0.0) == "inbox 0/10 messages"


def test_quiet_reports_nothing_and_a_pipe_gets_log_lines() -> None:
    class Pipe:
        def isatty(self) -> bool:
            return False

    assert type(for_terminal(True)) is ScanProgress
    assert isinstance(for_terminal(False, Pipe()), LogProgress)  # type: ignore[arg-type]
