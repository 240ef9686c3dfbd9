"""Reading the report's input from the state database, and writing the page where the user can open it.

The renderer (agent/report.py) is pure; this module is the one that touches the store and the file system.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

import platformdirs

from agent.config import APP_NAME
from agent.errors import FollowupError
from agent.policy import Policy
from agent.report import AppFacts, ReportInput, render_report
from agent.store import Store


def default_report_path(name: str = "report.html") -> Path:
    """The XDG data folder (~/.local/share/followup-agent): the report is the user's, not the daemon's state."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / name


def report_input(store: Store, policy: Policy, now: datetime) -> ReportInput:
    facts = []
    for application in store.applications():
        history = store.history(application.id)
        facts.append(AppFacts(history, policy.decide(history, now), store.message_reasons(application.id)))
    zone = policy.calendar.zone
    return ReportInput(tuple(facts), now, zone, str(zone))


def write_report(store: Store, policy: Policy, now: datetime, path: Path) -> Path:
    """Render and write the page atomically (a browser never sees half a file); return its absolute path."""
    html = render_report(report_input(store, policy, now))
    target = path.expanduser().absolute()
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        os.chmod(tmp, 0o600)  # it lists who you applied to: private, like the state itself
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise FollowupError(
            f"cannot write the report to {target}: {exc.strerror or exc}", hint="choose another place with --html PATH"
        ) from None
    return target
