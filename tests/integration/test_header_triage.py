"""Notifications decided from their headers, on a real Maildir and state: a robot's mail is settled unread,
unless it belongs to a known application (issue 10)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agent.models import Kind
from tests import mailgen
from tests.integration.test_engine_scenarios import World, invite


def notification(sender: str, subject: str, body: str, message_id: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: {mailgen.USER[1]}\r\nSubject: {subject}\r\nDate: Tue, 24 Feb 2026 09:00:00 -0500\r\n"
        f'Message-ID: <{message_id}>\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\n{body}\r\n'
    ).encode()


REJECTION = (
    "Dear Alex,\n\nThank you for interviewing with us. After careful consideration we have decided to move forward "
    "with other candidates.\n\nAcme Robotics"
)


def listed(sender: str, subject: str, body: str, message_id: str) -> bytes:
    """A mailing list's copy: the same message with List-Id and List-Unsubscribe."""
    lists = b"List-Id: <team.lists.example>\r\nList-Unsubscribe: <https://lists.example/u>\r\n"
    return notification(sender, subject, body, message_id).replace(b"Content-Type:", lists + b"Content-Type:", 1)


@pytest.mark.parametrize(
    ("make", "noise", "subject", "settled_as", "employer"),
    [
        # A robot's notification; the employer's robot, no job word in the subject, is read: its domain is known.
        (notification, "Chase <no.reply.alerts@chase.com>", "Your statement is ready", Kind.UNRELATED,
         "Acme Robotics <no-reply@acmerobotics.com>"),
        # A list's copy; the same kind of list mail from the application's domain may belong to it: it is read.
        (listed, "Amazon.com <shipment-tracking@amazon.com>", "Your package has shipped (order 36)", Kind.BULK,
         "Acme Robotics <team@acmerobotics.com>"),
    ],
)  # fmt: skip
def test_noise_is_settled_unread_and_what_may_belong_to_a_known_application_is_read(
    tmp_path: Path, make: Callable[[str, str, str, str], bytes], noise: str, subject: str, settled_as: Kind,
    employer: str,
) -> None:  # fmt: skip
    world = World(tmp_path)
    invite(world)  # Acme's interview: an application with the domain acmerobotics.com
    world.deliver(make(noise, subject, f"{subject}. Sign in to see it.", "noise@example.com"))
    world.deliver(make(employer, "Acme Robotics", REJECTION, "robot-no@acmerobotics.com"))
    world.scan("2026-03-04T09:00")

    found = {event.message_id: (event, app_id) for event, app_id, _reason in world.store.find_messages()}
    settled, app = found["noise@example.com"]
    assert settled.kind is settled_as and settled.rule == "header_triage" and app is None
    decision, app = found["robot-no@acmerobotics.com"]
    assert decision.kind is Kind.REJECTION and app is not None
