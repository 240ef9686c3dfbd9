"""detect() on the audit corpus: realistic mail written the way recruiters, ATSs and calendars write it.

`fixtures/audit/expected.json` maps each message to what a demanding job seeker needs the agent to conclude:
the kind, and where it matters the interview's start (and end), the interviewers, the decision date the
employer named, the company, the role, and whether the employer asked not to be chased. A key that is absent is
not checked; a key set to null must come out as None (an assessment expiry is not an interview time, a
candidate's own deadline is not an employer's decision date). Messages named `sent_*` sit in the Sent folder.

The context is the engine's: the user's address and zone, no display names.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.detect import DetectContext, detect, might_matter
from agent.models import FolderRole, Kind, Verdict
from agent.parsing import parse_headers, parse_message

AUDIT = Path(__file__).resolve().parents[2] / "fixtures" / "audit"
EXPECTED: dict[str, dict[str, Any]] = json.loads((AUDIT / "expected.json").read_text())
CTX = DetectContext(user_addresses=frozenset({"alex.candidate@gmail.com"}), zone=ZoneInfo("America/New_York"))


def verdict_in(directory: Path, name: str, ctx: DetectContext = CTX) -> Verdict:
    """detect() on one corpus file; files named `sent_*` sit in the Sent folder."""
    folder = FolderRole.SENT if name.startswith("sent_") else FolderRole.INBOX
    return detect(parse_message((directory / name).read_bytes(), folder, ref=name), ctx)


def verdict_of(name: str) -> Verdict:
    return verdict_in(AUDIT, name)


def test_every_audit_message_has_an_expectation_and_vice_versa() -> None:
    on_disk = {p.name for p in AUDIT.glob("*.eml")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 45
    assert {Kind(e["kind"]) for e in EXPECTED.values()} >= {
        Kind.INTERVIEW, Kind.CANCELLATION, Kind.REPLY, Kind.REJECTION, Kind.OFFER, Kind.AUTO_REPLY,
        Kind.BOUNCE, Kind.ACKNOWLEDGEMENT, Kind.BULK, Kind.SENT_THANK_YOU, Kind.SENT_FOLLOW_UP, Kind.SENT_OTHER,
    }  # fmt: skip


def check_expectation(name: str, want: dict[str, Any], got: Verdict) -> None:
    """Assert that a verdict meets one expected.json entry (shared by every audit corpus)."""
    assert got.kind == Kind(want["kind"]), f"{name}: {got.rule}: {got.reason}"
    interview = got.interview
    if "start" in want:
        if want["start"] is None:
            assert interview is None, f"{name}: unexpected interview time {interview}"
        else:
            assert interview is not None, f"{name}: no interview time found"
            # the same instant, whatever zone
            assert interview.start == datetime.fromisoformat(want["start"]), f"{name}: {interview.start}"
    if "end" in want:
        assert interview is not None and interview.end == datetime.fromisoformat(want["end"]), interview
    if "interviewers" in want:
        assert interview is not None
        assert sorted(a.email for a in interview.interviewers) == sorted(want["interviewers"]), interview
    if "interviewer_names" in want:  # people named without an address
        assert interview is not None
        assert sorted(n.lower() for n in interview.interviewer_names) == sorted(
            n.lower() for n in want["interviewer_names"]
        ), interview
    if "sequence" in want:
        assert interview is not None and interview.sequence == want["sequence"]
    if "deadline" in want:
        if want["deadline"] is None:
            assert got.deadline is None, f"{name}: unexpected deadline {got.deadline}"
        else:
            assert got.deadline is not None, f"{name}: no deadline found"
            assert got.deadline.day == date.fromisoformat(want["deadline"]), got.deadline.phrase
    if "company" in want:
        assert (got.company or "").lower() == want["company"].lower(), f"{name}: company {got.company!r}"
    if "role" in want:
        assert (got.role or "").lower() == want["role"].lower(), f"{name}: role {got.role!r}"
    if "no_follow_up" in want:
        assert got.no_follow_up is want["no_follow_up"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_audit_message(name: str) -> None:
    check_expectation(name, EXPECTED[name], verdict_of(name))


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["kind"] != Kind.BULK.value))
def test_the_header_prefilter_keeps_every_message_that_is_not_bulk(name: str) -> None:
    # The engine never downloads a body the prefilter drops: a wrong "bulk" here would lose the message.
    raw = (AUDIT / name).read_bytes()
    folder = FolderRole.SENT if name.startswith("sent_") else FolderRole.INBOX
    assert might_matter(parse_headers(raw.split(b"\r\n\r\n", 1)[0], folder, ref=name), CTX)


def test_an_agency_inviting_to_its_clients_interview_is_an_invitation_not_a_pitch() -> None:
    raw = (AUDIT / "agency_cold_outreach.eml").read_bytes()
    pitch = raw.split(b"\r\n\r\n", 1)[0] + (
        b"\r\n\r\nHi Alex,\r\n\r\nGreat news! My client was really impressed and would like to invite you to a final"
        b" round interview. Based on your background I think it's an exciting opportunity for you. Please send me"
        b" your availability for next week.\r\n\r\nRyan\r\n"
    )
    got = detect(parse_message(pitch, FolderRole.INBOX), CTX)
    assert (got.kind, got.rule) == (Kind.INTERVIEW, "interview_invitation")
    assert verdict_of("agency_cold_outreach.eml").rule == "cold_outreach"
