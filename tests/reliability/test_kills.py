"""Issue 11: SIGKILL `followup-agent scan` at seeded random moments, on a Maildir and on Dovecot; after each kill a
clean scan; the result is the fault-free run's: the same drafts (none duplicated by key or by recipient, none
missing), the same `status --json`, and `PRAGMA integrity_check` ok. Real subprocesses, a real Maildir, a real
Dovecot, a real SQLite file.

KILLS sets how many kills on the Maildir (20 by default, as in `make test`; `make reliability` runs 120),
IMAP_KILLS on Dovecot (6; 40), DRAFT_KILLS the kills right after a draft file appears on each backend (2; 12);
KILL_SEED the seed. The scenario's thank-yous and follow-ups fall due over simulated days, so kills land in
syncing, in deciding and between writing a draft and recording it; the DRAFT_KILLS aim at that last window on
purpose: the scan is killed the moment its n-th draft file shows in Drafts, before the state can record it.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.contract.harness import MailboxHarness
from tests.contract.maildir_harness import MaildirHarness
from tests.reliability.scenario import (
    MOMENTS,
    assert_converged,
    clean_scan,
    fault_free,
    outcome,
    populate,
    spawn,
    write_config,
)

KILLS = int(os.environ.get("KILLS", "20"))
IMAP_KILLS = int(os.environ.get("IMAP_KILLS", "6"))
DRAFT_KILLS = int(os.environ.get("DRAFT_KILLS", "2"))
SEED = int(os.environ.get("KILL_SEED", "11"))


@pytest.fixture(params=["maildir", "imap"])
def backend(request: pytest.FixtureRequest) -> Iterator[tuple[Callable[[Path], MailboxHarness], int]]:
    """A maker of fresh mailboxes of the backend (a Maildir under a folder, a new Dovecot account), and the number
    of kills to run on it; the accounts are closed at the end."""
    if request.param == "maildir":
        yield (lambda root: MaildirHarness(root / "Mail")), KILLS
        return
    from tests.contract.imap_harness import ImapHarness

    made: list[ImapHarness] = []

    def account(_root: Path) -> ImapHarness:
        made.append(ImapHarness())
        return made[-1]

    try:
        yield account, IMAP_KILLS
    finally:
        for imap in made:
            imap.close()


def _timed_clean_run(harness: MailboxHarness, root: Path) -> tuple[Path, Path, list[float]]:
    populate(harness)
    state = root / "state.db"
    config = write_config(root / "config.toml", state, harness.config_tables())
    durations = []
    for now in MOMENTS:
        started = time.monotonic()
        proc = spawn(config, "scan", "--now", now)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and b"Traceback" not in err, err.decode()[-2000:]
        durations.append(time.monotonic() - started)
    return config, state, durations


def test_kills_converge_to_the_fault_free_run(
    backend: tuple[Callable[[Path], MailboxHarness], int], tmp_path: Path
) -> None:
    fresh, kills_total = backend
    clean = fresh(tmp_path / "clean")
    clean_config, clean_state, durations = _timed_clean_run(clean, tmp_path / "clean")
    expected = outcome(clean, clean_config, clean_state)
    assert len(expected[0]) >= 4  # thank-yous and a follow-up after the named date: the kills have work to cut

    rng = random.Random(SEED)
    harness = fresh(tmp_path / "killed")
    populate(harness)
    state = tmp_path / "killed" / "state.db"
    config = write_config(tmp_path / "killed" / "config.toml", state, harness.config_tables())
    per_moment = [
        kills_total // len(MOMENTS) + (1 if i < kills_total % len(MOMENTS) else 0) for i in range(len(MOMENTS))
    ]
    killed = 0
    for now, kills, took in zip(MOMENTS, per_moment, durations, strict=True):
        for _ in range(kills):
            proc = spawn(config, "scan", "--now", now)
            time.sleep(rng.uniform(0.05, took * 1.1))
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            killed += 1
        clean_scan(config, now)
    assert_converged(outcome(harness, config, state), expected)
    print(f"kill {killed}/{killed} ok")


def _drafts_folder(harness: MailboxHarness) -> Path:
    """Where the mailbox keeps its draft files: the Maildir's, or the Dovecot account's own Maildir on disk (the
    server writes the file before it answers the APPEND)."""
    if isinstance(harness, MaildirHarness):
        return harness.root / "Drafts"
    user = harness.user  # type: ignore[attr-defined]
    return Path(harness.server.root) / "home" / user.name / "Maildir" / ".Drafts"  # type: ignore[attr-defined]


def _draft_files(drafts: Path) -> int:
    return sum(1 for sub in ("new", "cur") if (drafts / sub).is_dir() for _ in (drafts / sub).iterdir())


def test_a_kill_right_after_a_draft_is_written_converges(
    backend: tuple[Callable[[Path], MailboxHarness], int], tmp_path: Path
) -> None:
    """SIGKILL the moment the n-th draft file of the thank-you scan appears: the draft is in the mailbox and
    not yet in the state. The next scan finds it by its key and records it instead of writing it again."""
    fresh, _ = backend
    expected = fault_free(fresh(tmp_path / "clean"), tmp_path / "clean")

    rng = random.Random(SEED)
    in_window = 0  # kills that left a draft in the mailbox and not in the state
    for run in range(DRAFT_KILLS):
        harness = fresh(tmp_path / f"run{run}")
        populate(harness)
        state = tmp_path / f"run{run}" / "state.db"
        config = write_config(tmp_path / f"run{run}" / "config.toml", state, harness.config_tables())
        clean_scan(config, MOMENTS[0])
        nth = rng.randint(1, 3)  # the thank-you scan writes three drafts
        drafts = _drafts_folder(harness)
        proc = spawn(config, "scan", "--now", MOMENTS[1])
        deadline = time.monotonic() + 60
        while _draft_files(drafts) < nth and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert _draft_files(drafts) >= nth, "the scan ended before writing the draft it was to be killed after"
        with contextlib.closing(sqlite3.connect(state)) as db:
            recorded = db.execute("SELECT count(*) FROM drafts").fetchone()[0]
        in_window += recorded < _draft_files(drafts)
        for now in MOMENTS[1:]:
            clean_scan(config, now)
        assert_converged(outcome(harness, config, state), expected)
    print(f"draft kills {DRAFT_KILLS}: {in_window} between writing a draft and recording it")
