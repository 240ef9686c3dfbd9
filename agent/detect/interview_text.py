"""Interview details written in prose, for confirmations that carry no calendar file.

Owns: finding the start date-time ("Tuesday, March 10, 2026 at 2:00 PM EST", "Date: March 10, 2026 / Time:
2:00 PM - 3:00 PM (PT)", "on 10 March 2026 at 14:00 CET", "3/10 at 2pm ET", Calendly's "2:00pm - 2:30pm
(Eastern Time - US & Canada), Tuesday, March 10, 2026"), the end or duration ("45-minute", "30 minutes"),
the zone (abbreviations and long names, else the user's zone), and the interviewers ("Interviewer(s): …",
"you'll be meeting with …", "Panel: …"). A date without a year is the next occurrence on/after the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from agent.detect.context import DetectContext
from agent.detect.dates import MON, MONTHS, WD, WEEKDAYS, next_day_of_month, next_weekday, resolve_month_day
from agent.detect.gate import gated
from agent.detect.lexicon import alternation, words
from agent.detect.zones import ABBREVIATIONS, as_the_user_means, zone_from_text
from agent.models import Address
from agent.parsing import ATTRIBUTION_WORD, is_attribution

_ORD = r"(?:st|nd|rd|th)?"
_DATE = gated(
    re.compile(
        rf"(?:\b(?P<wd>{WD})\b\.?,?\s+(?:the\s+|den\s+|der\s+|le\s+|el\s+)?)?"
        rf"(?:\b(?P<mon>{MON})\b\.?\s+(?P<day>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<year>20\d\d)\b)?"
        # "10 March", "10. März", "1er mars", "10 de marzo de 2026"
        rf"|\b(?P<day2>\d{{1,2}})(?:{_ORD}|\.|er|º)\s*(?:of\s+|de\s+)?(?P<mon2>{MON})\b\.?(?:,?\s+(?:de\s+)?(?P<year2>20\d\d)\b)?"
        rf"|(?<![\d/.])(?P<n1>\d{{1,2}})/(?P<n2>\d{{1,2}})(?:/(?P<ny>\d{{4}}|\d{{2}}))?(?![\d/])"
        rf"|\b(?P<iso>20\d\d-\d\d-\d\d)\b"
        # "18-Mar-2026", as Indian and British HR systems print dates
        rf"|\b(?P<day4>\d{{1,2}})-(?P<mon4>{MON})-(?P<year4>20\d\d)\b"
        # "10.03.2026": the European dotted form is always day first, and needs its year to be a date at all
        rf"|(?<![\d.])(?P<d3>\d{{1,2}})\.(?P<m3>\d{{1,2}})\.(?P<y3>20\d\d)\b"
        # "Mittwoch, der 25.02.", "am 25.02.": without its year only after a weekday or an article (else "10.30."
        # could be a time at a sentence's end)
        rf"|(?<![\d.])(?P<d5>\d{{1,2}})\.(?P<m5>\d{{1,2}})\.(?![\d]))",
        re.IGNORECASE,
    )
)
_DOTTED_DATE_LEAD = gated(
    re.compile(r"\b(?:(?i:den|der|am|vom|zum|bis|ab)|(?:Mo|Di|Mi|Do|Fr|Sa|So)\.?,?)\s+$")  # "Di, 17.2." too
)
# "tomorrow", "morgen", "demain", "mañana" (not "de la mañana", the morning); "next Monday", "am Montag", "el lunes".
_RELATIVE_DAY = gated(
    re.compile(
        rf"\b(?:(?<!la\s)(?<!de\s)(?P<rel>{alternation('relative_days')})"
        rf"|(?:(?P<which>this|next|on|am|diesen|nächsten|kommenden|ce|le|el|este|el\s+próximo|próximo)\s+)?(?P<wd>{WD}))\b",
        re.I,
    )
)
# "3pm", "3 p.m.", and the Spanish "3:00 p. m." with its space.
_AMPM = r"(?i:a\.?\s?m\.?|p\.?\s?m\.?)(?![a-zA-Z])"
RELATIVE_DAYS = words("relative_days")
# "next Tuesday (the 21st)", and without a suffix in German, French and Spanish: "el lunes 26", "jeudi 15",
# "Montag, 26." (but not "Friday 10am", "lundi 14h", "Montag 15 Uhr": those are hours).
_DAY_NUMBER_AFTER = gated(
    re.compile(
        r",?\s*\(?\s*(?:the\s+|den\s+|le\s+|el\s+)?(\d{1,2})(?:(?:st|nd|rd|th)\b|\.(?!\d)|(?![\d:.,h]|\s*(?:[ap]\.?m\b"
        r"|uhr\b|h\b|heures?\b|horas?\b|o['’]?clock\b|ish\b|-|–|bis\b|to\b)))\s*\)?",
        re.I,
    )
)


# Hours said in words: "half past ten", "quarter to three", "halb drei" (2:30), "viertel nach zwei",
# "las diez y media".
_HOUR_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "eins": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "una": 1, "dos": 2, "tres": 3,
    "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_HOUR_WORD = "(?:" + "|".join(sorted(_HOUR_WORDS, key=len, reverse=True)) + r"|\d{1,2})"
_WORD_TIME = (
    rf"(?i:(?:half|quarter)\s+past\s+{_HOUR_WORD}|quarter\s+to\s+{_HOUR_WORD}|half\s+(?=(?:{_HOUR_WORD})\b){_HOUR_WORD}|(?:halb|viertel\s+nach|viertel\s+vor"
    rf"|dreiviertel)\s+{_HOUR_WORD}|(?<=las\s){_HOUR_WORD}\s+(?:y\s+(?:media|cuarto)|menos\s+cuarto)"
    # "a las cinco de la tarde" (5 pm), "a las diez de la mañana"
    rf"|(?<=las\s){_HOUR_WORD}\s+de\s+la\s+(?:tarde|mañana|noche))(?![\w:])"
)


def _clock_re(p: str) -> str:
    # "15 Uhr", "15:30 Uhr", "15h", "15h30" and "15 h 30" say a 24-hour time as plainly as "3pm" does.
    return (
        rf"(?:(?P<{p}h>\d{{1,2}})(?:(?:[:.h]|[ \t]h[ \t])(?P<{p}m>\d{{2}}))?"
        rf"\s*(?:(?P<{p}ap>{_AMPM})|(?P<{p}uhr>(?i:uhr|h|horas|heures)\b)|(?P<{p}ish>(?i:ish)\b))?"
        rf"|(?P<{p}noon>(?<![-\w])(?i:noon|midday|mittags|midi|mediodía))|(?P<{p}word>{_WORD_TIME})\s*(?P<{p}wap>{_AMPM})?)"
    )


def _word_clock(words: str, ampm: str | None) -> time | None:
    """The time a phrase like "half past ten" or "halb drei" says, within working hours unless am/pm is said."""
    low = " ".join(words.lower().split())
    said_part = low.endswith(("tarde", "mañana", "noche"))
    number = low.split()[0] if said_part or low.endswith(("media", "cuarto")) else low.split()[-1]
    if said_part and not ampm:
        ampm = "am" if low.endswith("mañana") else "pm"
    hour = _HOUR_WORDS.get(number) or (int(number) if number.isdigit() else 0)
    if not 1 <= hour <= 12:
        return None
    minute = 0
    if low.startswith(("half past", "quarter past")):
        minute = 30 if low.startswith("half") else 15
    elif low.startswith("half "):
        minute = 30  # British "half ten" is 10:30 (the German "halb zehn" is 9:30)
    elif low.startswith(("quarter to", "viertel vor", "dreiviertel")) or low.endswith("menos cuarto"):
        hour, minute = (hour - 1) or 12, 45
    elif low.startswith("halb"):
        hour, minute = (hour - 1) or 12, 30  # German "halb drei" is half way to three
    elif low.startswith("viertel nach"):
        minute = 15
    elif low.endswith("y media"):
        minute = 30
    elif low.endswith("y cuarto"):
        minute = 15
    if ampm:
        pm = ampm.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    elif hour < 7:
        hour += 12  # "half past two": an interview is in the afternoon, not at night
    return time(hour, minute)


_CITY = (
    r"(?:Mumbai|Kolkata|Chennai|New\s+Delhi|Bangalore|Bengaluru|Canberra|Melbourne|Sydney|Brisbane|Amsterdam|Berlin"
    r"|Bern|Rome|Stockholm|Vienna|Paris|Madrid|Brussels|Copenhagen|London|Dublin|Edinburgh|Lisbon|Singapore|Tokyo"
    r"|Osaka|Sapporo|Auckland|Wellington)"
)
# How a writer names their own zone after a time ("9 my time"): the zone of their Date header (`_named_zone`).
_WRITERS_ZONE_WORDS = (
    r"(?:my|our)\s+(?:local\s+)?time|(?:à\s+)?(?:mon\s+heure|heure\s+de\s+chez\s+(?:moi|nous))|(?:a\s+)?mi\s+hora"
    r"|meiner\s+Zeit"
)
_TZ_WORDS = (
    r"(?:\(?(?:GMT|UTC)\s*[+-−]\s*\d{1,2}(?::?\d{2})?\)?(?:\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+Time)?"
    r"(?:\s*\((?:US|U\.S\.)\s*(?:&|and)\s*Canada\))?"
    r"|(?i:(?:Eastern|Central|Mountain|Pacific|Alaska|Hawaii|Atlantic|British|Central\s+European|Western\s+European"
    r"|Eastern\s+European|India|Indian|Singapore|Japan|Australian\s+Eastern|London|Berlin|Paris|New\s+York)"
    r"(?:\s+(?:Standard|Daylight|Summer))?\s+Time(?:\s*[-–]?\s*\(?(?:US|U\.S\.)\s*(?:&|and)\s*Canada\)?)?)"
    r"|(?i:(?:hora|horario)\s+(?:peninsular|de\s+(?:Madrid|España|Colombia|Bogotá|México|Ciudad\s+de\s+México"
    r"|Buenos\s+Aires|Argentina|Chile|Santiago))|heure\s+(?:de\s+Paris|française)|(?:deutscher|MEZ|MESZ)\s+Zeit"
    r"|UK\s+time)"
    # The writer's own zone: "tomorrow at 9 my time", "à 10h, heure de chez moi", "a las 9, mi hora".
    rf"|(?i:{_WRITERS_ZONE_WORDS})"
    # A region said alone after a time, as people write it: "2 pm Eastern", "10:30 Pacific".
    r"|(?i:Eastern|Central|Mountain|Pacific)(?![ \t]+(?i:Europe|European|Standard|Daylight|Time))"
    r"|[A-Z][a-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?"
    # Zoom and Calendly name zones by cities: "Mumbai, Kolkata, New Delhi", "(Sydney, Melbourne Time)"
    rf"|{_CITY}(?:\s*,\s*{_CITY})*(?:\s+Time)?"
    r"|" + "|".join(sorted((k for k in ABBREVIATIONS if len(k) >= 2 and k.isalpha()), key=len, reverse=True)) + r")"
)
_TIME = gated(
    re.compile(
        r"(?<![\d:/$£€.,])(?:(?i:from|at|@|um|ab|à|a\s+las|a\s+la|de)\s+)?"
        + _clock_re("a")
        + r"(?:\s*(?:-|–|—|to|until|till|bis|à|a|hasta)\s*"
        + _clock_re("b")
        + r")?"
        + rf"(?:\s*[.,]?\s*\(?\s*(?P<tz>{_TZ_WORDS})\b\)?)?",
    )
)
# "45-minute", "an hour", "1.5 hours", "45 Minuten", "eine Stunde", "une heure et demie", "unos 45 minutos", and
# the French "pour environ 1 h 30" (only after a word of length: "14h30" is a time).
_DURATION = gated(
    re.compile(
        r"\b(?P<n>\d{1,3}(?:[.,]5)?|an?|one|two|half\s+an?|one\s+and\s+a\s+half|une?|deux|eine[nr]?|ein|zwei"
        r"|anderthalb|eineinhalb|una?|uno|dos)[\s-]*(?P<unit>minutes?|mins?|minuten|minutos|hours?|hrs?|heures?"
        r"|stunden?|horas?)(?P<andhalf>\s+(?:et\s+demie|y\s+media|and\s+a\s+half))?\b"
        r"|\b(?P<half>half[\s-]hour|demi-heure|halbe\s+stunde|media\s+hora)\b"
        r"|\b(?:pour|environ|durée\s*:?|de|about|approx\.?|around|for|ca\.|rund|etwa|unos|unas)\s+(?:environ\s+)?"
        r"(?P<hh>[1-3])\s?h\s?(?P<hm>[0-5]\d)?\b",
        re.IGNORECASE,
    )
)
_DURATION_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "un": 1, "une": 1, "deux": 2, "ein": 1, "eine": 1, "einen": 1,
    "einer": 1, "zwei": 2, "una": 1, "uno": 1, "dos": 2, "anderthalb": 1.5, "eineinhalb": 1.5,
}  # fmt: skip
_TZ_ANYWHERE = gated(
    re.compile(
        rf"(?:all\s+times?\s+(?:are\s+|listed\s+)?(?:in|shown\s+in)?|time\s*zone\s*:?)\s+(?P<tz>{_TZ_WORDS})"
        # A schedule table's header: "Time (PT)  Session  Interviewer", "Uhrzeit (MEZ)", "Heure (CET)".
        rf"|(?m:^[ \t]*(?:times?|uhrzeit|zeit|heure|horario|hora)[ \t]*\((?P<tzh>{_TZ_WORDS})\))",
        re.I,
    )
)


# A label for the old time in a reschedule notice (Calendly's "Former:", "Previous time:", "Original date:").
_SUPERSEDED = gated(
    re.compile(
        r"\b(?:former|previous(?:ly)?|old|original(?:ly)?|antes|anterior|avant|ancien(?:ne)?|vorher|bisher)"
        r"(?:\s+(?:event\s+)?(?:time|date|slot|date/time|date\s+and\s+time))?\s*:\s*$"
        # A table row's label with no colon ("Previous time | Monday, February 23 …" read from HTML), in four
        # languages: "Bisheriger Termin", "Ancien horaire", "Horario anterior".
        r"|(?m:^)[ \t]*(?:(?:former|previous|old|original)\s+(?:time|date|slot|date/time|date\s+and\s+time)"
        r"|(?:bisherige[rs]?|alte[rs]?|ursprüngliche[rs]?)\s+(?:termin|zeit|uhrzeit|datum)"
        r"|(?:ancien(?:ne)?|précédent(?:e)?)\s+(?:créneau|horaire|date|rendez-vous)"
        r"|(?:horario|fecha|hora)\s+(?:anterior|original))[ \t]*[:|]?[ \t]*$",
        re.IGNORECASE,
    )
)


@dataclass(frozen=True)
class FoundTime:
    """A date-time the text names, where it was found, and whether the text said which zone."""

    start: datetime
    end: datetime | None
    pos: int
    zone_named: bool


def find_times(text: str, sent_at: datetime, ctx: DetectContext, writer_zone: tzinfo | None = None) -> list[FoundTime]:
    """Every date paired with a clock time in `text`, in text order (duplicates removed). `writer_zone` is the
    zone of the writer's Date header: what "9 my time" means."""
    text = _with_colon_clocks(_without_forwarded_dates(text))
    local_sent = sent_at.astimezone(ctx.zone)
    today = local_sent.date()
    default_zone: tzinfo = ctx.zone
    if (m := _TZ_ANYWHERE.search(text)) and (z := zone_from_text(m.group("tz") or m.group("tzh"))):
        default_zone = as_the_user_means(z, ctx.zone)
    found: list[FoundTime] = []
    used_times: set[int] = set()
    dates = _dates(text, today, ctx)
    for index, (day, start_pos, end_pos, tight) in enumerate(dates):
        # A time after the next date belongs to that date: "cancel tomorrow's call … Monday, March 9 at 3pm".
        limit = dates[index + 1][1] if index + 1 < len(dates) else len(text)
        reach = min(25 if tight else 90, max(0, limit - end_pos))
        tm = _time_near(text, start_pos, end_pos, used_times, reach, tight, limit)
        if tm is None:
            continue
        used_times.add(tm.start())
        result = _combine(day, tm, default_zone, ctx.zone, writer_zone)
        if result is None:
            continue
        start, end, named = result
        duration = _duration(text, tm.start())
        if end is None and duration is not None:
            end = start + duration
        pos = min(start_pos, tm.start())
        if _SUPERSEDED.search(text[max(0, pos - 40) : pos]):
            continue  # "Former: 10:00am …, Thursday, March 19": the time a reschedule replaced
        found.append(FoundTime(start, end, pos, named))
    found += _same_time_as_before(text, dates, found)
    unique: dict[datetime, FoundTime] = {}
    for f in found:
        unique.setdefault(f.start, f)
    return sorted(unique.values(), key=lambda f: f.pos)


