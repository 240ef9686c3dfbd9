"""What `maildir_floor.py` and `imap_floor.py` share: the realistic mailbox, measured child processes, medians.

The mailbox is what a job seeker's inbox looks like after a year: about 70 % list mail (newsletters, job alerts,
notifications with List-Id or List-Unsubscribe), notifications without list headers, personal mail of 2-15 KB,
3 % sent mail, 1 message in 150 with a 1-5 MB attachment, a median message of about 15 KB, and 60 real
application histories (bench_scan.application_mail: acknowledgement, calendar invitation, rejection, named date,
thank-you note, out-of-office, answer). Files are written straight into Maildir folders, in a shuffled order.

Not collected by pytest (the name does not start with test_).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_scan import (
    COMPANIES,
    FRIENDS,
    JOB_ALERTS,
    LOREM,
    MB,
    NEWSLETTERS,
    NOTIFICATIONS,
    PERSONAL_SUBJECTS,
    ROLES,
    USER,
    Blob,
    Mail,
    _crlf,
    _html_padding,
    _with_attachment,
    application_mail,
)

SEED = 20261203
APPLICATIONS = 60
LOOKBACK_DAYS = 400  # the agent's lookback covers the whole mailbox (dates go back at most 330 days)
ATTACHMENT_EVERY = 150
REPEATS = 3
MORE_COMPANIES = tuple(f"{name} Two" for name in COMPANIES)  # 60 distinct employers


@dataclass(frozen=True)
class Layout:
    """Where each folder's Maildir lives under the root: mbsync's layout, or Dovecot's Maildir++."""

    inbox: str
    sent: str
    drafts: str
    sizes_in_names: bool  # Dovecot reads ",S=<size>" from the file name instead of stat()ing every file


MBSYNC = Layout("INBOX", "Sent", "Drafts", sizes_in_names=False)
MAILDIRPP = Layout(".", ".Sent", ".Drafts", sizes_in_names=True)


@dataclass
class MailboxStats:
    messages: int = 0
    sent: int = 0
    listed: int = 0  # with List-Id or List-Unsubscribe
    attachments: int = 0
    application_messages: int = 0
    bytes: int = 0
    median_bytes: int = 0


