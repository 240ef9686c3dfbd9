"""The HTML report: every application on one shared timeline, as one self-contained page.

Pure: a function from recorded facts (histories, the policy's decisions, verdict reasons) to HTML text. The page
carries its CSS and SVG inline and needs no script and nothing from the network; its Content-Security-Policy
forbids both, and allows only the one style block whose hash it names. Subjects and names come from strangers'
mail, so everything is rendered through Jinja2 with autoescaping on.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from agent.models import AppState, Decision, DraftRecord, DraftStatus, Event, History, Interview, Kind, Step

# The order states are listed in, from the live ones to the closed ones.
STATE_ORDER: tuple[AppState, ...] = (
    AppState.APPLIED,
    AppState.SCHEDULED,
    AppState.INTERVIEWED,
    AppState.WAITING,
    AppState.FOLLOWED_UP,
    AppState.RESPONDED,
    AppState.OFFER,
    AppState.REJECTED,
    AppState.NO_RESPONSE,
    AppState.WITHDRAWN,
    AppState.CLOSED,
)


@dataclass(frozen=True)
class AppFacts:
    """One application as the store and the policy see it at the report's moment."""

    history: History
    decision: Decision
    reasons: Mapping[str, str]  # Message-ID -> the verdict's reason


@dataclass(frozen=True)
class ReportInput:
    applications: tuple[AppFacts, ...]
    now: datetime
    zone: tzinfo
    zone_name: str


@dataclass(frozen=True)
class Marker:
    """One thing on an application's track: where (percent of the axis), what shape, and its tooltip."""

    x: float
    shape: str  # in, out, interview, named, draft-open, draft-sent, draft-discarded, next
    title: str
    tone: str = ""  # a CSS class: the verdict's kind or the draft's status

    @property
    def lane(self) -> int:
        """Messages on the upper line, drafts and the next step on the lower one, so they never hide each other."""
        return 26 if self.shape.startswith(("draft", "next")) else 12


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class TimelineRow:
    when: str
    arrow: str
    who: str
    subject: str
    kind: str
    rule: str
    reason: str
    named: str
    automatic: bool


@dataclass(frozen=True)
class AppRow:
    id: int
    company: str
    role: str
    state: str
    state_reason: str
    next_text: str
    next_when: str
    markers: tuple[Marker, ...]
    timeline: tuple[TimelineRow, ...]
    interviews: tuple[str, ...]
    drafts: tuple[str, ...]
    due: tuple[str, ...]
    later: str
    notes: tuple[str, ...]
    domains: str
    override: str


