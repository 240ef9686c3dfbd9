"""Notifications decided from their headers, on a real Maildir and state: a robot's mail is settled unread,
unless it belongs to a known application (issue 10)."""

from __future__ import annotations

from pathlib import Path

from agent.models import Kind
from tests import mailgen
from tests.integration.test_engine_scenarios import World, at


def notification(sender: str, subject: str, body: str, message_id: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: {mailgen.USER[1]}\r\nSubject: {subject}\r\nDate: Tue, 24 Feb 2026 09:00:00 -0500\r\n"
        f'Message-ID: <{message_id}>\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\n{body}\r\n'
    ).encode()


def test_a_bank_notification_is_settled_unread_and_an_employers_robot_is_read(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:04"), start=at("2026-03-02T10:00"), end=at("2026-03-02T11:00"),
            message_id="acme-invite@google.com",
        )
    )  # fmt: skip
    world.scan("2026-02-21T09:00")
    world.deliver(notification("Chase <no.reply.alerts@chase.com>", "Your statement is ready",
                               "Your statement is ready. Sign in to see it.", "stmt@chase.com"))  # fmt: skip
    # The employer's robot, no job word in the subject: its domain is the application's, so it is read.
    world.deliver(notification(
        "Acme Robotics <no-reply@acmerobotics.com>", "Acme Robotics",
        "Dear Alex,\n\nThank you for interviewing with us. After careful consideration we have decided to move "
        "forward with other candidates.\n\nAcme Robotics", "robot-no@acmerobotics.com",
    ))  # fmt: skip
    world.scan("2026-03-04T09:00")

    found = {event.message_id: (event, app_id, reason) for event, app_id, reason in world.store.find_messages()}
    statement, app, _ = found["stmt@chase.com"]
    assert statement.kind is Kind.UNRELATED and statement.rule == "header_triage" and app is None
    decision, app, _ = found["robot-no@acmerobotics.com"]
    assert decision.kind is Kind.REJECTION and app is not None
