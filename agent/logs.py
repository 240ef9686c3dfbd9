"""Logging to stderr, one line per event, readable in a terminal and in journald.

Under systemd (JOURNAL_STREAM is set) each line starts with a syslog priority such as `<4>`, which journald
turns into the entry's level; elsewhere lines carry the level name. No colour, ever. Message bodies and secrets
are never passed to the logger in the first place; this module only formats.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback

_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}


class _JournalFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        priority = _PRIORITY.get(record.levelno, 6)
        text = super().format(record)
        return "\n".join(f"<{priority}>{line}" for line in text.splitlines())


def setup_logging(verbosity: int = 0) -> None:
    """verbosity: -1 quiet (warnings and errors), 0 normal (info), 1 and more debug."""
    level = logging.WARNING if verbosity < 0 else logging.DEBUG if verbosity > 0 else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    if os.environ.get("JOURNAL_STREAM"):
        handler.setFormatter(_JournalFormatter("%(name)s: %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Client libraries log request URLs and sometimes headers at DEBUG; keep them out even with -v.
    for noisy in ("googleapiclient", "google_auth_oauthlib", "urllib3", "imapclient", "apscheduler.scheduler"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def describe_failure(exc: BaseException) -> str:
    """An unexpected exception for the log: its type and where it was raised, never its message.

    The message of an exception raised while reading mail often quotes the mail itself (`int('...')`,
    `date.fromisoformat('...')`, a KeyError on a word), and message bodies never reach the log.
    """
    where = "".join(traceback.format_tb(exc.__traceback__)).rstrip()
    return f"{type(exc).__name__} (its text is not logged: it may quote the message)" + (f"\n{where}" if where else "")