# "jeudi 12 mars, même heure", "Thursday 19th, same time", "am Donnerstag zur gleichen Uhrzeit", "misma hora".
_SAME_TIME = gated(
    re.compile(
        r"\b(?:same\s+time|(?:zur\s+)?(?:gleichen?|selben?|derselben|dieselbe)\s+(?:uhrzeit|zeit)|même\s+heure"
        r"|(?:a\s+)?la\s+misma\s+hora)\b",
        re.IGNORECASE,
    )
)


# "Let's do the second round same time next week", "gleiche Uhrzeit nächste Woche", "même heure la semaine
# prochaine", "a la misma hora la semana que viene": a week after the round just held.
_SAME_TIME_NEXT_WEEK = gated(
    re.compile(
        r"\bsame\s+time,?\s+next\s+week\b|\bnext\s+week,?\s+(?:at\s+)?(?:the\s+)?same\s+time\b"
        r"|\b(?:zur\s+)?(?:gleichen?|selben?)\s+(?:Uhrzeit|Zeit),?\s+(?:in\s+der\s+)?nächsten?\s+Woche\b"
        r"|\bnächste\s+Woche,?\s+(?:zur\s+)?(?:gleichen?|selben?)\s+(?:Uhrzeit|Zeit)\b"
        r"|\bmême\s+heure,?\s+la\s+semaine\s+(?:prochaine|suivante)\b|\bla\s+semaine\s+prochaine,?\s+(?:à\s+la\s+)?même\s+heure\b"
        r"|\b(?:a\s+)?la\s+misma\s+hora,?\s+la\s+(?:semana\s+que\s+viene|próxima\s+semana)\b",
        re.IGNORECASE,
    )
)


