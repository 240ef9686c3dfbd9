"""Marks in the user's mail client on the conversations where a follow-up draft waits (`[drafting] mark_threads`).

Owns one reconciliation per scan: which conversations should carry the mark now (an open draft that answers an
employer's message, with no answer from a person at the employer since it was drafted), which carry it, and the
backend calls that close the gap. A change is recorded only after the backend made it; both calls are idempotent,
so a crash in between repeats a call and nothing else. A mailbox fault here never fails the scan (the drafts are
already written): it is logged, and the next scan tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from agent.errors import AuthError, FollowupError
from agent.mail.base import MailBackend, MarkTarget
from agent.models import DraftStatus, FolderRole
from agent.store import MarkRecord, Store

log = logging.getLogger(__name__)


@dataclass
class MarkChanges:
    marked: int = 0
    unmarked: int = 0
    errors: list[str] = field(default_factory=list)


def wanted_marks(store: Store, backend: str, label: str) -> dict[str, MarkRecord]:
    """The mark each waiting draft asks for, by draft key."""
    wanted: dict[str, MarkRecord] = {}
    for row in store.draft_rows(status=DraftStatus.OPEN):
        if row["backend"] != backend or not row["in_reply_to"]:
            continue  # a thank-you note starts a conversation of its own: there is no thread to mark
        location = store.message_location(backend, row["in_reply_to"])
        if location is None:
            continue
        created = datetime.fromisoformat(row["created"])
        if any(e.kind.from_employer and e.human and e.at > created for e in store.events(row["app_id"])):
            continue  # they answered: the draft is stale and the conversation no longer waits on the user
        folder, ref, thread_id = location
        wanted[row["key"]] = MarkRecord(
            row["key"], backend, folder, ref, row["in_reply_to"], row["thread_id"] or thread_id, label
        )
    return wanted


def _target(mark: MarkRecord) -> MarkTarget:
    return MarkTarget(FolderRole(mark.folder), mark.ref, mark.message_id, mark.thread_id)


def _place(mark: MarkRecord) -> tuple[str, str, str | None, str]:
    return (mark.folder, mark.ref, mark.thread_id, mark.label)


def _failed(changes: MarkChanges, what: str, exc: FollowupError) -> None:
    text = f"could not {what}: {exc.message}"
    if isinstance(exc, AuthError):
        text += " (labels need the gmail.modify scope: run `followup-agent auth` again)"
    log.warning("%s", text)
    changes.errors.append(text)


def sync_marks(store: Store, backend: MailBackend, label: str, now: datetime) -> MarkChanges:
    changes = MarkChanges()
    if not backend.marks_threads:
        return changes
    wanted = wanted_marks(store, backend.name, label)
    current = {m.draft_key: m for m in store.marks(backend.name)}
    still_wanted = {_place(m) for m in wanted.values()}
    for key, mark in current.items():
        if key in wanted and _place(wanted[key]) == _place(mark):
            continue
        # Two waiting drafts in one conversation share its mark: it stays until neither waits.
        if _place(mark) not in still_wanted:
            try:
                backend.unmark_thread(_target(mark), mark.label)
            except FollowupError as exc:
                _failed(changes, f"take the mark off the conversation of {mark.message_id}", exc)
                continue
            changes.unmarked += 1
            log.info("unmarked the conversation of %s: its draft no longer waits", mark.message_id)
        with store.transaction():
            store.forget_mark(key)
    for key, mark in wanted.items():
        if key in current and _place(current[key]) == _place(mark):
            continue
        try:
            backend.mark_thread(_target(mark), label)
        except FollowupError as exc:
            _failed(changes, f"mark the conversation of {mark.message_id}", exc)
            continue
        with store.transaction():
            store.record_mark(mark, now)
        changes.marked += 1
        log.info("marked the conversation of %s: a follow-up draft waits in it", mark.message_id)
    return changes
