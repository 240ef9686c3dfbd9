"""What `status` and `explain` show: the state of every application, as JSON-ready data and as text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from agent.models import Decision, History, Kind
from agent.policy import Policy
from agent.report import next_step_text
from agent.store import ScanRecord, Store


@dataclass(frozen=True)
class AppView:
    history: History
    decision: Decision


def app_views(store: Store, policy: Policy, now: datetime) -> list[AppView]:
    views = []
    for application in store.applications():
        history = store.history(application.id)
        views.append(AppView(history, policy.decide(history, now)))
    return views


def _iso(moment: datetime | None, zone: tzinfo) -> str | None:
    """Times in JSON carry the user's own offset, as they would read them."""
    return moment.astimezone(zone).isoformat() if moment is not None else None


def app_json(view: AppView, zone: tzinfo) -> dict[str, Any]:
    history, decision = view.history, view.decision
    app = history.application
    step = decision.next_step
    return {
        "id": app.id,
        "company": app.company,
        "role": app.role,
        "state": decision.state.value,
        "reason": decision.reason,
        "interviews": [
            {
                "start": _iso(i.start, zone),
                "end": _iso(i.end, zone),
                "cancelled": i.cancelled,
                "interviewers": [{"name": p.name, "email": p.email} for p in i.interviewers]
                + [{"name": n, "email": None} for n in i.interviewer_names],
            }
            for i in history.interviews
        ],
        "deadline": decision.deadline.day.isoformat() if decision.deadline else None,
        "follow_ups_sent": decision.follow_ups_sent,
        "next_action": (
            {
                "kind": step.kind.value,
                "due": _iso(step.due, zone),
                "reason": step.reason,
                "to": step.to.email if step.to else None,
            }
            if step is not None
            else None
        ),
        "notes": list(decision.notes),
        "drafts": [
            {"kind": d.kind.value, "to": d.to.email, "created": _iso(d.created, zone), "status": d.status.value}
            for d in history.drafts
        ],
    }


def scan_json(record: ScanRecord | None, zone: tzinfo) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "started": _iso(record.started, zone),
        "finished": _iso(record.finished, zone),
        "messages": record.messages,
        "drafts": record.drafts,
        "error": record.error,
    }


def status_json(store: Store, policy: Policy, now: datetime) -> dict[str, Any]:
    zone = policy.calendar.zone
    return {
        "applications": [app_json(v, zone) for v in app_views(store, policy, now)],
        "health": {
            "last_success": scan_json(store.last_scan(ok=True), zone),
            "last_error": scan_json(store.last_scan(ok=False), zone),
            "skipped_messages": store.skipped_count(),
        },
    }


def _local(moment: datetime | None, policy: Policy) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(policy.calendar.zone).strftime("%a %Y-%m-%d %H:%M")


def status_text(store: Store, policy: Policy, now: datetime) -> str:
    views = app_views(store, policy, now)
    lines: list[str] = []
    if not views:
        lines.append("No applications yet: no interview confirmation found in the mailbox.")
    else:
        header = f"{'ID':>3}  {'COMPANY':<20} {'ROLE':<26} {'STATE':<12} NEXT"
        lines += [header, "-" * len(header)]
        for view in views:
            app = view.history.application
            nxt = next_step_text(view.history, view.decision, policy.calendar.zone)
            lines.append(
                f"{app.id:>3}  {app.company[:20]:<20} {app.role[:26]:<26} {view.decision.state.value:<12} {nxt}"
            )
    good, bad = store.last_scan(ok=True), store.last_scan(ok=False)
    lines.append("")
    lines.append(f"Last successful scan: {_local(good.finished, policy) if good else 'never'}")
    if bad is not None and (good is None or bad.id > good.id):
        lines.append(f"Last scan FAILED at {_local(bad.started, policy)}: {bad.error}")
    elif bad is not None:
        lines.append(f"Last error (since recovered): {_local(bad.started, policy)}: {bad.error}")
    return "\n".join(lines)


_ARROW = {True: "->", False: "<-"}


def explain_text(store: Store, policy: Policy, app_id: int, now: datetime) -> str:
    history = store.history(app_id)
    decision = policy.decide(history, now)
    reasons = store.message_reasons(app_id)
    app = history.application
    out = [f"Application {app.id}: {app.company or '(company unknown)'} - {app.role or '(role unknown)'}"]
    if app.domains:
        out.append(f"  employer domains: {', '.join(app.domains)}")
    if app.override is not None:
        out.append(
            f"  set by you: {app.override.value}"
            + (f" until {_local(app.override_until, policy)}" if app.override_until else "")
        )
    out.append("")
    out.append("Timeline:")
    for event in history.events:
        mine = event.kind.from_user
        who = ", ".join(r.email for r in event.recipients) if mine else (event.sender.email if event.sender else "?")
        out.append(f"  {_local(event.at, policy)}  {_ARROW[mine]} {who}")
        out.append(f'      "{event.subject}"')
        verdict = f"      verdict: {event.kind.value} (rule {event.rule}): {reasons.get(event.message_id, '')}"
        out.append(verdict)
        if event.deadline is not None:
            out.append(f'      named date: {event.deadline.day.isoformat()} ("{event.deadline.phrase}")')
        if event.kind.from_employer and not event.human and event.kind is Kind.REPLY:
            out.append("      (automatic sender: does not count as an answer)")
    if history.interviews:
        out.append("")
        out.append("Interviews:")
        for interview in history.interviews:
            people = ", ".join([p.display() for p in interview.interviewers] + list(interview.interviewer_names))
            flag = " CANCELLED" if interview.cancelled else ""
            out.append(
                f"  {_local(interview.start, policy)} to {_local(interview.end, policy)}{flag}: "
                f"{people or 'interviewers unknown'}"
            )
    if history.drafts:
        out.append("")
        out.append("Drafts:")
        for draft in history.drafts:
            out.append(
                f"  {draft.kind.value} to {draft.to.email}, created {_local(draft.created, policy)}: "
                f"{draft.status.value}"
            )
    out.append("")
    out.append(f"State: {decision.state.value}: {decision.reason}")
    for step in decision.due:
        out.append(f"Due now: {step.kind.value} to {step.to.email if step.to else '?'}: {step.reason}")
    if decision.next_step is not None and decision.next_step not in decision.due:
        step = decision.next_step
        out.append(f"Next: {step.kind.value} due {_local(step.due, policy)}: {step.reason}")
    elif decision.next_step is None and not decision.due:
        out.append("Next: nothing is due.")
    for note in decision.notes:
        out.append(f"Note: {note}")
    return "\n".join(out)


def messages_text(store: Store, policy: Policy, search: str, limit: int) -> str:
    """What the agent made of each recorded message: for "why did it (not) pick this up?"."""
    found = store.find_messages(search, limit)
    if not found:
        return "No recorded message matches." if search else "No message recorded yet."
    out = []
    for event, app_id, reason in found:
        mine = event.kind.from_user
        who = ", ".join(r.email for r in event.recipients) if mine else (event.sender.email if event.sender else "?")
        where = f"application {app_id}" if app_id is not None else "no application"
        out.append(f'{_local(event.at, policy)}  {_ARROW[mine]} {who}  "{event.subject}"')
        out.append(f"    {event.kind.value} (rule {event.rule}), {where}: {reason}")
        out.append(f"    Message-ID: <{event.message_id}>")
    return "\n".join(out)
