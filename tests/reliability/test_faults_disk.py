"""Issue 11, the disk: the scenario of scenario.py on a Maildir with its state folder full, read-only, held by
another process, or its database file truncated or corrupt. Each faulted scan exits with the documented code
(5 state locked, 6 state unusable), one `followup-agent:` line and no traceback; a damaged file is not
rewritten (its bytes are compared); once the fault is gone, clean scans come to the fault-free run.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.contract.maildir_harness import MaildirHarness
from tests.reliability.scenario import (
    MOMENTS,
    Outcome,
    Result,
    assert_converged,
    assert_fails_cleanly,
    clean_scan,
    cli,
    fault_free,
    outcome,
    populate,
    run_with_fault,
    spawn,
    write_config,
)

DRAFTING = 1  # scenario.MOMENTS[1]: the scan that writes the thank-yous
FULL = bool(os.environ.get("RELIABILITY_FULL"))


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    root = tmp_path_factory.mktemp("fault-free")
    return fault_free(MaildirHarness(root / "Mail"), root)


@pytest.fixture
def maildir(tmp_path: Path) -> MaildirHarness:
    return MaildirHarness(tmp_path / "Mail")


def _state(root: Path) -> Path:
    return root / "state" / "state.db"


@contextlib.contextmanager
def _holding(code: str) -> Iterator[None]:
    """Another process that runs `code` and then waits; it is ready when it printed its first line."""
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env={**os.environ})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        yield
    finally:
        holder.kill()
        holder.wait(timeout=10)


# Another process holding the state: a second followup-agent (its lock file), or another program with SQLite's
# own write lock (an sqlite3 shell, a backup tool), which the scan meets only after SQLite's 30 s busy timeout.
HOLDERS = {
    "followup-agent": (
        "import sys, time; sys.path.insert(0, {repo!r}); from pathlib import Path; "
        "from agent.store import StateLock; StateLock(Path({state!r})).acquire(); "
        "print('ready', flush=True); time.sleep(120)",
        "another followup-agent",
    ),
    "sqlite": (
        "import sqlite3, time; db = sqlite3.connect({state!r}, isolation_level=None); "
        "db.execute('BEGIN EXCLUSIVE'); print('ready', flush=True); time.sleep(120)",
        "locked by another program",
    ),
}


@pytest.mark.parametrize(
    "holder",
    ["followup-agent", pytest.param("sqlite", marks=pytest.mark.skipif(not FULL, reason="30 s: make reliability"))],
)
def test_state_held_by_another_process_exits_5(
    maildir: MaildirHarness, expected: Outcome, tmp_path: Path, holder: str
) -> None:
    code, words = HOLDERS[holder]
    hold = code.format(repo=str(Path(__file__).resolve().parents[2]), state=str(_state(tmp_path)))

    def faulted(config: Path, now: str) -> None:
        with _holding(hold):
            assert_fails_cleanly(cli(config, "scan", "--now", now), 5, words)

    assert_converged(run_with_fault(maildir, tmp_path, DRAFTING, faulted), expected)


def test_state_folder_full_exits_6_and_loses_nothing(
    maildir: MaildirHarness, expected: Outcome, tmp_path: Path
) -> None:
    """RLIMIT_FSIZE in the scan's own process: no file it writes may grow past a few pages, as on a full disk
    (SIGXFSZ ignored, so a write fails with EFBIG instead of killing the process)."""

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))

    def faulted(config: Path, now: str) -> None:
        proc = spawn(config, "scan", "--now", now, preexec_fn=full_disk)
        out, err = proc.communicate(timeout=120)
        assert_fails_cleanly(Result(proc.returncode, out.decode(), err.decode()), 6, "full", "free some space")

    assert_converged(run_with_fault(maildir, tmp_path, DRAFTING, faulted), expected)


@contextlib.contextmanager
def _full_filesystem(folder: Path) -> Iterator[None]:
    """The folder's files moved onto a small tmpfs mounted over it, and the rest of the tmpfs filled: a disk
    that is really full (ENOSPC). Root only; afterwards the files go back onto the ordinary disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE test covers a full disk without it")
    saved = folder.with_name(folder.name + ".saved")
    shutil.copytree(folder, saved)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        shutil.rmtree(saved)
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        shutil.copytree(saved, folder, dirs_exist_ok=True)
        with contextlib.suppress(OSError), (folder / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        yield
        (folder / "filler").unlink()
        shutil.rmtree(saved)
        shutil.copytree(folder, saved)  # what the faulted scan left, back onto the disk
    finally:
        subprocess.run(["umount", str(folder)], check=True)
    shutil.copytree(saved, folder, dirs_exist_ok=True)
    shutil.rmtree(saved)


def test_state_on_a_full_filesystem_exits_6(maildir: MaildirHarness, expected: Outcome, tmp_path: Path) -> None:
    def faulted(config: Path, now: str) -> None:
        with _full_filesystem(_state(tmp_path).parent):
            assert_fails_cleanly(cli(config, "scan", "--now", now), 6, "full", "free some space")

    assert_converged(run_with_fault(maildir, tmp_path, DRAFTING, faulted), expected)


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """The folder made read-only: a read-only bind mount for root (whom modes do not stop), modes otherwise."""
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
        if mounted.returncode != 0:
            pytest.skip(f"running as root and cannot bind-mount: {mounted.stderr.decode().strip()}")
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True, capture_output=True)
            yield
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
    for path in modes:
        path.chmod(0o500 if path.is_dir() else 0o400)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_read_only_state_folder_exits_6(maildir: MaildirHarness, expected: Outcome, tmp_path: Path) -> None:
    def faulted(config: Path, now: str) -> None:
        with _read_only(_state(tmp_path).parent):
            assert_fails_cleanly(cli(config, "scan", "--now", now), 6, "must be writable")

    assert_converged(run_with_fault(maildir, tmp_path, DRAFTING, faulted), expected)


def _checkpointed(state: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(state)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return state.read_bytes()


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _bad_header(data: bytes) -> bytes:
    return b"not an sqlite db" + data[16:]


def _bad_pages(data: bytes) -> bytes:
    rng = random.Random(11)
    damaged = bytearray(data)
    for page in range(4096 * 2, len(damaged), 4096):
        damaged[page + 100 : page + 600] = rng.randbytes(500)
    return bytes(damaged)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {"truncated": _truncate, "header": _bad_header, "pages": _bad_pages}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_state_file_exits_6_and_is_left_as_it_is(
    maildir: MaildirHarness, expected: Outcome, tmp_path: Path, damage: str
) -> None:
    populate(maildir)
    state = _state(tmp_path)
    config = write_config(tmp_path / "config.toml", state, maildir.config_tables())
    for now in MOMENTS[:2]:
        clean_scan(config, now)
    damaged = DAMAGE[damage](_checkpointed(state))
    state.write_bytes(damaged)
    for command in (("scan", "--now", MOMENTS[2]), ("status", "--json"), ("report", "--html", str(tmp_path / "r"))):
        assert_fails_cleanly(cli(config, *command), 6, "move it away")
        assert state.read_bytes() == damaged, f"{command[0]} rewrote the damaged state file"
    # The user moves it away, as the message says: the mailbox is read again, the drafts written before are found
    # by their key, and none is written twice.
    shutil.move(state, tmp_path / "state.db.damaged")
    for now in MOMENTS[2:]:
        clean_scan(config, now)
    got = outcome(maildir, config, state)
    assert_converged((*got[:2], None), (*expected[:2], None))
