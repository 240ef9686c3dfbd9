"""Issue 11: whatever the umask, what followup-agent writes is 0600 in 0700 folders.

The state lists every application and the people met; the token opens the mailbox; drafts are private mail.
Real subprocesses and files under umask 000 and 022.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from agent.mail.gmail_auth import write_token
from agent.store import StateLock, Store
from tests.reliability.hostile import globex_invite, maildir, maildir_config

UMASKS = [0o000, 0o022]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def agent(*args: str, env: dict[str, str], mask: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        preexec_fn=lambda: os.umask(mask),
    )


@pytest.mark.parametrize("mask", UMASKS)
def test_init_writes_a_private_config_in_a_private_folder(tmp_path: Path, mask: int) -> None:
    home = tmp_path / "xdg-config"
    env = {"XDG_CONFIG_HOME": str(home), "HOME": str(tmp_path)}
    result = agent("init", env={**env, "FOLLOWUP_AGENT_CONFIG": ""}, mask=mask)
    assert result.returncode == 0, result.stderr
    config = home / "followup-agent" / "config.toml"
    assert mode(config) == 0o600
    assert mode(config.parent) == 0o700 and mode(home) == 0o700


@pytest.mark.parametrize("mask", UMASKS)
def test_a_scan_leaves_a_private_state_and_private_drafts(tmp_path: Path, mask: int) -> None:
    root = tmp_path / "Mail"
    maildir(root).add(globex_invite())
    state = tmp_path / "state" / "followup-agent" / "state.db"
    config = maildir_config(tmp_path / "config.toml", root, state)
    for now in ("2026-02-21T09:00", "2026-03-02T11:05"):
        result = agent("--config", str(config), "scan", "--now", now, env={}, mask=mask)
        assert result.returncode == 0, result.stderr
    drafts = list((root / "Drafts" / "cur").iterdir())
    assert len(drafts) == 1 and mode(drafts[0]) == 0o600
    assert mode(state) == 0o600 and mode(state.with_name("state.db.lock")) == 0o600
    assert mode(state.parent) == 0o700 and mode(state.parent.parent) == 0o700


@pytest.mark.parametrize("mask", UMASKS)
def test_the_database_its_wal_and_shm_and_the_lock_are_private(tmp_path: Path, mask: int) -> None:
    path = tmp_path / "new" / "state.db"
    with umask(mask), StateLock(path):
        store = Store.open(path)
        try:
            store.create_application("Globex", "Data Engineer", __import__("datetime").datetime.now())
            wal, shm = path.with_name("state.db-wal"), path.with_name("state.db-shm")
            assert wal.exists() and shm.exists()
            assert [mode(p) for p in (path, wal, shm, path.with_name("state.db.lock"))] == [0o600] * 4
            assert mode(path.parent) == 0o700
        finally:
            store.close()


def test_an_older_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    Store.open(path).close()
    path.chmod(0o644)
    Store.open(path).close()
    assert mode(path) == 0o600


@pytest.mark.parametrize("mask", UMASKS)
def test_the_token_file_is_private(tmp_path: Path, mask: int) -> None:
    token = tmp_path / "fresh" / "gmail-token.json"
    with umask(mask):
        write_token(token, '{"token": "x"}')
    assert mode(token) == 0o600 and mode(token.parent) == 0o700
