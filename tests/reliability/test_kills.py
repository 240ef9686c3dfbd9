"""Issue 11: SIGKILL `followup-agent scan` at seeded random moments; after each kill a clean scan; the result is
the fault-free run's: the same drafts (none duplicated by key or by recipient, none missing), the same
`status --json`, and `PRAGMA integrity_check` ok. Real subprocesses, a real Maildir, a real SQLite file.

KILLS sets how many kills (20 by default, as in `make test`; `make reliability` runs 120); KILL_SEED the seed.
The scenario's thank-yous and follow-ups fall due over simulated days, so kills land in syncing, in deciding
and between writing a draft and recording it.
"""

from __future__ import annotations

import email
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from agent.models import KEY_HEADER
from tests import mailgen
from tests.reliability.hostile import at, globex_invite, invite, maildir, maildir_config

KILLS = int(os.environ.get("KILLS", "20"))
SEED = int(os.environ.get("KILL_SEED", "11"))
MOMENTS = ("2026-02-21T09:00", "2026-03-02T11:05", "2026-03-10T09:00", "2026-03-17T09:00")
ENV = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_AGENT_CONFIG"}


def _world(root: Path) -> Path:
    inbox = maildir(root / "Mail")
    inbox.add(invite("acme-kill@acmerobotics.com"))
    inbox.add(globex_invite())
    inbox.add(
        mailgen.reply(
            sent=at("2026-03-03T10:00"),
            message_id="globex-date@globex.com",
            in_reply_to="globex-invite@globex.com",
            sender=("Ann Bee", "ann.bee@globex.com"),
            subject="Re: Globex - Data Engineer",
            body="Hi Alex,\n\nThanks for your time. We will decide by Friday, March 6.\n\nAnn\n",
        )
    )
    return maildir_config(root / "config.toml", root / "Mail", root / "state.db")


def _agent(config: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "agent", "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )


def _clean_scan(config: Path, now: str) -> None:
    proc = _agent(config, "scan", "--now", now)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b"Traceback" not in err


def _outcome(root: Path, config: Path) -> tuple[list[str], list[tuple[str, str]], object]:
    drafts = root / "Mail" / "Drafts"
    keys, recipients = [], []
    for path in sorted([*(drafts / "cur").iterdir(), *(drafts / "new").iterdir()]):
        parsed = email.message_from_bytes(path.read_bytes())
        keys.append(str(parsed[KEY_HEADER]).strip())
        recipients.append((str(parsed[KEY_HEADER]).split("/")[1], str(parsed["To"])))
    proc = _agent(config, "status", "--json", "--now", MOMENTS[-1])
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    status = json.loads(out)
    status.pop("health", None)  # when the scans ran and how many there were differ by design
    with sqlite3.connect(root / "state.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return sorted(keys), sorted(recipients), status


def test_kills_converge_to_the_fault_free_run(tmp_path: Path) -> None:
    clean_config = _world(tmp_path / "clean")
    durations = []
    for now in MOMENTS:
        started = time.monotonic()
        _clean_scan(clean_config, now)
        durations.append(time.monotonic() - started)
    expected = _outcome(tmp_path / "clean", clean_config)
    assert len(expected[0]) >= 4  # thank-yous and a follow-up after the named date: the kills have work to cut

    rng = random.Random(SEED)
    config = _world(tmp_path / "killed")
    per_moment = [KILLS // len(MOMENTS) + (1 if i < KILLS % len(MOMENTS) else 0) for i in range(len(MOMENTS))]
    killed = 0
    for now, kills, took in zip(MOMENTS, per_moment, durations, strict=True):
        for _ in range(kills):
            proc = _agent(config, "scan", "--now", now)
            time.sleep(rng.uniform(0.05, took * 1.1))
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            killed += 1
        _clean_scan(config, now)
    got = _outcome(tmp_path / "killed", config)
    assert len(got[0]) == len(set(got[0])), "a duplicate draft by key"
    assert len(got[1]) == len(set(got[1])), "a duplicate draft by recipient"
    assert got == expected
    print(f"kill {killed}/{killed} ok")
