"""Helpers for the daemon tests: a Maildir with a realistic interview invitation, configs, and the daemon as a
real subprocess whose stderr log the test can wait on.

The daemon runs as `python -m agent` (not the console script) so the tests use exactly the interpreter and
checkout under test. `FOLLOWUP_AGENT_TEST_SECONDS_PER_MINUTE=1` (a testing aid of agent.service) makes one
configured schedule minute last one second.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ME = "alex@example.com"
INTERVIEWERS = ("marcus.lee@acmerobotics.com", "dana.wu@acmerobotics.com")


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def interview_invitation(now: datetime) -> bytes:
    """A Google-Calendar-style confirmation (as in fixtures/demo-mailbox) for an interview that ended an hour ago.

    With the default policy (thank-you right after the interview, for up to 72 h) one thank-you per interviewer
    is due at `now`.
    """
    start = (now - timedelta(hours=2)).replace(second=0, microsecond=0)
    end = start + timedelta(hours=1)
    sent = now - timedelta(days=3)
    text = f"""From: Priya Shah <priya.shah@acmerobotics.com>
To: Alex Candidate <{ME}>
Subject: Invitation: Acme Robotics - Senior Backend Engineer - Technical Interview
Date: {format_datetime(sent)}
Message-ID: <daemon-test-invite-01@acmerobotics.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000acme_alt"

--000000000000acme_alt
Content-Type: text/plain; charset="UTF-8"

Hi Alex,

Thanks for making time to meet the team! Your technical interview for the
Senior Backend Engineer role is confirmed. You'll be meeting with Marcus Lee
(Engineering Manager) and Dana Wu (Staff Engineer).

Best,
Priya Shah
Technical Recruiter | Acme Robotics

Invitation from Google Calendar

--000000000000acme_alt
Content-Type: text/calendar; charset="UTF-8"; method=REQUEST

BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REQUEST
BEGIN:VEVENT
DTSTART:{_ics_time(start)}
DTEND:{_ics_time(end)}
DTSTAMP:{_ics_time(sent)}
ORGANIZER;CN="Priya Shah":mailto:priya.shah@acmerobotics.com
UID:daemon-test-01@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;CN="Marcus Lee":mailto:{INTERVIEWERS[0]}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;CN="Dana Wu":mailto:{INTERVIEWERS[1]}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;CN=Alex Candidate:mailto:{ME}
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Acme Robotics - Senior Backend Engineer - Technical Interview
END:VEVENT
END:VCALENDAR

--000000000000acme_alt--
"""
    return text.replace("\n", "\r\n").encode()


def make_maildir(root: Path, now: datetime | None = None) -> Path:
    """INBOX (with the invitation), Sent and Drafts, each a Maildir."""
    for folder in ("INBOX", "Sent", "Drafts"):
        for sub in ("cur", "new", "tmp"):
            (root / folder / sub).mkdir(parents=True, exist_ok=True)
    (root / "INBOX" / "cur" / "1700000001.daemon-test.example:2,S").write_bytes(
        interview_invitation(now or datetime.now(UTC))
    )
    return root


def drafts(root: Path) -> list[email.message.EmailMessage]:
    found: list[email.message.EmailMessage] = []
    for sub in ("cur", "new"):
        for path in sorted((root / "Drafts" / sub).iterdir()):
            found.append(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
    return found


def config_text(mail: Path, state: Path, *, interval: int = 1, backend: str = "maildir", extra: str = "") -> str:
    return f"""[identity]
name = "Alex Candidate"
email = "{ME}"

[mailbox]
backend = "{backend}"

[maildir]
path = "{mail}"

[gmail]
client_secrets = "{state.parent / "client_secret.json"}"
token = "{state.parent / "gmail-token.json"}"

[policy]
timezone = "UTC"
holidays = ""

[schedule]
interval_minutes = {interval}
jitter_seconds = 0

[state]
path = "{state}"
{extra}"""


def agent_env() -> dict[str, str]:
    env = dict(os.environ)
    env["FOLLOWUP_AGENT_TEST_SECONDS_PER_MINUTE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JOURNAL_STREAM", None)  # plain "LEVEL name: message" lines, whatever runs the tests
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_cli(config: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """`followup-agent --config CONFIG ARGS...` to completion."""
    return subprocess.run(
        [sys.executable, "-m", "agent", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=agent_env(),
        cwd=REPO,
        timeout=timeout,
    )


class Daemon:
    """`followup-agent run` as a subprocess; its stderr goes to a file the test reads as it grows."""

    def __init__(self, config: Path, log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agent", "--config", str(config), "run"],
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            env=agent_env(),
            cwd=REPO,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.log()))

    def wait_for(self, pattern: str, *, count: int = 1, timeout: float = 10) -> None:
        """Until `pattern` (a regex) occurs `count` times in the log; fails with the log if it doesn't."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(pattern) >= count:
                return
            if not self.alive():
                break
            time.sleep(0.05)
        raise AssertionError(
            f"{pattern!r} x{count} not in the daemon log after {timeout} s "
            f"(exit code {self.proc.poll()}):\n{self.log()}"
        )

    def send(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10) -> tuple[int, float]:
        """Send `signum`; return the exit code and the seconds it took to exit."""
        started = time.monotonic()
        self.proc.send_signal(signum)
        code = self.proc.wait(timeout=timeout)
        self._log.close()
        return code, time.monotonic() - started

    def kill(self) -> None:
        if self.alive():
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()
