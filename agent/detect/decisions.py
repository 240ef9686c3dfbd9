"""The decision table: which evidence each detection rule requires, what vetoes it, and its priority.

`agent.detect.rules` computes the evidence once per message (`Facts`: who sent it, list headers, the calendar
event, cue matches, stated times and dates) and tries its rules in priority order; this table says the same in
data, so `followup-agent rules` can print it and a test keeps it in step with the code (every rule listed once,
in the order tried, naming only evidence `Facts` has). Pure: no backend, no store.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """One row: the rule, the verdicts it gives, the evidence it needs (any one of `requires` unless the row says
    all), what stops it, and what the engine adds when the verdict holds only for a known application."""

    rule: str
    verdicts: tuple[str, ...]
    requires: tuple[str, ...]
    vetoes: tuple[str, ...] = ()
    engine: str = ""


# In priority order: the first rule whose evidence is present and not vetoed gives the verdict.
DECISIONS: tuple[Decision, ...] = (
    Decision("bounce", ("bounce",), ("is_report", "sender_kind=bounce", "cue:bounce_subject")),
    Decision(
        "auto_reply",
        ("auto_reply",),
        ("auto_submitted", "cue:ooo_subject", "cue:ooo_body", "cue:ticket_body", "cue:gone_body"),
        ("from_user", "offer", "rejection", "invite", "times"),
    ),
    Decision("calendar_response", ("auto_reply",), ("calendar:REPLY", "cue:cal_response_subject"), ("from_user",)),
    Decision("sent_agent_draft", ("sent_thank_you", "sent_follow_up"), ("from_user", "key header")),
    Decision(
        "sent_mail",
        ("sent_withdrawal", "sent_application", "sent_follow_up", "sent_thank_you", "sent_other"),
        ("from_user",),
        (),
        "sent_withdrawal (cue:withdrawal, unconditional) closes the application; sent_application (cue:applying, not"
        " in a thread) to an employer's domain starts one",
    ),
    Decision(
        "bulk",
        ("bulk",),
        ("cue:job_alert", "cue:coaching", "cue:marketing_subject", "listed", "sender_kind=bulk"),
        ("personal", "invite", "offer", "rejection"),
    ),
    Decision(
        "acknowledgement",
        ("acknowledgement", "interview"),
        ("cue:ack",),
        ("offer", "rejection", "invite", "confirmed_time", "asked_time", "calendar"),
        "a person's thanks with meeting_offer is an interview invitation",
    ),
    Decision("offer", ("offer",), ("offer",), ("rejection naming an offer to another candidate",)),
    Decision("rejection", ("rejection",), ("rejection",)),
    Decision("cancellation", ("cancellation",), ("calendar:CANCEL", "cue:cancel_text"), ("calendar invitation",)),
    Decision(
        "interview_calendar",
        ("interview",),
        ("calendar",),
        (),
        "without event_about_hiring: joins_only (an interview only if it joins a known application)",
    ),
    Decision(
        "interview_text",
        ("interview",),
        ("confirmed_time", "asked_time", "loose_asked_time"),
        ("calendar without event_about_hiring",),
        "asked_time is tentative; loose_asked_time is tentative and joins_only",
    ),
    Decision(
        "interview_moved",
        ("interview",),
        ("moved_clock",),
        ("offer", "rejection", "calendar invitation"),
        "joins_only; moves the application's next interview to that time of its day",
    ),
    Decision("cold_outreach", ("reply",), ("human_sender", "cue:pitch x2"), ("invite to an interview",)),
    Decision(
        "interview_invitation",
        ("interview",),
        ("invite", "cue:proposal with times", "meeting_offer"),
        (),
        "meeting_offer outside a thread about the job: joins_only; 'same time next week': next_round_in_days, the "
        "engine adds the round a week after the last one held, at its wall-clock time",
    ),
    Decision(
        "status_update",
        ("reply",),
        ("sender_kind=ats", "deadline", "text_about_hiring"),
        ("from_user",),
        "all three required",
    ),
    Decision(
        "agency_submission",
        ("reply",),
        ("human_sender", "agency", "company (the client)", "cue:submission"),
        ("the client named is the agency itself",),
        "starts_application: the reply starts the application with the client",
    ),
    Decision("reply", ("reply",), ("human_sender",)),
    Decision("unrelated", ("unrelated",), ()),
)


def table() -> list[str]:
    """The table as aligned text lines, for the terminal."""
    verdict_width = max(len(", ".join(row.verdicts)) for row in DECISIONS) + 2
    indent = " " * (4 + 22 + verdict_width)
    lines = [f"{'#':>2}  {'rule':<22}{'verdicts':<{verdict_width}}requires (any of) / not if / the engine"]
    for number, row in enumerate(DECISIONS, 1):
        verdicts = ", ".join(row.verdicts)
        lines.append(f"{number:>2}  {row.rule:<22}{verdicts:<{verdict_width}}{', '.join(row.requires) or '-'}")
        if row.vetoes:
            lines.append(f"{indent}not if: {', '.join(row.vetoes)}")
        if row.engine:
            lines.append(f"{indent}{row.engine}")
    return lines
