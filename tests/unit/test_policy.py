"""agent/policy.py: the follow-up policy, rule by rule, on hand-built histories (no mailbox, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agent.config import FollowUpConfig, PolicyConfig, ThankYouConfig
from agent.models import (
    Address,
    Application,
    AppState,
    Deadline,
    DraftRecord,
    DraftStatus,
    Event,
    History,
    Interview,
    Kind,
    Override,
    StepKind,
)
from agent.policy import Policy

NY = ZoneInfo("America/New_York")
ME = Address("Alex Candidate", "alex@example.com")
RECRUITER = Address("Priya Shah", "priya@acme.com")
MARCUS = Address("Marcus Lee", "marcus@acme.com")
DANA = Address("Dana Wu", "dana@acme.com")
NOREPLY = Address("Acme", "no-reply@greenhouse.io")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def policy(**follow_up: int) -> Policy:
    return Policy.from_config(
        PolicyConfig(timezone="America/New_York", holidays="US", follow_up=FollowUpConfig(**follow_up))
    )


def interview(
    start: str,
    minutes: int = 60,
    people: tuple[Address, ...] = (MARCUS, DANA),
    iid: int = 1,
    message_id: str = "invite@acme.com",
) -> Interview:
    begin = at(start)
    return Interview(iid, begin, begin + timedelta(minutes=minutes), people, message_id=message_id)


def inbound(
    when: str,
    kind: Kind = Kind.REPLY,
    sender: Address = RECRUITER,
    deadline: Deadline | None = None,
    mid: str | None = None,
    human: bool = True,
    no_follow_up: bool = False,
    reply_to: Address | None = None,
) -> Event:
    return Event(
        mid or f"in-{when}@acme.com",
        at(when),
        kind,
        "test",
        sender,
        (ME,),
        "Re: Interview",
        human,
        deadline,
        no_follow_up,
        conversation=(mid or f"in-{when}@acme.com",),
        reply_address=sender if human else reply_to,
    )


def outbound(when: str, kind: Kind = Kind.SENT_FOLLOW_UP, to: Address = RECRUITER) -> Event:
    return Event(f"out-{when}@example.com", at(when), kind, "test", ME, (to,), "Re: Interview", False)


def history(
    *events: Event,
    interviews: tuple[Interview, ...] = (),
    drafts: tuple[DraftRecord, ...] = (),
    override: Override | None = None,
    until: datetime | None = None,
) -> History:
    invite = inbound("2026-02-20T10:00", Kind.INTERVIEW, mid="invite@acme.com")
    app = Application(7, "Acme", "Backend Engineer", ("acme.com",), override, until)
    return History(app, (invite, *events), interviews, drafts)


def draft(step_key: str, kind: StepKind, status: DraftStatus, created: str, to: Address = RECRUITER) -> DraftRecord:
    return DraftRecord(step_key, kind, to, at(created), status)


ROUND = (interview("2026-03-02T10:00"),)


# ------------------------------------------------------------------------------------------------ thank-you notes


def test_no_thank_you_before_the_interview_has_ended() -> None:
    decision = policy().decide(history(interviews=ROUND), at("2026-03-02T10:59"))
    assert decision.state is AppState.SCHEDULED or not decision.due
    assert decision.due == ()


def test_one_thank_you_per_interviewer_as_soon_as_the_interview_ends() -> None:
    decision = policy().decide(history(interviews=ROUND), at("2026-03-02T11:00"))
    assert [(s.kind, s.to) for s in decision.due] == [(StepKind.THANK_YOU, MARCUS), (StepKind.THANK_YOU, DANA)]
    assert decision.state is AppState.INTERVIEWED
    assert len({s.key for s in decision.due}) == 2


def test_unknown_duration_means_sixty_minutes_is_applied_by_the_caller_and_delay_is_configurable() -> None:
    cfg = PolicyConfig(timezone="America/New_York", thank_you=ThankYouConfig(delay_minutes=30))
    decision = Policy.from_config(cfg).decide(history(interviews=ROUND), at("2026-03-02T11:15"))
    assert decision.due == ()
    assert decision.next_step is not None and decision.next_step.due == at("2026-03-02T11:30")


def test_thank_you_skipped_for_an_interviewer_the_user_already_wrote_to() -> None:
    wrote = outbound("2026-03-02T12:00", Kind.SENT_THANK_YOU, to=MARCUS)
    decision = policy().decide(history(wrote, interviews=ROUND), at("2026-03-02T13:00"))
    assert [s.to for s in decision.due] == [DANA]
    assert any("already wrote" in n for n in decision.notes)


def test_thank_you_skipped_entirely_after_72_hours_but_follow_up_schedule_runs() -> None:
    decision = policy().decide(history(interviews=ROUND), at("2026-03-05T11:01"))
    assert decision.due == ()
    assert any("72 h" in n for n in decision.notes)
    assert decision.next_step is not None and decision.next_step.kind is StepKind.FOLLOW_UP


def test_thank_you_with_a_draft_already_written_is_not_due_again() -> None:
    first = policy().decide(history(interviews=ROUND), at("2026-03-02T11:00")).due
    drafts = tuple(draft(s.key, s.kind, DraftStatus.OPEN, "2026-03-02T11:00", s.to or MARCUS) for s in first)
    again = policy().decide(history(interviews=ROUND, drafts=drafts), at("2026-03-02T12:00"))
    assert again.due == ()


def test_interviewer_known_only_by_name_gets_no_draft_and_a_note() -> None:
    named = (Interview(1, at("2026-03-02T10:00"), at("2026-03-02T11:00"), (), ("Jane Roe",), message_id="x"),)
    decision = policy().decide(history(interviews=named), at("2026-03-02T11:05"))
    assert decision.due == ()
    assert any("Jane Roe" in n for n in decision.notes)


# ------------------------------------------------------------------------------------------------ first follow-up


def test_first_follow_up_five_business_days_after_the_interview_at_start_of_workday() -> None:
    thanked = (
        outbound("2026-03-02T12:00", Kind.SENT_THANK_YOU, MARCUS),
        outbound("2026-03-02T12:01", Kind.SENT_THANK_YOU, DANA),
    )
    hist = history(*thanked, interviews=ROUND)
    before = policy().decide(hist, at("2026-03-09T07:59"))
    assert before.due == ()
    assert before.next_step is not None and before.next_step.due == at("2026-03-09T08:00")
    due = policy().decide(hist, at("2026-03-09T08:00"))
    assert [s.kind for s in due.due] == [StepKind.FOLLOW_UP]
    assert due.due[0].to == RECRUITER


def test_business_days_skip_a_public_holiday() -> None:
    # Interview Friday 2026-05-22; Monday 2026-05-25 is Memorial Day in the US.
    hist = history(interviews=(interview("2026-05-22T10:00", people=()),))
    step = policy().decide(hist, at("2026-05-23T09:00")).next_step
    assert step is not None and step.kind is StepKind.FOLLOW_UP
    assert step.due == at("2026-06-01T08:00")


def test_follow_up_due_time_is_local_across_a_daylight_saving_change() -> None:
    # DST starts in New York on Sunday 2026-03-08: the due moment is still 08:00 local (12:00 UTC, not 13:00).
    hist = history(interviews=(interview("2026-03-05T10:00", people=()),))
    step = policy().decide(hist, at("2026-03-06T09:00")).next_step
    assert step is not None and step.due == at("2026-03-12T08:00")
    assert step.due.utcoffset() == timedelta(hours=-4)
    assert step.due.astimezone(ZoneInfo("UTC")).hour == 12


def test_follow_up_goes_to_the_human_who_last_wrote_never_a_no_reply_address() -> None:
    ats = inbound("2026-02-21T10:00", Kind.INTERVIEW, sender=NOREPLY, human=False)
    hist = history(ats, interviews=ROUND)
    step = policy().decide(hist, at("2026-03-09T08:00")).due[-1]
    assert step.to == RECRUITER


def test_a_recruiter_behind_an_ats_no_reply_address_gets_the_follow_up() -> None:
    app = Application(3, "Globex", "Analyst")
    ats = inbound("2026-02-20T10:00", Kind.INTERVIEW, sender=NOREPLY, human=False, reply_to=RECRUITER)
    hist = History(app, (ats,), (interview("2026-03-02T10:00", people=()),))
    [step] = policy().decide(hist, at("2026-03-09T08:00")).due
    assert step.to == RECRUITER and step.reply_to_event == ats


def test_no_human_address_known_means_no_draft_and_a_reason() -> None:
    app = Application(3, "Globex", "Analyst")
    ats = Event("gh@greenhouse.io", at("2026-02-20T10:00"), Kind.INTERVIEW, "t", NOREPLY, (ME,), "Interview", False)
    hist = History(app, (ats,), (interview("2026-03-02T10:00", people=()),))
    decision = policy().decide(hist, at("2026-03-10T09:00"))
    assert decision.due == ()
    assert decision.next_step is not None and decision.next_step.to is None
    assert "no human address" in decision.next_step.reason


# ------------------------------------------------------------------------------------------------ named dates


def test_named_date_moves_the_first_follow_up_to_the_next_business_day_after_it() -> None:
    reply = inbound("2026-03-04T11:00", deadline=Deadline(date(2026, 3, 13), "by Friday, March 13"))
    hist = history(reply, interviews=ROUND)
    waiting = policy().decide(hist, at("2026-03-13T17:00"))
    assert waiting.state is AppState.WAITING and waiting.due == ()
    assert waiting.deadline is not None and waiting.deadline.day == date(2026, 3, 13)
    due = policy().decide(hist, at("2026-03-16T08:00"))
    assert [s.kind for s in due.due] == [StepKind.FOLLOW_UP_AFTER_DATE]
    assert due.due[0].deadline is not None
    assert due.due[0].reply_to_event == reply


def test_named_date_in_the_invitation_counts_too() -> None:
    invite = inbound("2026-02-20T11:00", Kind.INTERVIEW, deadline=Deadline(date(2026, 3, 20), "within two weeks"))
    hist = history(invite, interviews=ROUND)
    step = policy().decide(hist, at("2026-03-10T09:00")).next_step
    assert step is not None and step.kind is StepKind.FOLLOW_UP_AFTER_DATE
    assert step.due == at("2026-03-23T08:00")


def test_a_date_named_before_the_interview_does_not_make_a_follow_up_due_at_once() -> None:
    # The invitation (Feb 20) says "we will get back to you within a week": resolved to Feb 27, before the
    # Mar 2 interview. It cannot be the decision date of that interview: the usual 5 business days apply.
    invite = inbound("2026-02-20T11:00", Kind.INTERVIEW, deadline=Deadline(date(2026, 2, 27), "within a week"))
    hist = history(invite, interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-02T11:00"))
    assert [s.kind for s in decision.due] == [StepKind.THANK_YOU, StepKind.THANK_YOU]
    later = policy().decide(hist, at("2026-03-09T08:00"))
    assert [s.kind for s in later.due if s.kind is not StepKind.THANK_YOU] == [StepKind.FOLLOW_UP]
    assert policy().decide(hist, at("2026-03-06T17:00")).due == ()


# ------------------------------------------------------------------------------------------------ second follow-up, cap


def test_second_follow_up_five_business_days_after_the_first_was_sent() -> None:
    sent = outbound("2026-03-10T14:00")
    hist = history(sent, interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-17T07:00"))
    assert decision.state is AppState.FOLLOWED_UP
    assert decision.next_step is not None and decision.next_step.kind is StepKind.SECOND_FOLLOW_UP
    assert decision.next_step.due == at("2026-03-17T08:00")
    assert decision.follow_ups_sent == 1


def test_no_second_follow_up_while_the_first_is_an_unsent_draft() -> None:
    first = policy().decide(history(interviews=ROUND), at("2026-03-09T08:00")).due[-1]
    pending = draft(first.key, StepKind.FOLLOW_UP, DraftStatus.OPEN, "2026-03-09T08:00")
    decision = policy().decide(history(interviews=ROUND, drafts=(pending,)), at("2026-04-30T09:00"))
    assert decision.due == ()
    assert decision.next_step is not None and "waiting for you" in decision.next_step.reason


def test_cap_reached_marks_no_response_once_the_wait_is_over() -> None:
    sent = (outbound("2026-03-09T09:00"), outbound("2026-03-16T09:00"))
    hist = history(*sent, interviews=ROUND)
    still = policy().decide(hist, at("2026-03-20T09:00"))
    assert still.state is AppState.FOLLOWED_UP and still.due == ()
    gone = policy().decide(hist, at("2026-03-23T09:00"))
    assert gone.state is AppState.NO_RESPONSE and gone.due == () and gone.next_step is None


def test_cap_is_configurable() -> None:
    hist = history(outbound("2026-03-09T09:00"), interviews=ROUND)
    decision = policy(max_follow_ups=1).decide(hist, at("2026-03-30T09:00"))
    assert decision.state is AppState.NO_RESPONSE and decision.due == ()
    more = policy(max_follow_ups=3).decide(
        history(outbound("2026-03-09T09:00"), outbound("2026-03-16T09:00"), interviews=ROUND), at("2026-03-23T09:00")
    )
    assert [s.kind for s in more.due] == [StepKind.SECOND_FOLLOW_UP]


# ------------------------------------------------------------------------------------------------ stopping


def test_a_human_reply_stops_the_chase() -> None:
    hist = history(inbound("2026-03-04T10:00"), interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-20T09:00"))
    assert decision.state is AppState.RESPONDED
    assert not [s for s in decision.due if s.kind is not StepKind.THANK_YOU]


def test_an_automatic_reply_is_not_a_reply() -> None:
    ooo = inbound("2026-03-03T07:00", Kind.AUTO_REPLY, sender=DANA)
    hist = history(ooo, interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-09T08:00"))
    assert decision.state is AppState.INTERVIEWED
    assert StepKind.FOLLOW_UP in [s.kind for s in decision.due]


def test_a_no_reply_sender_is_not_a_human_answer() -> None:
    robot = inbound("2026-03-03T07:00", Kind.REPLY, sender=NOREPLY, human=False)
    decision = policy().decide(history(robot, interviews=ROUND), at("2026-03-09T08:00"))
    assert StepKind.FOLLOW_UP in [s.kind for s in decision.due]


def test_a_reply_naming_a_date_pauses_until_that_date_then_one_follow_up() -> None:
    sent = outbound("2026-03-09T09:00")
    reply = inbound("2026-03-10T10:00", deadline=Deadline(date(2026, 3, 18), "by March 18"))
    hist = history(sent, reply, interviews=ROUND)
    assert policy().decide(hist, at("2026-03-18T12:00")).state is AppState.WAITING
    due = policy().decide(hist, at("2026-03-19T08:00")).due
    assert [s.kind for s in due] == [StepKind.FOLLOW_UP_AFTER_DATE]


@pytest.mark.parametrize(("kind", "state"), [(Kind.REJECTION, AppState.REJECTED), (Kind.OFFER, AppState.OFFER)])
def test_rejection_and_offer_close_the_application(kind: Kind, state: AppState) -> None:
    hist = history(inbound("2026-03-05T10:00", kind), interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-20T09:00"))
    assert decision.state is state and decision.due == () and decision.next_step is None


def test_a_rejection_before_a_scheduled_interview_closes_the_application() -> None:
    # Invited on Feb 20 for Mar 2; on Feb 25 the employer withdraws: "we have decided not to move forward".
    rejection = inbound("2026-02-25T10:00", Kind.REJECTION)
    hist = history(rejection, interviews=ROUND)
    before = policy().decide(hist, at("2026-02-26T09:00"))
    assert before.state is AppState.REJECTED
    after = policy().decide(hist, at("2026-03-02T11:00"))
    assert after.state is AppState.REJECTED and after.due == ()  # no thank-you for an interview that never happened


def test_invited_with_no_time_then_chased_by_the_user_is_followed_up_until_they_answer() -> None:
    # The invitation (Feb 20) never gave a time: a recorded video interview, a call fixed by phone.
    chased = history(outbound("2026-03-06T10:00"))
    assert policy().decide(chased, at("2026-03-09T09:00")).state is AppState.FOLLOWED_UP
    answered = history(outbound("2026-03-06T10:00"), inbound("2026-03-07T10:00"))
    assert policy().decide(answered, at("2026-03-09T09:00")).state is AppState.SCHEDULED
    assert policy().decide(history(), at("2026-03-09T09:00")).state is AppState.SCHEDULED


def test_the_users_withdrawal_closes_the_application_before_and_after_its_interview() -> None:
    # Invited for Mar 2; on Feb 25 the user writes "I'd like to withdraw my application".
    hist = history(outbound("2026-02-25T10:00", Kind.SENT_WITHDRAWAL), interviews=ROUND)
    before = policy().decide(hist, at("2026-02-26T09:00"))
    assert before.state is AppState.WITHDRAWN and before.due == () and before.next_step is None
    after = policy().decide(hist, at("2026-03-02T11:00"))
    assert after.state is AppState.WITHDRAWN and after.due == ()  # no thank-you for an interview called off
    later = policy().decide(hist, at("2026-03-20T09:00"))
    assert later.state is AppState.WITHDRAWN and later.due == ()


def test_an_interview_confirmed_after_the_withdrawal_reopens_the_application() -> None:
    round_two = interview("2026-03-11T13:00", iid=2, message_id="again@acme.com")
    again = inbound("2026-03-05T10:00", Kind.INTERVIEW, mid="again@acme.com")
    hist = history(outbound("2026-02-25T10:00", Kind.SENT_WITHDRAWAL), again, interviews=(*ROUND, round_two))
    assert policy().decide(hist, at("2026-03-06T09:00")).state is AppState.SCHEDULED


def test_the_employer_asking_not_to_follow_up_means_no_draft() -> None:
    hist = history(inbound("2026-02-21T10:00", Kind.INTERVIEW, no_follow_up=True), interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-20T09:00"))
    assert not [s for s in decision.due if s.kind is not StepKind.THANK_YOU]


# ---------------------------------------------------------------------------------- rounds, drafts, overrides


def test_a_further_round_restarts_the_cycle() -> None:
    round_two = interview(
        "2026-03-11T13:00",
        minutes=120,
        people=(Address("Jordan Park", "jordan@acme.com"),),
        iid=2,
        message_id="round2@acme.com",
    )
    invite2 = inbound("2026-03-05T10:00", Kind.INTERVIEW, mid="round2@acme.com")
    hist = history(outbound("2026-03-02T12:00", Kind.SENT_THANK_YOU, MARCUS), invite2, interviews=(*ROUND, round_two))
    scheduled = policy().decide(hist, at("2026-03-10T09:00"))
    assert scheduled.state is AppState.SCHEDULED
    assert not [s for s in scheduled.due if s.kind is not StepKind.THANK_YOU]
    after = policy().decide(hist, at("2026-03-11T15:00"))
    assert [(s.kind, s.to.email if s.to else None) for s in after.due] == [(StepKind.THANK_YOU, "jordan@acme.com")]
    follow = policy().decide(hist, at("2026-03-18T08:00")).due
    assert [s.kind for s in follow] == [StepKind.FOLLOW_UP]


def test_an_offer_then_a_newly_confirmed_interview_reopens_the_application() -> None:
    offer = inbound("2026-03-05T10:00", Kind.OFFER)
    round_two = interview("2026-03-12T10:00", iid=2, message_id="round2@acme.com")
    invite2 = inbound("2026-03-06T10:00", Kind.INTERVIEW, mid="round2@acme.com")
    hist = history(offer, invite2, interviews=(*ROUND, round_two))
    assert policy().decide(hist, at("2026-03-10T09:00")).state is AppState.SCHEDULED


def test_a_discarded_draft_is_not_recreated() -> None:
    first = policy().decide(history(interviews=ROUND), at("2026-03-09T08:00")).due[-1]
    gone = draft(first.key, StepKind.FOLLOW_UP, DraftStatus.DISCARDED, "2026-03-09T08:00")
    decision = policy().decide(history(interviews=ROUND, drafts=(gone,)), at("2026-03-12T08:00"))
    assert decision.due == ()
    assert any("discarded" in n for n in decision.notes)


def test_closed_muted_and_snoozed_applications() -> None:
    closed = policy().decide(history(interviews=ROUND, override=Override.CLOSED), at("2026-03-09T08:00"))
    assert closed.state is AppState.CLOSED and closed.due == ()
    muted = policy().decide(history(interviews=ROUND, override=Override.MUTED), at("2026-03-09T08:00"))
    assert muted.due == () and muted.next_step is not None
    snoozed = history(interviews=ROUND, override=Override.SNOOZED, until=at("2026-03-12T00:00"))
    assert policy().decide(snoozed, at("2026-03-09T08:00")).due == ()
    assert policy().decide(snoozed, at("2026-03-12T08:00")).due != ()


def test_cancelled_interview_is_ignored() -> None:
    cancelled = (Interview(1, at("2026-03-02T10:00"), at("2026-03-02T11:00"), (MARCUS,), cancelled=True),)
    decision = policy().decide(history(interviews=cancelled), at("2026-03-09T08:00"))
    assert decision.due == ()


def test_a_named_date_holds_back_the_second_follow_up_too() -> None:
    # The employer named March 20 in answer to the first follow-up; the user then wrote again on March 11.
    first = outbound("2026-03-09T09:00")
    named = inbound("2026-03-10T10:00", deadline=Deadline(date(2026, 3, 20), "by March 20"))
    again = outbound("2026-03-11T09:00")
    hist = history(first, named, again, interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-18T09:00"))
    assert decision.due == ()
    assert decision.next_step is not None and decision.next_step.due == at("2026-03-23T08:00")


def test_after_a_rejection_an_unsent_follow_up_draft_is_pointed_out() -> None:
    first = policy().decide(history(interviews=ROUND), at("2026-03-09T08:00")).due[-1]
    pending = draft(first.key, StepKind.FOLLOW_UP, DraftStatus.OPEN, "2026-03-09T08:00")
    hist = history(inbound("2026-03-10T10:00", Kind.REJECTION), interviews=ROUND, drafts=(pending,))
    decision = policy().decide(hist, at("2026-03-11T09:00"))
    assert decision.state is AppState.REJECTED
    assert any("you may delete it" in n for n in decision.notes)


def test_a_time_only_asked_about_after_an_offer_does_not_reopen_it() -> None:
    offer = inbound("2026-03-05T10:00", Kind.OFFER)
    asked = replace(interview("2026-03-09T17:00", iid=2, message_id="call@acme.com"), tentative=True)
    hist = history(offer, inbound("2026-03-06T10:00", Kind.INTERVIEW, mid="call@acme.com"), interviews=(*ROUND, asked))
    assert policy().decide(hist, at("2026-03-10T09:00")).state is AppState.OFFER


def test_a_cancelled_interview_chased_by_the_user_is_followed_up_until_they_answer() -> None:
    cancelled = replace(ROUND[0], cancelled=True)
    cancel = inbound("2026-03-01T10:00", Kind.CANCELLATION)
    waiting = history(cancel, interviews=(cancelled,))
    assert policy().decide(waiting, at("2026-03-05T09:00")).state is AppState.RESPONDED
    chased = history(cancel, outbound("2026-03-10T10:00"), interviews=(cancelled,))
    assert policy().decide(chased, at("2026-03-12T09:00")).state is AppState.FOLLOWED_UP
    answered = history(cancel, outbound("2026-03-10T10:00"), inbound("2026-03-11T10:00"), interviews=(cancelled,))
    assert policy().decide(answered, at("2026-03-12T09:00")).state is AppState.RESPONDED


def test_a_follow_up_never_goes_to_an_address_that_bounced() -> None:
    app = Application(3, "Globex", "Analyst")
    typo = Address("Priya Shah", "priya@acme-typo.com")
    ats = inbound("2026-02-20T10:00", Kind.INTERVIEW, sender=NOREPLY, human=False)
    thanks = outbound("2026-03-02T12:00", Kind.SENT_THANK_YOU, to=typo)
    bounce = Event("dsn@mx.example", at("2026-03-02T12:01"), Kind.BOUNCE, "t", None, (typo,), "Undelivered", False)
    hist = History(app, (ats, thanks, bounce), (interview("2026-03-02T10:00"),))
    step = policy().decide(hist, at("2026-03-10T09:00")).due[-1]
    assert step.to is not None and step.to.email != typo.email
