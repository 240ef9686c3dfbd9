"""Files only the user may read: the config, the token, the state database and its lock, and the drafts.

Owns the rule that every file followup-agent creates is 0600 and every folder it creates is 0700, whatever the
umask: the state lists all of the user's applications and the people they met, the token opens their mailbox.
A mode is set explicitly after creation, because umask can only remove bits and a 000 umask would leave 0644.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(folder: Path) -> None:
    """Create `folder` and its missing parents, each one created here 0700 (existing folders are the user's)."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process: then it is that process's to set
        os.chmod(path, DIR_MODE)


def tighten(path: Path) -> None:
    """Make an existing file of ours 0600 (one written by an older version, or by SQLite beside the database)."""
    try:
        if path.stat().st_mode & 0o777 != FILE_MODE:
            os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass


def create_private(path: Path, data: bytes) -> None:
    """Write a new file, 0600 from its first byte; raises FileExistsError rather than replace one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
