"""Whether an interview message moves an earlier slot rather than adding a new round.

Calendar invitations say so with the same UID and a higher SEQUENCE; applicant-tracking systems and recruiters
writing by hand say it in words ("your interview has been rescheduled", "new time"), which this module reads.
"""

from __future__ import annotations

import re

from agent.detect.gate import gated
from agent.models import Message

_MOVED = gated(
    re.compile(
        r"\b(?:re-?schedul(?:ed|ing|e)|moved\s+(?:your|our|the)\s+(?:interview|call|meeting|chat)"
        r"|(?:updated|new|changed)\s+(?:interview\s+)?(?:time|date|slot)|time\s+change|updated\s+invitation"
        r"|has\s+been\s+moved|pushed\s+(?:back|to))\b",
        re.IGNORECASE,
    )
)


# The boilerplate offer every confirmation ends with ("If you need to reschedule, reply to this email", "Need to
# reschedule? Use the link below", "propose a new time") moves nothing.
_OFFER = gated(
    re.compile(
        r"\bif\b|\bwhether\b|\bshould\s+you\b|\byou\s+(?:need|want|wish|would\s+like)\s+to\b|\bclick|\blink\b"
        r"|\bpropose\b|\bsuggest\b|\breply\b|\?",
        re.IGNORECASE,
    )
)


def moves_earlier_slot(message: Message) -> bool:
    """True when the subject or the new (unquoted) text says the interview was moved."""
    from agent.parsing import strip_quoted

    for text in (message.subject, strip_quoted(message.text)):
        for m in _MOVED.finditer(text):
            start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
            ends = [i for i in (text.find(c, m.end()) for c in ".!?\n") if i >= 0]
            sentence = text[start : min(ends) + 1 if ends else len(text)]
            if not _OFFER.search(sentence):
                return True
    return False
