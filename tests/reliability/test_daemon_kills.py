"""Issue 11: SIGKILL the daemon (`followup-agent run`, a real subprocess scanning a real Maildir every second
through the testing aid of tests/integration/daemon_helpers.py) at seeded random moments, start it again each
time, then one clean `scan`: the drafts and `status --json` are those of a run that was never killed.

DAEMON_KILLS sets how many kills (4 in `make test`, 20 in `make reliability`); KILL_SEED the seed. The daemon
works in real time, so the times in `status --json` (when a draft was made) are left out of the comparison.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.integration.daemon_helpers import Daemon, config_text, drafts, make_maildir, run_cli

DAEMON_KILLS = int(os.environ.get("DAEMON_KILLS", "4"))
SEED = int(os.environ.get("KILL_SEED", "11"))
KEY = "X-Followup-Agent-Key"


def _world(root: Path, now: datetime) -> Path:
    mail = make_maildir(root / "Mail", now)
    config = root / "config.toml"
    config.write_text(config_text(mail, root / "state" / "state.db"))
    config.chmod(0o600)
    return config


def _without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k not in ("created", "health")}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def _outcome(root: Path, config: Path) -> tuple[list[str], list[str], Any]:
    found = drafts(root / "Mail")
    keys = sorted(str(d[KEY]).strip() for d in found)
    recipients = sorted(str(d["To"]) for d in found)
    status = run_cli(config, "status", "--json")
    assert status.returncode == 0, status.stderr
    return keys, recipients, _without_times(json.loads(status.stdout))


def test_daemon_kills_converge_to_the_unkilled_run(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    clean = _world(tmp_path / "clean", now)
    scan = run_cli(clean, "scan")
    assert scan.returncode == 0, scan.stderr
    expected = _outcome(tmp_path / "clean", clean)
    assert len(expected[0]) == 2  # one thank-you per interviewer: the kills have drafts to cut

    rng = random.Random(SEED)
    config = _world(tmp_path / "killed", now)
    for kill in range(DAEMON_KILLS):
        daemon = Daemon(config, tmp_path / f"daemon-{kill}.log")
        try:
            daemon.wait_for(r"followup-agent|scan", timeout=30)  # started: it logs before its first scan
            time.sleep(rng.uniform(0.0, 2.0))  # its first scan, or a later one, or the wait between them
            daemon.send(signal.SIGKILL)
            daemon.proc.wait(timeout=10)
        finally:
            daemon.kill()
        assert "Traceback" not in daemon.log(), daemon.log()
    scan = run_cli(config, "scan")
    assert scan.returncode == 0 and "Traceback" not in scan.stderr, scan.stderr
    got = _outcome(tmp_path / "killed", config)
    assert len(got[0]) == len(set(got[0])) and len(got[1]) == len(set(got[1])), f"a duplicate draft: {got[:2]}"
    assert got == expected
