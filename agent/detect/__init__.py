"""Detection: what a parsed message means for the user's job search.

`detect` runs the ordered rules of `agent.detect.rules` and returns the first verdict; `might_matter` is the
cheap header-only prefilter the engine uses before downloading a body; `describe_rules` lists the rules for the
`explain` command. Everything here is pure: no backend, no store, no clock except the message's own date.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from agent.bounds import MAX_CALENDARS, MAX_SEARCHED_CHARS
from agent.detect import gate
from agent.detect.addresses import (
    is_ats_domain,
    is_automated_address,
    is_bulk_sender_domain,
    is_employment_service,
    is_job_board,
)
from agent.detect.context import DetectContext
from agent.detect.rules import RULES, Rule, facts, plainly_personal, reply
from agent.detect.rules import _current as _facts_cache
from agent.logs import describe_failure
from agent.models import FolderRole, Kind, Message, Verdict
from agent.parsing import strip_quoted

__all__ = ["RULES", "DetectContext", "Rule", "bulk_evidence", "describe_rules", "detect", "might_matter"]

log = logging.getLogger(__name__)

# Whether `detect` may answer "reply" for a friend's letter without running the rules (`plainly_personal`); a
# test turns it off to check that the rules give the same verdict.
FAST_PATH = True

# The rules read only what the writer wrote (strip_quoted), and everything they look for (a time, a date, a
# decision, who to thank) is said near the top: a long letter or a newsletter's tail only costs regex passes.
OWN_TEXT_CHARS = 3000


def bounded(message: Message) -> Message:
    """The message as detection reads it: its new text only, at most OWN_TEXT_CHARS of it."""
    if len(message.text) <= OWN_TEXT_CHARS:
        return message
    return replace(message, text=strip_quoted(message.text)[:OWN_TEXT_CHARS])


def detect(message: Message, ctx: DetectContext) -> Verdict:
    """The verdict of the first rule that matches (the last rule always does)."""
    if len(message.text) > MAX_SEARCHED_CHARS or len(message.calendars) > MAX_CALENDARS:
        # What one message costs is bounded whatever it holds: the rules search a capped text.
        message = replace(message, text=message.text[:MAX_SEARCHED_CHARS], calendars=message.calendars[:MAX_CALENDARS])
    message = bounded(_plain_apostrophes(message))
    try:
        facts(message, ctx)
        if FAST_PATH and plainly_personal(message, ctx) and (verdict := reply(message, ctx)) is not None:
            return verdict
        for name, rule in RULES:
            try:
                verdict = rule(message, ctx)
            except Exception as exc:  # a bug in one rule must not lose the message: the next rules still decide
                log.error("detection rule %s failed on message %s: %s", name, message.message_id, describe_failure(exc))
                continue
            if verdict is not None:
                return verdict
    finally:
        _facts_cache.clear()  # the per-message facts must not outlive the call
        gate.forget()
    return Verdict(kind=Kind.UNRELATED, rule="unrelated", reason="no rule matched")


def _plain_apostrophes(message: Message) -> Message:
    """Phones and Outlook write "we’re", "I’d", "l’entretien": the cues are written with "'", so detection reads
    one apostrophe (the same length, so every position holds)."""
    if "’" not in message.text and "’" not in message.subject:
        return message
    return replace(message, text=message.text.replace("’", "'"), subject=message.subject.replace("’", "'"))


def describe_rules() -> list[tuple[str, str]]:
    """(name, one-line description) of every rule, in the order they are tried."""
    out: list[tuple[str, str]] = []
    for name, rule in RULES:
        doc = (rule.__doc__ or "").strip().splitlines()
        out.append((name, doc[0] if doc else ""))
    return out


# Subjects that are about the user's own process: never filtered out, whatever the headers say.
_PERSONAL_SUBJECT = re.compile(
    r"\b(?:interview\w*|application|applied|applying|candidacy|offer|invitation|invite|schedul\w*|next\s+steps?"
    r"|phone\s+screen|screening|assessment|call|meeting|chat|conversation|confirm\w*|cancel\w*|resched\w*"
    r"|update|follow[- ]?up|re:|fwd?:|position|role|opportunit\w+)\b",
    re.IGNORECASE,
)
_NEWSLETTER_SUBJECT = re.compile(
    r"\b(?:newsletter|digest|webinar|webcast|job\s+alert|jobs?\s+(?:you\s+may|for\s+you|matching|near\s+you)"
    r"|new\s+jobs?|recommended|is\s+hiring|are\s+hiring|\d+%\s+off|sale|deal|promo|tips|weekly|monthly"
    r"|roundup|event|register|save\s+your|free|premium|top\s+\d+|ace\s+your|who\s+viewed|profile)\b",
    re.IGNORECASE,
)


def might_matter(headers_only: Message, ctx: DetectContext) -> bool:
    """Whether the body is worth downloading. Lenient: False only for clear bulk mail.

    Bulk means a list/bulk header (List-Id, List-Unsubscribe, Precedence bulk|list|junk) *and* a job-board,
    marketing-platform or automated sender or a newsletter-like subject, *and* no word in the subject about
    interviews, applications or offers. Mail the user sent always matters.
    """
    msg = headers_only
    if msg.folder == FolderRole.SENT:
        return True
    sender = msg.sender.email if msg.sender else ""
    if ctx.is_user(sender):
        return True
    precedence = (msg.header("precedence") or "").strip().lower()
    listed = bool(msg.header("list-id") or msg.header("list-unsubscribe")) or precedence in {"bulk", "list", "junk"}
    if not listed:
        return True
    if _PERSONAL_SUBJECT.search(msg.subject) and not _NEWSLETTER_SUBJECT.search(msg.subject):
        return True
    bulk_sender = is_job_board(sender) or is_bulk_sender_domain(sender) or is_automated_address(sender)
    if bulk_sender or _NEWSLETTER_SUBJECT.search(msg.subject):
        return bool(_PERSONAL_SUBJECT.search(msg.subject)) and not _NEWSLETTER_SUBJECT.search(msg.subject)
    return True


def bulk_evidence(message: Message, kind: Kind | None = None) -> str | None:
    """Why a message cannot start an application on its own (bulk or marketing mail), or None.

    Bulk mail may still join an application it belongs to (its thread, a known contact); it never creates one:
    a coaching company's "mock interview" invitation with a calendar file is no employer. A job board's receipt
    for an application sent through it (`kind` acknowledgement, no list headers) is the user's own application.
    """
    precedence = (message.header("precedence") or "").strip().lower()
    sender = message.sender.email if message.sender else ""
    listed = bool(message.header("list-id") or message.header("list-unsubscribe"))
    if is_job_board(sender) and kind is Kind.ACKNOWLEDGEMENT and not listed and precedence not in {"bulk", "list"}:
        return None
    if is_bulk_sender_domain(sender) or is_job_board(sender):
        return f"it comes from a bulk mailer or job board ({sender})"
    if is_employment_service(sender):
        return f"it comes from a public employment service, never the employer ({sender})"
    if is_ats_domain(sender):
        return None  # applicant-tracking and scheduling tools put List-Unsubscribe on transactional mail too
    if message.header("list-id") or message.header("list-unsubscribe"):
        return "it carries mailing-list headers (List-Id / List-Unsubscribe)"
    if precedence in {"bulk", "list", "junk"}:
        return f"Precedence: {precedence}"
    return None
