"""Findings of the second review that need the engine on a real Maildir and state."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import mailgen
from tests.integration.test_engine_scenarios import World, at, deliver_second_job, invite


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_a_further_round_of_the_second_job_joins_it_instead_of_starting_a_third(world: World) -> None:
    invite(world)  # Senior Backend Engineer, organised by Priya Shah
    deliver_second_job(world)
    assert len(world.store.applications()) == 2
    # Round two of the first job, from people at Acme nobody has written from yet: joined by the domain, whose
    # newest application is the Data Scientist one.
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-03-03T09:00"),
            start=at("2026-03-10T10:00"),
            end=at("2026-03-10T11:00"),
            message_id="round-two@google.com",
            organizer=("Ivy Chen", "ivy.chen@acmerobotics.com"),
            interviewers=(("Omar Haddad", "omar.haddad@acmerobotics.com"),),
            role="Backend Engineer",
            uid="round-two-uid@google.com",
        )
    )
    world.scan("2026-03-03T10:00")
    apps = world.store.applications()
    assert sorted(a.role for a in apps) == ["Data Scientist", "Senior Backend Engineer"]
    backend_app = next(a for a in apps if "Backend" in a.role)
    assert len(world.store.interviews(backend_app.id)) == 2


def _globex_confirmation(sent: str, when: str, subject: str, mid: str, extra: str = "") -> bytes:
    return mailgen.reply(
        sent=at(sent),
        message_id=mid,
        in_reply_to=None,
        sender=("Tom Baker", "tom.baker@globex.com"),
        subject=subject,
        body=f"Hi Alex,\n\nYour interview for the Product Analyst position at Globex is confirmed.\n\n"
        f"Date: {when}\nInterviewer: Tom Baker <tom.baker@globex.com>\n\n{extra}Thanks,\nTom\n",
    )


def test_if_you_need_to_reschedule_boilerplate_does_not_cancel_the_earlier_round(world: World) -> None:
    world.deliver(
        _globex_confirmation(
            "2026-02-26T11:00", "Tuesday, March 3, 2026 at 2:00 PM EST", "Interview confirmation", "first@globex.com"
        )
    )
    world.scan("2026-02-27T09:00")
    # The second round is booked before the first has taken place; the note ends with the usual offer.
    world.deliver(
        _globex_confirmation(
            "2026-02-28T11:00",
            "Tuesday, March 10, 2026 at 10:00 AM EST",
            "Second interview confirmation",
            "second@globex.com",
            extra="If you need to reschedule, just reply to this email.\n\n",
        )
    )
    world.scan("2026-03-01T09:00")
    [app] = world.store.applications()
    live = [i.start for i in world.store.interviews(app.id) if not i.cancelled]
    assert live == [at("2026-03-03T14:00"), at("2026-03-10T10:00")]
