"""Realistic test messages, built the way recruiters, applicant-tracking systems and calendars write them.

Shared by the contract suite and the integration tests: each function returns raw RFC 5322 bytes.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from zoneinfo import ZoneInfo

USER = ("Alex Candidate", "alex.candidate@gmail.com")


def _crlf(text: str) -> bytes:
    return text.lstrip("\n").replace("\r\n", "\n").replace("\n", "\r\n").encode()


def _ics_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def calendar_invite(
    *,
    sent: datetime,
    start: datetime,
    end: datetime,
    message_id: str,
    organizer: tuple[str, str] = ("Priya Shah", "priya.shah@acmerobotics.com"),
    interviewers: tuple[tuple[str, str], ...] = (
        ("Marcus Lee", "marcus.lee@acmerobotics.com"),
        ("Dana Wu", "dana.wu@acmerobotics.com"),
    ),
    company: str = "Acme Robotics",
    role: str = "Senior Backend Engineer",
    uid: str = "7kq2c9f0acme01@google.com",
    zone: str = "America/New_York",
) -> bytes:
    """A Google Calendar invitation sent by a recruiter: text part, text/calendar part, .ics attachment."""
    start, end = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    attendees = "\r\n".join(
        f'ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="{n}":mailto:{e}'
        for n, e in interviewers
    )
    names = " and ".join(n for n, _ in interviewers)
    ics = f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REQUEST
BEGIN:VEVENT
DTSTART;TZID={zone}:{_ics_stamp(start)}
DTEND;TZID={zone}:{_ics_stamp(end)}
DTSTAMP:20260220T150000Z
ORGANIZER;CN="{organizer[0]}":mailto:{organizer[1]}
UID:{uid}
{attendees}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN={USER[0]}:mailto:{USER[1]}
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:{company} - {role} - Technical Interview
LOCATION:https://meet.google.com/abc-defg-hij
END:VEVENT
END:VCALENDAR
"""
    return _crlf(f"""
From: {organizer[0]} <{organizer[1]}>
To: {USER[0]} <{USER[1]}>
Subject: Invitation: {company} - {role} - Technical Interview @ {start:%a %b %-d, %Y %-I%p} ({USER[1]})
Date: {format_datetime(sent)}
Message-ID: <{message_id}>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt_boundary_01"

--alt_boundary_01
Content-Type: text/plain; charset="UTF-8"

Hi Alex,

Thanks for making time to meet the team! Your technical interview for the
{role} role is confirmed. You'll be meeting with {names}.

{company} - {role} - Technical Interview
{start:%A %b %-d, %Y %-I:%M%p} ({zone})

Best,
{organizer[0]}
Technical Recruiter | {company}

--alt_boundary_01
Content-Type: text/calendar; charset="UTF-8"; method=REQUEST

{ics}
--alt_boundary_01--
""")


def reply(
    *,
    sent: datetime,
    message_id: str,
    in_reply_to: str | None,
    body: str,
    sender: tuple[str, str] = ("Priya Shah", "priya.shah@acmerobotics.com"),
    subject: str = "Re: Senior Backend Engineer interview",
    extra_headers: str = "",
) -> bytes:
    threading = f"In-Reply-To: <{in_reply_to}>\nReferences: <{in_reply_to}>\n" if in_reply_to else ""
    return _crlf(f"""
From: {sender[0]} <{sender[1]}>
To: {USER[0]} <{USER[1]}>
Subject: {subject}
Date: {format_datetime(sent)}
Message-ID: <{message_id}>
{threading}{extra_headers}Content-Type: text/plain; charset="UTF-8"

{body}
""")


def out_of_office(*, sent: datetime, message_id: str, sender: tuple[str, str]) -> bytes:
    return _crlf(f"""
From: {sender[0]} <{sender[1]}>
To: {USER[0]} <{USER[1]}>
Subject: Automatic reply: Thank you
Date: {format_datetime(sent)}
Message-ID: <{message_id}>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset="us-ascii"

I am out of the office until Monday with limited access to email.
""")
