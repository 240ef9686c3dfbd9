"""The reliability scenario shared by the kill and fault tests: two applications whose thank-yous and follow-ups
fall due over simulated days, on any backend of the contract suite (a Maildir, a Dovecot account, the Gmail
fake), and what a run of it comes to: the drafts (by key and by recipient) and `status --json`.

`cli()` runs `followup-agent` in this process (the real `agent.cli.main`, its exit code and its stdout and
stderr), which costs milliseconds where a subprocess costs a second of imports; the kill tests and the disk
faults that need a process of their own use `spawn()`.
"""

from __future__ import annotations

import contextlib
import email
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.cli import main as cli_main
from agent.models import KEY_HEADER, FolderRole
from tests import mailgen
from tests.contract.harness import MailboxHarness
from tests.reliability.hostile import at, globex_invite, invite
from tests.tomlgen import dumps

MOMENTS = ("2026-02-21T09:00", "2026-03-02T11:05", "2026-03-10T09:00", "2026-03-17T09:00")
Outcome = tuple[list[str], list[tuple[str, str]], Any]


def populate(harness: MailboxHarness) -> None:
    """Acme's panel interview (two thank-yous, then a follow-up) and Globex's (a thank-you, then a reply naming a
    date, then a follow-up after it)."""
    harness.deliver(FolderRole.INBOX, invite("acme-kill@acmerobotics.com"))
    harness.deliver(FolderRole.INBOX, globex_invite())
    harness.deliver(
        FolderRole.INBOX,
        mailgen.reply(
            sent=at("2026-03-03T10:00"),
            message_id="globex-date@globex.com",
            in_reply_to="globex-invite@globex.com",
            sender=("Ann Bee", "ann.bee@globex.com"),
            subject="Re: Globex - Data Engineer",
            body="Hi Alex,\n\nThanks for your time. We will decide by Friday, March 6.\n\nAnn\n",
        ),
    )


def write_config(path: Path, state: Path, tables: dict[str, dict[str, Any]]) -> Path:
    """A private config for the mailbox `tables` describe (a harness's `config_tables()`), state in `state`."""
    base: dict[str, dict[str, Any]] = {
        "identity": {"name": "Alex Candidate", "email": mailgen.USER[1]},
        "mailbox": {"lookback_days": 400},
        "policy": {"timezone": "America/New_York", "holidays": "US"},
        "state": {"path": str(state)},
    }
    for name, table in tables.items():
        base[name] = {**base.get(name, {}), **table}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(base))
    path.chmod(0o600)
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str

    def message(self) -> str:
        """The error line the user sees: stderr's `followup-agent: ...` line."""
        lines = [line for line in self.err.splitlines() if line.startswith("followup-agent:")]
        return lines[-1] if lines else ""


def cli(config: Path, *args: str) -> Result:
    """`followup-agent --config CONFIG ARGS...` in this process. An exception escaping `main` is a traceback the
    user would have seen: it fails the test with that traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["--config", str(config), *args])
    return Result(code, out.getvalue(), err.getvalue())


def spawn(config: Path, *args: str, **popen: Any) -> subprocess.Popen[bytes]:
    """`followup-agent --config CONFIG ARGS...` as a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "agent", "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "FOLLOWUP_AGENT_CONFIG"},
        **popen,
    )


def clean_scan(config: Path, now: str) -> None:
    result = cli(config, "scan", "--now", now)
    assert result.code == 0, result.err[-2000:]
    assert "Traceback" not in result.err


def assert_fails_cleanly(result: Result, code: int, *words: str) -> None:
    """The documented exit code, one `followup-agent: ...` line (and its hint), no traceback."""
    assert result.code == code, f"exit {result.code}, expected {code}:\n{result.err[-2000:]}"
    assert "Traceback" not in result.err, result.err
    message = result.message()
    assert message, f"no `followup-agent:` message on stderr:\n{result.err}"
    after = result.err.split(message, 1)[1].strip().splitlines()
    assert all(line.startswith("hint:") for line in after), f"more than the message and its hint:\n{result.err}"
    if os.environ.get("FAULT_MESSAGES"):
        print(f"\n  exit {result.code}: {message}")
    for word in words:
        assert word in result.err, f"{word!r} not in:\n{result.err}"


def outcome(harness: MailboxHarness, config: Path, state: Path) -> Outcome:
    """The drafts by key and by recipient, `status --json` (without the scan times), and an intact database."""
    keys, recipients = [], []
    for raw in harness.draft_messages():
        parsed = email.message_from_bytes(raw)
        key = str(parsed[KEY_HEADER]).strip()
        keys.append(key)
        recipients.append((key.split("/")[1], str(parsed["To"])))
    result = cli(config, "status", "--json", "--now", MOMENTS[-1])
    assert result.code == 0, result.err
    status = json.loads(result.out)
    status.pop("health", None)  # when the scans ran and how many there were differ by design
    with contextlib.closing(sqlite3.connect(state)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return sorted(keys), sorted(recipients), status


def assert_converged(got: Outcome, expected: Outcome) -> None:
    assert len(got[0]) == len(set(got[0])), f"a duplicate draft by key: {got[0]}"
    assert len(got[1]) == len(set(got[1])), f"a duplicate draft by recipient: {got[1]}"
    assert got[0] == expected[0], "drafts missing or extra"
    assert got == expected


def fault_free(harness: MailboxHarness, root: Path) -> Outcome:
    """The scenario run to its end with no fault: what every faulted run must come to."""
    populate(harness)
    state = root / "state" / "state.db"
    config = write_config(root / "config.toml", state, harness.config_tables())
    for now in MOMENTS:
        clean_scan(config, now)
    expected = outcome(harness, config, state)
    assert len(expected[0]) >= 4  # thank-yous and a follow-up after the named date: the faults have work to cut
    return expected


def run_with_fault(
    harness: MailboxHarness,
    root: Path,
    at_moment: int,
    faulted: Callable[[Path, str], None],
    *,
    tables: dict[str, dict[str, Any]] | None = None,
) -> Outcome:
    """The scenario with `faulted(config, now)` in place of the clean scan at MOMENTS[at_moment] (it runs the
    faulted scan and checks how it failed), a clean scan at the same moment after it, and clean scans on."""
    populate(harness)
    state = root / "state" / "state.db"
    config = write_config(root / "config.toml", state, tables or harness.config_tables())
    for index, now in enumerate(MOMENTS):
        if index == at_moment:
            faulted(config, now)
        clean_scan(config, now)
    return outcome(harness, config, state)