def same_time_next_week(text: str) -> bool:
    """Whether `text` sets a round "at the same time next week" without naming a day or a clock ("can't do the same
    time next week" sets none)."""
    for m in _SAME_TIME_NEXT_WEEK.finditer(text):
        clause = re.split(r"[.!?\n;]", text[max(0, m.start() - 80) : m.start()])[-1]
        if not _NEGATION.search(clause):
            return True
    return False


_NEGATION = re.compile(
    r"\b(?:not|cannot|unable|no)\b|n['’]t\b|\b(?:nicht|kein\w*|pas|ne|no\s+(?:podemos|puede|puedo))\b", re.IGNORECASE
)


def same_time_said(text: str) -> bool:
    """Whether `text` asks for a day "at the same time" ("auf morgen, gleiche Uhrzeit", "même heure")."""
    return _SAME_TIME.search(text) is not None


def _same_time_as_before(
    text: str, dates: list[tuple[date, int, int, bool]], found: list[FoundTime]
) -> list[FoundTime]:
    """A new day "at the same time": the day said just before the words, at the clock of the time found after it
    (the earlier message, quoted below) or, failing that, before it."""
    out = []
    for m in _SAME_TIME.finditer(text):
        day = next((d for d, s, e, _ in reversed(dates) if e <= m.start() and m.start() - e <= 40), None)
        if day is None:
            continue
        later = [f for f in found if f.pos > m.end()]
        earlier = [f for f in found if f.pos < m.start()]
        source = later[0] if later else (earlier[-1] if earlier else None)
        if source is None:
            continue
        start = datetime.combine(day, source.start.timetz())
        end = start + (source.end - source.start) if source.end is not None else None
        out.append(FoundTime(start, end, max(0, m.start() - 1), source.zone_named))
    return out


@dataclass(frozen=True)
class ClockTime:
    """A time of day said without a date ("can we do 10:30 instead?"): `at` carries its zone when one is named."""

    at: time
    start: int  # where it stands in the text
    end: int


