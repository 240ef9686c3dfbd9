"""detect() on the second audit corpus: styles the first audit did not cover.

`fixtures/audit2` holds mail from more applicant-tracking systems (Workday, iCIMS, SmartRecruiters, Recruitee,
Teamtailor, Personio, JazzHR, Breezy, Jobvite, SuccessFactors, Taleo), Microsoft Bookings, Calendly reschedules,
Google Calendar invitations in text only, forwarded invitations, Outlook's Word HTML, UK/Indian/Australian
phrasing and zones, daylight-saving changes, multi-interviewer schedules, vague decision dates, soft and long
rejections, contingent offers, the user's own informal mail, unusual automatic replies and the employer's own
newsletters. `expected.json` has the format of `fixtures/audit/expected.json` (checked by the same function);
an entry with `"day_first": true` is read with a day-first context (a UK user's setting), and `note` says why
an expectation is what it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.detect import DetectContext, might_matter
from agent.models import FolderRole, Kind
from agent.parsing import parse_headers
from tests.unit.test_detect_audit import CTX, check_expectation, verdict_in

AUDIT2 = Path(__file__).resolve().parents[2] / "fixtures" / "audit2"
EXPECTED: dict[str, dict[str, Any]] = json.loads((AUDIT2 / "expected.json").read_text())
# Messages detection still gets wrong: each is expected to fail (strict), so fixing one forces removing it here.
KNOWN_GAPS: frozenset[str] = frozenset()
DAY_FIRST = DetectContext(user_addresses=CTX.user_addresses, zone=CTX.zone, day_first=True)


def _ctx(name: str) -> DetectContext:
    return DAY_FIRST if EXPECTED[name].get("day_first") else CTX


def test_every_audit2_message_has_an_expectation_and_vice_versa() -> None:
    on_disk = {p.name for p in AUDIT2.glob("*.eml")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 50
    assert {Kind(e["kind"]) for e in EXPECTED.values()} >= {
        Kind.INTERVIEW, Kind.CANCELLATION, Kind.REPLY, Kind.REJECTION, Kind.OFFER, Kind.AUTO_REPLY,
        Kind.ACKNOWLEDGEMENT, Kind.BULK, Kind.SENT_THANK_YOU, Kind.SENT_FOLLOW_UP, Kind.SENT_OTHER,
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True)) if n in KNOWN_GAPS else n for n in sorted(EXPECTED)],
)
def test_audit2_message(name: str) -> None:
    check_expectation(name, EXPECTED[name], verdict_in(AUDIT2, name, _ctx(name)))


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["kind"] != Kind.BULK.value))
def test_the_header_prefilter_keeps_every_audit2_message_that_is_not_bulk(name: str) -> None:
    raw = (AUDIT2 / name).read_bytes()
    folder = FolderRole.SENT if name.startswith("sent_") else FolderRole.INBOX
    assert might_matter(parse_headers(raw.split(b"\r\n\r\n", 1)[0], folder, ref=name), _ctx(name))


def _mail(subject: str, body: str, sender: str = "Kim Lee <kim.lee@fernhill.co>") -> bytes:
    head = f"From: {sender}\r\nTo: alex.candidate@gmail.com\r\nSubject: {subject}\r\n"
    head += "Date: Tue, 10 Mar 2026 15:00:00 +0000\r\nMessage-ID: <probe@fernhill.co>\r\n"
    return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")).encode()


@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        # The audit2 rules must not fire on near misses written by people.
        ("Re: update", "Hi Alex, I've left Sarah a voicemail about your references. Talk soon!", Kind.REPLY),
        (
            "Re: Platform Engineer",
            "Hi Alex, the role has been closed to new applicants and we'd love to invite you to a final round"
            " interview. Could you share your availability?",
            Kind.INTERVIEW,
        ),
        (
            "[Ticket #4821] Interview scheduling",
            "Hi Alex, your interview is confirmed for Thursday, March 12 at 2pm ET with Kim Lee.",
            Kind.INTERVIEW,
        ),
        (
            "Re: next steps",
            "We received your request to reschedule - no problem at all, I'll send new times.",
            Kind.REPLY,
        ),
    ],
)
def test_near_misses_of_the_audit2_rules(subject: str, body: str, kind: Kind) -> None:
    from agent.detect import detect
    from agent.parsing import parse_message

    got = detect(parse_message(_mail(subject, body), FolderRole.INBOX), CTX)
    assert got.kind == kind, f"{got.rule}: {got.reason}"