def local(moment: datetime | None, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") if moment is not None else "-"


def next_step_text(history: History, decision: Decision, zone: tzinfo) -> str:
    """What the user should expect next, in the words `status` uses."""
    step = decision.next_step
    waiting = {d.key for d in history.drafts if d.status is DraftStatus.OPEN}
    if step is not None and step.key in waiting:
        return f"{step.kind.value.replace('_', ' ')} drafted {local(step.due, zone)}: review and send it"
    if step is not None:
        text = f"{step.kind.value.replace('_', ' ')} due {local(step.due, zone)}"
        return text + (" (no address: no draft)" if step.to is None else "")
    return decision.reason


# --------------------------------------------------------------------------------------------------- the axis


@dataclass(frozen=True)
class _Axis:
    start: datetime
    end: datetime

    def x(self, moment: datetime) -> float:
        span = (self.end - self.start).total_seconds()
        where = (moment - self.start).total_seconds() / span * 100 if span > 0 else 50.0
        return round(min(100.0, max(0.0, where)), 2)


def _moments(facts: AppFacts, zone: tzinfo) -> list[datetime]:
    history, decision = facts.history, facts.decision
    found = [e.at for e in history.events]
    found += [m for i in history.interviews for m in (i.start, i.end)]
    found += [d.created for d in history.drafts] + [d.sent_at for d in history.drafts if d.sent_at]
    found += [s.due for s in (*decision.due, decision.next_step) if s is not None]
    found += [_start_of(e.deadline.day, zone) for e in history.events if e.deadline is not None]
    return found


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def _axis(report: ReportInput) -> _Axis:
    moments = [m for facts in report.applications for m in _moments(facts, report.zone)] + [report.now]
    first, last = min(moments), max(moments)
    zone = report.zone
    # Whole days at both ends, with a day of room, so the first and last markers never sit on the edge.
    start = _start_of(first.astimezone(zone).date() - timedelta(days=1), zone)
    end = _start_of(last.astimezone(zone).date() + timedelta(days=2), zone)
    return _Axis(start, end)


def _ticks(axis: _Axis, zone: tzinfo) -> tuple[Tick, ...]:
    days = (axis.end - axis.start).days
    step = 1 if days <= 16 else 7 if days <= 120 else 30
    day = axis.start.astimezone(zone).date()
    if step == 7:
        day += timedelta(days=(7 - day.weekday()) % 7)  # weekly ticks on Mondays
    elif step == 30:
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    ticks = []
    while _start_of(day, zone) < axis.end:
        label = day.strftime("%b %d") if step < 30 else day.strftime("%b %Y")
        ticks.append(Tick(axis.x(_start_of(day, zone)), label.replace(" 0", " ")))
        day = day + timedelta(days=step) if step < 30 else (day + timedelta(days=32)).replace(day=1)
    return tuple(ticks)


# --------------------------------------------------------------------------------------------------- one row


def _who(event: Event) -> str:
    if event.kind.from_user:
        return ", ".join(r.display() for r in event.recipients) or "?"
    return event.sender.display() if event.sender is not None else "?"


def _event_marker(event: Event, axis: _Axis, zone: tzinfo) -> Marker:
    mine = event.kind.from_user
    arrow = "to" if mine else "from"
    title = f'{local(event.at, zone)} {arrow} {_who(event)}: "{event.subject}" ({event.kind.value})'
    return Marker(axis.x(event.at), "out" if mine else "in", title, f"k-{event.kind.value}")


def _draft_marker(draft: DraftRecord, axis: _Axis, zone: tzinfo) -> Marker:
    what = draft.kind.value.replace("_", " ")
    title = f"{local(draft.created, zone)} {what} drafted to {draft.to.display()}: {draft.status.value}"
    if draft.sent_at is not None:
        title += f" {local(draft.sent_at, zone)}"
    return Marker(axis.x(draft.created), f"draft-{draft.status.value}", title, f"d-{draft.status.value}")


def _interview_marker(interview: Interview, axis: _Axis, zone: tzinfo) -> Marker:
    people = ", ".join([p.display() for p in interview.interviewers] + list(interview.interviewer_names))
    title = f"interview {local(interview.start, zone)} to {local(interview.end, zone)}"
    title += f" with {people}" if people else ""
    title += " (cancelled)" if interview.cancelled else ""
    return Marker(axis.x(interview.start), "interview", title, "cancelled" if interview.cancelled else "")


def _step_marker(step: Step, label: str, axis: _Axis, zone: tzinfo) -> Marker:
    return Marker(axis.x(step.due), "next", f"{label}: {step.reason}", "t-next")


def _row(facts: AppFacts, axis: _Axis, zone: tzinfo) -> AppRow:
    history, decision = facts.history, facts.decision
    app = history.application
    markers: list[Marker] = [_event_marker(e, axis, zone) for e in history.events]
    markers += [_draft_marker(d, axis, zone) for d in history.drafts]
    markers += [_interview_marker(i, axis, zone) for i in history.interviews]
    # Every date the employer named: what they promised, whether or not it still holds the chase back.
    named = {e.deadline.day: e.deadline.phrase for e in history.events if e.deadline is not None}
    for day, phrase in sorted(named.items()):
        title = f'date the employer named: {day.isoformat()} ("{phrase}")'
        markers.append(Marker(axis.x(_start_of(day, zone)), "named", title, "t-named"))
    nxt = decision.next_step
    nxt_text = next_step_text(history, decision, zone)
    if nxt is not None:
        markers.append(_step_marker(nxt, f"next: {nxt_text}", axis, zone))
    timeline = tuple(
        TimelineRow(
            when=local(e.at, zone),
            arrow="→" if e.kind.from_user else "←",
            who=_who(e),
            subject=e.subject,
            kind=e.kind.value,
            rule=e.rule,
            reason=facts.reasons.get(e.message_id, ""),
            named=f'{e.deadline.day.isoformat()} ("{e.deadline.phrase}")' if e.deadline else "",
            automatic=e.kind is Kind.REPLY and not e.human,
        )
        for e in history.events
    )
    interviews = tuple(
        f"{local(i.start, zone)} to {local(i.end, zone)}{' CANCELLED' if i.cancelled else ''}: "
        + (", ".join([p.display() for p in i.interviewers] + list(i.interviewer_names)) or "interviewers unknown")
        for i in history.interviews
    )
    drafts = tuple(
        f"{d.kind.value.replace('_', ' ')} to {d.to.display()}, created {local(d.created, zone)}: {d.status.value}"
        + (f" {local(d.sent_at, zone)}" if d.sent_at else "")
        for d in history.drafts
    )
    due = tuple(
        f"{s.kind.value.replace('_', ' ')} to {s.to.display() if s.to else '?'}: {s.reason}" for s in decision.due
    )
    later = ""
    if nxt is not None and nxt not in decision.due:
        later = f"{nxt.kind.value.replace('_', ' ')} due {local(nxt.due, zone)}: {nxt.reason}"
    elif nxt is None and not decision.due:
        later = "nothing is due"
    override = ""
    if app.override is not None:
        override = app.override.value + (f" until {local(app.override_until, zone)}" if app.override_until else "")
    return AppRow(
        id=app.id,
        company=app.company or "(company unknown)",
        role=app.role or "(role unknown)",
        state=decision.state.value,
        state_reason=decision.reason,
        next_text=nxt_text,
        next_when=local(nxt.due, zone) if nxt is not None else "",
        markers=tuple(sorted(markers, key=lambda m: m.x)),
        timeline=timeline,
        interviews=interviews,
        drafts=drafts,
        due=due,
        later=later,
        notes=decision.notes,
        domains=", ".join(app.domains),
        override=override,
    )


# --------------------------------------------------------------------------------------------------- the page


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("agent", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _csp(style: str) -> str:
    """Nothing may load or run; the one style block is allowed by its hash, so an injected one would not apply."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; script-src 'none'; img-src data:; font-src 'none'; connect-src 'none'; "
        f"style-src 'sha256-{digest}'; form-action 'none'; base-uri 'none'"
    )


def render_report(report: ReportInput) -> str:
    """The whole page as HTML text."""
    env = _environment()
    rows: Sequence[AppRow] = ()
    ticks: tuple[Tick, ...] = ()
    now_x: float | None = None
    if report.applications:
        axis = _axis(report)
        rows = [_row(facts, axis, report.zone) for facts in report.applications]
        ticks = _ticks(axis, report.zone)
        now_x = axis.x(report.now)
    counts = Counter(row.state for row in rows)
    states = [(s.value, counts[s.value]) for s in STATE_ORDER if counts[s.value]]
    style = env.get_template("report.css.j2").render(states=[s for s, _ in states])
    return env.get_template("report.html.j2").render(
        rows=rows,
        ticks=ticks,
        now_x=now_x,
        states=states,
        total=len(rows),
        style=style,
        csp=_csp(style),
        now=local(report.now, report.zone),
        zone_name=report.zone_name,
    )