def clock_times(text: str) -> list[ClockTime]:
    """Every real clock time in `text` ("10:30", "2pm", "14 Uhr", "14h30", "half past ten"), with or without a date."""
    out = []
    for m in _TIME.finditer(_with_colon_clocks(text)):
        if not _is_clock(m):
            continue
        combined = _combine(date(2000, 1, 3), m, UTC)
        if combined is None:
            continue
        start, _, named = combined
        # Where the clock itself starts, after "at", "um", "à", "de": what stands before it names an old time.
        first = next(m.start(g) for g in ("ah", "anoon", "aword") if m.group(g) is not None)
        out.append(ClockTime(start.timetz() if named else start.time(), first, m.end()))
    return out


# The header block of a forwarded or quoted message: "From: …" with "Date:"/"Sent:" beside it.
_HEADER_FROM = re.compile(
    r"(?im)^[ \t>*]*(?:from|von|de|da)[ \t]*:[^\n]*\n"
    r"[ \t>*]*(?:sent|date|gesendet|datum|envoyé|enviado|fecha|inviato|to|an|à|para)[ \t]*:"
)
_HEADER_DATE = re.compile(r"(?im)^[ \t>*]*(?:date|sent|gesendet|datum|envoyé|enviado|fecha|inviato)[ \t]*:[^\n]*")


# "Time: 1330hrs", "at 0930 hrs", "1400h": the 24-hour clock of Commonwealth and military writers.
_HRS_CLOCK = re.compile(r"\b([01]\d|2[0-3])([0-5]\d)\s?(?:hrs|hours|h)\b", re.IGNORECASE)


def _with_colon_clocks(text: str) -> str:
    """`text` with "1330hrs" written "13:30" (padded, so every position holds)."""
    if not _HRS_CLOCK.search(text):
        return text
    return _HRS_CLOCK.sub(lambda m: f"{m.group(1)}:{m.group(2)}".ljust(len(m.group(0))), text)


def _without_forwarded_dates(text: str) -> str:
    """`text` with the Date:/Sent: lines of forwarded or quoted header blocks, and the "On … wrote:" lines that
    introduce quoted messages, blanked (same length, so positions hold): "Date: Fri, Feb 13, 2026 at 10:02 AM"
    under "From: Google Calendar" is when it was sent, no interview."""
    if ATTRIBUTION_WORD.search(text.lower()):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if is_attribution(line):
                lines[i] = " " * len(line)
            elif i + 1 < len(lines) and is_attribution(line + " " + lines[i + 1].lstrip(" >")):
                # Gmail wraps a long attribution: "On Wed, Mar 4, 2026 at 9:03 AM Alex Rivera <" / "alex@…> wrote:".
                lines[i], lines[i + 1] = " " * len(line), " " * len(lines[i + 1])
        text = "\n".join(lines)
    if not _HEADER_FROM.search(text):
        return text
    froms = [m.start() for m in _HEADER_FROM.finditer(text)]
    out = text
    for m in _HEADER_DATE.finditer(text):
        if any(abs(m.start() - f) < 300 and "\n\n" not in text[min(f, m.start()) : max(f, m.start())] for f in froms):
            out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end() :]
    return out


def _dates(text: str, today: date, ctx: DetectContext) -> list[tuple[date, int, int, bool]]:
    """(day, start, end, tight) of every date; `tight` dates (a bare weekday) need the time right after them."""
    out: list[tuple[date, int, int, bool]] = []
    for m in _DATE.finditer(text):
        day = _resolve_date(m, today, ctx)
        if day is not None:
            out.append((day, m.start(), m.end(), False))
    taken = [(s, e) for _, s, e, _ in out]
    for m in _DE_WEEKDAY_ABBREVIATION.finditer(text):
        # "Passt dir Do 14 Uhr?": German's two-letter weekdays, only capitalised and right before a time.
        if not any(s <= m.start() < e for s, e in taken):
            day = next_weekday(today, _DE_ABBREVIATIONS[m.group("abbr")], allow_today=False)
            out.append((day, m.start(), m.end("abbr"), True))
            taken.append((m.start(), m.end("abbr")))
    for m in _RELATIVE_DAY.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.group("wd") and (_DAY_RANGE_AFTER.match(text, m.end()) or _DAY_RANGE_BEFORE.search(text, 0, m.start())):
            continue  # "Mon-Thu 8:00-4:30", "lundi au vendredi de 9h à 17h": office hours, not a day
        if m.group("rel"):
            day = today + timedelta(days=RELATIVE_DAYS.get(" ".join(m.group("rel").lower().split()), 0))
        else:
            wd = WEEKDAYS[m.group("wd").lower()]
            which = (m.group("which") or "").lower()
            # "next Thursday" said on a Monday: writers disagree; the nearest Thursday is the safer reading.
            day = next_weekday(today, wd, allow_today=which != "next")
            # Unless the writer says which: "next Tuesday (the 21st)", "Tuesday the 21st".
            end, tight = m.end(), not which
            if (told := _DAY_NUMBER_AFTER.match(text, m.end())) is not None:
                for weeks in range(5):
                    candidate = next_weekday(today, wd, allow_today=True) + timedelta(weeks=weeks)
                    if candidate.day == int(told.group(1)):
                        # A weekday with its date is a date; its time is looked for after the day's number.
                        day, end, tight = candidate, told.end(), False
                        break
            out.append((day, m.start(), end, tight))
            continue
        out.append((day, m.start(), m.end(), False))
    for m in _DAY_OF_MONTH.finditer(text):
        # "See you on the 12th at 3pm", "le 12 à 15h", "am 12. um 15 Uhr", "el 12 a las 15:00": the day of this
        # month, or of the next once it has passed; tight, so only a time right after it counts.
        if any(s <= m.start() < e for s, e in taken) or any(s <= m.start() < e for _, s, e, _ in out):
            continue
        number = int(m.group("n") or m.group("n2"))
        day = next_day_of_month(today, number)
        if day is not None:
            out.append((day, m.start(), m.end(), True))
    out.sort(key=lambda item: item[1])
    return out


# A day of the month said alone, only as writers name one: "the 12th", "le 12", "am 12.", "el 12" (then a time).
_DAY_OF_MONTH = gated(
    re.compile(
        r"\b(?:(?:on\s+)?the\s+(?P<n>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(?=\s*,?\s*(?:at|@|from)\s+\d)"
        r"|(?:le|am|el|dem|del)\s+(?P<n2>[1-9]|[12]\d|3[01])\.?(?=\s*(?:,\s*)?(?:à|um|a\s+las|at)\s+\d))",
        re.IGNORECASE,
    )
)


