"""Decision timelines an employer states ("we'll get back to you by Friday, March 13", "within two weeks").

Owns `find_deadline` and the small calendar arithmetic it needs. A phrase counts only in a clause that is about
the employer answering (deciding, getting back, an update, next steps, hearing back), so "the interview is on
Tuesday", "apply by March 13" or "please send your availability by Friday" are not deadlines. Everything is
resolved against the message's own date in the user's zone, as the policy asks.

Resolution choices (documented because people are vague):
  "by Friday" / "on Friday"        the next Friday after the message (a week later if sent on a Friday, unless
                                   it says "end of day"/"EOD", which means today)
  "next Friday"                    the Friday of next week
  "by the 18th"                    the next 18th on/after the message date
  "within N days/weeks"            N calendar days / weeks; "N business days" skips weekends; ranges → upper
  "in the next week or two"        14 days;  "a couple of weeks" 14;  "a few weeks" 21;  "a few days" 3 bd
  "end of the week" / "this week"  Friday of the message's week (next Friday if sent at the weekend)
  "end of next week", "next week"  Friday of next week
  "early next week"                Monday of next week, the first day the writer's words allow (people
                                   reading the message name that day; the follow-up falls on Tuesday)
  "mid next week"                  Wednesday of next week
  "end of the month"               the last day of the month;  "mid-March" the 15th
An absolute date without a year that lies before the message rolls to next year only if that is within six
months (a December message saying "by January 9"); otherwise the phrase is ignored as a typo or history.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from agent.detect.gate import Pattern, gated
from agent.detect.lexicon import alternation, cue, periods, words
from agent.models import Deadline

# Every language's names (agent/data/lexicon): "Friday", "Freitag", "vendredi", "viernes".
WEEKDAYS: dict[str, int] = words("weekdays")
MONTHS: dict[str, int] = words("months")
NUMBERS: dict[str, int] = words("numbers")
_UNITS: dict[str, int] = words("units")  # days per unit; negative: business days

WD = alternation("weekdays")
MON = alternation("months")
ORD = r"(?:st|nd|rd|th)?"
_NUM = (
    r"(?:\d{1,3}|a couple of|a couple|couple of|a few|a number of|several|few|an?|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty)"
)
# Words between the preposition and the date: "by end of day Friday", "by close of business on March 13".
_EOD = (
    r"(?:(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:day|business(?:\s+day)?)|eod|cob|eob|close\s+of\s+business)"
    r"(?:\s+on)?\s+)"
)
_PREP = (
    r"(?:no\s+later\s+than|on\s+or\s+before|by|before|until|till|on|around|after|for"
    r"|sometime\s+(?:on|around|before)?|" + cue("deadline_prep").pattern + ")"
)

_EXPLICIT = gated(
    re.compile(
        rf"\b(?P<prep>{_PREP}|(?:the\s+)?week\s+of)\s+(?P<eod>{_EOD})?(?:(?P<wd>{WD})\.?,?\s+(?:the\s+|den\s+|le\s+|el\s+)?)?"
        rf"(?:(?P<mon>{MON})\.?\s+(?P<day>\d{{1,2}}){ORD}\b|(?P<day2>\d{{1,2}})(?:{ORD}|\.|er|º)\s*(?:of\s+|de\s+)?(?P<mon2>{MON})\b\.?"
        rf"|(?P<n1>\d{{1,2}})/(?P<n2>\d{{1,2}})(?:/(?P<ny>\d{{2,4}}))?\b|(?P<iso>20\d\d-\d\d-\d\d)\b"
        rf"|(?P<d3>\d{{1,2}})\.(?P<m3>\d{{1,2}})\.(?P<y3>20\d\d)\b|(?P<d4>\d{{1,2}})\.(?P<m4>\d{{1,2}})\.(?!\d))"
        rf"(?:,?\s+(?:de\s+)?(?P<year>20\d\d)\b)?",
        re.IGNORECASE,
    )
)
_DAY_OF_MONTH = gated(
    re.compile(rf"\b(?P<prep>{_PREP})\s+(?P<eod>{_EOD})?the\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)\b", re.I)
)
_WEEKDAY = gated(
    re.compile(
        rf"\b(?P<prep>{_PREP})\s+(?P<eod>{_EOD})?(?:(?P<which>this|next|the\s+coming|coming|diesen|nächsten|kommenden|den|ce|le|el|este|próximo)\s+)?(?P<wd>{WD})\b\.?"
        # "vendredi prochain", "el viernes que viene": "next" said after the day; "Friday the 27th": its date.
        rf"(?P<after>\s+(?:prochain|que\s+viene|próximo)\b)?"
        rf"(?:,?\s+(?:the\s+|den\s+|le\s+|el\s+)?(?P<dnum>\d{{1,2}})(?:st|nd|rd|th|\.)?(?![\d:.]|\s*(?:[ap]\.?m|uhr|h)\b))?"
        rf"(?:\s+(?P<when>morning|afternoon|evening))?",
        re.IGNORECASE,
    )
)
_RELATIVE = gated(
    re.compile(
        rf"\b(?:within|in|over|during|after)\s+(?:the\s+)?(?:next|coming|following)?\s*"
        rf"(?:about|approximately|roughly|around|another|the\s+next)?\s*(?P<n>{_NUM})"
        rf"(?:\s*(?:-|–|—|to|or)\s*(?P<m>{_NUM}))?\s+(?:more\s+)?(?P<biz>business|working|work)?\s*"
        rf"(?P<unit>day|week|hour|month)s?\b(?:\s+or\s+(?P<orx>two|three|so))?",
        re.IGNORECASE,
    )
)
# "innerhalb von zwei Wochen", "sous deux semaines", "en las próximas dos semanas": the lexicon's words.
_RELATIVE_WORDS = gated(
    re.compile(
        rf"(?:{cue('within').pattern})\s+(?P<n>\d{{1,2}}|{alternation('numbers')})\s+(?P<unit>{alternation('units')})\b",
        re.IGNORECASE,
    )
)
_NEXT_UNIT = gated(
    re.compile(
        r"\b(?:within|in|over|during)\s+(?:the\s+)?(?:next|coming)\s+(?P<unit>day|week|month)"
        r"(?:\s+or\s+(?P<orx>two|so))?\b",
        re.IGNORECASE,
    )
)
_COMING_DAYS = gated(re.compile(r"\b(?:in|over|within)\s+the\s+(?:coming|next)\s+(?:few\s+)?days\b", re.IGNORECASE))
_NAMED = gated(
    re.compile(
        r"\b(?P<prep>(?:by|before|at|until|around|towards?|for|sometime|in|later)\s+)?(?:the\s+)?"
        r"(?P<what>end\s+of\s+(?:the\s+|this\s+)?week|end\s+of\s+next\s+week|end\s+of\s+the\s+following\s+week"
        r"|(?:beginning|start)\s+of\s+next\s+week|early\s+next\s+week|early\s+part\s+of\s+next\s+week"
        r"|mid(?:dle)?[-\s]+(?:of\s+)?next\s+week|late(?:r)?\s+next\s+week|later\s+(?:this|in\s+the)\s+week"
        r"|end\s+of\s+(?:the\s+|this\s+)?month|end\s+of\s+next\s+month|early\s+next\s+month"
        r"|(?:sometime\s+)?next\s+week|this\s+week|next\s+month|eow|end\s+of\s+(?:the\s+)?day|eod|today|tomorrow"
        rf"|mid[-\s]+(?P<mid>{MON})|(?:the\s+)?end\s+of\s+(?P<endm>{MON})|early\s+(?P<earlym>{MON}))\b",
        re.IGNORECASE,
    )
)
# The same periods in the other languages (the lexicon's [periods]); the longer, later periods are tried first, so
# "fin de la semaine prochaine" is next week, not this one.
_PERIOD_ORDER = (
    "following_week",
    "next_week_early",
    "next_week_mid",
    "next_week",
    "next_month",
    "month_end",
    "week_end",
    "week_ahead",
    "coming_days",
    "tomorrow",
)
# "Mitte März", "mi-mars", "a mediados de marzo"; "Ende März", "fin mars", "a finales de marzo"; "Anfang April".
_MONTH_PART = gated(
    re.compile(
        rf"(?<!\w)(?:(?P<mid>mitte|mi-|mi\s|(?:a\s+)?mediados\s+de)\s*|(?P<end>ende|(?:la\s+)?fin(?:\s+(?:de|du))?|(?:a\s+)?finales?\s+de)"
        rf"\s+|(?P<early>anfang|(?:en\s+)?d[ée]but|(?:a\s+)?(?:principios|inicios|comienzos)\s+de)\s+)(?P<month>{MON})\b",
        re.IGNORECASE,
    )
)
_NAMED_LOCAL = gated(
    re.compile(
        r"(?<!\w)(?:" + "|".join(f"(?P<{k}>{periods()[k]})" for k in _PERIOD_ORDER if k in periods()) + r")(?!\w)",
        re.IGNORECASE,
    )
)
# A calendar week, as German and Nordic offices count them: "bis Ende KW 12", "in Kalenderwoche 14", "week 12",
# "semaine 12": the Friday of that ISO week.
_CALENDAR_WEEK = gated(
    re.compile(
        r"(?<!\w)(?:(?:bis\s+)?(?:ende|anfang|mitte)\s+(?:der\s+)?)?(?:KW|Kalenderwoche|calendar\s+week|week|semaine|semana)"
        r"\s*(?P<week>\d{1,2})(?!\d)",
        re.IGNORECASE,
    )
)


def _calendar_week(m: re.Match[str], today: date) -> date | None:
    week = int(m.group("week"))
    if not 1 <= week <= 53:
        return None
    for year in (today.year, today.year + 1):
        try:
            friday = date.fromisocalendar(year, week, 5)
        except ValueError:
            continue
        if friday >= today:
            return friday
    return None


# A clause is about the employer answering.
_CUE = gated(
    re.compile(
        r"\b(?:decid\w*|decision\w*|get(?:ting)?\s+back|hear(?:ing)?\s+(?:back|from\s+(?:us|me|them|the\s+team|our"
        r"|someone|one\s+of))|let\s+(?:you|everyone|all\s+(?:candidates|applicants)|you\s+all|each\s+candidate)\s+know|keep\s+you\s+(?:posted|updated|informed)|update\s+you|updates?"
        r"|be\s+in\s+touch|(?:get|reach|reaching)\s+(?:out|in\s+touch)|contact\s+you|follow(?:ing)?\s+up\s+with\s+you"
        r"|circle\s+back|come\s+back\s+to\s+(?:you|me|us)|revert(?:ing)?(?:\s+(?:back|to\s+you))?|respond(?:ing)?|response|feedback|next\s+steps?|outcome|results?"
        r"|news|finali[sz]\w*|wrap(?:ping)?\s+(?:things\s+)?up|conclud\w*|an\s+answer|make\s+(?:a|our|the)\s+"
        r"(?:choice|selection|hire|offer)|selection|notify\s+you|inform\s+you|reply\s+to\s+you|more\s+information"
        r"|status|timeline|extend(?:ing)?\s+(?:an\s+)?offers?|reach\s+a\s+(?:decision|conclusion)"
        r"|(?:share|send)\s+(?:with\s+you\s+)?(?:you\s+)?(?:the|an|our|your)\s+(?:offer|decision|feedback|outcome))\b|"
        + cue("answer_clause").pattern,
        re.IGNORECASE,
    )
)
# A clause asks the candidate to act, or is about something else with a date.
_ANTI = gated(
    re.compile(
        r"\b(?:(?:please|kindly)\s+(?!allow|expect|note|be\s+patient|bear\s+with|know|rest\s+assured)"
        r"|could\s+you|can\s+you|would\s+you|you\s+(?:must|need\s+to|will\s+need|are\s+required)|apply|applications?\s+"
        r"(?:close|deadline)|submit|complete\s+(?:the|your)|your\s+availability|sign\s+(?:and|the)|rsvp|register"
        r"|expires?|valid\s+until|deadline\s+to|out\s+of\s+(?:the\s+)?office|on\s+(?:vacation|leave|holiday|pto)"
        r"|webinar|start\s+date)\b|" + cue("not_answer_clause").pattern,
        re.IGNORECASE,
    )
)
# A date followed by a clock time is a meeting, not a decision date.
_TIME_AFTER = gated(
    re.compile(r"^\s*(?:,|at|from|@|um|à|a\s+las)?\s*\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?\b", re.IGNORECASE)
)
# Clause boundaries; a comma before a date ("by Friday, March 13") is not one.
_CLAUSE_SPLIT = gated(
    re.compile(
        rf"[;:]|,(?!\s*(?:{MON}|{WD})\b|\s*\d|\s*(?:the|den|dem|le|el)\s+\d)\s*(?:(?:and|but|so)\s+)?"
        r"|\s+(?:and|but|so|while|although)\s+"
        r"(?=(?:we|i|you|they|the|our|he|she|it|there|will|we'll|i'll|once|hope|expect)\b)"
        # "… y te diremos algo", "… und wir melden uns", "… et nous reviendrons", and a dash between two thoughts.
        r"|\s+(?:y|e|und|et|mais|aber|pero|sondern)\s+(?=(?:te|le|les|nos|lo|wir|ich|du|nous|je|on|vous|il|elle)\b)"
        # German puts the verb right after "und": "… ein letztes Gespräch und entscheiden dann im Team" is two
        # clauses (a capitalised word after it is a noun: "Lea und Ömer").
        r"|\s+und\s+(?=(?-i:[a-zäöüß])[\wäöüß]*\s)"
        r"|\s+[-–—]\s+",
        re.IGNORECASE,
    )
)
# "Once the hiring manager is back on the 23rd, we'll have an answer": the date someone returns, in a sentence
# about answering, is when the answer can come (the loose pass otherwise skips "on" dates).
_RETURN_BEFORE = gated(re.compile(r"\b(?:back|returns?|returning|in\s+the\s+office)\s*$", re.IGNORECASE))
_PREP_BEFORE = gated(re.compile(rf"\b(?:{_PREP})\s*$", re.IGNORECASE))
_PHRASE_PREP = re.compile(rf"(?:{_PREP})\b", re.IGNORECASE)
# Prepositions that date a meeting as often as a decision: with a clock time after the date, it is a meeting.
_MEETING_PREPS = frozenset({"on", "for", "around", "after", "week of", "the week of"})


def find_deadline(text: str, sent_at: datetime, zone: ZoneInfo) -> Deadline | None:
    """The first date by which the employer says they will answer, resolved against `sent_at` in `zone`."""
    if not text:
        return None
    today = sent_at.astimezone(zone).date() if sent_at.tzinfo else sent_at.date()
    text = text[:20_000]  # a decision date is in the first screens of a message, not in a 200 kB footer
    if not _CUE.search(text):
        return None  # every date found below sits in a clause with an answer cue: none in the text, none at all
    # "bis zum 13. März": a period after a day number ends no sentence.
    sentences = [
        s for s in re.split(r"(?<=[.!?])(?<!\b\d\.)(?<!\b\d\d\.)\s+|\n\s*\n|\n(?=\s*[-*•])", text) if s.strip()
    ]
    # First pass: the date and the cue share a clause; second pass: the same sentence (loose, for "… and get
    # back to you, by Friday"), but never for "on"/"after"/"for", which so often date something else.
    bare: Deadline | None = None
    for strict in (True, False):
        for sentence in sentences:
            sentence = " ".join(sentence.split())
            units = _clauses(sentence) if strict else [sentence]
            found = [
                hit
                for unit in units
                if _CUE.search(unit) and not _ANTI.search(unit)
                for hit in [_first_in(unit, today, strict)]
                if hit is not None
            ]
            if found:
                # In one sentence a named date beats a vague one: "wrapping up this week and will get back to
                # you by Friday, March 13" means March 13. Between equally vague ones the later wins: "wrapping
                # up interviews this week, so expect to hear within 5-7 business days" promises the answer at the
                # later date, and a follow-up a little late costs less than one that comes too early.
                best = min(found, key=lambda hit: (_vagueness(hit.phrase), -hit.day.toordinal()))
                if not _said_without_by(best, sentence):
                    return best
                # "finishing screens this week and then deciding. We'll get back to you by end of next week":
                # a period said without "by" dates the work; a later sentence's "by" dates the answer.
                bare = bare or best
    return bare


def _said_without_by(hit: Deadline, sentence: str) -> bool:
    """A named period with no preposition before it ("this week", "next week"), not "by the end of next week"."""
    if _vagueness(hit.phrase) < 2 or _PHRASE_PREP.match(hit.phrase):
        return False
    at = sentence.find(hit.phrase)
    return at >= 0 and not _PREP_BEFORE.search(sentence[max(0, at - 25) : at])


def _vagueness(phrase: str) -> int:
    """0 for a calendar date, 1 for a weekday or "the 18th", 2 for relative and named periods."""
    if _EXPLICIT.fullmatch(phrase) or re.search(rf"\b{MON}\b|\d+/\d+|\d\.\d\d?\.\d|\d{{4}}-\d\d", phrase, re.I):
        return 0
    if re.search(rf"\b{WD}\b|\bthe\s+\d", phrase, re.IGNORECASE):
        return 1
    return 2


def _clauses(sentence: str) -> list[str]:
    parts = [p for p in _CLAUSE_SPLIT.split(sentence) if p and p.strip()]
    return parts or [sentence]


Resolver = Callable[[re.Match[str], date], date | None]


def _first_in(unit: str, today: date, strict: bool) -> Deadline | None:
    hits: list[tuple[bool, bool, int, int, date, str]] = []
    for pattern, resolve in _PATTERNS:
        for m in pattern.finditer(unit):
            prep = (m.groupdict().get("prep") or "").lower()
            if not strict and prep in {"on", "after", "for"} and not _RETURN_BEFORE.search(unit[: m.start()]):
                continue
            if prep == "for" and pattern is not _EXPLICIT:
                continue  # "for Friday" is nearly always the meeting itself
            loose_prep = " ".join(prep.split())
            if (
                pattern in (_EXPLICIT, _WEEKDAY, _DAY_OF_MONTH)
                and (loose_prep in _MEETING_PREPS or loose_prep.startswith("sometime"))
                and _TIME_AFTER.match(unit[m.end() :])
            ):
                continue
            if pattern is _WEEKDAY and m.group("when") and prep in {"on", "for"}:
                continue
            try:
                day = resolve(m, today)
            except (ValueError, OverflowError):
                day = None
            if day is None or day < today or day > today + timedelta(days=370):
                continue
            # "wrapping up this week and will decide by the end of next week": the date they answer *by* wins.
            bare = (
                pattern in (_NAMED, _NAMED_LOCAL, _MONTH_PART)
                and not prep
                and not _PREP_BEFORE.search(unit[max(0, m.start() - 25) : m.start()])
            )
            # "one more candidate to see on Monday and a decision by the end of next week": a day said with "on"
            # dates something that happens; one said with "by", "bis" or "d'ici" is the answer's.
            happens = loose_prep in _MEETING_PREPS or loose_prep in {"am", "le", "el"}
            hits.append((bare, happens, m.start(), -(m.end() - m.start()), day, m.group(0).strip(" ,.")))
    if not hits:
        return None
    hits.sort()
    _, _, _, _, day, phrase = hits[0]
    return Deadline(day=day, phrase=phrase)


# ---------------------------------------------------------------------------------------------------------
# calendar arithmetic


def next_weekday(today: date, weekday: int, allow_today: bool = False) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not allow_today:
        ahead = 7
    return today + timedelta(days=ahead)


def weekday_of_week(today: date, weekday: int, weeks_ahead: int) -> date:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return monday + timedelta(days=weekday)


def add_business_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year = day.year + month0 // 12
    month = month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _number(word: str | None) -> int | None:
    if not word:
        return None
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def resolve_month_day(month: int, day: int, year: int | None, today: date) -> date | None:
    """A calendar date; without a year the next occurrence, rolling over New Year only within six months."""
    if year is not None:
        return date(year, month, day)
    candidate = date(today.year, month, day)
    if candidate >= today:
        return candidate
    rolled = date(today.year + 1, month, day)
    return rolled if (rolled - today).days <= 183 else None


# ---------------------------------------------------------------------------------------------------------
# resolvers


def _explicit(m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if g.get("iso"):
        y, mo, d = (int(x) for x in g["iso"].split("-"))
        result: date | None = date(y, mo, d)
    elif g.get("d3"):  # "20.03.2026": Europe's dotted dates are day first
        result = date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    elif g.get("d4"):  # "bis zum 20.03.": the year is the next one that has that day
        result = resolve_month_day(int(g["m4"]), int(g["d4"]), None, today)
    elif g.get("n1"):
        month, day = int(g["n1"]), int(g["n2"])
        if month > 12 >= day:  # "13/3" can only be day-first
            month, day = day, month
        if g.get("ny"):
            ny = int(g["ny"])
            year = ny + 2000 if ny < 100 else ny
        result = resolve_month_day(month, day, year, today)
    else:
        month = MONTHS[(g.get("mon") or g.get("mon2") or "").lower().rstrip(".")]
        day = int(g.get("day") or g.get("day2") or 0)
        result = resolve_month_day(month, day, year, today)
    if result is not None and (g.get("prep") or "").lower().replace(" ", "").startswith(("theweekof", "weekof")):
        result = result + timedelta(days=max(0, 4 - result.weekday()))  # "the week of March 16" → that Friday
    return result


def _day_of_month(m: re.Match[str], today: date) -> date | None:
    return next_day_of_month(today, int(m.group("day")))


def next_day_of_month(today: date, day: int) -> date | None:
    """The next `day`th of a month from `today` on (today included), within this month and the next two."""
    if not 1 <= day <= 31:
        return None
    for months in range(3):
        base = _add_months(today.replace(day=1), months)
        if day <= calendar.monthrange(base.year, base.month)[1]:
            candidate = base.replace(day=day)
            if candidate >= today:
                return candidate
    return None


def _weekday(m: re.Match[str], today: date) -> date | None:
    wd = WEEKDAYS[m.group("wd").lower().rstrip(".")]
    which = (m.group("which") or "").lower()
    if m.group("dnum"):
        for weeks in range(6):  # "by Friday the 27th": the Friday that is the 27th
            candidate = next_weekday(today, wd, allow_today=True) + timedelta(weeks=weeks)
            if candidate.day == int(m.group("dnum")):
                return candidate
    if which in {"next", "nächsten", "kommenden", "próximo"} or m.group("after"):
        # "next Friday" said on a Monday still means the Friday of next week for most writers.
        return weekday_of_week(today, wd, 1)
    same_day_ok = bool(m.group("eod")) or which == "this"
    return next_weekday(today, wd, allow_today=same_day_ok)


def _relative(m: re.Match[str], today: date) -> date | None:
    low = _number(m.group("n"))
    high = _number(m.group("m"))
    n = max(x for x in (low, high) if x is not None) if (low or high) else None
    if n is None or n <= 0:
        return None
    orx = (m.group("orx") or "").lower()
    if orx in {"two", "three"}:
        n = max(n, NUMBERS[orx])
    unit = m.group("unit").lower()
    business = bool(m.group("biz"))
    if unit == "hour":
        return today + timedelta(days=max(1, -(-n // 24)))
    if unit == "day":
        if business or m.group("n").lower() in {"a few", "few", "a couple", "a couple of", "couple of", "several"}:
            return add_business_days(today, n)
        return today + timedelta(days=n)
    if unit == "week":
        return today + timedelta(weeks=n)
    return _add_months(today, n)


def _relative_words(m: re.Match[str], today: date) -> date | None:
    n = _number(m.group("n"))
    per_unit = _UNITS.get(" ".join(m.group("unit").lower().split()))
    if not n or per_unit is None:
        return None
    if per_unit < 0:
        return add_business_days(today, n)
    if n == 15 and per_unit == 1 and m.group("n").lower() == "quinze":
        n = 14  # "sous quinze jours" means two weeks, as "a fortnight" does
    return today + timedelta(days=n * per_unit)


def _next_unit(m: re.Match[str], today: date) -> date | None:
    unit = m.group("unit").lower()
    two = (m.group("orx") or "").lower() == "two"
    if unit == "day":
        return add_business_days(today, 2 if two else 1)
    if unit == "week":
        return today + timedelta(weeks=2 if two else 1)
    return _add_months(today, 2 if two else 1)


def _coming_days(m: re.Match[str], today: date) -> date | None:
    return add_business_days(today, 3)


def _this_friday(today: date) -> date:
    return next_weekday(today, 4, allow_today=True) if today.weekday() <= 4 else next_weekday(today, 4)


def _named(m: re.Match[str], today: date) -> date | None:
    what = " ".join(m.group("what").lower().replace("-", " ").split())
    for part, group in (("mid", "mid"), ("end", "endm"), ("early", "earlym")):
        if m.group(group):
            return _part_of_month(MONTHS[m.group(group).lower()], part, today)
    if what in {"end of day", "eod", "today"}:
        # "by end of day" is a promise; a bare "today" is usually just when the conversation happened.
        return today if m.group("prep") else None
    if what == "tomorrow":
        return today + timedelta(days=1)
    if "following week" in what:
        return weekday_of_week(today, 4, 2)
    if "next week" in what:
        if what.startswith(("beginning", "start", "early")):
            return weekday_of_week(today, 0, 1)
        if what.startswith("mid"):
            return weekday_of_week(today, 2, 1)
        return weekday_of_week(today, 4, 1)
    if "week" in what or what == "eow":
        return _this_friday(today)
    if what == "early next month":
        return _add_months(today.replace(day=1), 1).replace(day=10)
    if "next month" in what:
        return _end_of_next_month(today)
    if "month" in what:
        return end_of_month(today.year, today.month)
    return None


def _part_of_month(month: int, part: str, today: date) -> date | None:
    """The middle (15th), end (last day) or start (10th) of the next `month` on or after today."""
    if part == "mid":
        return resolve_month_day(month, 15, None, today)
    if part == "end":
        return resolve_month_day(month, calendar.monthrange(today.year, month)[1], None, today)
    return resolve_month_day(month, 10, None, today)


def _end_of_next_month(today: date) -> date:
    following = _add_months(today.replace(day=1), 1)
    return end_of_month(following.year, following.month)


# The day each of the lexicon's named periods resolves to.
_PERIOD_DAY: dict[str, Callable[[date], date]] = {
    "following_week": lambda today: weekday_of_week(today, 4, 2),
    "next_week_early": lambda today: weekday_of_week(today, 0, 1),
    "next_week_mid": lambda today: weekday_of_week(today, 2, 1),
    "next_week": lambda today: weekday_of_week(today, 4, 1),
    "next_month": _end_of_next_month,
    "month_end": lambda today: end_of_month(today.year, today.month),
    "week_end": lambda today: _this_friday(today),
    "week_ahead": lambda today: today + timedelta(days=7),
    "coming_days": lambda today: add_business_days(today, 3),
    "tomorrow": lambda today: today + timedelta(days=1),
}


def _named_local(m: re.Match[str], today: date) -> date | None:
    resolve = _PERIOD_DAY.get(m.lastgroup or "")
    return resolve(today) if resolve is not None else None


def _month_part(m: re.Match[str], today: date) -> date | None:
    month = MONTHS.get(m.group("month").lower().rstrip("."))
    if month is None:
        return None
    return _part_of_month(month, next(p for p in ("mid", "end", "early") if m.group(p)), today)


_PATTERNS: tuple[tuple[Pattern, Resolver], ...] = (
    (_EXPLICIT, _explicit),
    (_DAY_OF_MONTH, _day_of_month),
    (_WEEKDAY, _weekday),
    (_RELATIVE, _relative),
    (_RELATIVE_WORDS, _relative_words),
    (_NEXT_UNIT, _next_unit),
    (_COMING_DAYS, _coming_days),
    (_NAMED, _named),
    (_NAMED_LOCAL, _named_local),
    (_MONTH_PART, _month_part),
    (_CALENDAR_WEEK, _calendar_week),
)
