"""Running one scan with everything it needs: the state lock, the store, the backend and the engine.

Shared by `followup-agent scan` and the daemon, so both take the same lock and record the same health.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from agent.config import Config
from agent.engine import Engine, ScanReport
from agent.errors import FollowupError
from agent.mail.factory import open_backend
from agent.progress import ScanProgress
from agent.store import StateLock, Store, state_failure


def run_scan_once(
    config: Config,
    now: datetime,
    *,
    dry_run: bool = False,
    lock: bool = True,
    should_stop: Callable[[], bool] | None = None,
    progress: ScanProgress | None = None,
) -> ScanReport:
    """One scan. With `dry_run` the scan runs on a throwaway copy of the state and writes no draft.

    `should_stop` (the daemon's stop flag) is checked by the engine between batches and before each draft;
    `progress` is told how far the scan has got (agent.progress).
    """
    state_lock = StateLock(config.state.path) if lock else None
    if state_lock is not None:
        state_lock.acquire()
    try:
        if dry_run:
            with tempfile.TemporaryDirectory(prefix="followup-agent-dry-run-") as scratch:
                copy = Path(scratch) / "state.db"
                _copy_database(config.state.path, copy)
                return _scan(config, copy, now, dry_run=True, should_stop=should_stop, progress=progress)
        return _scan(config, config.state.path, now, dry_run=False, should_stop=should_stop, progress=progress)
    finally:
        if state_lock is not None:
            state_lock.release()


def _scan(
    config: Config,
    db_path: Path,
    now: datetime,
    *,
    dry_run: bool,
    should_stop: Callable[[], bool] | None,
    progress: ScanProgress | None,
) -> ScanReport:
    store = Store.open(db_path)
    try:
        try:
            backend = open_backend(config)
        except FollowupError as exc:
            # A backend can fail before the engine starts (Gmail loads its token here): record it like a failed
            # scan, so `followup-agent status` shows the error.
            scan_id = store.start_scan(now)
            store.finish_scan(scan_id, now, messages=0, drafts=0, error=exc.message.splitlines()[0])
            raise
        with backend:
            return Engine(config, backend, store).scan(now, dry_run=dry_run, should_stop=should_stop, progress=progress)
    except sqlite3.Error as exc:  # mid-scan: locked by another program, a full disk, a page found damaged
        raise state_failure(exc, db_path) from None
    finally:
        store.close()


def _copy_database(source: Path, target: Path) -> None:
    if not source.exists():
        return
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
