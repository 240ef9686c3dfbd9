"""Hostile messages built on the realistic ones of tests/mailgen.py: the same invitation with one thing made bad."""

from __future__ import annotations

import mailbox
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests import mailgen
from tests.tomlgen import dumps

NY = ZoneInfo("America/New_York")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def invite(message_id: str, **kwargs: object) -> bytes:
    """Acme's Monday 2 March 10:00-11:00 interview invitation, sent 20 February."""
    fields: dict[str, object] = {"sent": at("2026-02-20T10:04"), "start": at("2026-03-02T10:00")}
    fields.update(end=at("2026-03-02T11:00"), message_id=message_id)
    fields.update(kwargs)
    return mailgen.calendar_invite(**fields)  # type: ignore[arg-type]


def globex_invite(message_id: str = "globex-invite@globex.com") -> bytes:
    """A valid invitation from another company, to sit beside the hostile ones."""
    return invite(
        message_id,
        organizer=("Ann Bee", "ann.bee@globex.com"),
        interviewers=(("Cy Dee", "cy.dee@globex.com"),),
        company="Globex",
        role="Data Engineer",
        uid="globex-uid-1",
    )


def with_dtstart(raw: bytes, dtstart: str, *, keep_end: bool = True) -> bytes:
    """The invitation with its DTSTART line replaced (and its DTEND dropped unless `keep_end`)."""
    raw = re.sub(rb"DTSTART;TZID=[^:\r\n]+:\d{8}T\d{6}", b"DTSTART" + dtstart.encode(), raw)
    if not keep_end:
        raw = re.sub(rb"DTEND;[^\r\n]+\r\n", b"", raw)
    return raw


def maildir(root: Path) -> mailbox.Maildir:
    """A fresh Maildir tree (INBOX, Sent, Drafts) under `root`; returns the inbox."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("Sent", "Drafts"):
        mailbox.Maildir(str(root / name), create=True)
    return mailbox.Maildir(str(root / "INBOX"), create=True)


def maildir_config(path: Path, root: Path, state: Path, **tables: dict[str, object]) -> Path:
    """A private config file for the Maildir at `root` and the state file `state`, plus `tables`."""
    base: dict[str, dict[str, object]] = {
        "identity": {"name": "Alex Candidate", "email": mailgen.USER[1]},
        "mailbox": {"backend": "maildir", "lookback_days": 400},
        "maildir": {"path": str(root)},
        "policy": {"timezone": "America/New_York", "holidays": "US"},
        "state": {"path": str(state)},
    }
    for name, table in tables.items():
        base[name] = {**base.get(name, {}), **table}
    path.write_text(dumps(base))
    path.chmod(0o600)
    return path