def _resolve_date(m: re.Match[str], today: date, ctx: DetectContext) -> date | None:
    g = m.groupdict()
    try:
        if g.get("iso"):
            y, mo, d = (int(x) for x in g["iso"].split("-"))
            return date(y, mo, d)
        if g.get("d3"):
            return date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        if g.get("d5"):
            if not g.get("wd") and not _DOTTED_DATE_LEAD.search(m.string, max(0, m.start() - 12), m.start()):
                return None
            return resolve_month_day(int(g["m5"]), int(g["d5"]), None, today)
        if g.get("n1"):
            a, b = int(g["n1"]), int(g["n2"])
            month, day = (b, a) if ctx.day_first else (a, b)
            if month > 12 >= day:
                month, day = day, month
            if not (1 <= month <= 12 and 1 <= day <= 31):
                return None
            year = None
            if g.get("ny"):
                ny = int(g["ny"])
                year = ny + 2000 if ny < 100 else ny
            resolved = resolve_month_day(month, day, year, today)
            if day <= 12 and month != day and not g.get("ny"):
                # "12/03" with no year, read the user's way, months ahead, when the other reading is this week or
                # next: an interview is arranged weeks ahead, not seasons (and a writer abroad uses their order).
                other = resolve_month_day(day, month, year, today)
                wanted = WEEKDAYS[g["wd"].lower().rstrip(".")] if g.get("wd") else None
                if (
                    resolved is not None
                    and other is not None
                    and (resolved - today).days > 60
                    and 0 <= (other - today).days <= 21
                    and (wanted is None or other.weekday() == wanted)
                ):
                    return other
            if g.get("wd") and day <= 12 and month != day:
                # "Tuesday 10/03/2026": when only the other order falls on the weekday named, the writer meant it.
                wanted = WEEKDAYS[g["wd"].lower().rstrip(".")]
                other = resolve_month_day(day, month, year, today)
                fits = resolved is not None and resolved.weekday() == wanted
                if not fits and other is not None and other.weekday() == wanted:
                    return other
            return resolved
        month = MONTHS[(g.get("mon") or g.get("mon2") or g.get("mon4") or "").lower().rstrip(".")]
        day = int(g.get("day") or g.get("day2") or g.get("day4") or 0)
        year_text = g.get("year") or g.get("year2") or g.get("year4")
        resolved = resolve_month_day(month, day, int(year_text) if year_text else None, today)
        if resolved is None:  # a past date without a year: the message is talking about history
            return None
        return resolved
    except (ValueError, KeyError):
        return None


def _time_near(
    text: str, start: int, end: int, used: set[int], reach: int, tight: bool, limit: int | None = None
) -> re.Match[str] | None:
    """The clock time belonging to the date at [start, end): just after it (same or next line), just before, or
    the first slot of a schedule table that follows it."""
    found = _time_beside(text, start, end, used, reach, tight)
    if found is None and not tight:
        found = _schedule_start(text, end, min(limit if limit is not None else len(text), end + 600), used)
    return found


def _schedule_start(text: str, end: int, limit: int, used: set[int]) -> re.Match[str] | None:
    """ "Here is your schedule for Wednesday, 15 April:" then a table of sessions, one per line ("10:00 – 11:00
    System design …"): the first session's time, when at least two session lines follow one another."""
    for slot in _SLOT.finditer(text, end, limit):
        following = _SLOT.match(text, text.find("\n", slot.end()) + 1) if "\n" in text[slot.end() : limit] else None
        if following is None or slot.start("ah") in used:
            continue
        m = _TIME.match(text, slot.start("ah"))
        return m if m is not None and _is_clock(m) else None
    return None


def _time_beside(text: str, start: int, end: int, used: set[int], reach: int, tight: bool) -> re.Match[str] | None:
    # Bounded: an unbounded search from every date to the end of a long text was quadratic (issue 11).
    for m in _TIME.finditer(text, end, end + reach + 160):
        if m.start() > end + reach:
            break
        if _is_clock(m):
            if m.start() in used or _far(text[end : m.start()]):
                return None
            if not tight and "\n" in text[end : m.start()] and (same := _time_just_before(text, start, used)):
                return same  # Calendly: "10:00am - 10:30am (Central Time), Thursday, March 19, 2026" per line
            if _SENTENCE_END.search(text[end : m.start()]) and (same := _time_just_before(text, start, used)):
                return same  # "¿podemos pasarla a las 12:30 mañana? Tengo una reunión a las 11": the asked time
            return m
    best: re.Match[str] | None = None
    if tight:
        # "3pm Thursday", "10h30 plutôt jeudi", "14 Uhr am Donnerstag": a time said just before the weekday; not
        # office hours ("9:00 - 17:00 Mon-Fri").
        if _WEEKDAY_RANGE.match(text, end):
            return None
        for m in _TIME.finditer(text, max(0, start - 40), start):
            if _is_clock(m) and m.start() not in used and _WEEKDAY_AFTER_TIME.fullmatch(text[m.end() : start]):
                best = m
        return best
    before_start = max(0, start - 70)
    for m in _TIME.finditer(text, before_start, start):
        if _is_clock(m) and m.start() not in used and not _far(text[m.end() : start]):
            best = m
    return best


# What may stand between a time and the bare weekday it belongs to: "3pm Thursday", "10h30 plutôt jeudi",
# "2:30 on Friday", "14 Uhr am Donnerstag", "a las 10 el jueves".
_WEEKDAY_AFTER_TIME = gated(
    re.compile(
        r"[ \t]*(?:(?:on|this|coming|le|ce|el|este|am|kommenden|plutôt|instead|rather|lieber|stattdessen|mejor)"
        r"[ \t]+){0,2}",
        re.IGNORECASE,
    )
)
_SENTENCE_END = gated(re.compile(r"[.?!](?:\s|$)"))
_WEEKDAY_RANGE = gated(re.compile(r"\s*(?:[-–—/]|to\b|bis\b|au\b|a\b)", re.IGNORECASE))


_DE_ABBREVIATIONS = {"Mo": 0, "Di": 1, "Mi": 2, "Do": 3, "Fr": 4, "Sa": 5}
_DE_WEEKDAY_ABBREVIATION = gated(
    re.compile(r"(?<![\w.])(?P<abbr>Mo|Di|Mi|Do|Fr|Sa)\.?,?[ \t]+(?=\d{1,2}(?:[:.]\d{2})?[ \t]*(?:Uhr|h)\b)")
)
# A weekday range: "Mon-Thu", "Monday to Friday", "Montag bis Freitag", "du lundi au vendredi", "de lunes a viernes".
_DAY_RANGE_AFTER = gated(re.compile(rf"\.?\s*(?:-|–|—|/|to|through|thru|bis|au|à|a|al)\s*{WD}\b", re.IGNORECASE))
_DAY_RANGE_BEFORE = gated(re.compile(rf"\b{WD}\.?\s*(?:-|–|—|/|to|through|thru|bis|au|à|a|al)\s*$", re.IGNORECASE))


def _time_just_before(text: str, start: int, used: set[int]) -> re.Match[str] | None:
    """A clock time ending on the date's own line with only a comma or "on" between it and the date."""
    line_start = text.rfind("\n", 0, start) + 1
    for m in _TIME.finditer(text, line_start, start):
        if _is_clock(m) and m.start() not in used and re.fullmatch(r"[\s,)]*(?:on\s+)?", text[m.end() : start]):
            return m
    return None


