"""Findings of the second review that need the engine on a real Maildir and state."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import mailgen
from tests.integration.test_engine_scenarios import World, at, invite


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_a_further_round_of_the_second_job_joins_it_instead_of_starting_a_third(world: World) -> None:
    invite(world)  # Senior Backend Engineer, organised by Priya Shah
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-25T09:00"),
            start=at("2026-03-04T14:00"),
            end=at("2026-03-04T15:00"),
            message_id="second-role@google.com",
            organizer=("Leo Grant", "leo.grant@acmerobotics.com"),
            interviewers=(("Nora Diaz", "nora.diaz@acmerobotics.com"),),
            role="Data Scientist",
            uid="second-role-uid@google.com",
        )
    )
    world.scan("2026-02-26T09:00")
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
