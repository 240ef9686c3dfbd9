"""End-to-end scenarios every mail backend must pass: the engine, a real mailbox, a real SQLite state.

Time is simulated with the engine's `now`; the mailbox, the backend and the database are all real.
"""

from __future__ import annotations

import email
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.config import Config, parse_config
from agent.engine import Engine
from agent.mail.base import MailBackend, MarkTarget
from agent.models import KEY_HEADER, DraftStatus, FolderRole, StepKind
from agent.store import Store
from tests import mailgen
from tests.contract.harness import MailboxHarness
from tests.tomlgen import dumps

NY = ZoneInfo("America/New_York")
INVITE_ID = "CAL-invite-0220@google.com"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


class World:
    """A harness, a config pointing at it, a state file, and scans at chosen moments."""

    def __init__(self, harness: MailboxHarness, tmp_path: Path, *, mark_threads: bool = False) -> None:
        self.harness = harness
        tables: dict[str, dict[str, Any]] = {
            "identity": {"name": "Alex Candidate", "email": mailgen.USER[1]},
            "policy": {"timezone": "America/New_York", "holidays": "US"},
            "state": {"path": str(tmp_path / "state.db")},
            "drafting": {"mark_threads": mark_threads},
        }
        for name, table in harness.config_tables().items():
            tables[name] = {**tables.get(name, {}), **table}
        tables["mailbox"] = {**tables.get("mailbox", {}), "lookback_days": 400}
        path = tmp_path / "config.toml"
        path.write_text(dumps(tables))
        path.chmod(0o600)
        self.config: Config = parse_config(path.read_text(), source=path)
        self.store = Store.open(self.config.state.path)

    def scan(self, when: str, backend: MailBackend | None = None) -> None:
        with backend or self.harness.backend() as live:
            Engine(self.config, live, self.store).scan(at(when))

    def drafts(self) -> list[email.message.Message]:
        return [email.message_from_bytes(raw) for raw in self.harness.draft_messages()]

    def draft_keys(self) -> list[str]:
        return sorted(str(d[KEY_HEADER]).strip() for d in self.drafts())

    def recorded(self) -> dict[str, DraftStatus]:
        return {d.key: d.status for d in self.store.drafts()}


@pytest.fixture
def world(harness: MailboxHarness, tmp_path: Path) -> World:
    return World(harness, tmp_path)


def deliver_interview(world: World) -> None:
    world.harness.deliver(
        FolderRole.INBOX,
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:04"), start=at("2026-03-02T10:00"), end=at("2026-03-02T11:00"), message_id=INVITE_ID
        ),
    )


def test_one_thank_you_per_interviewer_and_never_twice(world: World) -> None:
    deliver_interview(world)
    world.scan("2026-03-02T10:30")
    assert world.drafts() == []
    world.scan("2026-03-02T11:05")
    drafts = world.drafts()
    assert sorted(str(d["To"]) for d in drafts) == [
        "Dana Wu <dana.wu@acmerobotics.com>",
        "Marcus Lee <marcus.lee@acmerobotics.com>",
    ]
    assert all(str(d[KEY_HEADER]).split("/")[1] == "thank_you" for d in drafts)
    assert all("Dear " in d.get_payload() if isinstance(d.get_payload(), str) else True for d in drafts)
    world.scan("2026-03-02T11:20")
    world.scan("2026-03-02T12:00")
    assert len(world.drafts()) == 2


def test_sent_draft_is_recognised_and_deleted_draft_is_not_recreated(world: World) -> None:
    deliver_interview(world)
    world.scan("2026-03-02T11:05")
    keys = world.draft_keys()
    marcus = next(k for k in keys if "marcus" in k)
    dana = next(k for k in keys if "dana" in k)
    world.harness.send_draft(marcus, "sent-thanks-marcus@mail.gmail.com", at("2026-03-02T12:00"))
    world.harness.delete_draft(dana)
    world.scan("2026-03-02T12:30")
    assert world.recorded() == {marcus: DraftStatus.SENT, dana: DraftStatus.DISCARDED}
    world.scan("2026-03-02T13:00")
    assert world.draft_keys() == []