class RealisticNoise:
    """Everything in the mailbox besides the job search, in the issue's proportions and sizes."""

    def __init__(self, rng: random.Random, blob: Blob, now: datetime) -> None:
        self.rng = rng
        self.blob = blob
        self.now = now
        self.count = 0

    def _date(self) -> str:
        return format_datetime(self.now - timedelta(days=self.rng.uniform(0.01, 330)))

    def _attachment(self) -> int | None:
        if self.count % ATTACHMENT_EVERY != 11:
            return None
        return self.rng.randint(1 * MB, 5 * MB)

    def make(self) -> tuple[Mail, bool]:
        """A message and whether it carries list headers."""
        self.count += 1
        n, date, roll = self.count, self._date(), self.rng.random()
        size = self._attachment()
        if size is not None:  # bank statements, holiday photos, scans: mail without list headers
            return self._personal(n, date, size) if roll < 0.6 else self._notification(n, date, False, size), False
        if roll < 0.42:
            return self._newsletter(n, date), True
        if roll < 0.56:
            return self._job_alert(n, date), True
        if roll < 0.70:
            return self._notification(n, date, True, None), True
        if roll < 0.78:
            return self._notification(n, date, False, None), False
        if roll < 0.97:
            return self._personal(n, date, None), False
        return self._sent(n, date), False

    def _newsletter(self, n: int, date: str) -> Mail:
        name, address, subject = self.rng.choice(NEWSLETTERS)
        domain = address.split("@")[1]
        html = f"<html><body><table>{_html_padding(self.rng, self.rng.randint(30, 80))}</table></body></html>"
        return Mail("INBOX", _crlf(f"""
From: {name} <{address}>
To: {USER[1]}
Subject: {subject}
Date: {date}
Message-ID: <news.{n}.{self.rng.getrandbits(40):x}@{domain}>
List-Id: <{address.split("@")[0]}.list.{domain}>
List-Unsubscribe: <https://{domain}/unsubscribe?u={n}>, <mailto:unsub-{n}@{domain}>
Precedence: bulk
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="news_alt_{n}"

--news_alt_{n}
Content-Type: text/plain; charset="UTF-8"

View this email in your browser: https://{domain}/view/{n}

--news_alt_{n}
Content-Type: text/html; charset="UTF-8"

{html}
--news_alt_{n}--
"""))  # fmt: skip

    def _job_alert(self, n: int, date: str) -> Mail:
        name, address, subject = self.rng.choice(JOB_ALERTS)
        domain = address.split("@")[1]
        jobs = "\n".join(
            f"{self.rng.choice(ROLES)} at {self.rng.choice(COMPANIES)} - New York, NY - https://jobs.example/{n}/{j}"
            f"\n    {LOREM[: self.rng.randint(120, 330)]}"
            for j in range(self.rng.randint(10, 50))
        )
        return Mail("INBOX", _crlf(f"""
From: {name} <{address}>
To: {USER[0]} <{USER[1]}>
Subject: {subject}
Date: {date}
Message-ID: <alert.{n}@{domain}>
List-Unsubscribe: <https://{domain}/unsubscribe/{n}>
Precedence: bulk
Content-Type: text/plain; charset="UTF-8"

Jobs matching your saved search:

{jobs}

You are receiving job alert emails. Unsubscribe: https://{domain}/unsubscribe/{n}
"""))  # fmt: skip

    def _notification(self, n: int, date: str, listed: bool, attachment: int | None) -> Mail:
        name, address, subject, _ = self.rng.choice(NOTIFICATIONS)
        subject = subject.format(n=n)
        domain = address.split("@")[1]
        lists = f"List-Id: <notifications.{domain}>\nList-Unsubscribe: <https://{domain}/unsub>\n" if listed else ""
        head = f"From: {name} <{address}>\nTo: {USER[1]}\nSubject: {subject}\nDate: {date}\n"
        head += f"Message-ID: <notify.{n}@{domain}>\n{lists}"
        text = f"Hi Alex,\n\n{subject}. Sign in to your account to see the details.\n\n{name}"
        if attachment is not None:
            return Mail("INBOX", _with_attachment(head, text, self.blob, attachment, f"doc-{n}.pdf", "application/pdf"))
        html = f"<html><body><table>{_html_padding(self.rng, self.rng.randint(10, 45))}</table></body></html>"
        return Mail("INBOX", _crlf(f"""
{head.strip()}
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="nb_{n}"

--nb_{n}
Content-Type: text/plain; charset="UTF-8"

{text}

--nb_{n}
Content-Type: text/html; charset="UTF-8"

{html}
--nb_{n}--
"""))  # fmt: skip

    def _personal(self, n: int, date: str, attachment: int | None) -> Mail:
        name, address = self.rng.choice(FRIENDS)
        subject = self.rng.choice(PERSONAL_SUBJECTS)
        head = f"From: {name} <{address}>\nTo: {USER[0]} <{USER[1]}>\nSubject: {subject}\nDate: {date}\n"
        head += f"Message-ID: <CAP{n}x{self.rng.getrandbits(48):x}@mail.gmail.com>\n"
        text = f"Hi Alex,\n\n{self._prose(2_000, 15_000)}\n\n{name.split()[0]}"
        if attachment is not None:
            return Mail("INBOX", _with_attachment(head, text, self.blob, attachment, f"IMG_{n}.jpg", "image/jpeg"))
        return Mail("INBOX", _crlf(f'{head}Content-Type: text/plain; charset="UTF-8"\n\n{text}\n'))

    def _sent(self, n: int, date: str) -> Mail:
        name, address = self.rng.choice(FRIENDS)
        head = f"From: {USER[0]} <{USER[1]}>\nTo: {name} <{address}>\nSubject: Re: weekend plans\nDate: {date}\n"
        head += f"Message-ID: <sent.{n}.{self.rng.getrandbits(48):x}@mail.gmail.com>\n"
        quote = "\n".join(f"> {line}" for line in self._prose(1_000, 8_000).splitlines())
        text = f"Sounds good! See you then.\n\nAlex\n\nOn Tue, Mar 3, 2026, {name} <{address}> wrote:\n{quote}"
        return Mail("Sent", _crlf(f'{head}Content-Type: text/plain; charset="UTF-8"\n\n{text}\n'))

    def _prose(self, low: int, high: int) -> str:
        """Paragraphs of plain text, `low` to `high` bytes in all."""
        paragraphs = max(1, self.rng.randint(low, high) // (len(LOREM) + 2))
        return "\n\n".join(LOREM for _ in range(paragraphs))


def build_mailbox(root: Path, layout: Layout, count: int, now: datetime) -> MailboxStats:
    """Write `count` messages (at least the applications') under `root` in `layout`; return what was written."""
    rng = random.Random(SEED)
    blob = Blob(5 * MB)
    folders = {"INBOX": root / layout.inbox, "Sent": root / layout.sent, "Drafts": root / layout.drafts}
    for directory in folders.values():
        for sub in ("cur", "new", "tmp"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
    applications: list[Mail] = []
    for index in range(APPLICATIONS):
        company = (COMPANIES + MORE_COMPANIES)[index]
        applications.extend(application_mail(index, now, rng, blob, company=company, spacing=0.7))
    order = list(range(max(count, len(applications))))
    rng.shuffle(order)
    noise = RealisticNoise(rng, blob, now)
    stats = MailboxStats(application_messages=len(applications))
    sizes: list[int] = []
    for position, number in enumerate(order):
        if position < len(applications):
            mail, listed = applications[position], False
        else:
            mail, listed = noise.make()
        size = f",S={len(mail.data)}" if layout.sizes_in_names else ""
        name = f"{1772000000 + number}.M{number}P1.benchhost{size}:2,S"
        (folders[mail.folder] / "cur" / name).write_bytes(mail.data)
        stats.messages += 1
        stats.sent += mail.folder == "Sent"
        stats.listed += listed
        stats.attachments += len(mail.data) > MB
        stats.bytes += len(mail.data)
        sizes.append(len(mail.data))
    stats.median_bytes = int(statistics.median(sizes))
    return stats


# ------------------------------------------------------------------------------------------ measuring


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_mb: float  # the child's own ru_maxrss
    returncode: int
    stdout: str
    stderr: str


def run_measured(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `command` as a child; its wall time and its own peak RSS (wait4 reports that child's rusage alone).

    The parent must stay small: Linux carries the peak of the forking process over into the child.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read())


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def nochange(config_path: Path, now: datetime) -> float:
    """Seconds of a scan with nothing new, through run_scan_once (lock, store, backend, engine), as every daemon
    tick runs it; the interpreter's start and the imports are not the scan's."""
    from agent.config import load_config
    from agent.runner import run_scan_once

    config = load_config(config_path)
    started = time.perf_counter()
    report = run_scan_once(config, now)
    seconds = time.perf_counter() - started
    if report.messages_recorded:
        raise SystemExit(f"the no-change scan recorded {report.messages_recorded} messages")
    return seconds


def agent_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_AGENT")}
    env.pop("JOURNAL_STREAM", None)
    env.update(extra or {})
    return env


def agent_command(config: Path, now: datetime) -> list[str]:
    """`followup-agent scan` exactly as a user runs it (the console script's entry point, -q)."""
    return [sys.executable, "-m", "agent", "-q", "--config", str(config), "scan", "--now", now.isoformat()]


def config_text(backend: str, state: Path, body: str) -> str:
    return (
        f'[identity]\nname = "{USER[0]}"\nemail = "{USER[1]}"\n\n'
        f'[mailbox]\nbackend = "{backend}"\nlookback_days = {LOOKBACK_DAYS}\n\n'
        f'{body}\n[policy]\ntimezone = "America/New_York"\nholidays = "US"\n\n[state]\npath = "{state}"\n'
    )


def last_line(tag: str, n: int, agent: float, floor: float, rss: float, commands: int, nochange: float,
              growth: float) -> str:  # fmt: skip
    """The issue's last line: `<tag>: N msgs ratio R agent A s floor F s rss M MB nochange C cmds T s growth G`."""
    ratio = agent / floor if floor else float("inf")
    return (
        f"{tag}: {n} msgs ratio {ratio:.2f} agent {agent:.2f} s floor {floor:.2f} s rss {rss:.0f} MB "
        f"nochange {commands} cmds {nochange:.3f} s growth {growth:.1f}"
    )


@dataclass(frozen=True)
class Targets:
    ratio: float = 1.2
    rss_mb: float = 150.0
    nochange_seconds: float = 0.2
    growth: float = 11.0


def check(targets: Targets, ratio: float, rss: float, commands: int, folders: int, nochange: float,
          growth: float) -> list[str]:  # fmt: skip
    """The targets missed, in words (empty when all are met)."""
    misses = []
    if ratio > targets.ratio:
        misses.append(f"ratio {ratio:.2f} > {targets.ratio}")
    if rss > targets.rss_mb:
        misses.append(f"rss {rss:.0f} MB > {targets.rss_mb:.0f} MB")
    if commands > folders:
        misses.append(f"no-change scan sent {commands} commands > {folders} (one per folder)")
    if nochange >= targets.nochange_seconds:
        misses.append(f"no-change scan {nochange:.3f} s >= {targets.nochange_seconds} s")
    if growth > targets.growth:
        misses.append(f"growth {growth:.1f} > {targets.growth}")
    return misses