def _far(between: str) -> bool:
    """A paragraph break with real words in between separates a date from a time; "\n\nTime: " does not."""
    if between.rstrip().endswith(":"):
        return False  # "… Thursday, March 19. Here's the schedule:\n\n10:00-10:45 …": the label introduces the times
    if not re.search(r"\n\s*\n", between) or len(re.sub(r"\W", "", between)) <= 12:
        return False
    # "… on Thursday 5 February 2026.\n\nThe day will run from 9.15am": the next paragraph opens with its time.
    after_break = re.split(r"\n\s*\n", between)[-1]
    return "\n" in after_break.strip() or len(after_break.split()) > 6 or bool(re.search(r"[.!?;]", after_break))


def _is_clock(m: re.Match[str]) -> bool:
    """A real time of day: "2pm", "14:00", "2:00 PM", noon; not "10" or "2026" or "3.5"."""
    if m.group("anoon") or m.group("aword"):
        return True
    hour = int(m.group("ah"))
    if m.group("aish"):
        return 1 <= hour <= 12  # "thurs 2ish": said as a time, its half of the day by working hours
    if m.group("aap"):
        return 1 <= hour <= 12
    if m.group("auhr"):
        return 0 <= hour <= 23
    if m.group("am") is not None:
        sep = m.string[m.start("ah") + len(m.group("ah")) : m.start("am")]
        if sep == ".":
            # "that's you booked in for 11.30 on Thursday": a dotted time of the working day, on the quarter hour;
            # not "£11.30", "v2.15" or "3.5".
            before = m.string[max(0, m.start("ah") - 1) : m.start("ah")]
            around = m.string[max(0, m.start("ah") - 12) : m.end("am") + 8]
            return (
                7 <= hour <= 21
                and m.group("am") in {"00", "15", "30", "45"}
                and not re.match(r"[\w£$€¥.,]", before)
                and not _MONEY.search(around)
            )
        return 0 <= hour <= 23 and sep.strip() in {":", "h"}  # "15:30", "15h30", "15 h 30"
    # "2-3pm": only the second part says pm
    if m.group("bap"):
        return 1 <= hour <= 12
    return _bare_hour_after_at(m)


# "tomorrow at 10", "Friday at 2": a bare hour after "at" is a time of day, read within working hours.
_AT_BEFORE = gated(
    re.compile(r"\b(?:at|around|um|à|a\s+las|alle)\s+$", re.IGNORECASE)
)  # What may follow such an hour: the end of the clause, "o'clock", a zone, or a word that goes on with the sentence
# ("at 10 for half an hour", "at 2 your time"); "at 2 offices", "at 10 people" count things.
_TIME_GOES_ON = gated(
    re.compile(
        r"^(?:\s*$|\s*[?!,;)]|\.(?!\d)|\s*o['’]?clock|\s+(?:for|your|my|our|in|on|with|then|ish|works?|suits?|sharp"
        r"|tomorrow|today|if|or|and|to|that|please|sounds?|would|could|instead|am|pm|[A-Z]{2,4}\b|eastern|pacific|central"
        r"|mountain|uk|gmt|cet|ist|uhr|heures?|horas?|hrs?"
        # "a las 11 a nuestras oficinas", "à 10 au siège", "um 10 im Büro"
        r"|a|en|al|de|del|para|por|à|au|aux|chez|dans|im|zu|bei|beim)\b)",
        re.IGNORECASE,
    )
)


def _bare_hour_after_at(m: re.Match[str]) -> bool:
    if m.group("ah") is None or m.group("am") is not None or m.group("bh") or not 1 <= int(m.group("ah")) <= 12:
        return False
    before = m.string[max(0, m.start("ah") - 8) : m.start("ah")]
    after = m.string[m.end("ah") : m.end("ah") + 12]
    if before.endswith("(") and _ZONE_AFTER_HOUR.match(after):
        return True  # "friday same time instead? (12 your time)"
    day_before = m.string[max(0, m.start("ah") - 12) : m.start("ah")]
    if _WEEKDAY_RIGHT_BEFORE.search(day_before) and _QUESTION_AFTER.match(after):
        return True  # "Let's chat Tues 11?"
    return bool(_AT_BEFORE.search(before)) and bool(_TIME_GOES_ON.match(after))


# Money beside a dotted number: "up to EUR 15.00 on Thursday", "costs 12.00 per day".
_MONEY = re.compile(
    r"\b(?:eur|usd|gbp|chf|aud|cad|sgd|inr|aed|mxn|euros?|dollars?|pounds?|francs?|costs?|price|fee|pay|paid"
    r"|per|each|total)\b|[£$€¥]",
    re.IGNORECASE,
)


# A weekday right before a bare hour that ends a question: "Let's chat Tues 11?", "Thurs 2?".
_WEEKDAY_RIGHT_BEFORE = re.compile(rf"\b{WD}\.?\s+$", re.IGNORECASE)
_QUESTION_AFTER = re.compile(r"\s*(?:\?|ish\b|o['’]?clock)")


# What makes a bare hour in brackets a time: "(12 your time)", "(10 ET)", "(9 Uhr)".
_ZONE_AFTER_HOUR = re.compile(r"\s+(?:(?:your|my|our)\s+time|[A-Z]{2,4}\b|Uhr\b|h\b)")


def _working_hours_meridiem(m: re.Match[str]) -> str | None:
    """am or pm for a bare hour ("at 10" is the morning, "at 2" the afternoon); None when the text says."""
    if m.group("aap") or m.group("auhr"):
        return None
    if m.group("aish"):
        return "am" if 7 <= int(m.group("ah")) <= 11 else "pm"
    if m.group("am") is not None and m.group("ah") is not None and 1 <= int(m.group("ah")) <= 6:
        return "pm"  # "2:30 on Friday": nobody interviews at half past two in the night; 24-hour writers say 14:30
    if not _bare_hour_after_at(m):
        return None
    return "am" if 7 <= int(m.group("ah")) <= 11 else "pm"


def _clock(hour_s: str | None, minute_s: str | None, ampm: str | None, noon: str | None) -> time | None:
    if noon:
        return time(12, 0)
    if hour_s is None:
        return None
    hour, minute = int(hour_s), int(minute_s or 0)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if pm else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def _named_zone(text: str | None, user_zone: tzinfo | None, writer_zone: tzinfo | None) -> tzinfo | None:
    """The zone a time's own words name: "AEST" as the user means it, "my time" as the writer's Date header
    gives it (a recruiter in Chicago writing to Seattle), None when they name none."""
    if not text:
        return None
    if _WRITERS_ZONE.fullmatch(text.strip()):
        return writer_zone
    zone = zone_from_text(text)
    if zone is not None and user_zone is not None:
        zone = as_the_user_means(zone, user_zone)  # "10.30am AEST" to a Brisbane user is Brisbane time
    return zone


_WRITERS_ZONE = re.compile(_WRITERS_ZONE_WORDS, re.IGNORECASE)


