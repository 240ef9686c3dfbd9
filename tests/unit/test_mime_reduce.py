"""agent/mail/mime_reduce.py: large Maildir messages are read without their attachments, and still parse to the
same text and calendars."""

from __future__ import annotations

import io
import mailbox
import tracemalloc
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from agent.config import MaildirConfig
from agent.mail.maildir import MaildirBackend
from agent.mail.mime_reduce import reduce_message
from agent.models import FolderRole
from agent.parsing import parse_message

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x@y\r\nDTSTART:20260302T150000Z\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)
# A multipart message's own headers, and a calendar part's body, written with bare newlines.
MULTIPART_HEAD = b"From: a@b.c\nTo: x@y.z\nSubject: s\nDate: Mon, 2 Mar 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
ICS_BODY = b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u1\nDTSTART:20260302T150000Z\nEND:VEVENT\nEND:VCALENDAR\n"


def big_invitation(attachment_mb: int) -> bytes:
    message = EmailMessage()
    message["From"] = "Priya Shah <priya@acme.com>"
    message["To"] = "alex@example.com"
    message["Subject"] = "Interview confirmation"
    message["Date"] = "Fri, 20 Feb 2026 10:00:00 -0500"
    message["Message-ID"] = "<big@acme.com>"
    message.set_content("Hi Alex,\n\nYour interview is confirmed. The job description is attached.\n")
    message.add_alternative("<p>Hi Alex, your interview is <b>confirmed</b>.</p>", subtype="html")
    message.add_attachment(ICS.encode(), maintype="text", subtype="calendar", filename="invite.ics")
    message.add_attachment(
        b"%PDF" + b"\x00\x01" * (attachment_mb * 512 * 1024), maintype="application", subtype="pdf", filename="job.pdf"
    )
    return message.as_bytes()


def test_reduced_message_keeps_text_and_calendar_but_not_the_attachment() -> None:
    raw = big_invitation(20)
    reduced = reduce_message(io.BytesIO(raw))
    assert len(raw) > 20_000_000 and len(reduced) < 10_000
    full, small = parse_message(raw, FolderRole.INBOX), parse_message(reduced, FolderRole.INBOX)
    assert small.text == full.text and "confirmed" in small.text
    assert small.calendars == full.calendars and "UID:x@y" in small.calendars[0]
    assert (small.subject, small.message_id, small.sender) == (full.subject, full.message_id, full.sender)


def test_a_single_part_message_and_nested_multiparts_survive() -> None:
    plain = b"From: a@b.c\r\nSubject: hi\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nhello there\r\n"
    assert reduce_message(io.BytesIO(plain)) == plain
    attachment = b"From: a@b.c\r\nSubject: pdf\r\nContent-Type: application/pdf\r\n\r\n" + b"x" * 1000 + b"\r\n"
    assert b"xxxx" not in reduce_message(io.BytesIO(attachment))


def test_the_maildir_backend_streams_large_files(tmp_path: Path) -> None:
    for name in ("INBOX", "Sent", "Drafts"):
        mailbox.Maildir(str(tmp_path / name), create=True)
    key = mailbox.Maildir(str(tmp_path / "INBOX")).add(big_invitation(30))
    backend = MaildirBackend(MaildirConfig(path=tmp_path))
    list(backend.list_new(FolderRole.INBOX, None, datetime(2020, 1, 1, tzinfo=UTC)))
    tracemalloc.start()
    try:
        data = backend.fetch(FolderRole.INBOX, key)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(data) < 10_000
    assert "UID:x@y" in parse_message(data, FolderRole.INBOX).calendars[0]
    assert peak < 5_000_000  # a 30 MB attachment is never held in memory
    fresh = MaildirBackend(MaildirConfig(path=tmp_path))  # no listing first: found by its key
    assert "confirmed" in parse_message(fresh.fetch(FolderRole.INBOX, key), FolderRole.INBOX).text


def parsed_before_and_after_reduce(raw: bytes) -> tuple[object, object]:
    """(text, calendars) the parser reads from the message whole, and from it reduced."""
    full = parse_message(raw, FolderRole.INBOX)
    small = parse_message(reduce_message(io.BytesIO(raw)), FolderRole.INBOX)
    return (full.text, full.calendars), (small.text, small.calendars)


@pytest.mark.parametrize(
    "part_headers",
    [
        b"Content-Type: application/x-ics\n",
        b'Content-Type: application/force-download; name="invite.ics"\n',
        b'Content-Type: application/octet-stream; name="invite.vcs"\n',
        b'Content-Type: application/octet-stream\nContent-Disposition: attachment; filename="Invite.ICS"\n',
    ],
)
def test_mime_reduce_keeps_every_calendar_the_parser_reads(part_headers: bytes) -> None:
    raw = (
        MULTIPART_HEAD + b'Content-Type: multipart/mixed; boundary="BB"\n\n--BB\nContent-Type: text/plain\n\nhello\n'
        b"--BB\n" + part_headers + b"\n" + ICS_BODY + b"--BB--\n"
    )
    full, small = parsed_before_and_after_reduce(raw)
    assert full == small and len(full[1]) == 1  # type: ignore[index]


def test_mime_reduce_a_part_without_a_blank_line_after_its_headers_does_not_swallow_the_next_part() -> None:
    raw = (
        MULTIPART_HEAD + b'Content-Type: multipart/mixed; boundary="BB"\n\n'
        b"--BB\nContent-Type: image/png\n--BB\nContent-Type: text/plain\n\nyour interview is confirmed\n--BB--\n"
    )
    full, small = parsed_before_and_after_reduce(raw)
    assert full == small and "confirmed" in full[0]  # type: ignore[index,operator]


def test_mime_reduce_body_right_after_headers_is_a_body() -> None:
    raw = (
        MULTIPART_HEAD + b'Content-Type: multipart/mixed; boundary="BB"\n\n'
        b"--BB\nContent-Type: application/pdf\n"
        + b"JVBERi0xLjQKJ\n" * 50
        + b"--BB\nContent-Type: text/plain\n\nhi\n--BB--\n"
    )
    reduced = reduce_message(io.BytesIO(raw))
    assert b"JVBERi0xLjQKJ" not in reduced
    full, small = parsed_before_and_after_reduce(raw)
    assert full == small
