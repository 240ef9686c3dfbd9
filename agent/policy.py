"""The follow-up policy (docs/policy.md): given one application's history and "now", what is due and why.

Pure: the clock is a parameter and nothing here touches a mailbox or the database. The state of an application
is never stored; it is derived here from recorded facts (messages with their verdicts, interviews, drafts), so a
change of policy or config applies to every application at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from agent.bounds import sane
from agent.businessdays import BusinessCalendar
from agent.config import PolicyConfig
from agent.detect.addresses import is_human, is_role_address
from agent.models import (
    Address,
    AppState,
    Deadline,
    Decision,
    DraftStatus,
    Event,
    History,
    Interview,
    Kind,
    Override,
    Step,
    StepKind,
)

FOLLOW_UP_KINDS = frozenset({StepKind.FOLLOW_UP, StepKind.SECOND_FOLLOW_UP, StepKind.FOLLOW_UP_AFTER_DATE})


@dataclass(frozen=True)
class Policy:
    config: PolicyConfig
    calendar: BusinessCalendar

    @classmethod
    def from_config(cls, config: PolicyConfig) -> Policy:
        calendar = BusinessCalendar(
            config.zone,
            country=config.holidays,
            subdivision=config.holiday_subdivision,
            extra_days_off=config.extra_holidays,
            workday_start=config.workday_start,
        )
        return cls(config, calendar)

    def decide(self, history: History, now: datetime) -> Decision:
        return _Decider(self, history, now).decide()


def fmt(moment: datetime, calendar: BusinessCalendar) -> str:
    return moment.astimezone(calendar.zone).strftime("%a %Y-%m-%d %H:%M")


class _Decider:
    """One evaluation; holds the working values so each rule reads as a short method."""

    def __init__(self, policy: Policy, history: History, now: datetime) -> None:
        self.cfg = policy.config
        self.cal = policy.calendar
        bounded = tuple(i for i in history.interviews if sane(i.start) and sane(i.end))
        self.history = replace(history, interviews=bounded) if len(bounded) < len(history.interviews) else history
        self.app = history.application
        self.now = now
        # Facts recorded before dates were bounded at detection (an ICS in the year 9999) are no facts here either.
        self.events = sorted(
            (e if e.deadline is None or sane(e.deadline.day) else replace(e, deadline=None) for e in history.events),
            key=lambda e: e.at,
        )
        self.drafts = {d.key: d for d in history.drafts}
        self.notes: list[str] = []

    # ------------------------------------------------------------------------------------------ entry point

    def decide(self) -> Decision:
        if self.app.override is Override.CLOSED:
            return Decision(AppState.CLOSED, "closed by you")
        terminal = self._terminal()
        if terminal is not None:
            return terminal

        interviews = sorted((i for i in self.history.interviews if not i.cancelled), key=lambda i: i.start)
        thank_yous = [step for i in interviews for step in self._thank_you_steps(i)]
        upcoming = [i for i in interviews if i.start > self.now]
        past = [i for i in interviews if i.start <= self.now]

        if upcoming:
            nxt = upcoming[0]
            state, reason = AppState.SCHEDULED, f"interview on {fmt(nxt.start, self.cal)}"
            follow = None
        elif not past:
            state, reason, follow = self._without_interview()
        else:
            state, reason, follow = self._follow_up(past[-1])
        return self._finish(state, reason, thank_yous, follow)

    # ------------------------------------------------------------------------------------------ the rules

    def _terminal(self) -> Decision | None:
        """An offer, a rejection or the user's withdrawal closes the application, unless a later interview reopened
        it."""
        closing = [e for e in self.events if e.kind in (Kind.OFFER, Kind.REJECTION, Kind.SENT_WITHDRAWAL)]
        if not closing:
            return None
        last = closing[-1]
        # Reopened only by an interview *confirmed* after the decision (a new round): one booked before it is off,
        # and a time only asked about ("could we talk through the offer at 5?") is no round.
        confirmed = {e.message_id: e.at for e in self.events}
        later_interviews = [
            i
            for i in self.history.interviews
            if not i.cancelled and not i.tentative and confirmed.get(i.message_id, i.start) > last.at
        ]
        if later_interviews:
            return None
        stale = [d for d in self.history.drafts if d.kind in FOLLOW_UP_KINDS and d.status is DraftStatus.OPEN]
        notes = ("a follow-up draft is still in your Drafts: you may delete it",) if stale else ()
        if last.kind is Kind.OFFER:
            return Decision(AppState.OFFER, f"offer received on {fmt(last.at, self.cal)}", notes=notes)
        if last.kind is Kind.SENT_WITHDRAWAL:
            return Decision(AppState.WITHDRAWN, f"you withdrew on {fmt(last.at, self.cal)}", notes=notes)
        return Decision(AppState.REJECTED, f"rejection received on {fmt(last.at, self.cal)}", notes=notes)

    def _without_interview(self) -> tuple[AppState, str, Step | None]:
        cancelled = [i for i in self.history.interviews if i.cancelled]
        if cancelled and not any(e.kind is Kind.INTERVIEW and e.at > cancelled[-1].start for e in self.events):
            if (chased := self._chased_unanswered()) is not None:
                return AppState.FOLLOWED_UP, f"you followed up on {fmt(chased.at, self.cal)}; no answer since", None
            return AppState.RESPONDED, "the interview was cancelled; waiting for the employer to reschedule", None
        # A date the employer named yields its follow-up whether or not the interview's time was ever read.
        named = [e for e in self.events if e.kind.from_employer and e.deadline is not None]
        if named:
            last = named[-1]
            mine_since = [e for e in self.events if e.kind.from_user and e.at > last.at]
            if not mine_since or any(e.kind is Kind.SENT_FOLLOW_UP for e in mine_since):
                assert last.deadline is not None
                return self._after_named_date(None, last.deadline, self._reply_target(), anchor=last.at)
        if any(e.kind is Kind.INTERVIEW for e in self.events):
            # Invited with no time ever read (a recorded video interview, a call fixed by phone); the user chased
            # them since, and no one has answered: that is where it stands.
            if (chased := self._chased_unanswered()) is not None:
                return AppState.FOLLOWED_UP, f"you followed up on {fmt(chased.at, self.cal)}; no answer since", None
            return AppState.SCHEDULED, "invited to interview; no time confirmed yet", None
        # The policy chases interviews, not applications: before one is arranged nothing falls due.
        mine = [e.at for e in self.events if e.kind.from_user]
        answered = [e for e in self.events if e.kind.from_employer and e.human and (not mine or e.at > max(mine))]
        if answered:
            return AppState.RESPONDED, "the employer wrote; no interview arranged yet", None
        chases = [e for e in self.events if e.kind is Kind.SENT_FOLLOW_UP]
        if chases:
            # The user chased the application themselves: nothing more falls due, but the state says so.
            return AppState.FOLLOWED_UP, f"you followed up on {fmt(chases[-1].at, self.cal)}; no answer since", None
        return AppState.APPLIED, "applied; no interview arranged yet", None

    def _chased_unanswered(self) -> Event | None:
        """The user's last follow-up, when it came after the employer's last word and no person has answered it."""
        theirs = [e for e in self.events if e.kind.from_employer]
        chased = [e for e in self.events if e.kind is Kind.SENT_FOLLOW_UP and (not theirs or e.at > theirs[-1].at)]
        return chased[-1] if chased else None

    def _thank_you_steps(self, interview: Interview) -> list[Step]:
        if not self.cfg.thank_you.enabled:
            return []
        due = interview.end + timedelta(minutes=self.cfg.thank_you.delay_minutes)
        expires = interview.end + timedelta(hours=self.cfg.thank_you.max_age_hours)
        steps: list[Step] = []
        in_window = interview.end <= self.now <= expires
        for name in interview.interviewer_names:
            if in_window:
                self.notes.append(f"no address known for interviewer {name}: no thank-you drafted for them")
        if in_window and not interview.interviewers and not interview.interviewer_names:
            self.notes.append(
                f"no interviewer is known for the interview of {fmt(interview.start, self.cal)}: no thank-you drafted"
            )
        cap = self.cfg.thank_you.max_per_interview
        if in_window and len(interview.interviewers) > cap:
            self.notes.append(
                f"{len(interview.interviewers)} interviewers on {fmt(interview.start, self.cal)}: thank-you notes "
                f"for the first {cap} only (policy.thank_you.max_per_interview)"
            )
        for person in interview.interviewers[:cap]:
            key = f"{self.app.id}/thank_you/{interview.id}/{person.email}"
            if key in self.drafts:
                continue
            if self._user_wrote_to(person, after=interview.start):
                if self.now <= expires:
                    self.notes.append(f"thank-you to {person.display()} skipped: you already wrote to them")
                continue
            if self.now > expires:
                if self.now - expires < timedelta(days=7):
                    self.notes.append(
                        f"thank-you to {person.display()} skipped: {self.cfg.thank_you.max_age_hours} h "
                        "have passed since the interview"
                    )
                continue
            steps.append(
                Step(
                    key=key,
                    kind=StepKind.THANK_YOU,
                    due=due,
                    reason=f"interview ended {fmt(interview.end, self.cal)}; thank {person.name or person.email}",
                    to=person,
                    interview=interview,
                )
            )
        return steps

    def _user_wrote_to(self, person: Address, *, after: datetime) -> bool:
        return any(
            e.kind.from_user and e.at >= after and any(r.email == person.email for r in e.recipients)
            for e in self.events
        )

    def _round_deadline(self, interview: Interview) -> Deadline | None:
        """The latest date the employer named in this round (since the interview's confirmation)."""
        confirmed_at = next((e.at for e in self.events if e.message_id == interview.message_id), interview.start)
        # A date that passed before the interview ended ("within a week" in an invitation sent two weeks ahead)
        # cannot be when they decide about it: the usual wait applies instead.
        ended = self.cal.local_date(interview.end)
        stated = [
            e.deadline
            for e in self.events
            if e.deadline is not None
            and e.kind.from_employer
            and e.at >= min(confirmed_at, interview.start)
            and e.deadline.day >= ended
        ]
        return stated[-1] if stated else None

    def _follow_up(self, interview: Interview) -> tuple[AppState, str, Step | None]:
        """Where the chase stands after the latest interview that has taken place."""
        end = interview.end
        employer = [e for e in self.events if e.kind.from_employer and e.human and e.at > end]
        mine = [e for e in self.events if e.kind.from_user and e.at > interview.start]
        last_employer = employer[-1] if employer else None
        last_mine = mine[-1] if mine else None
        if any(
            e.no_follow_up for e in self.events if e.kind.from_employer and e.at >= interview.start - timedelta(days=30)
        ):
            return AppState.WAITING, "the employer asked not to be chased, or to be contacted another way", None

        target = self._reply_target()
        if last_employer is not None and (last_mine is None or last_employer.at > last_mine.at):
            # Only a draft written before their answer is stale; one written since (after a date they named) is not.
            if any(
                d.kind in FOLLOW_UP_KINDS and d.status is DraftStatus.OPEN and d.created < last_employer.at
                for d in self.history.drafts
            ):
                self.notes.append("the employer answered after a follow-up was drafted: you may delete that draft")
            if last_employer.deadline is None:
                who = last_employer.sender.display() if last_employer.sender else "the employer"
                return AppState.RESPONDED, f"{who} answered on {fmt(last_employer.at, self.cal)}", None
            return self._after_named_date(interview, last_employer.deadline, target, anchor=last_employer.at)

        anchor = last_employer.at if last_employer is not None else end
        follow_ups = [e for e in mine if e.kind is Kind.SENT_FOLLOW_UP and e.at > anchor]
        count = len(follow_ups)
        cap = self.cfg.follow_up.max_follow_ups
        open_drafts = [d for d in self.history.drafts if d.kind in FOLLOW_UP_KINDS and d.status is DraftStatus.OPEN]
        if open_drafts:
            waiting = open_drafts[-1]
            step = Step(
                key=waiting.key,
                kind=waiting.kind,
                due=waiting.created,
                reason="a follow-up draft is waiting for you to review and send it",
                to=waiting.to,
            )
            state = AppState.FOLLOWED_UP if count else AppState.INTERVIEWED
            return state, "follow-up drafted; waiting for you to send it", step

        if count >= cap:
            if count == 0:
                return AppState.NO_RESPONSE, "follow-ups are switched off (policy.follow_up.max_follow_ups = 0)", None
            gave_up = self.cal.start_of_workday(
                self.cal.add_business_days(
                    self.cal.local_date(follow_ups[-1].at), self.cfg.follow_up.second_business_days
                )
            )
            if self.now >= gave_up:
                return AppState.NO_RESPONSE, f"no answer after {count} follow-up(s); time to move on", None
            return AppState.FOLLOWED_UP, f"{count} follow-up(s) sent, the most allowed; waiting for an answer", None

        if count == 0:
            deadline = self._round_deadline(interview)
            if deadline is not None:
                return self._after_named_date(interview, deadline, target, anchor=anchor)
            # After an answer that the user replied to, the clock restarts from the user's reply.
            restart = last_mine.at if last_employer is not None and last_mine is not None else end
            start_day = self.cal.local_date(restart)
            due = self.cal.start_of_workday(self.cal.add_business_days(start_day, self.cfg.follow_up.business_days))
            step = self._make_follow_up(
                StepKind.FOLLOW_UP,
                interview,
                number=1,
                due=due,
                reason=f"{self.cfg.follow_up.business_days} business days after the interview "
                f"({fmt(end, self.cal)}) with no answer",
                target=target,
                anchor=anchor,
            )
            return AppState.INTERVIEWED, "interview done; no answer yet", step

        last = follow_ups[-1]
        due = self.cal.start_of_workday(
            self.cal.add_business_days(self.cal.local_date(last.at), self.cfg.follow_up.second_business_days)
        )
        reason = (
            f"{self.cfg.follow_up.second_business_days} business days after your follow-up of "
            f"{fmt(last.at, self.cal)} with no answer"
        )
        # A date the employer named still holds back the chase until it has passed.
        named = self._round_deadline(interview)
        if named is not None:
            after_named = self.cal.start_of_workday(self.cal.next_business_day_after(named.day))
            if after_named > due:
                due = after_named
                reason += f", and after the date they named ({named.day.isoformat()})"
        step = self._make_follow_up(
            StepKind.SECOND_FOLLOW_UP,
            interview,
            number=count + 1,
            due=due,
            reason=reason,
            target=target,
            anchor=anchor,
        )
        return AppState.FOLLOWED_UP, f"{count} follow-up(s) sent; no answer yet", step

    def _after_named_date(
        self, interview: Interview | None, deadline: Deadline, target: Event | None, *, anchor: datetime
    ) -> tuple[AppState, str, Step | None]:
        due_day = self.cal.next_business_day_after(deadline.day)
        due = self.cal.start_of_workday(due_day)
        step = self._make_follow_up(
            StepKind.FOLLOW_UP_AFTER_DATE,
            interview,
            number=deadline.day.isoformat(),
            due=due,
            reason=f'the employer said "{deadline.phrase}" ({deadline.day.isoformat()}); '
            f"follow up on the next business day",
            target=target,
            anchor=anchor,
            deadline=deadline,
        )
        if self.now < due:
            return AppState.WAITING, f'waiting until {deadline.day.isoformat()} ("{deadline.phrase}")', step
        return AppState.WAITING, f"the date the employer named ({deadline.day.isoformat()}) has passed", step

    def _make_follow_up(
        self,
        kind: StepKind,
        interview: Interview | None,
        *,
        number: int | str,
        due: datetime,
        reason: str,
        target: Event | None,
        anchor: datetime,
        deadline: Deadline | None = None,
    ) -> Step:
        # The anchor (interview end, or the employer's last answer) is in the key: chasing restarts after an answer.
        round_id = interview.id if interview is not None else 0
        key = f"{self.app.id}/{kind.value}/{round_id}/{anchor.strftime('%Y%m%dT%H%M')}/{number}"
        to, target = self._recipient(target)
        if to is None:
            reason += "; but no human address at the employer is known, so no draft can be written"
        return Step(
            key=key,
            kind=kind,
            due=due,
            reason=reason,
            to=to,
            interview=interview,
            reply_to_event=target,
            deadline=deadline,
        )

    def _recipient(self, target: Event | None) -> tuple[Address | None, Event | None]:
        """Who a follow-up goes to, and the message it answers, in this order: the last person at the employer who
        wrote; else the last person there the user wrote to (in the user's thread); else an interviewer, host or
        organiser of the latest round. A team mailbox only when no person is known; None when nobody is."""
        candidates: list[tuple[Address, Event | None]] = []
        if target is not None and target.reply_address is not None:
            candidates.append((target.reply_address, target))
        for event in reversed(self.events):
            if event.kind.from_user:
                candidates.extend((r, event) for r in event.recipients if is_human(r.email))
        rounds = sorted(self.history.interviews, key=lambda i: i.start, reverse=True)
        asked = {e.message_id: e for e in self.events}
        for interview in rounds:
            candidates.extend((p, asked.get(interview.message_id)) for p in interview.interviewers)
        # An address a bounce says could not be reached (a typo in the domain) is written to no more.
        failed = {r.email for e in self.events if e.kind is Kind.BOUNCE for r in e.recipients}
        candidates = [c for c in candidates if c[0].email not in failed]
        people = [c for c in candidates if not is_role_address(c[0].email)]
        chosen = people[0] if people else candidates[0] if candidates else None
        if chosen is None:
            return None, target
        return chosen[0], chosen[1] or target

    def _reply_target(self) -> Event | None:
        """The latest message a human at the employer wrote: follow-ups answer it, in its conversation."""
        for event in reversed(self.events):
            if event.kind.from_employer and event.reply_address is not None:
                return event
        return None

    # ------------------------------------------------------------------------------------------ result

    def _finish(self, state: AppState, reason: str, thank_yous: list[Step], follow: Step | None) -> Decision:
        candidates = [*thank_yous]
        if follow is not None:
            existing = self.drafts.get(follow.key)
            if existing is None:
                candidates.append(follow)
            elif existing.status is DraftStatus.DISCARDED:
                self.notes.append(f"you discarded the {follow.kind.value.replace('_', ' ')} draft; it is not recreated")
        muted = self.app.override is Override.MUTED
        snoozed_until = self.app.override_until if self.app.override is Override.SNOOZED else None
        due: list[Step] = []
        future: list[Step] = []
        for step in sorted(candidates, key=lambda s: s.due):
            if step.key in self.drafts:
                continue
            blocked = muted or step.to is None or (snoozed_until is not None and self.now < snoozed_until)
            if step.due <= self.now and not blocked:
                due.append(step)
            else:
                future.append(step)
        if muted:
            self.notes.append("muted by you: no drafts are written")
        if snoozed_until is not None and self.now < snoozed_until:
            self.notes.append(f"snoozed by you until {fmt(snoozed_until, self.cal)}")
        next_step = due[0] if due else (future[0] if future else None)
        if next_step is None and follow is not None and follow.key in self.drafts:
            draft = self.drafts[follow.key]
            if draft.status is DraftStatus.OPEN:
                next_step = follow
        sent = [e for e in self.events if e.kind is Kind.SENT_FOLLOW_UP]
        deadline = next((s.deadline for s in (follow,) if s is not None and s.deadline is not None), None)
        return Decision(
            state=state,
            reason=reason,
            due=tuple(due),
            next_step=next_step,
            notes=tuple(dict.fromkeys(self.notes)),
            follow_ups_sent=len(sent),
            deadline=deadline,
        )