def _combine(
    day: date,
    m: re.Match[str],
    default_zone: tzinfo,
    user_zone: tzinfo | None = None,
    writer_zone: tzinfo | None = None,
) -> tuple[datetime, datetime | None, bool] | None:
    a_ap = m.group("aap") or (m.group("bap") if m.group("bh") and not m.group("aap") else None)
    if m.group("aword"):
        start_t = _word_clock(m.group("aword"), m.group("awap"))
        if start_t is None:
            return None
        zone_w = _named_zone(m.group("tz"), user_zone, writer_zone)
        return datetime.combine(day, start_t, tzinfo=zone_w or default_zone), None, zone_w is not None
    a_ap = a_ap or _working_hours_meridiem(m)
    start_t = _clock(m.group("ah"), m.group("am"), a_ap, m.group("anoon"))
    if start_t is None:
        return None
    end_t = None
    if m.group("bh") or m.group("bnoon"):
        end_t = _clock(m.group("bh"), m.group("bm"), m.group("bap") or a_ap, m.group("bnoon"))
    if end_t is not None and not m.group("aap") and m.group("bap") and end_t <= start_t:
        # "11-12pm", "11 to 1pm": the pm belongs to the end only, so the start is in the morning.
        start_t = _clock(m.group("ah"), m.group("am"), "am", None) or start_t
    zone = _named_zone(m.group("tz"), user_zone, writer_zone)
    named = zone is not None
    tz = zone or default_zone
    start = datetime.combine(day, start_t, tzinfo=tz)
    end = datetime.combine(day, end_t, tzinfo=tz) if end_t else None
    if end is not None and end <= start:
        end = None
    if end is not None and end - start > timedelta(hours=8):
        end = None
    return start, end, named


def _duration(text: str, pos: int = 0) -> timedelta | None:
    """The interview's length: the first one said after its time (`pos`), else the first one said at all ("Plan
    for 20 minutes to present" after "for about 1 h 30" must not win)."""
    after = [m for m in _DURATION.finditer(text, pos, pos + 600)]
    for m in (*after, *_DURATION.finditer(text, 0, pos)):
        length = _minutes(m)
        if length is not None and 10 <= length <= 480:
            return timedelta(minutes=length)
    return None


def _minutes(m: re.Match[str]) -> float | None:
    if m.group("half"):
        return 30.0
    if m.group("hh"):
        return int(m.group("hh")) * 60.0 + int(m.group("hm") or 0)
    n_text = " ".join(m.group("n").lower().split())
    unit = m.group("unit").lower()
    if n_text.startswith("half"):
        value = 0.5
    elif n_text == "one and a half":
        value = 1.5
    elif n_text in _DURATION_NUMBERS:
        value = float(_DURATION_NUMBERS[n_text])
    else:
        try:
            value = float(n_text.replace(",", "."))
        except ValueError:
            return None
    if m.group("andhalf"):
        value += 0.5
    return value * 60 if unit.startswith(("hour", "hr", "heure", "stunde", "hora")) else value


# ---------------------------------------------------------------------------------------------------------
# interviewers

