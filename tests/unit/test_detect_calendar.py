"""Reading ICS invitations into InterviewInfo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.detect.calendar import parse_ics, read_calendar
from agent.detect.context import DetectContext
from agent.models import FolderRole
from agent.parsing import parse_message

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"
CTX = DetectContext(frozenset({"alex.rivera@gmail.com"}), ZoneInfo("America/New_York"))


def ics_of(name: str) -> str:
    return parse_message((FIXTURES / name).read_bytes(), FolderRole.INBOX).calendars[0]


def vevent(body: str, method: str = "REQUEST") -> str:
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:{method}\r\n"
        f"BEGIN:VEVENT\r\nUID:test-1@example.com\r\nDTSTAMP:20260301T000000Z\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_google_invite_with_tzid_attendees_and_resource() -> None:
    info = parse_ics(ics_of("google_calendar_invite.eml"), CTX)
    assert info is not None
    assert info.start == datetime(2026, 3, 11, 17, 0, tzinfo=UTC)
    assert info.end == info.start + timedelta(hours=1)
    emails = [a.email for a in info.interviewers]
    assert emails == ["maria.gomez@hooli.com", "david.kim@hooli.com"]  # not the user, not the room
    assert info.interviewers[1].name == "David Kim"
    assert info.uid == "7kq3m9d2v1b8n0c5x4z6a1s2d3@google.com"
    assert info.sequence == 0


def test_outlook_windows_timezone_via_vtimezone() -> None:
    info = parse_ics(ics_of("outlook_invite_windows_tz.eml"), CTX)
    assert info is not None
    # 15:00 in Frankfurt on 17 March 2026 (CET, UTC+1) is 14:00 UTC.
    assert info.start == datetime(2026, 3, 17, 14, 0, tzinfo=UTC)
    assert info.end == datetime(2026, 3, 17, 15, 30, tzinfo=UTC)
    assert [a.email for a in info.interviewers] == ["anna.schmidt@contoso.de"]  # room is NON-PARTICIPANT/ROOM


def test_windows_tzid_without_vtimezone_block() -> None:
    ics = vevent("DTSTART;TZID=Eastern Standard Time:20260310T140000\r\nDURATION:PT45M\r\n")
    info = parse_ics(ics, CTX)
    assert info is not None
    assert info.start == datetime(2026, 3, 10, 18, 0, tzinfo=UTC)  # EDT after 8 March
    assert info.end == info.start + timedelta(minutes=45)


def test_unknown_tzid_resolved_by_name() -> None:
    ics = vevent('DTSTART;TZID="(UTC-08:00) Pacific Time (US & Canada)":20260310T090000\r\n')
    info = parse_ics(ics, CTX)
    assert info is not None and info.start == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    assert info.end is None


def test_floating_time_uses_user_zone_and_utc_z_is_utc() -> None:
    floating = parse_ics(vevent("DTSTART:20260310T140000\r\n"), CTX)
    assert floating is not None and floating.start == datetime(2026, 3, 10, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    utc = parse_ics(vevent("DTSTART:20260310T140000Z\r\n"), CTX)
    assert utc is not None and utc.start == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def test_all_day_event_is_not_an_interview() -> None:
    event = read_calendar(vevent("DTSTART;VALUE=DATE:20260310\r\nSUMMARY:Offer deadline\r\n"), CTX)
    assert event is not None and event.all_day and event.interview is None
    assert not event.is_invitation


def test_organizer_used_when_no_other_attendee_and_robots_excluded() -> None:
    ics = vevent(
        "DTSTART:20260310T140000Z\r\nORGANIZER;CN=Dana Whitfield:mailto:dana@brightpath.ai\r\n"
        "ATTENDEE;CN=Alex:mailto:ALEX.RIVERA@gmail.com\r\n"
        "ATTENDEE;CN=Scheduler:mailto:no-reply@goodtime.io\r\n"
    )
    info = parse_ics(ics, CTX)
    assert info is not None
    assert [(a.name, a.email) for a in info.interviewers] == [("Dana Whitfield", "dana@brightpath.ai")]


def test_robot_organizer_is_not_an_interviewer() -> None:
    ics = vevent("DTSTART:20260310T140000Z\r\nORGANIZER:mailto:no-reply@ashbyhq.com\r\n")
    info = parse_ics(ics, CTX)
    assert info is not None and info.interviewers == ()


def test_cancel_method_and_status() -> None:
    event = read_calendar(ics_of("google_calendar_cancel.eml"), CTX)
    assert event is not None and event.cancelled and event.method == "CANCEL"
    assert event.interview is not None and event.interview.sequence == 2
    status = read_calendar(vevent("DTSTART:20260310T140000Z\r\nSTATUS:CANCELLED\r\n", method="PUBLISH"), CTX)
    assert status is not None and status.cancelled and not status.is_invitation


def test_reschedule_keeps_uid_with_higher_sequence() -> None:
    first = parse_ics(ics_of("google_calendar_invite.eml"), CTX)
    moved = parse_ics(ics_of("google_calendar_reschedule.eml"), CTX)
    assert first is not None and moved is not None
    assert moved.uid == first.uid
    assert moved.sequence > first.sequence
    assert moved.start == datetime(2026, 3, 12, 19, 0, tzinfo=UTC)


def test_multiple_events_pick_the_first_upcoming_one() -> None:
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260320T150000Z\r\nSUMMARY:Final round\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260301T150000Z\r\nSUMMARY:Old screen\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20260312T150000Z\r\nSUMMARY:Tech screen\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    upcoming = parse_ics(ics, CTX, reference=datetime(2026, 3, 5, tzinfo=UTC))
    assert upcoming is not None and upcoming.uid == "c"
    earliest = parse_ics(ics, CTX)
    assert earliest is not None and earliest.uid == "b"


def test_webinar_and_reply_are_not_invitations() -> None:
    webinar = read_calendar(vevent("DTSTART:20260310T140000Z\r\nSUMMARY:Live webinar: Ace your interview\r\n"), CTX)
    assert webinar is not None and not webinar.is_invitation
    reply = read_calendar(vevent("DTSTART:20260310T140000Z\r\n", method="REPLY"), CTX)
    assert reply is not None and not reply.is_invitation


def test_malformed_ics_returns_none() -> None:
    assert parse_ics("", CTX) is None
    assert parse_ics("BEGIN:VCALENDAR\r\nthis is not ical\r\n", CTX) is None
    assert parse_ics(vevent("DTSTART:not-a-date\r\n"), CTX) is None
    assert parse_ics(vevent("SUMMARY:no start\r\n"), CTX) is None


def _outlook_ics(offset: str, uid: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VTIMEZONE\r\nTZID:Mountain Standard Time\r\n"
        f"BEGIN:STANDARD\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Mountain Standard Time:20260311T103000\r\n"
        f"DTEND;TZID=Mountain Standard Time:20260311T113000\r\nUID:{uid}\r\nSUMMARY:Interview\r\n"
        "ORGANIZER;CN=Tom:mailto:tom@cobalt.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_a_known_tzid_is_read_from_the_zone_database_whatever_an_earlier_invite_defined() -> None:
    # icalendar caches a VTIMEZONE by its TZID for the whole process: a first invitation's odd definition must
    # not move a later one. "Mountain Standard Time" is Denver, on daylight time by March 11.
    sent = datetime(2026, 3, 6, 17, tzinfo=UTC)
    for offset, uid in (("-0800", "first@x"), ("-0700", "second@x")):
        event = read_calendar(_outlook_ics(offset, uid), CTX, sent)
        assert event is not None and event.interview is not None
        assert event.interview.start.utcoffset() == timedelta(hours=-6)
