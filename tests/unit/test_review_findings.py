"""Regression tests for bugs found in review: each test names the rule it protects."""

from __future__ import annotations

from datetime import date

from agent.models import AppState, Deadline, Kind, StepKind
from tests.unit.test_policy import ROUND, at, history, inbound, interview, policy


def test_a_rejection_before_a_scheduled_interview_closes_the_application() -> None:
    # Invited on Feb 20 for Mar 2; on Feb 25 the employer withdraws: "we have decided not to move forward".
    rejection = inbound("2026-02-25T10:00", Kind.REJECTION)
    hist = history(rejection, interviews=ROUND)
    before = policy().decide(hist, at("2026-02-26T09:00"))
    assert before.state is AppState.REJECTED
    after = policy().decide(hist, at("2026-03-02T11:00"))
    assert after.state is AppState.REJECTED and after.due == ()  # no thank-you for an interview that never happened


def test_an_offer_then_a_newly_confirmed_interview_reopens_the_application() -> None:
    offer = inbound("2026-03-05T10:00", Kind.OFFER)
    round_two = interview("2026-03-12T10:00", iid=2, message_id="round2@acme.com")
    invite2 = inbound("2026-03-06T10:00", Kind.INTERVIEW, mid="round2@acme.com")
    hist = history(offer, invite2, interviews=(*ROUND, round_two))
    assert policy().decide(hist, at("2026-03-10T09:00")).state is AppState.SCHEDULED


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
