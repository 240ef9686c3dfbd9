"""Whether an interview message moves an earlier slot rather than adding a new round.

Calendar invitations say so with the same UID and a higher SEQUENCE; applicant-tracking systems and recruiters
writing by hand say it in words ("your interview has been rescheduled", "new time"), which this module reads.
"""

from __future__ import annotations

import re

from agent.models import Message

_MOVED = re.compile(
    r"\b(?:re-?schedul(?:ed|ing|e)|moved\s+(?:your|our|the)\s+(?:interview|call|meeting|chat)"
    r"|(?:updated|new|changed)\s+(?:interview\s+)?(?:time|date|slot)|time\s+change|updated\s+invitation"
    r"|has\s+been\s+moved|pushed\s+(?:back|to))\b",
    re.IGNORECASE,
)


def moves_earlier_slot(message: Message) -> bool:
    """True when the subject or the new (unquoted) text says the interview was moved."""
    from agent.parsing import strip_quoted

    return bool(_MOVED.search(message.subject) or _MOVED.search(strip_quoted(message.text)))
