"""Reading interview invitations from iCalendar (ICS) text.

Owns: parsing a text/calendar part with `icalendar`, choosing the relevant VEVENT, resolving its time zone
(VTIMEZONE blocks, Windows names such as "W. Europe Standard Time", "Z" UTC, floating times in the user's zone),
DTEND or DURATION, the interviewers (attendees who are not the user, a room or a robot; else a human organizer),
UID/SEQUENCE for reschedules, and cancellation (METHOD:CANCEL, STATUS:CANCELLED). Malformed input gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.bounds import MAX_ATTENDEES
from agent.detect.addresses import is_automated_address
from agent.detect.context import DetectContext
from agent.detect.zones import zone_from_text
from agent.models import Address, InterviewInfo
from agent.names import clean_name

# Summaries that announce an event for many people rather than a meeting with the candidate.
_NOT_AN_INTERVIEW = re.compile(
    r"\b(webinar|meetup|meet-up|conference|workshop|office hours|info(?:rmation)? session|open house"
    r"|career fair|job fair|hackathon|livestream|live stream|masterclass|ama\b|town ?hall|happy hour)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CalendarEvent:
    """One chosen VEVENT of an ICS text. `interview` is None for all-day events (never interviews)."""

    interview: InterviewInfo | None
    cancelled: bool
    method: str  # REQUEST, CANCEL, PUBLISH, REPLY, ... ("" when absent, as in attached .ics files)
    summary: str
    description: str
    organizer: Address | None
    all_day: bool = False

    @property
    def is_invitation(self) -> bool:
        """A timed event offered to the user (not a reply, not a cancellation, not a public event)."""
        return (
            self.interview is not None
            and not self.cancelled
            and self.method in {"", "REQUEST", "PUBLISH", "ADD"}
            and not _NOT_AN_INTERVIEW.search(self.summary)
        )


def parse_ics(text: str, ctx: DetectContext, reference: datetime | None = None) -> InterviewInfo | None:
    """The interview an ICS text describes, or None (all-day, malformed, no event)."""
    event = read_calendar(text, ctx, reference)
    return event.interview if event else None


def read_calendar(text: str, ctx: DetectContext, reference: datetime | None = None) -> CalendarEvent | None:
    """The relevant event of an ICS text: the first one starting after `reference`, else the earliest."""
    try:
        return _read(text, ctx, reference)
    except Exception:  # icalendar raises many things on broken input; a bad invite is just not an invite
        return None


_VTIMEZONE = re.compile(r"BEGIN:VTIMEZONE\r?\n(?P<body>.*?)END:VTIMEZONE\r?\n?", re.DOTALL | re.IGNORECASE)
_TZID_LINE = re.compile(r"^TZID:(?P<tzid>[^\r\n]+)", re.MULTILINE | re.IGNORECASE)
_TZID_PARAM = re.compile(r";TZID=(?P<q>\"?)(?P<tzid>[^\":;\r\n]+)(?P=q)(?=[:;])", re.IGNORECASE)


def _zone_key(tzid: str) -> str | None:
    """The IANA key a TZID names exactly: an IANA name, or a Windows name ("AUS Eastern Standard Time", by
    icalendar's own Windows table); None for a custom name, which keeps its VTIMEZONE."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    name = tzid.strip().strip('"')
    if name in WINDOWS_TO_OLSON:
        return str(WINDOWS_TO_OLSON[name])
    if "/" in name:
        try:
            return ZoneInfo(name).key
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None


def _by_name(text: str) -> str:
    """`text` with every TZID that names a known zone ("Mountain Standard Time", "Europe/Berlin") resolved by its
    name: its VTIMEZONE dropped and the parameter rewritten to the IANA key. icalendar caches a VTIMEZONE by its
    TZID for the whole process, so one sender's odd definition would otherwise move every later invitation that
    uses the same name; the zone database is the better authority for a name it knows."""
    known: dict[str, str] = {}
    for block in _VTIMEZONE.finditer(text):
        m = _TZID_LINE.search(block.group("body"))
        key = _zone_key(m.group("tzid")) if m else None
        if m and key:
            known[m.group("tzid").strip()] = key
    for m in _TZID_PARAM.finditer(text):
        name = m.group("tzid").strip()
        if name not in known and (key := _zone_key(name)):
            known[name] = key
    if not known:
        return text

    def keep(block: re.Match[str]) -> str:
        m = _TZID_LINE.search(block.group("body"))
        return "" if m and m.group("tzid").strip() in known else block.group(0)

    text = _VTIMEZONE.sub(keep, text)
    return _TZID_PARAM.sub(lambda m: f";TZID={known.get(m.group('tzid').strip(), m.group('tzid'))}", text)


def _load(text: str) -> list[Any]:
    import icalendar

    text = text.strip().lstrip("\ufeff")
    if not text:
        return []
    text = _by_name(text)
    try:
        return list(icalendar.Calendar.from_ical(text, multiple=True))
    except Exception:
        # A broken VTIMEZONE is the usual culprit; without it TZIDs are resolved by name below.
        stripped = re.sub(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE\r?\n?", "", text, flags=re.DOTALL | re.IGNORECASE)
        return list(icalendar.Calendar.from_ical(stripped, multiple=True))


def _read(text: str, ctx: DetectContext, reference: datetime | None) -> CalendarEvent | None:
    calendars = _load(text)
    candidates: list[tuple[datetime | None, CalendarEvent]] = []
    for cal in calendars:
        method = str(cal.get("METHOD", "") or "").strip().upper()
        for vevent in cal.walk("VEVENT"):
            found = _event(vevent, method, ctx)
            if found is not None:
                candidates.append(found)
    if not candidates:
        return None
    timed = [(start, ev) for start, ev in candidates if start is not None]
    if not timed:
        return candidates[0][1]
    if reference is not None:
        upcoming = [(s, ev) for s, ev in timed if s >= reference - timedelta(hours=12)]
        if upcoming:
            return min(upcoming, key=lambda pair: pair[0])[1]
    return min(timed, key=lambda pair: pair[0])[1]


def _event(vevent: Any, method: str, ctx: DetectContext) -> tuple[datetime | None, CalendarEvent] | None:
    prop = vevent.get("DTSTART")
    if prop is None:
        return None
    start_raw = prop.dt
    status = str(vevent.get("STATUS", "") or "").strip().upper()
    cancelled = method == "CANCEL" or status == "CANCELLED"
    summary = _text(vevent.get("SUMMARY"))
    description = _text(vevent.get("DESCRIPTION"))
    organizer = _address(vevent.get("ORGANIZER"))
    if not isinstance(start_raw, datetime):
        if isinstance(start_raw, date):  # all-day: a deadline or a holiday, never an interview
            return None, CalendarEvent(None, cancelled, method, summary, description, organizer, all_day=True)
        return None
    start = _aware(start_raw, prop, ctx)
    end = _end(vevent, start, ctx)
    if end is not None and end <= start:
        end = None
    info = InterviewInfo(
        start=start,
        end=end,
        interviewers=_interviewers(vevent, organizer, ctx),
        uid=(_text(vevent.get("UID")) or None),
        sequence=_int(vevent.get("SEQUENCE")),
        location=_text(vevent.get("LOCATION"))[:500],
    )
    return start, CalendarEvent(info, cancelled, method, summary, description, organizer)


def _aware(value: datetime, prop: Any, ctx: DetectContext) -> datetime:
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value
    # Floating, or a TZID icalendar could not resolve ("(UTC-05:00) Eastern Time (US & Canada)").
    tzid = ""
    params = getattr(prop, "params", None)
    if params is not None:
        tzid = str(params.get("TZID", "") or "")
    zone: tzinfo | None = zone_from_text(tzid) if tzid else None
    return value.replace(tzinfo=zone or ctx.zone)


def _end(vevent: Any, start: datetime, ctx: DetectContext) -> datetime | None:
    prop = vevent.get("DTEND")
    if prop is not None and isinstance(prop.dt, datetime):
        return _aware(prop.dt, prop, ctx)
    duration = vevent.get("DURATION")
    if duration is not None and isinstance(duration.dt, timedelta) and duration.dt > timedelta(0):
        return start + duration.dt
    return None


def _interviewers(vevent: Any, organizer: Address | None, ctx: DetectContext) -> tuple[Address, ...]:
    attendees = vevent.get("ATTENDEE")
    if attendees is None:
        attendees = []
    elif not isinstance(attendees, list):
        attendees = [attendees]
    people: list[Address] = []
    for attendee in attendees[:MAX_ATTENDEES]:
        params = getattr(attendee, "params", {}) or {}
        cutype = str(params.get("CUTYPE", "") or "").upper()
        role = str(params.get("ROLE", "") or "").upper()
        if cutype in {"ROOM", "RESOURCE", "GROUP"} or role == "NON-PARTICIPANT":
            continue
        addr = _address(attendee)
        if addr is None or _excluded(addr, ctx):
            continue
        people.append(addr)
    if not people and organizer is not None and not _excluded(organizer, ctx):
        people.append(organizer)
    return tuple({p.email: p for p in people}.values())


def _excluded(addr: Address, ctx: DetectContext) -> bool:
    return ctx.is_user(addr.email) or is_automated_address(addr.email)


def _address(value: Any) -> Address | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
        if value is None:
            return None
    email = re.sub(r"^mailto:", "", str(value).strip(), flags=re.IGNORECASE).strip().lower()
    if "@" not in email or " " in email:
        return None
    params = getattr(value, "params", {}) or {}
    name = clean_name(str(params.get("CN", "") or ""))
    if name.lower() == email:
        name = ""
    return Address(name=name, email=email)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _int(value: Any) -> int:
    """A SEQUENCE: 0 unless a sane number (a 23-digit one overflowed SQLite's INTEGER and lost the message)."""
    try:
        number = int(str(value).strip()[:12]) if value is not None else 0
    except ValueError:
        return 0
    return number if 0 <= number < 2**31 else 0
