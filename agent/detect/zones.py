"""Time-zone names as people and calendar programs write them, mapped to IANA zones.

"EST", "(PT)", "Eastern Time (US & Canada)", "(GMT-05:00) Eastern Time", "W. Europe Standard Time", "UTC+5:30":
`zone_from_text` turns each into a `tzinfo`. Abbreviations name a *region*, not an offset: "EST" written in
July still means New York time, which is what the writer meant, so they map to the region's IANA zone.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ABBREVIATIONS: dict[str, str] = {
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "EASTERN": "America/New_York",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago", "CENTRAL": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver", "MOUNTAIN": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "PACIFIC": "America/Los_Angeles",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu",
    "AST": "America/Halifax", "ADT": "America/Halifax", "NST": "America/St_Johns", "NDT": "America/St_Johns",
    "GMT": "Europe/London", "BST": "Europe/London", "UK": "Europe/London", "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon", "UTC": "UTC", "Z": "UTC",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "MEZ": "Europe/Berlin", "MESZ": "Europe/Berlin",
    "EET": "Europe/Athens", "EEST": "Europe/Athens", "MSK": "Europe/Moscow",
    "IST": "Asia/Kolkata", "PKT": "Asia/Karachi", "SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide", "ACDT": "Australia/Adelaide", "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland", "BRT": "America/Sao_Paulo",
    "ART": "America/Argentina/Buenos_Aires", "GST": "Asia/Dubai", "WIB": "Asia/Jakarta", "PHT": "Asia/Manila",
    # Africa, the rest of Asia and Latin America, as recruiters there write them.
    "SAST": "Africa/Johannesburg", "CAT": "Africa/Maputo", "EAT": "Africa/Nairobi", "WAT": "Africa/Lagos",
    "MYT": "Asia/Kuala_Lumpur", "ICT": "Asia/Bangkok", "NPT": "Asia/Kathmandu", "TRT": "Europe/Istanbul",
    "WITA": "Asia/Makassar", "CLT": "America/Santiago", "CLST": "America/Santiago", "COT": "America/Bogota",
    "PET": "America/Lima", "UYT": "America/Montevideo", "AMT": "America/Manaus",
}  # fmt: skip

# Long names used by Outlook, Calendly, Zoom and recruiters ("Pacific Time (US & Canada)", "Central European").
_LONG_NAMES: tuple[tuple[str, str], ...] = (
    # Spanish and French speakers name a country or a city: "hora peninsular", "hora de Colombia", "heure de Paris".
    (r"peninsular|españa|espana|hora de madrid", "Europe/Madrid"),
    (r"colombia|bogot", "America/Bogota"),
    (r"méxico|mexico", "America/Mexico_City"),
    (r"argentina|buenos aires", "America/Argentina/Buenos_Aires"),
    (r"chile|santiago", "America/Santiago"),
    (r"heure de paris|france|heure française", "Europe/Paris"),
    (r"mesz|mez|deutscher|mitteleurop", "Europe/Berlin"),
    (r"eastern", "America/New_York"),
    (r"central europe|w\.? europe|western europe|romance|europe/", "Europe/Berlin"),
    (r"central", "America/Chicago"),
    (r"mountain", "America/Denver"),
    (r"pacific", "America/Los_Angeles"),
    (r"alaska", "America/Anchorage"),
    (r"hawaii", "Pacific/Honolulu"),
    (r"atlantic", "America/Halifax"),
    (r"dublin", "Europe/Dublin"),
    (r"lisbon", "Europe/Lisbon"),
    (r"british|london|edinburgh|gmt standard|greenwich|uk time|united kingdom", "Europe/London"),
    (r"india|kolkata|mumbai|bangalore|bengaluru|new delhi|chennai", "Asia/Kolkata"),
    (r"brisbane", "Australia/Brisbane"),  # Queensland keeps standard time all year
    (r"e\.? europe|eastern europe|fle standard|gtb standard", "Europe/Athens"),
    (r"singapore", "Asia/Singapore"),
    (r"tokyo|japan|osaka|sapporo", "Asia/Tokyo"),
    (r"aus eastern|sydney|melbourne", "Australia/Sydney"),
    (r"new zealand|auckland|wellington", "Pacific/Auckland"),
    (
        r"berlin|paris|amsterdam|madrid|rome|stockholm|vienna|zurich|brussels|warsaw|prague|bern|copenhagen",
        "Europe/Berlin",
    ),
    (r"new york", "America/New_York"),
    (r"chicago", "America/Chicago"),
    (r"denver", "America/Denver"),
    (r"los angeles|san francisco|seattle", "America/Los_Angeles"),
)

_OFFSET = re.compile(r"(?:GMT|UTC)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


# Zones that write the same abbreviation, some without daylight saving: "AEST" from Brisbane is +10 all year,
# "MST" from Phoenix -7, "IST" from Dublin Irish time. When the user lives in one of them, theirs is meant.
_SAME_NAME_ZONES: tuple[frozenset[str], ...] = (
    frozenset({"Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Hobart",
               "Australia/Canberra", "Australia/Lindeman"}),
    frozenset({"Australia/Adelaide", "Australia/Darwin", "Australia/Broken_Hill"}),
    frozenset({"America/Denver", "America/Phoenix", "America/Edmonton", "America/Boise"}),
    frozenset({"America/Chicago", "America/Winnipeg", "America/Regina", "America/Mexico_City"}),
    frozenset({"America/New_York", "America/Toronto", "America/Detroit", "America/Montreal"}),
    frozenset({"America/Los_Angeles", "America/Vancouver", "America/Tijuana"}),
    frozenset({"Asia/Kolkata", "Europe/Dublin"}),
)  # fmt: skip


def as_the_user_means(zone: tzinfo, user_zone: tzinfo) -> tzinfo:
    """`zone` read from an abbreviation, or the user's own zone when both are among the zones that write it."""
    named, mine = getattr(zone, "key", ""), getattr(user_zone, "key", "")
    if named and mine and named != mine and any(named in group and mine in group for group in _SAME_NAME_ZONES):
        return user_zone
    return zone


def zone_from_text(text: str) -> tzinfo | None:
    """A zone from an abbreviation, an IANA name, a long name or a "(GMT-05:00)" offset; None if none is named.

    A named region beats a bare offset: "(GMT-05:00) Eastern Time" is New York (and follows its DST).
    """
    stripped = text.strip().strip("()[]").strip()
    if not stripped:
        return None
    upper = stripped.upper().replace(".", "")
    if upper in ABBREVIATIONS:
        return zone(ABBREVIATIONS[upper])
    if "/" in stripped and (found := zone(stripped.replace(" ", "_"))) is not None:
        return found
    low = stripped.lower()
    for pattern, iana in _LONG_NAMES:
        if re.search(pattern, low):
            return zone(iana)
    m = _OFFSET.search(stripped)
    if m:
        sign = -1 if m.group(1) in "-−" else 1
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        if minutes <= 14 * 60:
            return timezone(sign * timedelta(minutes=minutes))
    if re.search(r"coordinated universal|\butc\b|\bgmt\b", low):
        return zone("UTC")
    return None
