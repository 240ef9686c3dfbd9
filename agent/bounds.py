"""What one message may cost: the sane range of dates and the caps on what is read from a message.

Pure. A stranger's mail decides what goes into a message, so everything taken from one is bounded here: a date
outside 1990..2100 is no fact (an ICS `DTSTART:99991231T230000Z` would overflow every date sum downstream), an
invitation's attendees are read up to a cap, and detection searches a capped length of text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from agent.models import Verdict

FIRST_YEAR = 1990
LAST_YEAR = 2100
# More attendees than this are a mailing list or an attack, not an interview panel.
MAX_ATTENDEES = 50
# Detection searches at most this much of a message's text; a recruiter's words come first.
MAX_SEARCHED_CHARS = 100_000
# Calendar parts read per message (an invitation has one or two: the inline part and the .ics attachment).
MAX_CALENDARS = 4


def sane(moment: date | datetime | None) -> bool:
    """Whether a date is one a job search can be about (None, no date at all, is sane)."""
    return moment is None or FIRST_YEAR <= moment.year <= LAST_YEAR


def bound_verdict(verdict: Verdict) -> tuple[Verdict, list[str]]:
    """The verdict without the dates outside the sane range, and what was dropped (for one warning)."""
    dropped: list[str] = []
    interview, deadline, met = verdict.interview, verdict.deadline, verdict.met
    if interview is not None:
        if not sane(interview.start):
            dropped.append(f"an interview in the year {interview.start.year}")
            interview = None
        elif not sane(interview.end):
            interview = replace(interview, end=None)
    if deadline is not None and not sane(deadline.day):
        dropped.append(f"a named date in the year {deadline.day.year}")
        deadline = None
    if met is not None and not sane(met):
        dropped.append(f"a meeting in the year {met.year}")
        met = None
    if not dropped and interview is verdict.interview:
        return verdict, []
    return replace(verdict, interview=interview, deadline=deadline, met=met), dropped
