"""Regression tests for bugs found in review: each test names the rule it protects."""

from __future__ import annotations

from agent.models import AppState, Kind
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

