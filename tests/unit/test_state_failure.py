"""What a failing state database means to the user (agent.store.state_failure): the exit code and the hint."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from agent.store import state_failure

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
