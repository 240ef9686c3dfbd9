"""Header-only triage beyond the bulk prefilter: mail a machine sent that no body could make matter.

`might_matter` (agent.detect) drops list and bulk mail. What remains of a large mailbox is mostly people and
notifications; a notification from a no-reply or alerts address (a bank statement, a shipping update, a
security alert, a code-review ping) has nothing for the job search unless its headers say so, and neither has
the copy of a mailing list's post (List-Id or List-Post: a list's mail, never one person's to the user; it can
start no application, `bulk_evidence` says so, and detection calls it bulk unless its text reads personal).
`settle` gives such a message its verdict from the headers alone, so its body is never downloaded or searched.
It is deliberately narrow: applicant-tracking and scheduling tools, bounces and reports, a human Reply-To, any
job word in the subject (in the four languages of the lexicon; the user's own address, as in "Security alert
for alex.candidate@...", is no word), and, in the engine, any message that joins a known application (thread,
contact, employer domain) all still get their body read. Pure: no backend, no store.
"""

from __future__ import annotations

import re

from agent.detect.addresses import is_ats_domain, is_automated_address, is_human, local_part
from agent.detect.context import DetectContext
from agent.models import FolderRole, Kind, Message, Verdict

RULE = "header_triage"

# Words that make a machine's message worth reading: the process (application, interview, offer, rejection),
# a calendar, a delivery failure of the user's own mail. Broad on purpose: a miss costs a download, not a fact.
_JOB_SUBJECT = re.compile(
    r"applica|appli(?:ed|ying)|interview|offer|position|\brole\b|\bjobs?\b|career|recruit|hiring|hire\b|candida"
    r"|talent|opportunit|assessment|schedul|invit|meeting|calendar|event|booking|booked|confirm|cancel|resched"
    r"|next\s+steps?|status|decision|update|thank|follow|screen|\bcall\b|deliver|undeliver|returned|failure"
    r"|bewerb|vorstellung|gespräch|stelle|absage|zusage|angebot|einladung|termin|zustell"
    r"|candidature|entretien|poste|offre|refus|rendez|invitation"
    r"|candidatura|entrevista|puesto|oferta|vacante|convocatoria|cita"
    # Receipts ("Eingangsbestätigung: Senior Java-Entwickler", "Accusé de réception") and job titles.
    r"|eingang|bestätig|réception|accus|recepción|recibid|postula|selecci|reclut|recrut|lebenslauf|\bcv\b"
    r"|manager|engineer|developer|entwickler|analyst|designer|ingénieur|ingeniero|desarrollador|consultant|berater",
    re.IGNORECASE,
)
_REPORT_TYPES = ("multipart/report", "message/delivery-status", "message/disposition-notification")
_DAEMON = re.compile(r"^(?:mailer-?daemon|postmaster|mail-?daemon)$", re.IGNORECASE)


def settle(head: Message, folder: FolderRole, ctx: DetectContext) -> Verdict | None:
    """The verdict of a received notification that cannot matter, from its headers; None to read its body."""
    if folder is FolderRole.SENT or head.sender is None:
        return None
    sender = head.sender.email
    automated = is_automated_address(sender)
    listed = bool(head.header("list-id") or head.header("list-post"))
    if ctx.is_user(sender) or not (automated or listed) or is_ats_domain(sender):
        return None
    if _DAEMON.match(local_part(sender)):
        return None  # a bounce of the user's own mail
    if any(is_human(a.email) and not is_ats_domain(a.email) for a in head.reply_to):
        return None  # a robot relaying a person, who may answer
    content_type = (head.header("content-type") or "").lower()
    if any(kind in content_type for kind in _REPORT_TYPES) or "calendar" in content_type:
        return None
    if _JOB_SUBJECT.search(_without_user_addresses(head.subject, ctx)):
        return None
    if automated:
        return Verdict(
            Kind.UNRELATED,
            RULE,
            "a notification from an automated address, with no job word in its subject; body not downloaded",
            signals=("sender:automated",),
        )
    return Verdict(
        Kind.BULK,
        RULE,
        "mailing-list mail (List-Id), with no job word in its subject; body not downloaded",
        signals=("listed",),
    )


def _without_user_addresses(subject: str, ctx: DetectContext) -> str:
    """The subject without the user's own addresses ("alex.candidate@..." holds no job word)."""
    if "@" not in subject:
        return subject
    for address in ctx.user_addresses:
        subject = re.sub(re.escape(address), " ", subject, flags=re.IGNORECASE)
    return subject