def deliver_named_date(world: World) -> None:
    """The recruiter's answer after the interview, naming the day of the decision."""
    world.harness.deliver(
        FolderRole.INBOX,
        mailgen.reply(
            sent=at("2026-03-04T11:02"),
            message_id="priya-0304@acmerobotics.com",
            in_reply_to=INVITE_ID,
            body="Hi Alex,\n\nThanks again for your time on Monday. The team will make a decision by "
            "Friday, March 13 and I'll get back to you then.\n\nBest,\nPriya",
        ),
    )


def test_follow_up_after_a_named_date_replies_in_the_conversation(world: World) -> None:
    deliver_interview(world)
    deliver_named_date(world)
    world.scan("2026-03-05T12:00")  # 72 h after the interview: too late for thank-you notes
    assert world.drafts() == []
    world.scan("2026-03-13T17:00")
    assert world.drafts() == []
    world.scan("2026-03-16T08:00")
    drafts = world.drafts()
    assert len(drafts) == 1
    follow = drafts[0]
    assert str(follow[KEY_HEADER]).split("/")[1] == StepKind.FOLLOW_UP_AFTER_DATE.value
    assert str(follow["To"]) == "Priya Shah <priya.shah@acmerobotics.com>"
    assert str(follow["In-Reply-To"]).strip() == "<priya-0304@acmerobotics.com>"
    assert str(follow["Subject"]).startswith("Re: ")
    assert "March 13" in follow.get_payload(decode=True).decode()


def test_an_automatic_reply_does_not_stop_the_chase(world: World) -> None:
    deliver_interview(world)
    world.harness.deliver(
        FolderRole.INBOX,
        mailgen.out_of_office(
            sent=at("2026-03-03T07:15"),
            message_id="ooo-dana@acmerobotics.com",
            sender=("Dana Wu", "dana.wu@acmerobotics.com"),
        ),
    )
    world.scan("2026-03-09T08:00")
    assert [str(d[KEY_HEADER]).split("/")[1] for d in world.drafts()] == ["follow_up"]


def test_a_human_reply_stops_the_chase(world: World) -> None:
    deliver_interview(world)
    world.harness.deliver(
        FolderRole.INBOX,
        mailgen.reply(
            sent=at("2026-03-04T09:12"),
            message_id="marcus-0304@acmerobotics.com",
            in_reply_to=None,
            sender=("Marcus Lee", "marcus.lee@acmerobotics.com"),
            subject="Great meeting you",
            body="Thanks Alex, it was good to meet you. The team is reviewing and we'll be in touch.\n",
        ),
    )
    world.scan("2026-03-09T08:00")
    world.scan("2026-03-20T08:00")
    assert world.drafts() == []


def test_no_duplicate_after_a_crash_between_creating_and_recording(world: World) -> None:
    deliver_interview(world)

    class CrashAfterCreate(Exception):
        pass

    live = world.harness.backend()
    original = live.create_draft

    def create_then_crash(draft, thread_id=None):  # type: ignore[no-untyped-def]
        original(draft, thread_id)
        raise CrashAfterCreate

    live.create_draft = create_then_crash  # type: ignore[method-assign]
    with pytest.raises(CrashAfterCreate):
        world.scan("2026-03-02T11:05", backend=live)
    assert len(world.drafts()) == 1
    assert world.recorded() == {}
    world.scan("2026-03-02T11:10")
    world.scan("2026-03-02T11:15")
    keys = world.draft_keys()
    assert len(keys) == 2 and len(set(keys)) == 2
    assert set(world.recorded()) == set(keys)


# ---------------------------------------------------------------------------------------- [drafting] mark_threads

PRIYA_REPLY = "priya-0304@acmerobotics.com"


def _marks_shown(harness: MailboxHarness) -> bool:
    with harness.backend() as backend:
        return backend.marks_threads


