"""agent/service.py's Daemon in process: how it waits after authentication failures.

tests/integration/test_daemon.py runs the daemon as a real subprocess.
"""

from __future__ import annotations

import time
from pathlib import Path

from agent.config import load_config
from agent.errors import AuthError
from agent.service import AUTH_BACKOFF_MAX, Daemon


def test_the_daemon_backs_off_from_a_long_authentication_failure_without_overflowing(config_file: Path) -> None:
    # interval * 2 ** (failures - 1) overflowed timedelta at the 38th failure (about 8 days of a wrong password):
    # from then on every tick raised OverflowError, retried at once and logged a traceback every 15 minutes.
    config = load_config(config_file)
    daemon = Daemon(config_file, config)
    for _ in range(80):
        daemon._auth_failed(AuthError("the server refused the password"), config)
    assert daemon._auth_retry_at <= time.time() + AUTH_BACKOFF_MAX.total_seconds()
    assert daemon._auth_retry_at > time.time() + AUTH_BACKOFF_MAX.total_seconds() / 2
