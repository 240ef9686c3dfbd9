"""agent.triage.settle: which received notifications are decided from their headers, body unread."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from agent.detect import DetectContext
from agent.models import Address, FolderRole, Kind, Message
from agent.triage import RULE, settle

CTX = DetectContext(frozenset({"alex@example.com"}), ZoneInfo("Europe/Berlin"))


def head(
    sender: str, subject: str, *, reply_to: str = "", content_type: str = "text/plain", list_id: str = ""
) -> Message:
    listed = (("list-id", list_id),) if list_id else ()
    return Message(
        message_id="n1@test",
        folder=FolderRole.INBOX,
        date=datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
        sender=Address("", sender),
        to=(Address("Alex", "alex@example.com"),),
        reply_to=(Address("", reply_to),) if reply_to else (),
        subject=subject,
        headers=(("content-type", content_type), *listed),
    )


@pytest.mark.parametrize(
    ("sender", "subject"),
    [
        ("no.reply.alerts@chase.com", "Your statement is ready"),
        ("notifications@github.com", "Re: [alex/dotfiles] Fix zsh completion on macOS (#42)"),
        ("no-reply@accounts.google.com", "Security alert for alex@example.com"),
        ("do-not-reply@coned.com", "Your bill is available"),
        ("no-reply@accounts.google.com", "Security alert for ALEX@example.com"),  # the user's address holds no job word
    ],
)
def test_a_robots_notification_without_a_job_word_is_settled_from_its_headers(sender: str, subject: str) -> None:
    verdict = settle(head(sender, subject), FolderRole.INBOX, CTX)
    assert verdict is not None and verdict.kind is Kind.UNRELATED and verdict.rule == RULE


@pytest.mark.parametrize(
    ("message", "why"),
    [
        (head("no-reply@acme.com", "Update on your application"), "a job word"),
        (head("noreply@acme.com", "Ihre Bewerbung bei Acme"), "a job word in German"),
        (head("no-reply@acme.com", "Invitation: Technical Interview @ Mon 2 Mar"), "a calendar invitation"),
        (head("no-reply@greenhouse.io", "Acme"), "an applicant-tracking system"),
        (head("MAILER-DAEMON@mx.acme.com", "Mail for you"), "a bounce"),
        (head("no-reply@acme.com", "Hello", content_type="multipart/report; report-type=delivery-status"), "a report"),
        (head("no-reply@acme.com", "Hello", reply_to="jane.doe@acme.com"), "a person in Reply-To"),
        (head("jane.doe@acme.com", "Hello"), "a person"),
        (head("alex@example.com", "Hello"), "the user"),
        (head("no-reply@accounts.google.com", "Security alert for alex.candidate@example.org"), "not the user's"),
        (head("noreply@kanzlei-berg.de", "Eingangsbestätigung: Senior Java-Entwickler"), "a German receipt"),
        (head("noreply@groupe-x.fr", "Accusé de réception – Analyste UX"), "a French receipt"),
        (head("noreply@acme.es", "Desarrollador backend – Madrid"), "a job title"),
        (head("feedback@slack.com", "New messages in #hiring-buddies", list_id="<n.slack.com>"), "listed, a job word"),
        (head("jobs@lever.co", "Acme", list_id="<acme.lever.co>"), "listed, an applicant-tracking system"),
        (head("jane@lists.example", "Hi", list_id="<l.example>", reply_to="jane.doe@acme.com"), "listed, a person"),
        (head("robot@calendar.example", "Hi", list_id="<l>", content_type="text/calendar"), "listed, a calendar"),
    ],
)
def test_everything_that_may_matter_still_has_its_body_read(message: Message, why: str) -> None:
    assert settle(message, FolderRole.INBOX, CTX) is None, why


def test_sent_mail_is_never_settled_from_headers() -> None:
    assert settle(head("no-reply@chase.com", "Your statement"), FolderRole.SENT, CTX) is None


@pytest.mark.parametrize(
    ("sender", "subject"),
    [
        ("shipment-tracking@amazon.com", "Your package has shipped (order 36)"),
        ("jane.doe@gmail.com", "Re: [hiking-club] Sunday's route"),  # a person's post, as the list's copy
    ],
)
def test_a_mailing_lists_copy_without_a_job_word_is_settled_as_bulk(sender: str, subject: str) -> None:
    verdict = settle(head(sender, subject, list_id="<club.lists.example>"), FolderRole.INBOX, CTX)
    assert verdict is not None and verdict.kind is Kind.BULK and verdict.rule == RULE


def test_an_address_that_may_be_a_persons_is_never_settled_without_list_headers() -> None:
    assert settle(head("shipment-tracking@amazon.com", "Your package has shipped"), FolderRole.INBOX, CTX) is None