def _follow_up_waits(world: World) -> str:
    """An interview, a date the employer named, and the follow-up after it drafted: returns the draft's key."""
    deliver_interview(world)
    deliver_named_date(world)
    world.scan("2026-03-05T12:00")
    assert world.harness.marked() == set()  # nothing waits yet
    world.scan("2026-03-16T08:00")
    keys = world.draft_keys()
    assert len(keys) == 1 and "/follow_up_after_date/" in keys[0]
    return keys[0]


def test_a_waiting_follow_up_marks_its_conversation_until_it_is_sent(harness: MailboxHarness, tmp_path: Path) -> None:
    world = World(harness, tmp_path, mark_threads=True)
    expected = {PRIYA_REPLY} if _marks_shown(harness) else set()
    key = _follow_up_waits(world)
    assert harness.marked() == expected
    world.scan("2026-03-16T09:00")  # nothing changed: the mark stays, once
    assert harness.marked() == expected
    assert len(world.store.marks(harness.name)) == len(expected)
    harness.send_draft(key, "sent-follow-up@mail.gmail.com", at("2026-03-16T10:00"))
    world.scan("2026-03-16T12:00")
    assert world.recorded()[key] is DraftStatus.SENT
    assert harness.marked() == set()
    assert world.store.marks(harness.name) == []


def test_the_mark_comes_off_when_the_employer_answers_or_the_draft_is_deleted(
    harness: MailboxHarness, tmp_path: Path
) -> None:
    world = World(harness, tmp_path, mark_threads=True)
    expected = {PRIYA_REPLY} if _marks_shown(harness) else set()
    key = _follow_up_waits(world)
    assert harness.marked() == expected
    harness.deliver(
        FolderRole.INBOX,
        mailgen.reply(
            sent=at("2026-03-16T09:30"),
            message_id="priya-0316@acmerobotics.com",
            in_reply_to=PRIYA_REPLY,
            body="Hi Alex,\n\nSorry for the delay, we are still deciding. More soon.\n\nPriya",
        ),
    )
    world.scan("2026-03-16T10:00")
    assert harness.marked() == set()
    assert world.draft_keys() == [key]  # the stale draft is the user's to delete; the agent never does
    harness.delete_draft(key)
    world.scan("2026-03-16T11:00")
    assert harness.marked() == set() and world.store.marks(harness.name) == []


def test_a_deleted_draft_takes_its_mark_along(harness: MailboxHarness, tmp_path: Path) -> None:
    world = World(harness, tmp_path, mark_threads=True)
    key = _follow_up_waits(world)
    harness.delete_draft(key)
    world.scan("2026-03-16T12:00")
    assert world.recorded()[key] is DraftStatus.DISCARDED
    assert harness.marked() == set()


def test_no_marks_unless_the_user_asked_for_them(world: World) -> None:
    _follow_up_waits(world)
    assert world.harness.marked() == set()
    assert world.store.marks(world.harness.name) == []


def test_mark_and_unmark_are_idempotent_and_touch_nothing_else(harness: MailboxHarness) -> None:
    harness.deliver(
        FolderRole.INBOX,
        mailgen.reply(sent=at("2026-03-04T11:02"), message_id=PRIYA_REPLY, in_reply_to=None, body="Hello\n"),
    )
    harness.star(PRIYA_REPLY)
    with harness.backend() as backend:
        listed = [i for b in backend.list_new(FolderRole.INBOX, None, at("2026-01-01T00:00")) for i in b.items]
        assert len(listed) == 1
        target = MarkTarget(FolderRole.INBOX, listed[0].ref, PRIYA_REPLY, listed[0].thread_id)
        backend.unmark_thread(target, "Follow-up")  # never marked: no error
        backend.mark_thread(target, "Follow-up")
        backend.mark_thread(target, "Follow-up")
        assert harness.marked() == ({PRIYA_REPLY} if backend.marks_threads else set())
        assert harness.is_starred(PRIYA_REPLY)
        backend.unmark_thread(target, "Follow-up")
        backend.unmark_thread(target, "Follow-up")
        assert harness.marked() == set()
        assert harness.is_starred(PRIYA_REPLY)
