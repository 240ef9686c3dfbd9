"""Findings of the second review, each pinned by the test that failed before its fix."""

from __future__ import annotations

import io

import pytest

from agent.mail.mime_reduce import reduce_message
from agent.models import FolderRole
from agent.parsing import parse_message

_HEAD = b"From: a@b.c\nTo: x@y.z\nSubject: s\nDate: Mon, 2 Mar 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
_ICS = b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u1\nDTSTART:20260302T150000Z\nEND:VEVENT\nEND:VCALENDAR\n"


def _same_after_reduce(raw: bytes) -> tuple[object, object]:
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
        _HEAD + b'Content-Type: multipart/mixed; boundary="BB"\n\n--BB\nContent-Type: text/plain\n\nhello\n'
        b"--BB\n" + part_headers + b"\n" + _ICS + b"--BB--\n"
    )
    full, small = _same_after_reduce(raw)
    assert full == small and len(full[1]) == 1  # type: ignore[index]


def test_mime_reduce_a_part_without_a_blank_line_after_its_headers_does_not_swallow_the_next_part() -> None:
    raw = (
        _HEAD + b'Content-Type: multipart/mixed; boundary="BB"\n\n'
        b"--BB\nContent-Type: image/png\n--BB\nContent-Type: text/plain\n\nyour interview is confirmed\n--BB--\n"
    )
    full, small = _same_after_reduce(raw)
    assert full == small and "confirmed" in full[0]  # type: ignore[index,operator]


def test_mime_reduce_body_right_after_headers_is_a_body() -> None:
    raw = (
        _HEAD + b'Content-Type: multipart/mixed; boundary="BB"\n\n'
        b"--BB\nContent-Type: application/pdf\n"
        + b"JVBERi0xLjQKJ\n" * 50
        + b"--BB\nContent-Type: text/plain\n\nhi\n--BB--\n"
    )
    reduced = reduce_message(io.BytesIO(raw))
    assert b"JVBERi0xLjQKJ" not in reduced
    full, small = _same_after_reduce(raw)
    assert full == small


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Front-End Developer", "Frontend Developer"),
        ("Full Stack Engineer", "Fullstack Engineer"),
        ("DevOps Engineer", "Dev Ops Engineer"),
        ("Sr. Software Eng.", "Software Engineer"),
        ("Machine Learning Engineer", "ML Engineer"),
        ("Software Engineer, Back-end", "Backend Software Engineer"),
        ("Head of Engineering", "Engineering Lead"),
        ("Senior Software Engineer (Backend, Payments Platform)", "Backend Engineer"),
    ],
)
def test_same_role_a_title_spelled_or_narrowed_differently_is_the_same_job(first: str, second: str) -> None:
    from agent.engine import same_role

    assert same_role(first, second) and same_role(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Backend Engineer", "Frontend Engineer"),
        ("Data Scientist", "Data Engineer"),
        ("Product Manager", "Engineering Manager"),
    ],
)
def test_same_role_still_tells_different_jobs_apart(first: str, second: str) -> None:
    from agent.engine import same_role

    assert not same_role(first, second)


@pytest.mark.parametrize(
    "text",
    [
        "Hi Alex,\n\nYour interview is confirmed for Tuesday, March 10 at 10:00 AM ET (45 minutes).\n\n"
        "Best,\nPriya Shah\nTalent Partner, Acme\n9:00 - 17:00 ET, Mon-Fri\n+1 555 0100\n",
        "Your phone screen is confirmed for Tuesday, March 10 at 10:00 AM.\n\nBest,\nPriya\n--\nOffice hours:\n"
        "09:00-18:00 Monday to Friday\n",
        "Your interview is confirmed for Tuesday, March 10 at 9:00 AM.\nOur front desk is open\n- 9:00-17:30\n",
    ],
)
def test_schedule_end_ignores_office_hours_in_a_signature(text: str) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from agent.detect.context import DetectContext
    from agent.detect.interview_text import find_times, schedule_end

    ctx = DetectContext(user_addresses=frozenset({"me@example.com"}), zone=ZoneInfo("America/New_York"))
    [found] = find_times(text, datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("America/New_York")), ctx)
    assert schedule_end(text, found) is None
