"""Running one scan with everything it needs: the state lock, the store, the backend and the engine.

Shared by `followup-agent scan` and the daemon, so both take the same lock and record the same health.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from agent.config import Config
from agent.engine import Engine, ScanReport
from agent.mail.factory import open_backend
from agent.store import StateLock, Store


def run_scan_once(config: Config, now: datetime, *, dry_run: bool = False, lock: bool = True) -> ScanReport:
    """One scan. With `dry_run` the scan runs on a throwaway copy of the state and writes no draft."""
    state_lock = StateLock(config.state.path) if lock else None
    if state_lock is not None:
        state_lock.acquire()
    try:
        if dry_run:
            with tempfile.TemporaryDirectory(prefix="followup-agent-dry-run-") as scratch:
                copy = Path(scratch) / "state.db"
                _copy_database(config.state.path, copy)
                return _scan(config, copy, now, dry_run=True)
        return _scan(config, config.state.path, now, dry_run=False)
    finally:
        if state_lock is not None:
            state_lock.release()


def _scan(config: Config, db_path: Path, now: datetime, *, dry_run: bool) -> ScanReport:
    store = Store.open(db_path)
    try:
        with open_backend(config) as backend:
            return Engine(config, backend, store).scan(now, dry_run=dry_run)
    finally:
        store.close()


def _copy_database(source: Path, target: Path) -> None:
    if not source.exists():
        return
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
