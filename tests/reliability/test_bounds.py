"""Issue 11's bounds on what one message may cost, on a real Maildir and a real state file.

An ICS in the year 9999 used to overflow a date sum and stop every later scan; one invitation with 10,000
attendees made 10,000 thank-you drafts; a message that failed once failed again at every scan.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from agent.detect import DetectContext
from agent.detect.calendar import parse_ics
from agent.engine import Engine
from agent.models import FolderRole, Message
from agent.parsing import parse_message
from tests.integration.test_engine_scenarios import World
from tests.reliability.hostile import at, globex_invite, invite, with_dtstart


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


@pytest.mark.parametrize("keep_end", [True, False])
def test_an_invitation_in_the_year_9999_is_ignored_with_one_warning(
    world: World, keep_end: bool, caplog: pytest.LogCaptureFixture
) -> None:
    world.deliver(with_dtstart(invite("far-future@acme.com"), ":99991231T230000Z", keep_end=keep_end))
    world.deliver(globex_invite())
    with caplog.at_level(logging.WARNING):
        world.scan("2026-02-21T09:00")
        world.scan("2026-03-02T11:05")
        world.scan("2026-03-03T09:00")
    assert [(k.split("/")[1], k.split("/")[-1]) for k in world.draft_keys()] == [("thank_you", "cy.dee@globex.com")]
    warnings = [r for r in caplog.records if "outside 1990..2100" in r.getMessage()]
    assert len(warnings) == 1 and "far-future@acme.com" in warnings[0].getMessage()


@pytest.mark.parametrize("year", ["1900", "2101", "9999"])
def test_dates_outside_the_sane_range_are_no_interview(year: str) -> None:
    raw = with_dtstart(invite("odd-year@acme.com"), f":{year}0302T150000Z")
    message = parse_message(raw, FolderRole.INBOX)
    ctx = DetectContext(user_addresses=frozenset({"alex.candidate@gmail.com"}), zone=at("2026-03-02T10:00").tzinfo)  # type: ignore[arg-type]
    from agent.bounds import bound_verdict
    from agent.detect import detect

    verdict, dropped = bound_verdict(detect(message, ctx))
    assert verdict.interview is None or 1990 <= verdict.interview.start.year <= 2100
    if year != "2101" and year != "1900":
        assert dropped


def test_a_message_dated_9999_is_skipped_once(world: World, caplog: pytest.LogCaptureFixture) -> None:
    raw = invite("dated-9999@acme.com").replace(b"Date: Fri, 20 Feb 2026", b"Date: Fri, 31 Dec 9999", 1)
    world.deliver(raw)
    with caplog.at_level(logging.WARNING):
        world.scan("2026-02-21T09:00")
        world.scan("2026-02-22T09:00")
    assert [r for r in world.store.skips()] == [(r[0], "dated-9999@acme.com", r[2]) for r in world.store.skips()]
    assert len(world.store.skips()) == 1
    assert len([r for r in caplog.records if "dated-9999@acme.com" in r.getMessage()]) == 1


def test_thousands_of_attendees_make_at_most_six_thank_yous_and_a_note(world: World) -> None:
    # As many as fit the 1 MB a calendar part may have (a larger one is no invitation at all).
    panel = tuple((f"P{i}", f"p{i}@acmerobotics.com") for i in range(6_000))
    world.deliver(invite("flood@acme.com", interviewers=panel))
    world.scan("2026-02-21T09:00")
    world.scan("2026-03-02T11:05")
    keys = world.draft_keys()
    assert len(keys) == 6 and all("/thank_you/" in k for k in keys)
    app = world.store.applications()[0]
    decision = Engine(world.config, world.harness.backend(), world.store).policy.decide(
        world.store.history(app.id), at("2026-03-02T11:10")
    )
    assert any("for the first 6 only (policy.thank_you.max_per_interview)" in n for n in decision.notes)


def test_the_attendees_read_are_capped() -> None:
    from agent.bounds import MAX_ATTENDEES

    panel = tuple((f"P {i}", f"p{i}@acmerobotics.com") for i in range(500))
    message = parse_message(invite("many@acme.com", interviewers=panel), FolderRole.INBOX)
    ctx = DetectContext(user_addresses=frozenset({"alex.candidate@gmail.com"}), zone=at("2026-03-02T10:00").tzinfo)  # type: ignore[arg-type]
    info = parse_ics(message.calendars[0], ctx)
    assert info is not None and len(info.interviewers) == MAX_ATTENDEES


def test_the_text_searched_is_capped() -> None:
    from agent.bounds import MAX_SEARCHED_CHARS
    from agent.detect import detect

    ctx = DetectContext(user_addresses=frozenset({"alex.candidate@gmail.com"}), zone=at("2026-03-02T10:00").tzinfo)  # type: ignore[arg-type]
    head = parse_message(invite("long@acme.com"), FolderRole.INBOX)
    # The cue lies beyond the cap: a message of junk cannot make detection read all of it.
    long = Message(**{**head.__dict__, "calendars": (), "text": "x " * MAX_SEARCHED_CHARS + " we regret to inform you"})
    short = Message(**{**head.__dict__, "calendars": (), "text": "we regret to inform you that we will not proceed"})
    assert detect(short, ctx).kind.value == "rejection"
    assert detect(long, ctx).kind.value != "rejection"


class _FailsOnce(Engine):
    """Fault injection: recording the message `poison@acme.com` raises, as a bug met by a stranger's mail would."""

    def _attach(self, app_id, message, verdict, event):  # type: ignore[no-untyped-def]
        if message.message_id == "poison@acme.com":
            raise OverflowError("date value out of range")
        return super()._attach(app_id, message, verdict, event)


def test_a_message_that_failed_is_skipped_and_not_retried_until_the_config_changes(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.deliver(invite("poison@acme.com"))
    world.deliver(globex_invite())
    with caplog.at_level(logging.WARNING), world.harness.backend() as backend:
        _FailsOnce(world.config, backend, world.store).scan(at("2026-02-21T09:00"))
        _FailsOnce(world.config, backend, world.store).scan(at("2026-03-02T11:05"))
    assert [r[1] for r in world.store.skips()] == ["poison@acme.com"]
    assert world.store.skips()[0][2] == "recording failed: OverflowError"
    assert len([r for r in caplog.records if "poison@acme.com" in r.getMessage() and "skipped" in r.getMessage()]) == 1
    assert not world.store.has_message("poison@acme.com")  # its half-written facts were undone
    assert any("cy.dee@globex.com" in k for k in world.draft_keys())  # the others went on
    # Another version or config: the message is read again (and, the bug fixed, recorded).
    world.store.db.execute("UPDATE skipped SET attempt = '0.0.9/old'")
    world.scan("2026-03-02T11:10")
    assert world.store.skips() == []
    assert world.store.has_message("poison@acme.com")


def test_an_interview_in_9999_recorded_by_an_older_version_no_longer_stops_the_scan(world: World) -> None:
    from datetime import UTC, datetime

    from agent.models import Address, Interview

    world.deliver(globex_invite())
    world.scan("2026-02-21T09:00")
    app = world.store.applications()[0]
    far = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    with world.store.transaction():
        world.store.add_interview(
            app.id,
            Interview(id=0, start=far, end=far, interviewers=(Address("Eve", "eve@globex.com"),), message_id="old@x"),
        )
    world.scan("2026-03-02T11:05")
    assert [k.split("/")[-1] for k in world.draft_keys()] == ["cy.dee@globex.com"]
