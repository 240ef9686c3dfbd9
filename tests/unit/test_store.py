"""agent/store.py, the SQLite state on real files: migrations, transactions, the process lock, drafts and
interviews."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.errors import StateError, StateLockedError
from agent.models import Address, DraftRecord, DraftStatus, Interview, StepKind
from agent.store import MIGRATIONS, StateLock, Store

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_a_new_database_is_migrated_to_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sub" / "state.db")
    assert store.schema_version == len(MIGRATIONS)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = Store.open(tmp_path / "sub" / "state.db")
    assert again.schema_version == len(MIGRATIONS)


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StateError, match="newer"):
        Store.open(path)


def test_a_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateError):
        Store.open(path)


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "state.db")
    with pytest.raises(RuntimeError), store.transaction():
        store.create_application("Acme", "Engineer", NOW)
        raise RuntimeError("crash in the middle of a batch")
    assert store.applications() == []


def test_the_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with StateLock(path), pytest.raises(StateLockedError, match="another followup-agent"):
        StateLock(path).acquire()
    with StateLock(path):
        pass


def test_drafts_advance_but_never_go_back(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "state.db")
    app = store.create_application("Acme", "Engineer", NOW)
    record = DraftRecord(
        "1/follow_up/1/x/1", StepKind.FOLLOW_UP, Address("P", "p@acme.com"), NOW, DraftStatus.OPEN, "k1"
    )
    store.record_draft(app, record, backend="maildir", conversation=["a@b"], thread_id=None)
    store.record_draft(app, record, backend="maildir", conversation=["a@b"], thread_id=None)
    assert len(store.drafts()) == 1
    store.mark_draft_discarded(record.key)
    assert store.drafts()[0].status is DraftStatus.DISCARDED
    store.mark_draft_sent(record.key, NOW + timedelta(hours=1), "sent@x")
    assert store.drafts()[0].status is DraftStatus.SENT
    store.mark_draft_discarded(record.key)
    assert store.drafts()[0].status is DraftStatus.SENT


def test_a_rescheduled_interview_replaces_the_earlier_time(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "state.db")
    app = store.create_application("Acme", "Engineer", NOW)
    first = Interview(0, NOW, NOW + timedelta(hours=1), (Address("M", "m@acme.com"),), uid="uid-1", message_id="m1")
    moved = Interview(0, NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1), (), uid="uid-1", message_id="m2")
    store.add_interview(app, first, sequence=0)
    store.add_interview(app, moved, sequence=1)
    stale = Interview(0, NOW + timedelta(days=5), NOW + timedelta(days=5, hours=1), (), uid="uid-1", message_id="m0")
    store.add_interview(app, stale, sequence=0)
    [only] = store.interviews(app)
    assert only.start == NOW + timedelta(days=1)
    assert only.interviewers == (Address("M", "m@acme.com"),)
    assert store.cancel_interview(app, uid="uid-1", after=NOW)
    assert store.interviews(app)[0].cancelled


def test_an_older_database_is_migrated_without_losing_facts(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("INSERT INTO applications (company, role, created) VALUES ('Acme', 'Engineer', '2026-03-01')")
        db.execute(
            "INSERT INTO messages (message_id, folder, app_id, at, kind, rule, reason, sender, recipients, subject,"
            " human, conversation, recorded) VALUES ('m1@acme.com', 'inbox', 1, '2026-03-02T10:00:00+00:00',"
            " 'reply', 'reply', 'r', '[[\"P\", \"p@acme.com\"]]', '[]', 'Re: x', 1, '[]', '2026-03-02')"
        )
        db.execute("PRAGMA user_version = 1")
    store = Store.open(path)
    assert store.schema_version == len(MIGRATIONS) > 1
    [event] = store.events(1)
    assert event.message_id == "m1@acme.com" and event.sender == Address("P", "p@acme.com")
    assert event.reply_address is None


def test_the_same_slot_from_two_messages_is_one_interview(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "state.db")
    app = store.create_application("Acme", "Engineer", NOW)
    from zoneinfo import ZoneInfo

    ny = NOW.astimezone(ZoneInfo("America/New_York"))
    text_only = Interview(0, ny, ny + timedelta(hours=1), (), ("Marcus Lee",), message_id="ats")
    invite = Interview(
        0, NOW, NOW + timedelta(minutes=45), (Address("Marcus Lee", "m@acme.com"),), uid="u", message_id="cal"
    )
    store.add_interview(app, text_only)
    store.add_interview(app, invite)
    [only] = store.interviews(app)
    assert only.interviewers == (Address("Marcus Lee", "m@acme.com"),)
    assert only.interviewer_names == ()
    assert only.end == NOW + timedelta(minutes=45)
    later = Interview(0, NOW + timedelta(days=2), NOW + timedelta(days=2, hours=1), (), message_id="r2")
    store.add_interview(app, later)
    assert len(store.interviews(app)) == 2


def test_a_cancellation_in_a_rounds_own_thread_cancels_that_round(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "state.db")
    app = store.create_application("Acme", "Engineer", NOW)
    first = Interview(0, NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1), (), message_id="round1@acme")
    second = Interview(0, NOW + timedelta(days=5), NOW + timedelta(days=5, hours=1), (), message_id="round2@acme")
    store.add_interview(app, first)
    store.add_interview(app, second)
    assert store.cancel_interview(app, uid=None, after=NOW, conversation=("round2@acme",))
    assert [i.cancelled for i in store.interviews(app)] == [False, True]
    assert store.cancel_interview(app, uid=None, after=NOW)  # no thread known: the next one
    assert [i.cancelled for i in store.interviews(app)] == [True, True]


def test_a_calendar_cancel_sent_after_the_interview_took_place_does_not_erase_it(tmp_path: Path) -> None:
    # Recruiters clean up their calendars: deleting a past event mails a METHOD:CANCEL with the same UID. The
    # interview happened all the same; its thank-you notes and follow-ups must not vanish.
    store = Store.open(tmp_path / "state.db")
    start = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    with store.transaction():
        app = store.create_application("Acme", "Engineer", start)
        store.add_interview(
            app, Interview(0, start, start + timedelta(hours=1), (), uid="u1@google.com", message_id="i@x")
        )
        cancelled = store.cancel_interview(app, uid="u1@google.com", after=datetime(2026, 3, 3, 9, tzinfo=UTC))
    assert not cancelled
    assert [i.cancelled for i in store.interviews(app)] == [False]
    with store.transaction():  # a cancel before the interview still cancels it
        assert store.cancel_interview(app, uid="u1@google.com", after=datetime(2026, 3, 1, 9, tzinfo=UTC))
    assert [i.cancelled for i in store.interviews(app)] == [True]
