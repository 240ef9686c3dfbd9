"""What a failing state database means to the user (agent.store.state_failure): the exit code and the hint."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

import pytest

from agent.errors import StateError
from agent.store import Store, state_failure

STATE = Path("/x/state.db")


def test_a_locked_database_is_exit_5_not_a_traceback() -> None:
    """The fast twin of tests/reliability/test_faults_disk.py's 30 s test: SQLite's 'database is locked',
    raised anywhere in a scan or a command, becomes the documented exit 5 with a hint."""
    failure = state_failure(sqlite3.OperationalError("database is locked"), STATE)
    assert failure.exit_code == 5 and "locked by another program" in str(failure) and failure.hint


def test_a_full_or_read_only_folder_is_exit_6_saying_so() -> None:
    full = state_failure(OSError(errno.ENOSPC, "No space left on device"), STATE)
    assert full.exit_code == 6 and "is full" in full.message and "free some space" in full.hint
    read_only = state_failure(OSError(errno.EROFS, "Read-only file system"), STATE)
    assert read_only.exit_code == 6 and "must be writable" in read_only.hint


def test_a_damaged_file_is_exit_6_and_left_for_the_user() -> None:
    failure = state_failure(sqlite3.DatabaseError("file is not a database"), STATE)
    assert failure.exit_code == 6 and "move it away" in failure.hint


def test_a_store_that_fails_to_open_leaves_no_file_open(tmp_path: Path) -> None:
    """Found with a full tmpfs (test_faults_disk.py): the failed attempt's connection stayed open until a garbage
    collection, keeping the disk busy; the daemon retries every interval."""
    state = tmp_path / "state.db"
    with contextlib.closing(sqlite3.connect(state)) as db:
        db.execute("PRAGMA user_version = 999")  # written by a newer version: Store.open refuses it
    with pytest.raises(StateError, match="newer"):
        Store.open(state)
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("no /proc/self/fd here")
    open_files = set()
    for fd in os.listdir(fds):
        with contextlib.suppress(OSError):
            open_files.add(os.readlink(fds / fd))
    assert not {f for f in open_files if f.startswith(str(state))}, open_files
