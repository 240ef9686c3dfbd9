"""Progress of a long scan as the user sees it: a bar on a terminal (through a pty), log lines under journald
(captured stderr), and nothing with -q (issue 10)."""

from __future__ import annotations

import fcntl
import mailbox
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from agent import cli, progress
from tests import mailgen
from tests.tomlgen import dumps

MESSAGES = 300


def newsletter(n: int) -> bytes:
    return (
        f"From: Digest <news@digest.example>\r\nTo: {mailgen.USER[1]}\r\nSubject: Weekly digest {n}\r\n"
        f"Date: Mon, 23 Feb 2026 08:00:00 -0500\r\nMessage-ID: <digest.{n}@digest.example>\r\n"
        f"List-Id: <weekly.digest.example>\r\nList-Unsubscribe: <https://digest.example/u>\r\n"
        f'Content-Type: text/plain; charset="UTF-8"\r\n\r\nThe week in review.\r\n'
    ).encode()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A config file and a Maildir of MESSAGES newsletters."""
    root = tmp_path / "Mail"
    root.mkdir()
    inbox = mailbox.Maildir(str(root / "INBOX"), create=True)
    for name in ("Sent", "Drafts"):
        mailbox.Maildir(str(root / name), create=True)
    for n in range(MESSAGES):
        inbox.add(newsletter(n))
    path = tmp_path / "config.toml"
    path.write_text(
        dumps(
            {
                "identity": {"name": "Alex Candidate", "email": mailgen.USER[1]},
                "mailbox": {"backend": "maildir", "lookback_days": 400},
                "maildir": {"path": str(root)},
                "policy": {"timezone": "America/New_York", "holidays": "US"},
                "state": {"path": str(tmp_path / "state.db")},
            }
        )
    )
    return path


def run_on_a_terminal(*args: str) -> str:
    """`followup-agent ARGS` with stderr on a pseudo-terminal; everything it wrote there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a terminal window's size
    env = {k: v for k, v in os.environ.items() if k not in ("FOLLOWUP_AGENT_CONFIG", "JOURNAL_STREAM")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", *args], stdout=subprocess.DEVNULL, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(master)
    assert proc.returncode == 0, out.decode(errors="replace")
    return out.decode(errors="replace")


def test_on_a_terminal_a_scan_draws_a_bar_with_count_total_rate_and_time_left(config: Path) -> None:
    shown = run_on_a_terminal("--config", str(config), "scan")
    # tqdm's line: "scan inbox: 100%|█████| 300/300 [00:01<00:00, 250.00 msgs/s]"
    assert re.search(rf"scan inbox: +\d+%.*\b{MESSAGES}/{MESSAGES} \[\d\d:\d\d<\d\d:\d\d, +[\d.]+ msgs/s\]", shown)


def test_with_q_there_is_no_bar(config: Path) -> None:
    shown = run_on_a_terminal("-q", "--config", str(config), "scan")
    assert "msgs/s" not in shown and "%|" not in shown


def test_without_a_terminal_progress_goes_to_the_log_in_journald_form(
    config: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")  # as systemd sets it
    monkeypatch.setattr(progress, "LOG_EVERY_SECONDS", 0.0)  # a line after every batch, not every 10 s
    assert cli.main(["--config", str(config), "scan"]) == 0
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("<6>agent.progress: scan: inbox")]
    assert lines, err
    assert re.fullmatch(
        rf"<6>agent\.progress: scan: inbox {MESSAGES}/{MESSAGES} messages, \d+/s, about 0 s left", lines[-1]
    )
    assert "%|" not in err  # no bar drawn into the journal
    assert "Digest" not in err and "digest.example" not in err  # counts only, never who wrote


def test_with_q_no_progress_lines(
    config: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
    monkeypatch.setattr(progress, "LOG_EVERY_SECONDS", 0.0)
    assert cli.main(["-q", "--config", str(config), "scan"]) == 0
    assert "agent.progress" not in capfd.readouterr().err