_INTRO = gated(
    re.compile(
        r"(?:\binterviewers?(?:\(s\))?|\bpanel(?:ists?)?|\binterview\s+panel|\byour\s+interviewers?\s+(?:is|are|will\s+be)"
        r"|\byou(?:'ll|’ll|\s+will)\s+(?:be\s+)?(?:meet(?:ing)?|speak(?:ing)?|talk(?:ing)?|chat(?:ting)?|interview(?:ing)?"
        r"|connect(?:ing)?)\s+with|\b(?:you\s+will\s+)?meet\s+with|\bmeeting\s+with|\bspeaking\s+with"
        r"|\bchatting\s+with|\bwho\s+you(?:'ll|\s+will)\s+(?:be\s+)?meet(?:ing)?"
        # "an interview on Thursday, April 2 at 11:00 AM ET with Sam Whitfield": the people come after the time.
        # ("interview with Acme" right after the word is left alone: there it names the company as often as a person.)
        r"|\b(?:interview|call|chat|conversation|meeting|screen|round)s?\s+(?!with\b)\S"
        r"(?:[^.!?\n]|\n(?![ \t]*\n)){0,100}?\swith\b|\b(?:call|chat|conversation|screen|round)s?\s+with\b"
        # "an interview with Sophie Marsh, their Head of Marketing": a name with its title is a person, not a company.
        r"|\b(?:interview|Gespräch|entretien|entrevista)\s+(?:with|mit|avec|con)\b(?=\s+(?-i:[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)"
        r",\s+(?:their|our|unser(?:e[mnr]?)?|notre|leur|su|nuestr[ao]|the\s+(?:hiring\s+manager|head|director|vp|cto|ceo"
        r"|cfo|coo|founder|co-founder|recruiter|team\s+lead|manager|lead))\b))"
        r"[ \t]*:?[ \t]*",
        re.IGNORECASE,
    )
)
_WORD = r"[A-ZÀ-Ý](?:[a-zà-ÿ]+|['’][A-ZÀ-Ý])[A-Za-zà-ÿÀ-Ý'’\-]*"
_NAME = gated(
    re.compile(
        rf"^(?:(?:Dr|Mr|Ms|Mrs|Mx)\.?\s+)?(?P<name>{_WORD}(?:\s+(?:{_WORD}|[A-Z]\.|de|van|von|da|del|der|la|le)){{0,3}})"
    )
)
_EMAIL = gated(re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"))
_NOT_NAME_WORDS = frozenset(
    """
    the our your a an and team manager engineering engineer senior staff principal lead head director vp
    recruiter recruiting talent hiring product design designer data science scientist software backend
    frontend platform sales marketing operations people hr coordinator partner founder cofounder co-founder
    ceo cto cfo coo president chief officer analyst member members group panel committee
    interview interviewer zoom google meet microsoft teams webex phone call video onsite on-site virtual
    office monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today tomorrow hi hello dear thanks thank best
    regards please time date location details agenda duration minutes hour hours our us you me i we they
    them tbd tba n/a technical screen round final first second third
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def find_interviewers(
    text: str, known: tuple[Address, ...] = (), exclude: frozenset[str] = frozenset()
) -> tuple[tuple[Address, ...], tuple[str, ...]]:
    """People named as interviewers: (those with an address, names without one).

    `known` are addresses from the headers (To/Cc/From) used to attach an address to a bare name; names in
    `exclude` (lower case: the user's own names) are dropped.
    """
    addresses: dict[str, Address] = {}
    names: dict[str, str] = {}
    by_name = {a.name.lower(): a for a in known if a.name}
    for m in _INTRO.finditer(text):
        segment = _list_after(text, m.end(), label=text[m.start() : m.end()].rstrip().endswith(":"))
        for item in _split_people(segment):
            email_m = _EMAIL.search(item)
            email = email_m.group(0).lower() if email_m else ""
            name_part = re.sub(r"<[^>]*>|\([^)]*\)|\[[^\]]*\]", " ", item)
            if email_m:
                name_part = name_part.replace(email_m.group(0), " ")
            name = _clean_name(name_part)
            if name and name.lower() in exclude:
                continue
            if email:
                addresses.setdefault(email, Address(name=name or "", email=email))
            elif name:
                if name.lower() in by_name:
                    known_addr = by_name[name.lower()]
                    addresses.setdefault(known_addr.email, known_addr)
                else:
                    names.setdefault(name.lower(), name)
    for m in _SCHEDULE_LINE.finditer(text):
        # "10:00-10:45 Jane Doe (EM)", "11:30 - 12:15  System design with Raj Patel": one person per slot.
        if not re.search(rf"\d[:.]\d\d|{_AMPM}", text[m.start() : m.start("rest")]):
            continue  # "10-12 Hanover Square" is an address, not a time slot
        rest = re.sub(r"<[^>]*>|\([^)]*\)|\[[^\]]*\]", " ", m.group("rest"))
        rest = re.split(r"\bwith\s+", rest, maxsplit=1)[-1]
        name = _clean_name(re.split(r"\s[-–—|,]\s|,", rest, maxsplit=1)[0])
        if len(name.split()) < 2 or any(w.lower() in _AGENDA_WORDS for w in name.split()):
            continue
        if name.lower() in exclude:
            continue
        if name.lower() in by_name:
            addresses.setdefault(by_name[name.lower()].email, by_name[name.lower()])
        else:
            names.setdefault(name.lower(), name)
    named_with_address = {a.name.lower() for a in addresses.values() if a.name}
    return tuple(addresses.values()), tuple(n for k, n in names.items() if k not in named_with_address)


# A line of an interview-day schedule: a time range, then who (or what) fills the slot.
_SCHEDULE_LINE = gated(
    re.compile(
        rf"^[ \t]*[-*•]?[ \t]*\d{{1,2}}(?:[:.]\d{{2}})?[ \t]*(?:{_AMPM})?[ \t]*(?:-|–|—|to)[ \t]*"
        rf"\d{{1,2}}(?:[:.]\d{{2}})?[ \t]*(?:{_AMPM})?[ \t]*(?:[A-Z]{{2,4}}\b)?[ \t]*[:|,\-–—]?[ \t]*(?P<rest>[^\n]+)$",
        re.MULTILINE,
    )
)
# Slot titles that look like two capitalised names: "Coding Exercise", "Lunch Break".
_AGENDA_WORDS = frozenset(
    """
    lunch break coffee debrief wrap welcome tour intro introduction session coding exercise pairing presentation
    case study behavioral behavioural culture values deep dive architecture whiteboard system design q&a closing
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def _list_after(text: str, pos: int, label: bool) -> str:
    """The text naming the people: to the end of the sentence, or for a "Label:" the following list lines."""
    rest = text[pos : pos + 400]
    first_line, _, following = rest.partition("\n")
    if label and not first_line.strip():
        lines: list[str] = []
        for line in following.split("\n"):
            if not line.strip():
                if lines:
                    break
                continue
            if re.match(r"^\s*[A-Z][\w ]{0,20}:\s", line) and lines:
                break  # the next "Label:" field
            lines.append(line)
        return "\n".join(lines)
    if label:
        return first_line
    # A sentence ends at ". " but not at "Dr. " or "J. Smith".
    m = re.search(r"(?<!\b[A-Z])(?<!Dr)(?<!Mr)(?<!Ms)(?<!Mrs)[.!?](?:\s|$)", first_line)
    return first_line[: m.start()] if m else first_line


def _split_people(segment: str) -> list[str]:
    # "Deepa Raghavan (deepa@trident.in)": an address in brackets is the person's; any other aside is not.
    segment = re.sub(r"\(\s*([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)\s*\)", r"<\1>", segment)
    segment = re.sub(r"\([^)]*\)", " ", segment)
    parts = re.split(r",|;|\n|\s+\band\b\s+|\s*&\s*|\s+\|\s+|•|·|\s+-\s+|–|—", segment)
    return [p.strip(" \t-*•:") for p in parts if p and p.strip(" \t-*•:")]


def _clean_name(text: str) -> str:
    text = " ".join(text.split())
    m = _NAME.match(text)
    if not m:
        return ""
    words = m.group("name").split()
    # "Jane Doe Engineering Manager" → "Jane Doe": stop at the first title word.
    kept: list[str] = []
    for word in words:
        if word.lower().strip(".") in _NOT_NAME_WORDS:
            break
        kept.append(word)
    if not kept or kept[0].lower() in _NOT_NAME_WORDS:
        return ""
    if len(kept) == 1 and not re.match(r"^[A-ZÀ-Ý][a-zà-ÿ'’\-]{1,}$", kept[0]):
        return ""
    return " ".join(kept)


# A row of an interview-day schedule: "10:00-10:45 Jane Doe (EM)", "11:30 am - 12:15 pm System design".
_SLOT = gated(
    re.compile(
        r"(?m)^\W{0,4}(?P<ah>\d{1,2})[:.](?P<am>\d{2})\s*(?P<aap>[ap]\.?m\.?)?\s*(?:-|–|—|to)\s*"
        r"(?P<bh>\d{1,2})[:.](?P<bm>\d{2})\s*(?P<bap>[ap]\.?m\.?)?",
        re.IGNORECASE,
    )
)


def schedule_end(text: str, found: FoundTime) -> datetime | None:
    """The end of the last slot of an interview-day schedule that starts at `found`, or None if there is none.

    A loop of back-to-back sessions ends with its last session, not its first: the thank-you notes wait for it.
    The slots must start at the interview's time and follow on from each other: "9:00 - 17:00" office hours in a
    signature are no session of the loop.
    """
    local = found.start
    latest: datetime | None = None
    chained = 0
    for m in _SLOT.finditer(text[found.pos : found.pos + 3000]):
        end_ap = m.group("bap") or m.group("aap")
        start_t = _clock(m.group("ah"), m.group("am"), m.group("aap") or m.group("bap"), None)
        end_t = _clock(m.group("bh"), m.group("bm"), end_ap, None)
        if start_t is None or end_t is None:
            continue
        start = local.replace(hour=start_t.hour, minute=start_t.minute, second=0, microsecond=0)
        end = local.replace(hour=end_t.hour, minute=end_t.minute, second=0, microsecond=0)
        if not local < end <= local + timedelta(hours=10) or start >= end:
            continue
        if latest is None:
            if not local <= start <= local + timedelta(minutes=15):
                continue  # the schedule starts with the interview, or it is not its schedule
        elif not latest - timedelta(hours=1) <= start <= latest + timedelta(hours=2):
            continue  # not the next session (a break for lunch is fine)
        latest = max(latest, end) if latest is not None else end
        chained += 1
    if chained == 1 and latest is not None and latest - local > timedelta(hours=4):
        return None  # one long range is opening hours, not a session
    return latest
