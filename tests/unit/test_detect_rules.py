"""agent/detect: detect() and its ordered rules (agent/detect/rules.py), and the might_matter prefilter.

On realistic fixtures, on the traps the rules must not fall into, and on two labelled corpora of realistic mail
(fixtures/audit and fixtures/audit2, described where they are checked below).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.detect import RULES, DetectContext, describe_rules, detect, might_matter
from agent.models import Address, FolderRole, Kind, Message, Verdict
from agent.parsing import parse_headers, parse_message

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"
CTX = DetectContext(
    frozenset({"alex.rivera@gmail.com"}), ZoneInfo("America/New_York"), user_names=frozenset({"alex rivera"})
)


def verdict_of(name: str, folder: FolderRole = FolderRole.INBOX) -> Verdict:
    return detect(parse_message((FIXTURES / name).read_bytes(), folder), CTX)


def msg(
    text: str,
    subject: str = "Re: your application",
    sender: str = "Jane Doe <jane.doe@acme.com>",
    headers: tuple[tuple[str, str], ...] = (),
    folder: FolderRole = FolderRole.INBOX,
    calendars: tuple[str, ...] = (),
    when: datetime = datetime(2026, 3, 4, 15, 0, tzinfo=UTC),
) -> Message:
    name, _, email = sender.rpartition(" <")
    return Message(
        message_id="m1@test",
        folder=folder,
        date=when,
        sender=Address(name, email.rstrip(">")) if email else Address("", sender),
        to=(Address("Alex Rivera", "alex.rivera@gmail.com"),),
        subject=subject,
        headers=headers,
        text=text,
        calendars=calendars,
    )


@pytest.mark.parametrize(
    ("fixture", "kind", "rule"),
    [
        ("greenhouse_confirmation.eml", Kind.INTERVIEW, "interview_text"),
        ("lever_confirmation_html_only.eml", Kind.INTERVIEW, "interview_text"),
        ("ashby_invite_ics.eml", Kind.INTERVIEW, "interview_calendar"),
        ("workday_confirmation.eml", Kind.INTERVIEW, "interview_text"),
        ("google_calendar_invite.eml", Kind.INTERVIEW, "interview_calendar"),
        ("google_calendar_reschedule.eml", Kind.INTERVIEW, "interview_calendar"),
        ("outlook_invite_windows_tz.eml", Kind.INTERVIEW, "interview_calendar"),
        ("calendly_confirmation.eml", Kind.INTERVIEW, "interview_text"),
        ("recruiter_plaintext_confirmation.eml", Kind.INTERVIEW, "interview_text"),
        ("unknown_charset.eml", Kind.INTERVIEW, "interview_text"),
        ("second_round_invitation.eml", Kind.INTERVIEW, "interview_invitation"),
        ("proposed_slots.eml", Kind.INTERVIEW, "interview_invitation"),
        ("ack_with_interview_invite.eml", Kind.INTERVIEW, "interview_invitation"),
        ("missing_message_id.eml", Kind.INTERVIEW, "interview_invitation"),
        ("google_calendar_cancel.eml", Kind.CANCELLATION, "cancellation"),
        ("cancellation_text.eml", Kind.CANCELLATION, "cancellation"),
        ("soft_rejection.eml", Kind.REJECTION, "rejection"),
        ("hard_rejection_ats.eml", Kind.REJECTION, "rejection"),
        ("offer.eml", Kind.OFFER, "offer"),
        ("ack_greenhouse.eml", Kind.ACKNOWLEDGEMENT, "acknowledgement"),
        ("dsn_bounce.eml", Kind.BOUNCE, "bounce"),
        ("out_of_office_exchange.eml", Kind.AUTO_REPLY, "auto_reply"),
        ("out_of_office_no_headers.eml", Kind.AUTO_REPLY, "auto_reply"),
        ("linkedin_job_alert.eml", Kind.BULK, "bulk"),
        ("webinar_marketing.eml", Kind.BULK, "bulk"),
        ("newsletter.eml", Kind.BULK, "bulk"),
        ("reply_by_friday_march_13_quoted.eml", Kind.REPLY, "reply"),
        ("reply_quoting_user_no_deadline.eml", Kind.REPLY, "reply"),
        ("reply_within_two_weeks.eml", Kind.REPLY, "reply"),
        ("reply_end_of_next_week.eml", Kind.REPLY, "reply"),
        ("reply_use_portal.eml", Kind.REPLY, "reply"),
        ("cold_outreach_we_offer.eml", Kind.REPLY, "cold_outreach"),
        ("malformed_broken_boundary.eml", Kind.REPLY, "reply"),
        ("undecodable_base64.eml", Kind.REPLY, "reply"),
    ],
)
def test_fixture_kinds(fixture: str, kind: Kind, rule: str) -> None:
    verdict = verdict_of(fixture)
    assert (verdict.kind, verdict.rule) == (kind, rule), verdict.reason
    assert verdict.reason and len(verdict.reason) < 200


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("sent_thank_you.eml", Kind.SENT_THANK_YOU),
        ("sent_follow_up.eml", Kind.SENT_FOLLOW_UP),
        ("sent_agent_draft_key.eml", Kind.SENT_THANK_YOU),  # the key wins over the body's "Following up"
    ],
)
def test_sent_fixtures(fixture: str, kind: Kind) -> None:
    assert verdict_of(fixture, FolderRole.SENT).kind == kind


def test_greenhouse_details() -> None:
    v = verdict_of("greenhouse_confirmation.eml")
    assert v.company == "Acme Robotics"
    assert v.role == "Senior Backend Engineer"
    assert v.interview is not None
    assert v.interview.start == datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    assert v.interview.end == datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
    # Priya is the Reply-To, so she gets her address; Tom is named only.
    assert [a.email for a in v.interview.interviewers] == ["priya.patel@acmerobotics.com"]
    assert v.interview.interviewer_names == ("Tom O'Neil",)


def test_calendar_invite_details() -> None:
    v = verdict_of("google_calendar_invite.eml")
    assert v.company == "Hooli"
    assert v.role == "Senior Software Engineer"
    assert v.interview is not None and v.interview.uid == "7kq3m9d2v1b8n0c5x4z6a1s2d3@google.com"


def test_ats_sender_display_name_and_workday_tenant() -> None:
    assert verdict_of("lever_confirmation_html_only.eml").company == "Globex"
    workday = verdict_of("workday_confirmation.eml")
    assert workday.company == "Initech"
    assert workday.role == "Data Analyst"
    assert workday.interview is not None
    assert [a.email for a in workday.interview.interviewers] == ["kevin.marsh@initech.com"]
    assert workday.interview.interviewer_names == ("Lucy Tran",)


def test_recruiter_confirming_our_call_is_the_interviewer() -> None:
    v = verdict_of("recruiter_plaintext_confirmation.eml")
    assert v.interview is not None
    assert v.interview.start == datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
    assert [a.email for a in v.interview.interviewers] == ["dana@brightpath.ai"]
    assert v.company == "BrightPath"


def test_calendly_uses_reply_to_person() -> None:
    v = verdict_of("calendly_confirmation.eml")
    assert v.interview is not None
    assert v.interview.start == datetime(2026, 3, 13, 14, 0, tzinfo=UTC)
    assert [a.email for a in v.interview.interviewers] == ["sam.lee@initrode.io"]


def test_reply_deadlines_from_own_words_only() -> None:
    v = verdict_of("reply_by_friday_march_13_quoted.eml")
    assert v.deadline is not None and v.deadline.day == date(2026, 3, 13)
    assert v.deadline.phrase == "by Friday, March 13"
    # The employer only quoted the user's "decide within two weeks": no deadline.
    assert verdict_of("reply_quoting_user_no_deadline.eml").deadline is None
    two_weeks = verdict_of("reply_within_two_weeks.eml")
    assert two_weeks.deadline is not None and two_weeks.deadline.day == date(2026, 3, 31)
    next_week = verdict_of("reply_end_of_next_week.eml")
    assert next_week.deadline is not None and next_week.deadline.day == date(2026, 3, 27)


def test_no_follow_up_preferences() -> None:
    assert verdict_of("reply_use_portal.eml").no_follow_up
    assert not verdict_of("reply_within_two_weeks.eml").no_follow_up
    v = detect(msg("Thanks Alex. Please do not follow up on this application; we will contact you."), CTX)
    assert v.kind is Kind.REPLY and v.no_follow_up
    v = detect(msg("Thanks Alex. We will reach out to you."), CTX)
    assert v.no_follow_up
    v = detect(msg("Thanks Alex. We will reach out to you by Friday with next steps."), CTX)
    assert not v.no_follow_up and v.deadline is not None


def test_offer_in_job_ad_is_not_an_offer() -> None:
    v = verdict_of("cold_outreach_we_offer.eml")
    assert v.kind is not Kind.OFFER


def test_offer_extended_to_someone_else_is_a_rejection() -> None:
    v = detect(msg("Thank you for interviewing. We have extended an offer to another candidate."), CTX)
    assert v.kind is Kind.REJECTION


def test_conditional_rejection_wording_is_not_a_rejection() -> None:
    v = detect(
        msg(
            "If you are not selected for this role, we will keep your resume on file. We'll get back to you by Friday."
        ),
        CTX,
    )
    assert v.kind is Kind.REPLY
    assert v.deadline is not None


@pytest.mark.parametrize(
    "text",
    [
        "Thanks again for your time. The team will decide on the next round by Friday, March 13.",
        "Wir melden uns bis Freitag, 13. März, zur nächsten Runde.",
        "Nous reviendrons vers vous le vendredi 13 mars concernant la prochaine étape.",
        "Te informaremos el viernes 13 de marzo sobre la siguiente fase.",
    ],
)
def test_a_round_named_while_a_decision_is_pending_is_no_invitation(text: str) -> None:
    v = detect(msg(text), CTX)
    assert v.kind is Kind.REPLY
    assert v.deadline is not None and v.deadline.day == date(2026, 3, 13)


@pytest.mark.parametrize(
    "text",
    [
        "Bonne nouvelle : toute l'équipe aimerait te rencontrer pour une présentation de ton portfolio.",
        "Wir würden Sie gerne persönlich kennenlernen und melden uns mit einem Terminvorschlag.",
        "Me gustaría conocerte en persona la próxima semana, si te encaja.",
    ],
)
def test_an_invitation_to_meet_in_other_languages(text: str) -> None:
    assert detect(msg(text, subject="Votre candidature"), CTX).kind is Kind.INTERVIEW


def test_an_invitation_to_the_next_round_still_invites() -> None:
    assert detect(msg("Good news: we'd like to move you to the next round."), CTX).kind is Kind.INTERVIEW


def test_acknowledgement_loses_to_rejection() -> None:
    v = detect(
        msg(
            "Thank you for applying to Acme. Unfortunately we will not be moving forward with your application.",
            sender="Acme <no-reply@us.greenhouse-mail.io>",
        ),
        CTX,
    )
    assert v.kind is Kind.REJECTION


def test_confirmation_with_list_unsubscribe_and_tips_is_not_bulk() -> None:
    v = verdict_of("greenhouse_confirmation.eml")
    assert v.kind is Kind.INTERVIEW  # it has List-Unsubscribe and an "ace your interview" tips link


def test_newsletter_quoting_deadlines_is_bulk_not_reply() -> None:
    v = verdict_of("newsletter.eml")
    assert v.kind is Kind.BULK and v.deadline is None


def test_out_of_office_body_is_not_a_reply_but_a_reply_mentioning_absence_is() -> None:
    ooo = detect(msg("I am out of the office until March 20 with limited access to email.", subject="Re: Thanks"), CTX)
    assert ooo.kind is Kind.AUTO_REPLY
    human = detect(
        msg(
            "Sorry for the delay, I was out of the office last week. We'll make a decision by Friday.",
            subject="Re: Thanks",
        ),
        CTX,
    )
    assert human.kind is Kind.REPLY and human.deadline is not None


def test_auto_submitted_generated_robot_mail_is_unrelated_not_reply() -> None:
    v = detect(
        msg(
            "Your password was changed.",
            subject="Security notice",
            sender="Acme <security@acme.com>",
            headers=(("auto-submitted", "auto-generated"),),
        ),
        CTX,
    )
    assert v.kind is Kind.UNRELATED


def test_message_from_user_address_in_inbox_is_treated_as_sent() -> None:
    v = detect(msg("Thank you for taking the time to speak with me today.", sender="Alex <alex.rivera@gmail.com>"), CTX)
    assert v.kind is Kind.SENT_THANK_YOU


def test_follow_up_with_recent_thanks_is_a_thank_you() -> None:
    v = detect(
        msg(
            "I wanted to follow up with a quick note: thank you for your time today!",
            folder=FolderRole.SENT,
            sender="Alex <alex.rivera@gmail.com>",
        ),
        CTX,
    )
    assert v.kind is Kind.SENT_THANK_YOU


def test_agent_key_follow_up() -> None:
    v = detect(
        msg(
            "Hi Sam, checking in.",
            folder=FolderRole.SENT,
            sender="Alex <alex.rivera@gmail.com>",
            headers=(("x-followup-agent-key", "app-1/iv-2/follow_up/1"),),
        ),
        CTX,
    )
    assert (v.kind, v.rule) == (Kind.SENT_FOLLOW_UP, "sent_agent_draft")


def test_sent_other() -> None:
    v = detect(msg("Here is my portfolio link.", folder=FolderRole.SENT, sender="Alex <alex.rivera@gmail.com>"), CTX)
    assert v.kind is Kind.SENT_OTHER


def test_proposed_times_are_not_a_confirmed_time() -> None:
    v = verdict_of("proposed_slots.eml")
    assert v.kind is Kind.INTERVIEW and v.interview is None


def test_reschedule_in_words_with_new_time_is_an_interview() -> None:
    v = detect(
        msg(
            "We need to cancel tomorrow's interview and reschedule. Your interview is now confirmed for "
            "Monday, March 9 at 3:00 PM ET."
        ),
        CTX,
    )
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 9, 19, 0, tzinfo=UTC)


def test_past_time_in_text_is_not_an_interview() -> None:
    v = detect(msg("Confirming we received your call on March 1 at 10am.", sender="jane.doe@acme.com"), CTX)
    assert v.kind is Kind.REPLY


def test_appointment_without_interview_context_is_not_an_interview() -> None:
    v = detect(
        msg(
            "Your dental cleaning is confirmed for March 10 at 2pm.",
            subject="Appointment reminder",
            sender="Smile Dental <no-reply@smiledental.com>",
        ),
        CTX,
    )
    assert v.kind is Kind.UNRELATED


def test_rules_are_named_described_and_ordered() -> None:
    names = [name for name, _ in RULES]
    assert names == [
        "bounce",
        "auto_reply",
        "calendar_response",
        "sent_agent_draft",
        "sent_mail",
        "bulk",
        "acknowledgement",
        "offer",
        "rejection",
        "cancellation",
        "interview_calendar",
        "interview_text",
        "interview_moved",
        "cold_outreach",
        "interview_invitation",
        "status_update",
        "agency_submission",
        "reply",
        "unrelated",
    ]
    described = describe_rules()
    assert [n for n, _ in described] == names
    assert all(doc and "\n" not in doc for _, doc in described)


def test_reason_quotes_the_phrase_not_the_body() -> None:
    body = (
        "Hi Alex,\n\n"
        + "Lots of details about the team. " * 50
        + "We regret to inform you that the role has been filled."
    )
    v = detect(msg(body), CTX)
    assert v.kind is Kind.REJECTION
    assert '"regret to inform"' in v.reason
    assert len(v.reason) < 120


class TestMightMatter:
    def head(self, name: str) -> Message:
        raw = (FIXTURES / name).read_bytes()
        return parse_headers(raw.split(b"\n\n", 1)[0], FolderRole.INBOX)

    def test_clear_bulk_is_skipped(self) -> None:
        assert not might_matter(self.head("linkedin_job_alert.eml"), CTX)
        assert not might_matter(self.head("webinar_marketing.eml"), CTX)
        assert not might_matter(self.head("newsletter.eml"), CTX)

    def test_everything_else_is_kept(self) -> None:
        for name in (
            "greenhouse_confirmation.eml",
            "calendly_confirmation.eml",
            "soft_rejection.eml",
            "google_calendar_invite.eml",
            "out_of_office_exchange.eml",
            "ack_greenhouse.eml",
        ):
            assert might_matter(self.head(name), CTX), name

    def test_sent_always_matters(self) -> None:
        raw = (FIXTURES / "webinar_marketing.eml").read_bytes()
        assert might_matter(parse_headers(raw.split(b"\n\n", 1)[0], FolderRole.SENT), CTX)


# ------------------------------------------------------------------------------------------------ the two corpora
# Realistic mail, each message with what a demanding job seeker needs the agent to conclude, in the corpus's
# `expected.json`: the kind, and where it matters the interview's start (and end), the interviewers, the decision
# date the employer named, the company, the role, and whether the employer asked not to be chased. A key that is
# absent is not checked; a key set to null must come out as None (an assessment expiry is not an interview time, a
# candidate's own deadline is not an employer's decision date). Messages named `sent_*` sit in the Sent folder.
# The context is the engine's: the user's address and zone, no display names.
#
# The recruiter corpus (fixtures/audit) is mail written the way recruiters, ATSs and calendars write it.
#
# The variety corpus (fixtures/audit2) holds the styles the first did not cover: mail from more applicant-tracking
# systems (Workday, iCIMS, SmartRecruiters, Recruitee, Teamtailor, Personio, JazzHR, Breezy, Jobvite,
# SuccessFactors, Taleo), Microsoft Bookings, Calendly reschedules, Google Calendar invitations in text only,
# forwarded invitations, Outlook's Word HTML, UK/Indian/Australian phrasing and zones, daylight-saving changes,
# multi-interviewer schedules, vague decision dates, soft and long rejections, contingent offers, the user's own
# informal mail, unusual automatic replies and the employer's own newsletters. An entry with `"day_first": true`
# is read with a day-first context (a UK user's setting), and `note` says why an expectation is what it is.

RECRUITER_CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "audit"
RECRUITER_EXPECTED: dict[str, dict[str, Any]] = json.loads((RECRUITER_CORPUS / "expected.json").read_text())
VARIETY_CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "audit2"
VARIETY_EXPECTED: dict[str, dict[str, Any]] = json.loads((VARIETY_CORPUS / "expected.json").read_text())
# Variety-corpus messages detection still gets wrong: each is expected to fail (strict), so fixing one forces
# removing it here.
VARIETY_KNOWN_GAPS: frozenset[str] = frozenset()
CORPUS_CTX = DetectContext(user_addresses=frozenset({"alex.candidate@gmail.com"}), zone=ZoneInfo("America/New_York"))
CORPUS_DAY_FIRST = DetectContext(user_addresses=CORPUS_CTX.user_addresses, zone=CORPUS_CTX.zone, day_first=True)


def corpus_verdict(directory: Path, name: str, ctx: DetectContext = CORPUS_CTX) -> Verdict:
    """detect() on one corpus file; files named `sent_*` sit in the Sent folder."""
    folder = FolderRole.SENT if name.startswith("sent_") else FolderRole.INBOX
    return detect(parse_message((directory / name).read_bytes(), folder, ref=name), ctx)


def variety_ctx(name: str) -> DetectContext:
    return CORPUS_DAY_FIRST if VARIETY_EXPECTED[name].get("day_first") else CORPUS_CTX


def check_expectation(name: str, want: dict[str, Any], got: Verdict) -> None:
    """Assert that a verdict meets one expected.json entry (shared by both corpora)."""
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


def test_every_recruiter_corpus_message_has_an_expectation_and_vice_versa() -> None:
    on_disk = {p.name for p in RECRUITER_CORPUS.glob("*.eml")}
    assert on_disk == set(RECRUITER_EXPECTED)
    assert len(on_disk) >= 45
    assert {Kind(e["kind"]) for e in RECRUITER_EXPECTED.values()} >= {
        Kind.INTERVIEW, Kind.CANCELLATION, Kind.REPLY, Kind.REJECTION, Kind.OFFER, Kind.AUTO_REPLY,
        Kind.BOUNCE, Kind.ACKNOWLEDGEMENT, Kind.BULK, Kind.SENT_THANK_YOU, Kind.SENT_FOLLOW_UP, Kind.SENT_OTHER,
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(RECRUITER_EXPECTED))
def test_detect_reads_each_recruiter_corpus_message_as_expected(name: str) -> None:
    check_expectation(name, RECRUITER_EXPECTED[name], corpus_verdict(RECRUITER_CORPUS, name))


@pytest.mark.parametrize("name", sorted(n for n, e in RECRUITER_EXPECTED.items() if e["kind"] != Kind.BULK.value))
def test_the_header_prefilter_keeps_every_recruiter_corpus_message_that_is_not_bulk(name: str) -> None:
    # The engine never downloads a body the prefilter drops: a wrong "bulk" here would lose the message.
    raw = (RECRUITER_CORPUS / name).read_bytes()
    folder = FolderRole.SENT if name.startswith("sent_") else FolderRole.INBOX
    assert might_matter(parse_headers(raw.split(b"\r\n\r\n", 1)[0], folder, ref=name), CORPUS_CTX)


def test_an_agency_inviting_to_its_clients_interview_is_an_invitation_not_a_pitch() -> None:
    raw = (RECRUITER_CORPUS / "agency_cold_outreach.eml").read_bytes()
    pitch = raw.split(b"\r\n\r\n", 1)[0] + (
        b"\r\n\r\nHi Alex,\r\n\r\nGreat news! My client was really impressed and would like to invite you to a final"
        b" round interview. Based on your background I think it's an exciting opportunity for you. Please send me"
        b" your availability for next week.\r\n\r\nRyan\r\n"
    )
    got = detect(parse_message(pitch, FolderRole.INBOX), CORPUS_CTX)
    assert (got.kind, got.rule) == (Kind.INTERVIEW, "interview_invitation")
    assert corpus_verdict(RECRUITER_CORPUS, "agency_cold_outreach.eml").rule == "cold_outreach"


def test_every_variety_corpus_message_has_an_expectation_and_vice_versa() -> None:
    on_disk = {p.name for p in VARIETY_CORPUS.glob("*.eml")}
    assert on_disk == set(VARIETY_EXPECTED)
    assert len(on_disk) >= 50
    assert {Kind(e["kind"]) for e in VARIETY_EXPECTED.values()} >= {
        Kind.INTERVIEW, Kind.CANCELLATION, Kind.REPLY, Kind.REJECTION, Kind.OFFER, Kind.AUTO_REPLY,
        Kind.ACKNOWLEDGEMENT, Kind.BULK, Kind.SENT_THANK_YOU, Kind.SENT_FOLLOW_UP, Kind.SENT_OTHER,
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True)) if n in VARIETY_KNOWN_GAPS else n
        for n in sorted(VARIETY_EXPECTED)
    ],
)
def test_detect_reads_each_variety_corpus_message_as_expected(name: str) -> None:
    check_expectation(name, VARIETY_EXPECTED[name], corpus_verdict(VARIETY_CORPUS, name, variety_ctx(name)))


@pytest.mark.parametrize("name", sorted(n for n, e in VARIETY_EXPECTED.items() if e["kind"] != Kind.BULK.value))
def test_the_header_prefilter_keeps_every_variety_corpus_message_that_is_not_bulk(name: str) -> None:
    raw = (VARIETY_CORPUS / name).read_bytes()
    folder = FolderRole.SENT if name.startswith("sent_") else FolderRole.INBOX
    assert might_matter(parse_headers(raw.split(b"\r\n\r\n", 1)[0], folder, ref=name), variety_ctx(name))


def near_miss(subject: str, body: str, sender: str = "Kim Lee <kim.lee@fernhill.co>") -> bytes:
    """A plain-text message to the corpus user, written by a person."""
    head = f"From: {sender}\r\nTo: alex.candidate@gmail.com\r\nSubject: {subject}\r\n"
    head += "Date: Tue, 10 Mar 2026 15:00:00 +0000\r\nMessage-ID: <probe@fernhill.co>\r\n"
    return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")).encode()


@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        # The rules added for the variety corpus must not fire on near misses written by people.
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
def test_a_person_writing_close_to_an_automated_phrasing_gets_the_verdict_of_what_they_wrote(
    subject: str, body: str, kind: Kind
) -> None:
    got = detect(parse_message(near_miss(subject, body), FolderRole.INBOX), CORPUS_CTX)
    assert got.kind == kind, f"{got.rule}: {got.reason}"


# ---------------------------------------------------------------------------------------------------------
# Phrasings in four languages, written for these tests (not taken from any corpus).


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Thanks for applying! Would a quick intro call work - are you free Thursday morning?", "Intro"),
        (
            "Vielen Dank für Ihre Bewerbung. Mögliche Termine für ein erstes Telefonat wären Di und Mi.",
            "Ihre Bewerbung",
        ),
        ("Merci pour votre candidature. Je vous propose un premier échange téléphonique lundi.", "Votre candidature"),
        ("Gracias por tu postulación. ¿Tienes disponibilidad para una llamada el lunes?", "Tu postulación"),
        ("Thank you for applying. Grab a slot that suits you: https://calendly.com/jane-acme/30min", "Next step"),
    ],
)
def test_thanks_for_applying_with_an_offer_to_talk_is_an_invitation(text: str, subject: str) -> None:
    verdict = detect(msg(text, subject=subject), CTX)
    assert verdict.kind is Kind.INTERVIEW, verdict.reason


def test_an_ats_acknowledgement_that_mentions_a_call_later_stays_an_acknowledgement() -> None:
    verdict = detect(
        msg(
            "Thank you for applying. If your profile matches, a recruiter will reach out for a quick call.",
            subject="Application received",
            sender="Acme <no-reply@greenhouse.io>",
        ),
        CTX,
    )
    assert verdict.kind is Kind.ACKNOWLEDGEMENT


@pytest.mark.parametrize(
    "text",
    [
        "Unfortunately I'm not free on Tuesday any more - could we do Wednesday at 2pm instead?",
        "Leider kann ich am Dienstag nicht, ginge auch Mittwoch?",
        "Malheureusement je ne suis pas disponible mardi, mercredi vous irait ?",
    ],
)
def test_a_regret_about_a_slot_is_no_rejection(text: str) -> None:
    assert detect(msg(text, subject="Re: interview"), CTX).kind is not Kind.REJECTION


@pytest.mark.parametrize(
    "text",
    [
        "Acme has sent you an offer for the position of Data Analyst. Review and sign your offer below.",
        "Wir haben dir das Vertragsangebot per DocuSign zukommen lassen.",
        "Nous souhaitons vous transmettre notre proposition d'embauche pour le poste.",
        "Te enviamos la oferta para el puesto de analista.",
        "Wir möchten Ihnen gerne die Stelle als Einkäuferin anbieten; die Details folgen.",
        "Ich freue mich, dir ein Angebot machen zu können: 60.000 € brutto.",
        "Le comité aimerait vous offrir le poste de responsable des achats.",
        "¡Nos encantaría que te unieras al equipo de datos!",
        "Den Arbeitsvertrag schicken wir dir morgen per DocuSign.",
        "J'ai le grand plaisir de vous faire une proposition pour rejoindre l'équipe achats en septembre.",
        "Nous serions ravis de t'accueillir dans l'équipe : voici les conditions.",
        "Nos encantaría contar contigo en el equipo de finanzas a partir de marzo.",
        "Tenemos una propuesta para que te incorpores como analista sénior.",
        "Wir würden dich sehr gerne an Bord holen – hier die Eckpunkte.",
        "We'd love to have you join the platform team; the paperwork follows from HR.",
        "Honestly, we're thrilled to bring you on board as our next support lead.",
    ],
)
def test_offers_said_in_many_ways(text: str) -> None:
    assert detect(msg(text, subject="Your offer"), CTX).kind is Kind.OFFER


def test_an_ats_booking_link_in_german_is_an_invitation_and_its_confirmation_no_rejection() -> None:
    invite = msg(
        "Hallo Lena,\n\nwir laden dich zu einem 30-minütigen Kennenlerngespräch ein. Bitte such dir über den "
        "folgenden Link einen Termin aus: https://nordlicht.teamtailor.com/meetings/bk_1",
        subject="Kennenlerngespräch",
        sender="Sara via Teamtailor <no-reply@teamtailor-mail.com>",
    )
    assert detect(invite, CTX).kind is Kind.INTERVIEW
    confirmed = msg(
        "Dein Termin ist bestätigt!\n\nKennenlerngespräch\nMontag, 9. März 2026\n11:00 – 11:30 (Europe/Berlin)\n"
        "Du musst etwas ändern? Termin verschieben oder absagen: https://nordlicht.teamtailor.com/meetings/bk_1",
        subject="Bestätigt: Kennenlerngespräch mit Nordlicht",
        sender="Nordlicht <no-reply@teamtailor-mail.com>",
    )
    verdict = detect(confirmed, CTX)
    assert verdict.kind is Kind.INTERVIEW and verdict.interview is not None
    assert verdict.interview.start == datetime(2026, 3, 9, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        (
            "¡Gracias por postular al cargo de Analista en Guadua! Recibimos tu postulación.",
            "Guadua <no-reply@smartrecruiters.com>",
        ),
        ("Merci d'avoir postulé chez Octave, nous revenons vers vous rapidement.", "Octave <no-reply@workable.com>"),
        ("Danke für deine Bewerbung! Wir melden uns bald.", "Nordlicht <no-reply@teamtailor-mail.com>"),
        (
            "Le confirmamos que hemos recibido correctamente su candidatura para el puesto de Analista de BI.",
            "Grupo Cervantes - Empleo <noreply@taleo.net>",
        ),
        ("Nous avons pris connaissance de votre candidature.", "Octave <no-reply@workable.com>"),
    ],
)
def test_acknowledgements_in_other_languages(text: str, sender: str) -> None:
    assert detect(msg(text, subject="Bewerbung / candidature", sender=sender), CTX).kind is Kind.ACKNOWLEDGEMENT


def test_an_ats_asking_for_availability_in_french_is_an_invitation() -> None:
    text = (
        "L'équipe Kobalt souhaite planifier un entretien avec vous pour le poste de BI Developer. Merci d'indiquer "
        "vos disponibilités : https://hire.lever.co/interviews/availability/5c8e"
    )
    assert detect(msg(text, subject="Kobalt", sender="Noah <no-reply@hire.lever.co>"), CTX).kind is Kind.INTERVIEW


def test_the_decision_table_lists_every_rule_in_the_order_tried_with_evidence_facts_has() -> None:
    from agent.detect.decisions import DECISIONS, table
    from agent.detect.rules import Facts

    assert [row.rule for row in DECISIONS] == [name for name, _ in RULES]
    known = {name for name in dir(Facts) if not name.startswith("_")} | {"is_report"}
    named = {t for row in DECISIONS for t in (*row.requires, *row.vetoes) if t.isidentifier()}
    assert named <= known, named - known
    assert len(table()) > len(DECISIONS)


def test_a_recruiters_asked_time_in_a_german_compound_word_is_an_interview_on_its_own() -> None:
    text = (
        "Sehr geehrte Frau Roth,\n\nvielen Dank für Ihre Bewerbung. Wir möchten Sie zu einem kurzen Telefoninterview "
        "einladen.\n\nPasst Ihnen Dienstag, der 10.03., um 15.30 Uhr?\n\nViele Grüße\nMia Berg"
    )
    v = detect(msg(text, subject="Produktmanagerin – Telefoninterview", sender="Mia Berg <mia.berg@kaiwerk.de>"), CTX)
    assert v.kind is Kind.INTERVIEW and not v.joins_only
    assert v.interview is not None and v.interview.start.hour == 15 and v.interview.start.minute == 30


def test_an_in_house_recruiters_booking_link_starts_an_application_but_an_agencys_pitch_does_not() -> None:
    in_house = (
        "Hi Alex,\n\nI look after recruiting at Kestrel and your profile fits what our platform team needs. "
        "Pick a slot for a 30-minute intro call: https://calendly.com/mo-kestrel/intro\n\nMo\nTalent Acquisition"
    )
    v = detect(msg(in_house, subject="Intro", sender="Mo Ali <mo.ali@kestrel.io>"), CTX)
    assert v.kind is Kind.INTERVIEW and not v.joins_only
    pitch = (
        "Hi Alex,\n\nYour profile came up in a search: I have several confidential platform roles. Are you open to "
        "a 15-minute call this week?\n\nSam Reid\nBluewater Tech Recruiting\n"
    )
    v = detect(msg(pitch, subject="Quick question", sender="Sam Reid <sam@bluewatertech.com>"), CTX)
    assert v.joins_only or v.kind is not Kind.INTERVIEW


def test_a_cv_passed_on_makes_a_founders_coffee_invitation_about_a_job() -> None:
    text = "Salut Alex, Inès m'a passé ton CV. Ça te dirait qu'on prenne un café jeudi prochain à 9h30 ?\n\nJulien"
    v = detect(msg(text, subject="Café ?", sender="Julien Ferrand <julien@petitpont.studio>"), CTX)
    assert v.kind is Kind.INTERVIEW and not v.joins_only


def test_a_question_about_one_time_followed_by_an_offer_to_move_it_is_the_asked_time() -> None:
    text = (
        "Hola Ana:\n\nNos gustaría conocerte. ¿Te vendría bien el martes 10 de marzo a las 17:00? Si te viene "
        "mejor otro día, dímelo sin problema.\n\nMarta"
    )
    v = detect(msg(text, subject="Entrevista", sender="Marta Ruiz <marta@brisa.es>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 17


def test_two_slots_offered_in_spanish_are_scheduling_under_way() -> None:
    text = (
        "Te paso un par de opciones para la entrevista con Sergio:\n- martes 10 de marzo, 9:30\n"
        "- miércoles 11 de marzo, 13:00\nDime cuál te viene mejor."
    )
    v = detect(msg(text, subject="Re: Entrevista"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is None


def test_a_new_interview_date_offered_with_pleasure_is_no_job_offer() -> None:
    text = "Nous avons le plaisir de vous proposer une nouvelle date : mardi 10 mars 2026, 10h00 – 10h45."
    assert detect(msg(text, subject="Invitation à un entretien"), CTX).kind is Kind.INTERVIEW


def test_a_town_halls_appointment_for_an_id_card_is_no_interview() -> None:
    text = (
        "hiermit bestätigen wir Ihren Termin:\nDienstleistung: Personalausweis beantragen\n"
        "Datum: Dienstag, 10.03.2026\nUhrzeit: 08:20 Uhr"
    )
    v = detect(msg(text, subject="Terminbestätigung – Bürgeramt", sender="Berlin.de <noreply@berlin.de>"), CTX)
    assert v.kind is not Kind.INTERVIEW or v.joins_only


@pytest.mark.parametrize(
    ("text", "sender", "when"),
    [
        (
            "Sorry to do this: Laura has a clash on Tuesday afternoon. Could you do Wednesday 11th at 9.30am "
            "instead?\n\nMarcus",
            "Marcus Bell <marcus@hf.co.uk>",
            (11, 9, 30),
        ),
        # Asked instead of another time, with no question mark at all.
        (
            "Hi Sam, apologies, Priya is out on Tuesday now. Could you do Thursday, March 12 at 4pm instead, "
            "let me know.\n\nDana",
            "Dana Cole <dana@lumen.io>",
            (12, 16, 0),
        ),
    ],
)
def test_the_time_asked_for_instead_of_a_clash_is_the_asked_time(
    text: str, sender: str, when: tuple[int, int, int]
) -> None:
    v = detect(msg(text, subject="RE: first interview", sender=sender), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert (v.interview.start.day, v.interview.start.hour, v.interview.start.minute) == when


def test_an_agencys_invitation_to_meet_its_client_needs_no_further_job_word() -> None:
    text = (
        "Bonjour Camille,\n\nBonne nouvelle : notre client, Kallisto Logistics SA, souhaite vous rencontrer.\n\n"
        "Rendez-vous le lundi 9 mars à 9h30 dans leurs bureaux.\n\nJulien\nSenior Consultant\nTalentis Recruitment Ltd"
    )
    v = detect(msg(text, subject="RE: mission", sender="Julien Masson <julien@talentis.be>"), CTX)
    assert v.kind is Kind.INTERVIEW and not v.joins_only and (v.company or "").startswith("Kallisto Logistics")


@pytest.mark.parametrize(
    "text",
    [
        "We'd love to have you join the team for a second interview on Thursday.",
        "Nos gustaría contar contigo para una segunda entrevista con el director.",
        "Je suis ravie de vous proposer un nouveau créneau : jeudi à 10 h.",
        "We're looking to hire someone with your background for a new team in Austin — open to a chat?",
    ],
)
def test_an_invitation_or_a_pitch_in_offer_or_rejection_words_is_neither(text: str) -> None:
    assert detect(msg(text, subject="Next steps"), CTX).kind not in (Kind.OFFER, Kind.REJECTION)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, Priya has been pulled into a board meeting on Monday. The team have asked if you could do Thursday "
        "12th at 4pm instead, and they say that one is firm.",
        "Marta no puede el lunes. Nos pregunta si podrías el jueves 12 de marzo a las 16:00 en su lugar.",
        "Frau Berger ist am Montag verhindert. Sie lässt fragen, ob Sie am Donnerstag, 12. März um 16 Uhr können.",
        "Mme Leroy est prise lundi. Elle demande si vous pourriez venir jeudi 12 mars à 16h à la place.",
    ],
)
def test_asked_if_is_an_indirect_question_not_a_condition(text: str) -> None:
    v = detect(msg(f"Hi,\n\n{text}\n\nDana", subject="Re: Interview", sender="Dana Cole <dana@lumen.io>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert (v.interview.start.day, v.interview.start.hour) == (12, 16)


def test_a_time_under_a_real_condition_is_not_fixed() -> None:
    text = "Hi,\n\nIf the panel is free, we could meet Thursday 12th at 4pm. I'll confirm tomorrow.\n\nDana"
    v = detect(msg(text, subject="Re: Interview", sender="Dana Cole <dana@lumen.io>"), CTX)
    assert v.interview is None


@pytest.mark.parametrize(
    "text",
    [
        "Hallo Jonas,\n\nwir haben deine Bewerbung für die Position Software Engineer Platform erhalten!",
        "Bonjour,\n\nvotre candidature pour le poste de Chargée de communication a bien été reçue.",
        "Hola:\n\nTu candidatura para el puesto de Contable Senior ha sido recibida correctamente.",
    ],
)
def test_an_acknowledgement_that_names_the_role_in_the_middle(text: str) -> None:
    v = detect(msg(text, subject="Danke / Merci / Gracias", sender="Elbwerk <noreply@elbwerk.jobs.personio.de>"), CTX)
    assert v.kind is Kind.ACKNOWLEDGEMENT
    assert v.role in ("Software Engineer Platform", "Chargée de communication", "Contable Senior")


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("Deepa has a client call clash - can we do 10:30 instead? Same day and same Teams link.", "10:30"),
        ("Könnten wir am gleichen Tag um 14:00 statt um 10:00 sprechen? Herr Dorn hat einen Termin.", "14:00"),
        ("Serait-il possible de décaler l'entretien à 15h au lieu de 11h, le même jour ?", "15:00"),
        ("¿Podríamos pasarla a las 12:00 en lugar de a las 10:00? El mismo día.", "12:00"),
        ("Small change: Marcus is running late, so let's push it back to 4pm.", "16:00"),
    ],
)
def test_a_reply_that_moves_only_the_time_says_the_new_clock_time(text: str, clock: str) -> None:
    v = detect(msg(f"Hi,\n\n{text}\n\nPriya", subject="Re: Interview", sender="Priya Menon <priya@trident.in>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.rule == "interview_moved" and v.joins_only
    assert v.moved_to is not None and v.moved_to.isoformat(timespec="minutes") == clock
    assert f"moved-to:{clock}" in v.signals


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Could we do 2pm or 3pm instead?", "Re: Interview"),  # two new times: a choice, not a move
        ("Thanks, see you at 10:30.", "Re: Interview"),  # no move at all
        ("If Deepa's call runs over, we may need 11:00 instead.", "Re: Interview"),  # only a condition
        ("Can we do 10:30 instead? Same day.", "Dinner"),  # neither a reply nor about an interview
    ],
)
def test_no_move_without_one_new_time_in_a_reply(text: str, subject: str) -> None:
    v = detect(msg(f"Hi,\n\n{text}\n\nPriya", subject=subject, sender="Priya Menon <priya@trident.in>"), CTX)
    assert v.moved_to is None


def _sent(text: str) -> Message:
    return msg(text, subject="Re: Interview", sender="Alex Rivera <alex.rivera@gmail.com>")


@pytest.mark.parametrize(
    "text",
    [
        "Hi Niamh,\n\nwith the commute, I'd like to withdraw my application. Sorry for the short notice.",
        "Hi Sam,\n\nI have accepted another position and would like to remove myself from consideration.",
        "Hi Dana,\n\nafter a lot of thought I have decided to decline the offer. Thank you for everything.",
        "Hallo Marco,\n\nkurz vorab: Ich ziehe meine Bewerbung als Software Engineer deshalb zurück.",
        "Bonjour,\n\nje vous informe que je retire ma candidature au poste de chargée de communication.",
        "Hola Marta:\n\nHe decidido retirar mi candidatura del proceso. Muchas gracias por todo.",
    ],
)
def test_the_users_withdrawal_in_any_language(text: str) -> None:
    assert detect(_sent(text), CTX).kind is Kind.SENT_WITHDRAWAL


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam,\n\nif I don't hear back by Friday, I may withdraw my application.",
        "Hi Sam,\n\nthank you again for the offer call - I'm reviewing the offer and will come back Monday.",
        "Hi Sam,\n\nthanks for the interview today, I enjoyed it.",
    ],
)
def test_no_withdrawal_under_a_condition_or_in_an_ordinary_note(text: str) -> None:
    assert detect(_sent(text), CTX).kind is not Kind.SENT_WITHDRAWAL


@pytest.mark.parametrize(
    ("sender", "subject", "text"),
    [
        (
            "Welcome to the Jungle <no-reply@welcometothejungle.com>",
            "Votre candidature chez Maison Vireo a bien été envoyée",
            "Votre candidature au poste de Responsable Marketing chez Maison Vireo a bien été transmise.",
        ),
        (
            "LinkedIn <jobs-noreply@linkedin.com>",
            "Alex, your application was sent to Quarry Labs",
            "Your application was sent to Quarry Labs. Good luck!",
        ),
    ],
)
def test_a_job_boards_receipt_for_an_application_sent_through_it_is_an_acknowledgement(
    sender: str, subject: str, text: str
) -> None:
    assert detect(msg(text, subject=subject, sender=sender), CTX).kind is Kind.ACKNOWLEDGEMENT


@pytest.mark.parametrize(
    ("sender", "text"),
    [
        (
            "Octant Énergie via easyRECrue <no-reply@easyrecrue.com>",
            "Octant Énergie vous invite à passer un entretien vidéo différé, jusqu'au 14 mai.",
        ),
        ("Kiesel via HireVue <noreply@hirevue.com>", "Kiesel lädt Sie zu einem zeitversetzten Videointerview ein."),
        ("Brisa vía myInterview <no-reply@myinterview.com>", "Brisa te invita a grabar una videoentrevista breve."),
        ("Acme via Spark Hire <noreply@sparkhire.com>", "Acme would like to invite you to a one-way video interview."),
    ],
)
def test_an_invitation_to_a_recorded_video_interview_is_an_interview(sender: str, text: str) -> None:
    assert detect(msg(text, subject="Entretien / Interview", sender=sender), CTX).kind is Kind.INTERVIEW


def test_a_recruiter_who_thanks_for_applying_and_asks_for_documents_answers() -> None:
    text = (
        "Hi Hannah,\n\nThanks for applying to the Senior Product Designer role I posted. Before I put you forward "
        "could you send over an up-to-date CV and your notice period?\n\nMarcus Bell\nHarrow & Finch Recruitment Ltd"
    )
    v = detect(msg(text, subject="your application", sender="Marcus Bell <marcus@harrowfinch.co.uk>"), CTX)
    assert v.kind is Kind.REPLY


def test_we_have_got_your_application_is_an_acknowledgement() -> None:
    text = "Hi Hannah,\n\nWe've got your application for Product Designer – thank you for taking the time."
    v = detect(msg(text, subject="Your application to Northwind", sender="Northwind <no-reply@ashbyhq.com>"), CTX)
    assert v.kind is Kind.ACKNOWLEDGEMENT


@pytest.mark.parametrize(
    "text",
    [
        "Hi Greg,\n\nJust a gentle follow-up on the Analytics Manager position. I'd be grateful to hear either way.",
        "Hallo Frau Berger,\n\nnur eine kurze Nachfrage zu meiner Bewerbung als Controllerin.",
        "Bonjour Madame Roy,\n\npetite relance concernant ma candidature au poste de chargée de projet.",
        "Hola Marta:\n\nte escribo como pequeño recordatorio sobre mi candidatura al puesto de analista.",
    ],
)
def test_a_follow_up_said_as_a_noun_in_any_language(text: str) -> None:
    assert detect(_sent(text), CTX).kind is Kind.SENT_FOLLOW_UP


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much for the offer. After a lot of thought I've decided not to accept.",
        "Ich habe mich entschieden, das Angebot nicht anzunehmen.",
        "J'ai finalement décidé de ne pas donner suite à votre proposition.",
        "Lo he pensado mucho y he decidido no aceptar la oferta.",
    ],
)
def test_declining_an_offer_in_any_language_withdraws(text: str) -> None:
    assert detect(_sent(f"Hi,\n\n{text}\n\nAlex"), CTX).kind is Kind.SENT_WITHDRAWAL


def test_a_reply_under_an_offer_subject_is_no_new_offer() -> None:
    text = "Hi Aoife,\n\nThanks for letting me know, and no hard feelings at all. Best of luck.\n\nSinéad"
    v = detect(msg(text, subject="Re: Offer of employment - Front Office Manager", sender="S <s@merrion.ie>"), CTX)
    assert v.kind is Kind.REPLY


def test_a_time_a_recruiter_fixed_on_the_phone_is_the_interview() -> None:
    text = (
        "Hi Aoife,\n\nGreat chatting earlier! As discussed on the phone, Tuesday 3pm works for Tom (Operations "
        "Director). He'll meet you at the restaurant and it should take about an hour.\n\nCiara"
    )
    v = detect(msg(text, subject="Re: Harbour & Vine - Ops Manager", sender="Ciara <ciara.recruits@gmail.com>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 15


def test_regret_about_the_interview_is_a_cancellation_not_a_rejection() -> None:
    text = "Diego, buenas tardes:\n\nLamentablemente debemos cancelar la entrevista programada para este viernes."
    v = detect(msg(text, subject="Cancelación de entrevista", sender="Rosa <rhuamani@textilandina.pe>"), CTX)
    assert v.kind is Kind.CANCELLATION


@pytest.mark.parametrize(
    ("sender", "subject", "text", "company"),
    [
        (
            "Bumeran <noreply@bumeran.com.pe>",
            "¡Postulaste! Supervisor de Producción – Textil Andina S.A.C.",
            "Tu postulación a Supervisor de Producción en Textil Andina S.A.C. fue enviada.",
            "Textil Andina",
        ),
        (
            "Computrabajo <notificaciones@pe.computrabajo.com>",
            "Tu hoja de vida fue enviada a Instituto Tecnológico del Sur",
            "Tu postulación a la oferta de Instituto Tecnológico del Sur se realizó con éxito.",
            "Instituto Tecnológico del Sur",
        ),
        (
            "jobs.ch <noreply@jobs.ch>",
            "Ihre Bewerbung bei Stadt Seeberg wurde übermittelt",
            "Ihre Bewerbung wurde erfolgreich an Stadt Seeberg übermittelt.",
            "Stadt Seeberg",
        ),
        (
            "Trabajando.com <notificaciones@trabajando.com>",
            "Tu postulación fue enviada con éxito",
            "¡Tu postulación fue enviada con éxito!\n\nCargo: Analista de Riesgo\nEmpresa: Banco Andino\n",
            "Banco Andino",
        ),
        (
            "Laborum <no-reply@laborum.cl>",
            "Postulaste a Analista de Control de Gestión en Tiendas Pacífico",
            "Tu CV fue enviado a Tiendas Pacífico para el aviso Analista de Control de Gestión.",
            "Tiendas Pacífico",
        ),
        (
            "Jobillico <ne-pas-repondre@jobillico.com>",
            "Votre candidature a été transmise",
            "Votre candidature pour le poste de Coordonnateur(trice) logistique chez Groupe Maritime St-Laurent a été "
            "transmise.",
            "Groupe Maritime St-Laurent",
        ),
        (
            "Welcome to the Jungle <no-reply@welcometothejungle.com>",
            "Votre candidature chez Hôtel Bellecour & Spa a bien été envoyée",
            "Votre candidature chez Hôtel Bellecour & Spa a bien été envoyée. L'équipe Welcome to the Jungle",
            "Hôtel Bellecour",
        ),
    ],
)
def test_a_job_boards_receipt_names_the_employer_not_the_board(
    sender: str, subject: str, text: str, company: str
) -> None:
    v = detect(msg(text, subject=subject, sender=sender), CTX)
    assert v.kind is Kind.ACKNOWLEDGEMENT and (v.company or "").startswith(company)


def test_spanish_slots_offered_with_an_invitation_are_an_interview_invitation() -> None:
    text = (
        "Buenas tardes, Diego:\n\nNos gustaría entrevistarlo para el puesto de Supervisor.\n\n¿Podría acercarse "
        "en alguno de estos horarios?\n- miércoles 22/04 a las 11:00\n- viernes 24/04 a las 15:00\n\nRosa"
    )
    v = detect(msg(text, subject="Entrevista", sender="Rosa <rhuamani@textilandina.pe>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Le agradezco, a usted y a la Ing. Gamarra, por la entrevista de esta tarde.", Kind.SENT_THANK_YOU),
        ("Quisiera consultar por el estado del proceso, ya que sigo muy interesado.", Kind.SENT_FOLLOW_UP),
    ],
)
def test_the_users_spanish_thanks_and_follow_up(text: str, kind: Kind) -> None:
    assert detect(_sent(f"Estimado:\n\n{text}\n\nDiego"), CTX).kind is kind


def test_an_austrian_offer_of_the_position() -> None:
    text = "Sehr geehrte Frau Hofbauer,\n\nwir bieten Ihnen die Stelle als DGKP Intensivpflege zu diesen Eckdaten an."
    v = detect(msg(text, subject="Ihr Angebot", sender="Florian Eder <f.eder@kahlenberg.at>"), CTX)
    assert v.kind is Kind.OFFER


def test_ich_ziehe_daher_meine_bewerbung_zurueck_withdraws() -> None:
    text = "Lieber Herr Hübner,\n\nIch ziehe daher meine Bewerbung für die Position bei Vitalis zurück."
    assert detect(_sent(text), CTX).kind is Kind.SENT_WITHDRAWAL


def test_two_alternatives_proposed_in_spanish_are_scheduling_under_way() -> None:
    text = (
        "Hola Francisca:\n\nTe propongo dos alternativas para la entrevista con la gerencia:\n\n"
        "• miércoles 25/03 a las 9:00 hrs\n• jueves 26/03 a las 16:30 hrs\n\n¿Cuál te acomoda más?"
    )
    v = detect(msg(text, subject="Re: entrevista", sender="Rodrigo <rpizarro@talentoaustral.cl>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is None


def test_selected_for_an_interview_with_slots_to_choose_is_an_invitation() -> None:
    text = (
        "Good afternoon Daniel,\n\nThank you for your application. I am pleased to advise that you have been selected "
        "for an interview. Please let me know which of the following times you prefer:\n\n- Tuesday, March 17 at "
        "10:00 a.m.\n- Wednesday, March 18 at 1:30 p.m.\n\nJanet"
    )
    v = detect(msg(text, subject="Interview Invitation", sender="Janet Liu <janet.liu@westmark.ca>"), CTX)
    assert v.kind is Kind.INTERVIEW


def test_only_candidates_selected_for_an_interview_will_be_contacted_is_a_receipt() -> None:
    text = "We have received your application. Only candidates selected for an interview will be contacted."
    v = detect(msg(text, subject="Application received", sender="Westmark <noreply@taleo.net>"), CTX)
    assert v.kind is Kind.ACKNOWLEDGEMENT


def test_a_talent_community_invitation_is_marketing() -> None:
    text = "Join the Lakeshore Health Talent Community to hear first about new openings. Join now!"
    v = detect(
        msg(text, subject="Stay connected - join our Talent Community", sender="L <talentcommunity@lakeshore.org>"),
        CTX,
    )
    assert v.kind is Kind.BULK


def test_offering_the_role_to_another_candidate_is_a_rejection() -> None:
    text = "On this occasion we have decided to offer the role to a candidate whose experience more closely matched."
    v = detect(msg(text, subject="Housing Caseworker - outcome", sender="Gemma Obi <gemma@souththames.org.uk>"), CTX)
    assert v.kind is Kind.REJECTION


def test_a_job_boards_news_of_a_rejection_names_the_employer() -> None:
    text = "Tiendas Pacífico finalizó el proceso y, en esta oportunidad, decidió continuar con otros candidatos."
    v = detect(
        msg(text, subject="Novedades sobre tu postulación en Tiendas Pacífico", sender="Laborum <no-reply@laborum.cl>"),
        CTX,
    )
    assert v.kind is Kind.REJECTION and v.company == "Tiendas Pacífico"


def test_an_agency_answering_the_application_with_slots_arranges_an_interview() -> None:
    text = (
        "Bonjour Madame Marchal,\n\nJe vous remercie pour votre candidature à notre annonce.\n\nSeriez-vous "
        "disponible pour un entretien téléphonique ? Je vous propose :\n- jeudi 26/02 à 11h\n- vendredi 27/02 à "
        "9h30\n\nJulien Vandamme\nTalents & Co – Cabinet de recrutement"
    )
    v = detect(msg(text, subject="Votre candidature", sender="Julien Vandamme <j.vandamme@talents-co.be>"), CTX)
    assert v.kind is Kind.INTERVIEW and not v.joins_only


def test_an_agencys_cold_pitch_with_slots_is_no_interview() -> None:
    text = (
        "Bonjour,\n\nJ'ai découvert votre profil sur LinkedIn. Seriez-vous disponible pour un échange ? Je vous "
        "propose :\n- jeudi 26/02 à 11h\n- vendredi 27/02 à 9h30\n\nJulien\nTalents & Co – Cabinet de recrutement"
    )
    v = detect(msg(text, subject="Opportunité", sender="Julien Vandamme <j.vandamme@talents-co.be>"), CTX)
    assert v.kind is not Kind.INTERVIEW or v.joins_only


@pytest.mark.parametrize(
    "text",
    [
        "Dear Dr. Okafor,\n\nI saw your posting and would like to be considered. My resume is attached.",
        "Sehr geehrte Frau Berger,\n\nhiermit bewerbe ich mich um die Stelle als Controllerin.",
        "Madame, Monsieur,\n\nje me permets de vous adresser ma candidature au poste d'assistante.",
        "Estimados:\n\nAdjunto mi CV para el puesto de analista. Quisiera postular a la vacante.",
    ],
)
def test_the_users_own_application_email_in_any_language(text: str) -> None:
    sent = msg(text, subject="Staff Pharmacist position", sender="Alex Rivera <alex.rivera@gmail.com>")
    assert detect(sent, CTX).kind is Kind.SENT_APPLICATION


def test_an_application_phrase_in_a_reply_is_no_new_application() -> None:
    text = "Hi Dana,\n\nThanks! My resume is attached as you asked.\n\nAlex"
    assert detect(_sent(text), CTX).kind is not Kind.SENT_APPLICATION


def test_asking_whether_the_position_is_still_open_follows_up() -> None:
    text = "Hello,\n\nI applied on 3 March and wanted to check whether the position is still open.\n\nChloe"
    assert detect(_sent(text), CTX).kind is Kind.SENT_FOLLOW_UP


@pytest.mark.parametrize(
    ("sender", "subject", "text"),
    [
        (
            "Passport Seva <noreply@passportindia.gov.in>",
            "Appointment Confirmation - Passport Seva Kendra",
            "Your appointment has been scheduled successfully.\n\nApplication Reference Number: 26-1000318842\n"
            "Appointment Date: 06/03/2026\nAppointment Time: 10:15 AM",
        ),
        (
            "DHA Branch Appointment Booking <noreply@bab.dha.gov.za>",
            "Booking Confirmation - Smart ID Card Application",
            "Your booking has been confirmed.\n\nService: Smart ID Card Application\nDate: 2026-03-12\nTime: 09:30",
        ),
    ],
)
def test_a_government_appointment_for_an_application_is_no_interview(sender: str, subject: str, text: str) -> None:
    v = detect(msg(text, subject=subject, sender=sender), CTX)
    assert v.kind is not Kind.INTERVIEW or v.joins_only


@pytest.mark.parametrize(
    "text",
    [
        "While your application was competitive, on this occasion you have not been shortlisted for interview.",
        "Having reviewed your application carefully, we have decided not to take it further at this stage.",
    ],
)
def test_more_english_rejections(text: str) -> None:
    v = detect(msg(f"Dear Chloe,\n\n{text}", subject="Outcome", sender="Northside <noreply@pageuppeople.com>"), CTX)
    assert v.kind is Kind.REJECTION


def test_a_recruiters_thanks_for_applying_that_sets_out_the_next_step_answers() -> None:
    text = (
        "Hi Marcus,\n\nThanks for applying for our Senior Platform Engineer opening. The first step in our process "
        "is a short technical assessment on HackerRank; you'll get an invitation in the next day or so.\n\nJenna"
    )
    v = detect(msg(text, subject="next steps", sender="Jenna Park <jenna.park@fernwood.example>"), CTX)
    assert v.kind is Kind.REPLY


def test_a_final_round_scheduled_with_its_time_is_the_interview() -> None:
    text = (
        "Hi Ananya,\n\nMr. Nair would like you to meet our COO for the final round. It is scheduled for Friday, "
        "6 March at 4 PM IST on Microsoft Teams, for about 30 minutes.\n\nMeera"
    )
    v = detect(msg(text, subject="Final round - Operations Manager", sender="Meera <meera@kestrel.example>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 16


def test_a_cancel_link_in_a_town_hall_appointment_is_no_rejection() -> None:
    text = (
        "hiermit bestätigen wir Ihren Termin:\nDienstleistung: Personalausweis beantragen\nDatum: Mittwoch, "
        "11.03.2026\nUhrzeit: 07:45 Uhr\nAbsagen: https://terminvereinbarung.muenchen.de/abs/absage?id=2026-118"
    )
    v = detect(msg(text, subject="Terminbestätigung Bürgerbüro", sender="KVR <noreply-termin@muenchen.de>"), CTX)
    assert v.kind is not Kind.REJECTION


def test_the_time_a_move_replaces_is_no_interview_time() -> None:
    text = (
        "Liebe Frau Petersen,\n\nkleine Änderung für morgen: Herr Oltmanns hat eine Telko um 10 Uhr reinbekommen. "
        "Ginge es bei Ihnen am gleichen Tag auch um 11:30 Uhr statt 10 Uhr?\n\nMeike"
    )
    v = detect(msg(text, subject="AW: Einladung zum Gespräch", sender="Meike <m.brandt@nordhafen.example>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.moved_to is not None and (v.moved_to.hour, v.moved_to.minute) == (11, 30)


def test_a_spanish_rejection_for_a_person_with_more_experience() -> None:
    text = "Después de revisar todos los perfiles, decidimos avanzar con una persona con más experiencia en trade."
    v = detect(msg(text, subject="RE: Gracias", sender="Rodrigo <rodrigo@grupoaurora.example>"), CTX)
    assert v.kind is Kind.REJECTION


@pytest.mark.parametrize(
    "text",
    [
        "No hace falta que nos vuelvas a escribir: en cuanto tengamos todo definido te contactamos nosotros.",
        "No need to chase us - we'll be in touch as soon as the panel has met.",
        "Inutile de nous relancer, nous reviendrons vers vous.",
    ],
)
def test_asked_not_to_be_chased_in_any_language(text: str) -> None:
    v = detect(msg(f"Hola,\n\n{text}", subject="Re: Seguimiento", sender="Martina <martina@pampapagos.example>"), CTX)
    assert v.no_follow_up


def test_a_recruiters_thanks_for_applying_with_questions_answers() -> None:
    text = (
        "Bonjour M. Gagnon,\n\nMerci pour votre candidature reçue via Jobillico. Avant d'aller plus loin, j'aurais "
        "deux petites questions :\n\n1. Le poste comporte une garde une fin de semaine sur quatre. Est-ce que ça "
        "vous convient?\n2. Quelles sont vos attentes salariales?\n\nNadia"
    )
    v = detect(msg(text, subject="Votre candidature", sender="Nadia <nbouchard@maritime.example>"), CTX)
    assert v.kind is Kind.REPLY


def test_meine_bewerbung_hiermit_zurueckziehen_withdraws() -> None:
    text = "Sehr geehrte Frau Mair,\n\ndaher möchte ich meine Bewerbung hiermit zurückziehen.\n\nTobias"
    assert detect(_sent(text), CTX).kind is Kind.SENT_WITHDRAWAL


def test_an_ats_talent_community_mailing_is_bulk() -> None:
    text = "Hi Daniel,\n\nJoin the Meridian Talent Community to receive news about new roles. Join now: https://x"
    v = detect(
        msg(text, subject="Stay connected: join the Meridian Talent Community", sender="M <careers-m@icims.com>"), CTX
    )
    assert v.kind is Kind.BULK


@pytest.mark.parametrize(
    "text",
    [
        "vielen Dank für Ihr Interesse an Kleinert & Vogel und Ihre Bewerbung als Senior Consultant.",
        "Ihre Unterlagen sind bei uns eingegangen. Wir melden uns schnellstmöglich.",
    ],
)
def test_more_german_acknowledgements(text: str) -> None:
    v = detect(
        msg(f"Sehr geehrter Herr Krüger,\n\n{text}", subject="Ihre Bewerbung", sender="K <noreply@softgarden.io>"), CTX
    )
    assert v.kind is Kind.ACKNOWLEDGEMENT


def test_moved_earlier_the_same_day_in_german() -> None:
    text = (
        "Hallo Jana,\n\nkleine Änderung: Ich habe unser Gespräch auf denselben Tag um 11:00 Uhr vorgezogen – ich "
        "hoffe, das klappt bei Dir?\n\nMiriam"
    )
    v = detect(msg(text, subject="AW: Kennenlernen", sender="Miriam <miriam.schulz@kontora.example>"), CTX)
    assert v.moved_to is not None and v.moved_to.hour == 11


def test_the_position_has_since_been_filled_rejects() -> None:
    text = "Dear Darren,\n\nWe wish to inform you that the position has since been filled."
    v = detect(msg(text, subject="Update on your application", sender="S <careers@successfactors.com>"), CTX)
    assert v.kind is Kind.REJECTION


def test_before_a_shift_is_no_condition() -> None:
    text = "Hey Jordan, saw ur resume, looks good. can u come by for an interview mon at 7am before shift? 1 hour max."
    v = detect(msg(text, subject="shift supervisor job", sender="Luc <luc.bergeron@northstar.example>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 7


def test_would_like_to_meet_you_with_slots_to_choose_is_an_invitation() -> None:
    text = (
        "Good morning Danielle,\n\nThank you for applying to the RN position. Our Nurse Manager would like to meet "
        "with you in person. Please let me know which of the following works for you:\n\n- Tuesday 3/10 at 9:30 AM"
        "\n- Wednesday 3/11 at 1:00 PM\n\nTamara"
    )
    v = detect(msg(text, subject="Interview Request", sender="Tamara <tamara.jenkins@lakeshore.example>"), CTX)
    assert v.kind is Kind.INTERVIEW


def test_my_resume_and_a_sample_are_attached_is_an_application() -> None:
    text = "Dear Dr. Wallace,\n\nI wanted to send my materials directly. My resume and a sample unit plan are attached."
    sent = msg(text, subject="Application - 7th Grade ELA Teacher", sender="Alex Rivera <alex.rivera@gmail.com>")
    assert detect(sent, CTX).kind is Kind.SENT_APPLICATION


@pytest.mark.parametrize(
    "text",
    [
        "Bonne nouvelle : M. Laporte a validé votre profil et souhaite vous intégrer dans son équipe !",
        "Nos complace comunicarte que has sido seleccionada para el puesto de Técnica de Recursos Humanos.",
    ],
)
def test_more_offers_in_french_and_spanish(text: str) -> None:
    v = detect(msg(f"Bonjour,\n\n{text}", subject="Bonne nouvelle", sender="Sandrine <s.morel@interim.example>"), CTX)
    assert v.kind is Kind.OFFER


def test_no_hemos_podido_seguir_adelante_rejects() -> None:
    text = "Lo siento mucho, pero finalmente no hemos podido seguir adelante con tu candidatura."
    v = detect(msg(f"Hola Lucía:\n\n{text}", subject="RE: Entrevista", sender="Marta <marta@levante.example>"), CTX)
    assert v.kind is Kind.REJECTION


def test_ive_decided_to_decline_withdraws() -> None:
    text = "Hi Brian,\n\nThank you so much for the offer. After a lot of thought I've decided to decline.\n\nWanjiru"
    assert detect(_sent(text), CTX).kind is Kind.SENT_WITHDRAWAL


def test_a_new_note_about_the_interview_may_move_its_time() -> None:
    text = "Bonjour Julien,\n\nPourrions-nous décaler notre entretien ? Même jour, 15h00 à la place.\n\nMarc"
    v = detect(msg(text, subject="Notre entretien de mercredi", sender="Marc <marc.duval@nacre.example>"), CTX)
    assert v.moved_to is not None and v.moved_to.hour == 15 and v.joins_only


def test_an_ats_interim_notice_with_a_date_is_the_employers_word() -> None:
    text = (
        "Sehr geehrte Frau Weber,\n\nwir möchten Sie über den aktuellen Stand Ihrer Bewerbung als Treasury Analyst "
        "informieren. Wir gehen davon aus, Ihnen bis zum 15. April 2026 eine Rückmeldung geben zu können."
    )
    v = detect(msg(text, subject="Zwischenbescheid zu Ihrer Bewerbung", sender="B <banque@myworkday.com>"), CTX)
    assert v.kind is Kind.REPLY and v.rule == "status_update" and v.deadline is not None


def test_one_new_time_said_in_two_zones_moves_the_interview() -> None:
    text = "Dear Hannah,\n\nCould we keep the same day but move to 5pm SGT / 9am GMT instead?\n\nFiona"
    v = detect(msg(text, subject="RE: interview with James", sender="Fiona <fiona@halvorsen.example>"), CTX)
    assert v.moved_to is not None and v.moved_to.hour == 17


def test_labelled_fields_under_the_invitation_sentence_fix_the_time() -> None:
    text = (
        "Dear Sinead,\n\nwe'd like to invite you to a second interview in person at our office.\n\n"
        "Date: Tuesday 10 March 2026\nTime: 10:30\nDuration: approximately 90 minutes\n\nNadia"
    )
    v = detect(msg(text, subject="HSE Manager", sender="Nadia <nadia.haddad@qamar.example>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 10


def test_a_spanish_summons_to_an_interview_at_16_horas() -> None:
    text = (
        "Estimada Martina:\n\nEn relación con tu postulación, te citamos a una entrevista presencial el martes 10 "
        "de marzo a las 16 horas, en nuestras oficinas.\n\nFlorencia"
    )
    v = detect(msg(text, subject="Citación a entrevista", sender="Florencia <florencia@charrua.example>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 16


def test_a_french_partner_proposing_two_slots_invites() -> None:
    text = (
        "Bonjour Madame Dubois,\n\nMerci pour votre candidature. Je vous propose de passer au cabinet pour un "
        "entretien. Deux possibilités : le lundi 16 mars à 14h, ou le lundi 23 mars à 9h30. Dites-moi ce qui vous "
        "arrange.\n\nPhilippe Lemaire"
    )
    v = detect(msg(text, subject="RE: Candidature", sender="Philippe <philippe@lemaire.example>"), CTX)
    assert v.kind is Kind.INTERVIEW


def test_if_so_is_no_condition_on_the_asked_time() -> None:
    text = (
        "Hi Lukas,\n\nThe Senior Data Engineer role is back on! If so, could we do the phone screen next Tuesday, "
        "10 March at 2pm?\n\nChloe"
    )
    v = detect(msg(text, subject="Re: phone screen", sender="Chloe <chloe@wattle.example>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 14


@pytest.mark.parametrize(
    ("own", "quoted", "day", "hour"),
    [
        (
            "Perfect, see you then. Gail says thanks.",
            "From: Alex Rivera <alex.rivera@gmail.com>\nSent: Thursday, March 5, 2026 12:31 PM\nTo: Sherry\n"
            "Subject: RE: Interview\n\n"
            "Hi Sherry, Thursday the 12th at 1:00 works for me.\n",
            12,
            13,
        ),
        (
            "Parfait, à jeudi !",
            "De : Alex Rivera <alex.rivera@gmail.com>\nEnvoyé : mercredi 4 mars 2026 12:15\nÀ : Laetitia\n"
            "Objet : RE: Entretien\n\nSerait-il possible de décaler au jeudi 12 mars, même heure ?\n\n"
            "De : Laetitia\nEnvoyé : mardi 3 mars 2026 09:40\nÀ : Alex Rivera\nObjet : Entretien\n\n"
            "Il aurait lieu le mardi 10 mars à 10h dans nos locaux.\n",
            12,
            10,
        ),
    ],
)
def test_a_one_line_confirmation_takes_the_time_from_the_message_it_answers(
    own: str, quoted: str, day: int, hour: int
) -> None:
    v = detect(msg(f"{own}\n\n{quoted}", subject="RE: Interview", sender="Sherry <sherry@bowriver.example>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert (v.interview.start.day, v.interview.start.hour) == (day, hour)


def test_an_ats_reminder_of_the_interview_tomorrow_confirms_its_time() -> None:
    text = "Hi Alex,\n\nThis is a reminder of your interview tomorrow, Thursday, March 5 at 9:00 AM.\n\nSonoran HR"
    v = detect(msg(text, subject="Reminder: your interview tomorrow", sender="S <noreply@icims.com>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 9


@pytest.mark.parametrize(
    ("subject", "text", "sender"),
    [
        (
            "How was your candidate experience?",
            "Tell us about your application with Bow River in a 2-minute survey.",
            "Bow River <noreply@icims.com>",
        ),
        (
            "Umfrage: Wie war Ihr Bewerbungsprozess?",
            "Bitte nehmen Sie an unserer kurzen Umfrage zu Ihrer Bewerbung teil.",
            "Elbkai <noreply@personio.de>",
        ),
    ],
)
def test_a_candidate_experience_survey_is_no_interview(subject: str, text: str, sender: str) -> None:
    v = detect(msg(text, subject=subject, sender=sender), CTX)
    assert v.kind is not Kind.INTERVIEW or v.joins_only


def test_a_recruiter_in_another_zone_saying_my_time_means_their_date_headers_zone() -> None:
    raw = (
        b"From: Dana Whitaker <dana.whitaker@northwind-health.com>\r\n"
        b"To: Alex Rivera <alex.rivera@gmail.com>\r\n"
        b"Subject: RE: Analytics Engineer - quick chat?\r\n"
        b"Date: Wed, 04 Mar 2026 09:48:00 -0600\r\n"
        b"Message-ID: <screen-1@northwind-health.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Perfect - let's do tomorrow at 9 my time. I'll call you, plan on about 30 minutes.\r\n\r\nDana\r\n"
    )
    verdict = detect(parse_message(raw, FolderRole.INBOX), CTX)
    assert verdict.kind is Kind.INTERVIEW and verdict.interview is not None
    assert verdict.interview.start == datetime(2026, 3, 5, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "We've decided to move forward with your application to the final round.",
        "We're moving forward with candidates through first-round interviews this week and will update you.",
        "I'm not able to take your call tomorrow, can we do Thursday?",
        "Si votre profil ne correspond pas, nous conserverons votre CV.",
        "Hemos decidido seguir adelante con tu candidatura.",
    ],
)
def test_progress_and_conditions_in_rejection_words_are_no_rejection(text: str) -> None:
    assert detect(msg(text, subject="Your application"), CTX).kind is not Kind.REJECTION


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to get a first conversation in the diary - does next week suit?",
        "Gerne würden wir Sie persönlich kennenlernen.",
        "Ich würde gerne ein erstes Kennenlerngespräch mit Ihnen vereinbaren.",
        "Bitte wählen Sie über den folgenden Link einen Termin für das Interview.",
        "Me gustaría tener una entrevista técnica de 45 minutos contigo.",
        "Nos encantaría conocerte en una entrevista la próxima semana.",
    ],
)
def test_invitation_families_in_four_languages(text: str) -> None:
    v = detect(msg(text, subject="Your application", sender="Sam Ortiz <no-reply@hire.lever.co>"), CTX)
    assert v.kind is Kind.INTERVIEW


@pytest.mark.parametrize(
    "text",
    [
        "Nos gustaría agradecerte por la entrevista de ayer.",
        "Wir möchten Ihnen für das Gespräch danken.",
        "I would like to thank you for the interview.",
    ],
)
def test_thanks_for_an_interview_in_invitation_words_is_no_invitation(text: str) -> None:
    v = detect(msg(text, subject="Your application", sender="Sam Ortiz <no-reply@hire.lever.co>"), CTX)
    assert v.kind is not Kind.INTERVIEW


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for applying! Could we schedule some time to talk next week?",
        "Thanks for applying. Would you have 20 minutes for a call this week?",
        "Danke für Ihre Bewerbung. Hast du diese Woche Zeit für einen kurzen Call?",
        "Merci pour votre candidature. Auriez-vous un moment pour un appel ?",
        "Gracias por tu postulación. ¿Tendrías disponibilidad para una llamada esta semana?",
    ],
)
def test_an_offer_to_talk_answering_an_application_is_an_invitation(text: str) -> None:
    v = detect(msg(text, subject="Re: Application - Data Analyst", sender="Sam Ortiz <sam.ortiz@acme.com>"), CTX)
    assert v.kind is Kind.INTERVIEW


@pytest.mark.parametrize(
    "text",
    [
        "Merci pour votre candidature. Nous aimerions vous proposer un entretien de 45 minutes en visioconférence.",
        "Nos gustó mucho tu perfil y queremos tener una primera conversación de 30 minutos por Google Meet.",
        "We'd like to have a first conversation with you about the role.",
    ],
)
def test_a_wish_to_hold_an_interview_is_an_invitation(text: str) -> None:
    v = detect(msg(text, subject="Entretien / entrevista", sender="Maëlle Bonvin <maelle@terre-droits.ch>"), CTX)
    assert v.kind is Kind.INTERVIEW


@pytest.mark.parametrize(
    "text",
    [
        "Je me permets de vous contacter suite à la consultation de votre profil LinkedIn. Notre cabinet accompagne "
        "des ONG. Seriez-vous ouvert à un échange ? Vous pouvez réserver un créneau ici : https://calendly.com/x",
        "Ich bin auf Ihr Profil auf Xing gestoßen. Unser Kunde sucht eine spannende Position im Controlling - "
        "hätten Sie Zeit für ein kurzes Telefonat? Buchen Sie gerne einen Termin.",
        "Vi tu perfil en LinkedIn y tengo oportunidades que podrían interesarte con nuestro cliente. ¿Tendrías "
        "disponibilidad para una llamada esta semana?",
    ],
)
def test_an_agencys_cold_pitch_in_other_languages_is_no_invitation(text: str) -> None:
    v = detect(msg(text, subject="Opportunité", sender="Grégoire Pittet <g.pittet@lemanrh.ch>"), CTX)
    assert v.kind is Kind.REPLY and v.rule == "cold_outreach"


def test_an_agency_inviting_to_its_clients_interview_is_an_invitation() -> None:
    text = (
        "Suite à notre échange, notre client souhaite vous rencontrer : nous aimerions vous proposer un entretien "
        "avec leur directrice financière. Seriez-vous ouvert à un créneau jeudi ?"
    )
    v = detect(msg(text, subject="Entretien", sender="Grégoire Pittet <g.pittet@lemanrh.ch>"), CTX)
    assert v.kind is Kind.INTERVIEW


def test_an_application_kept_for_an_interview_is_no_offer() -> None:
    text = "Nous sommes heureux de vous annoncer que votre candidature a été retenue pour un entretien."
    assert detect(msg(text, subject="Votre candidature"), CTX).kind is not Kind.OFFER


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for your interest in Acme. Our team will review your application and contact you if there is a fit.",
        "Wir bestätigen den Eingang Ihrer Bewerbung und melden uns in Kürze.",
        "Confirmamos la recepción de tu candidatura. Revisaremos tu perfil.",
    ],
)
def test_more_receipts_from_an_ats(text: str) -> None:
    v = detect(msg(text, subject="Your application", sender="Acme <no-reply@greenhouse.io>"), CTX)
    assert v.kind is Kind.ACKNOWLEDGEMENT


_OUTLOOK_THREAD = (
    "{line}\n\nSabine\n\n-----Ursprüngliche Nachricht-----\nVon: Alex Rivera <alex.rivera@gmail.com>\n"
    "Gesendet: Montag, 2. März 2026 12:48\nAn: Sabine Hofer <sabine.hofer@murtal.at>\nBetreff: Re: Einladung\n\n"
    "Donnerstag, der 5. März um 10:00 Uhr passt mir sehr gut.\n\nAlex\n\n"
    "> Ich kann Ihnen folgende Termine anbieten:\n> - Donnerstag, 5. März, um 10:00 Uhr\n"
    "> - Freitag, 6. März, um 13:30 Uhr\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "Passt, dann sehen wir uns am Donnerstag.",
        "Super, ist eingetragen.",
        "Parfait, on se voit jeudi !",
        "Perfecto, te espero el jueves.",
        "Great - looking forward to speaking with you then.",
    ],
)
def test_a_one_line_confirmation_takes_the_time_of_the_answer_it_quotes_not_of_the_older_slots(line: str) -> None:
    text = _OUTLOOK_THREAD.format(line=line)
    v = detect(msg(text, subject="AW: Einladung zum Gespräch", sender="Sabine Hofer <sabine.hofer@murtal.at>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for the convo tues. Want you to come do a demo lesson w/ our 7th graders.",
        "We'd like to invite you for a working interview on the ward next week.",
        "Wir möchten Sie zu einem Probearbeiten in unserer Küche einladen.",
        "Nous vous proposons une journée d'essai dans notre boutique.",
        "Te proponemos una clase demostrativa con nuestros alumnos de 3º.",
    ],
)
def test_a_demo_lesson_or_a_trial_shift_is_an_invitation(text: str) -> None:
    assert detect(msg(text, subject="next step", sender="Andre Wallace <awallace@beaconhill.org>"), CTX).kind is (
        Kind.INTERVIEW
    )


def test_a_demo_lesson_confirmed_with_its_time_is_an_interview_at_that_time() -> None:
    text = "Great, you're confirmed for Thursday, March 26 at 9:15am. Please check in at the front office."
    v = detect(msg(text, subject="RE: Demo lesson - 7th grade ELA", sender="Tanya Ruiz <truiz@beaconhill.org>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 26, 9, 15, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    "text",
    [
        "Danke für Ihre Bewerbung. Am einfachsten ist es, wenn Sie nächste Woche bei uns im Büro vorbeikommen.",
        "Thanks for applying. It would be great if you could come by the office next week for a chat.",
        "Merci pour votre candidature. Ce serait bien si vous pouviez passer nous voir mardi.",
        "Gracias por tu postulación. Sería ideal si pudieras pasar por la oficina el martes.",
    ],
)
def test_a_suggestion_to_come_by_is_an_invitation_not_a_condition(text: str) -> None:
    v = detect(msg(text, subject="AW: Bewerbung", sender="Gerhard Kern <g.kern@holzbau-kern.at>"), CTX)
    assert v.kind is Kind.INTERVIEW


@pytest.mark.parametrize(
    "text",
    [
        "Your agent of record: Primestaff. Your profile came up when I was searching for Deputy GMs. We're working on "
        "confidential General Manager roles that aren't advertised. Would you be open to a 15-minute call?",
    ],
)
def test_a_staffing_agencys_pitch_for_unadvertised_roles_starts_nothing(text: str) -> None:
    v = detect(msg(text, subject="Quick one", sender="Marcus Reid <marcus@primestaffhospitality.co.uk>"), CTX)
    assert v.kind is Kind.REPLY and v.rule == "cold_outreach"


def test_a_cancellation_code_in_a_town_hall_booking_is_no_rejection() -> None:
    text = "hiermit bestätigen wir Ihre Terminbuchung.\nDatum: Samstag, 14.03.2026\nAbsage-Code: 7KQ2\n"
    v = detect(msg(text, subject="Terminbestätigung Bürgeramt", sender="Berlin.de <noreply@berlin.de>"), CTX)
    assert v.kind is not Kind.REJECTION


def test_one_proposed_slot_to_accept_is_the_interviews_time() -> None:
    text = (
        "Thanks for your application. The team would like to move you to the technical interview.\n\n"
        "Proposed slot: 2026-03-10 14:00 EST\nDuration: 60 min\n\nLet me know if the slot works or suggest another."
    )
    v = detect(msg(text, subject="Technical interview", sender="Joost van Dijk <joost@sentinelridge.io>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 10, 14, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    "line",
    [
        "Können wir auf morgen, gleiche Uhrzeit, verschieben?",
        "Could we move it to tomorrow, same time?",
        "Pourrions-nous décaler à demain, même heure ?",
        "¿Podemos pasarla a mañana a la misma hora?",
    ],
)
def test_a_move_to_another_day_at_the_same_time_takes_the_clock_of_the_quoted_booking(line: str) -> None:
    text = (
        f"{line}\n\nMiriam\n\n-----Original Message-----\nFrom: LagerWerk <no-reply@mail.personio.de>\n"
        "Sent: Monday, March 2, 2026 11:31\nSubject: Terminbestätigung\n\nIhr Termin wurde gebucht.\n"
        "Mittwoch, 4. März 2026\n10:00 – 10:45 Uhr (MEZ, Europe/Berlin)\n"
    )
    v = detect(msg(text, subject="AW: Terminbestätigung: Kennenlernen", sender="Miriam Öz <m.oez@lagerwerk.de>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    ("text", "folder", "kind"),
    [
        ("Unfortunately we can’t progress your application any further.", FolderRole.INBOX, Kind.REJECTION),
        ("Dear Hannah, I’d like to be considered for the role. CV attached.", FolderRole.SENT, Kind.SENT_APPLICATION),
        ("Hi, I’m out of the office until Monday with limited access to email.", FolderRole.INBOX, Kind.AUTO_REPLY),
    ],
)
def test_a_curly_apostrophe_reads_as_a_plain_one(text: str, folder: FolderRole, kind: Kind) -> None:
    sender = "Alex Rivera <alex.rivera@gmail.com>" if folder is FolderRole.SENT else "Jo Park <jo@acme.com>"
    assert detect(msg(text, subject="Your application", sender=sender, folder=folder), CTX).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "Thank you both for the conversation this afternoon. I really enjoyed hearing about the pipeline.",
        "Thank you (and Aisha) for the conversation this afternoon, and for rearranging your schedule.",
        "Thanks for organising today. Could you please pass my thanks to Mark and Renee?",
        "Just a quick note to say the interview with Sophie went really well, I think.",
        "Danke dir für das gute Gespräch heute. Die Idee finde ich extrem spannend.",
        "kurze Rückmeldung: Das Gespräch mit Frau Dr. Weiß heute Morgen war sehr angenehm und offen.",
        "Merci à toi et à Karim pour l'entrevue de ce matin.",
        "Un petit mot pour vous dire que l'entretien de ce matin avec Mme Gérard s'est très bien passé.",
        "Te cuento que la entrevista con Andrés fue muy bien. ¿Le podrías hacer llegar mi agradecimiento?",
        "Thanks to you and Fiona for your time this afternoon - really enjoyed hearing about the plans.",
        "Je tiens à vous remercier, vous et M. Tremblay, pour l'entrevue de ce matin.",
        "herzlichen Dank an Sie und Herrn Dr. Albers für das offene Gespräch heute Vormittag.",
        "Le agradezco a usted y a la Srta. Muñoz el tiempo dedicado en la entrevista de esta mañana.",
    ],
)
def test_thank_you_notes_as_people_write_them(text: str) -> None:
    sent = msg(text, subject="Thanks", sender="Alex Rivera <alex.rivera@gmail.com>", folder=FolderRole.SENT)
    assert detect(sent, CTX).kind is Kind.SENT_THANK_YOU


def test_a_follow_up_in_a_thank_you_thread_is_a_follow_up() -> None:
    text = "Estimada Karen: le escribo para consultarle por el estado del proceso, luego de la entrevista del lunes."
    sent = msg(
        text,
        subject="RE: Agradecimiento por la entrevista",
        sender="Alex Rivera <alex.rivera@gmail.com>",
        folder=FolderRole.SENT,
        headers=(("in-reply-to", "<t1@mail.gmail.com>"),),
    )
    assert detect(replace(sent, in_reply_to="t1@mail.gmail.com"), CTX).kind is Kind.SENT_FOLLOW_UP


def test_an_application_sent_the_formal_spanish_way() -> None:
    text = "Por medio del presente les hago llegar mi CV documentado para la convocatoria de Ingeniero de Seguridad."
    sent = msg(text, subject="Postulación", sender="Alex Rivera <alex.rivera@gmail.com>", folder=FolderRole.SENT)
    assert detect(sent, CTX).kind is Kind.SENT_APPLICATION


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hope you had a good weekend. Just checking whether they shared any feedback?", Kind.SENT_FOLLOW_UP),
        ("The confirmation said I'd hear back within two weeks, so I thought I'd check in.", Kind.SENT_FOLLOW_UP),
        ("Vous m'aviez indiqué un retour ; je me permets donc de revenir vers vous.", Kind.SENT_FOLLOW_UP),
        ("Seitdem habe ich nichts mehr gehört. Können Sie mir sagen, wie der aktuelle Stand ist?", Kind.SENT_FOLLOW_UP),
        ("Ich habe Ihr Inserat gelesen und bewerbe mich hiermit als Zeichnerin.", Kind.SENT_APPLICATION),
        ("Wie besprochen übermittle ich Ihnen meine Bewerbungsunterlagen für die Stelle.", Kind.SENT_APPLICATION),
        ("Te escribo por la oferta de arquitecta junior que publicasteis en el CTAV.", Kind.SENT_APPLICATION),
        ("Ich habe die Ausschreibung gesehen und bewerbe mich hiermit sehr gern.", Kind.SENT_APPLICATION),
        (
            "I saw your post about the mechanical engineer opening. My resume is attached. Thanks for your time and "
            "consideration.",
            Kind.SENT_APPLICATION,
        ),
    ],
)
def test_follow_ups_and_applications_the_user_writes(text: str, kind: Kind) -> None:
    sent = msg(text, subject="Bewerbung / Postulación / Follow-up", sender="Alex Rivera <alex.rivera@gmail.com>",
               folder=FolderRole.SENT)  # fmt: skip
    assert detect(sent, CTX).kind is kind


def test_a_request_for_work_samples_after_thanks_for_applying_is_an_answer() -> None:
    text = (
        "Thank you for applying for the Correspondent role. Before we shortlist, our bureau chief would like to see "
        "three recent pieces of breaking-news work."
    )
    assert detect(msg(text, subject="Correspondent - clips", sender="Grace <grace@southernwire.com>"), CTX).kind is (
        Kind.REPLY
    )


def test_questions_after_thanks_for_applying_are_an_answer_not_a_receipt() -> None:
    text = (
        "Thanks for your application for the Senior Site Engineer position. Before I pass it on to our contracts "
        "manager, could you please confirm:\n - whether you hold a current CSCS card\n - your notice period\n"
    )
    assert detect(msg(text, subject="RE: Application", sender="Sue Pickering <s.p@tarnbrook.co.uk>"), CTX).kind is (
        Kind.REPLY
    )


def test_a_move_to_another_day_with_the_hour_in_brackets() -> None:
    text = "sorry - rafa got pulled into a review thursday. could we move it to friday instead? (12 your time)"
    v = detect(msg(text, subject="thurs technical", sender="Bree Santos <bree@hollowpine.com>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 6, 12, 0, tzinfo=ZoneInfo("America/New_York"))


def test_a_reschedule_table_without_colons_takes_the_new_time() -> None:
    text = (
        "Your interview for Paralegal has been rescheduled.\n\nPrevious time Monday, March 9, 2026, 10:00 AM - 10:45 AM"
        "\nNew time Tuesday, March 10, 2026, 2:30 PM - 3:15 PM\nLocation Level 9"
    )
    v = detect(msg(text, subject="Interview Rescheduled", sender="Calder <noreply@smartrecruiters.com>"), CTX)
    assert v.interview is not None
    assert v.interview.start == datetime(2026, 3, 10, 14, 30, tzinfo=ZoneInfo("America/New_York"))


# A second reading of this round's families found these misreadings; each is held here.
@pytest.mark.parametrize(
    "text",
    [
        "I'll pass on your application to the hiring manager today.",
        "The panel decided to move forward with the top candidates, and you're one of them!",
        "We've decided to proceed with three candidates to the final round, including you.",
        "It would be good if you could send the signed consent form by Friday, otherwise we will not be moving "
        "forward with your application.",
    ],
)
def test_good_news_and_a_condition_in_rejection_words_are_no_rejection(text: str) -> None:
    assert detect(msg(text, subject="Your application"), CTX).kind is not Kind.REJECTION


def test_a_refusal_to_offer_the_job_is_no_offer() -> None:
    v = detect(msg("Leider können wir Ihnen die Stelle nicht anbieten.", subject="Ihre Bewerbung"), CTX)
    assert v.kind is Kind.REJECTION


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for the details about the onsite. Is parking available?",
        "Thanks for your questions about my notice period.",
    ],
)
def test_thanks_for_details_is_no_thank_you_note(text: str) -> None:
    sent = msg(text, subject="Re: onsite", sender="Alex Rivera <alex.rivera@gmail.com>", folder=FolderRole.SENT)
    assert detect(sent, CTX).kind is not Kind.SENT_THANK_YOU


def test_a_gmail_quote_under_a_one_line_confirmation_gives_the_time() -> None:
    text = (
        "Works for me - see you Tuesday!\n\nOn Wed, Mar 4, 2026 at 9:03 AM Alex Rivera <alex.rivera@gmail.com> "
        "wrote:\n> Tuesday, March 10 at 3:45 pm would be perfect for me.\n"
    )
    v = detect(
        replace(msg(text, subject="Re: Interview", sender="Nadia Fraser <nf@westshore.ca>"), in_reply_to="a@b"), CTX
    )
    assert v.interview is not None and v.interview.start == datetime(
        2026, 3, 10, 15, 45, tzinfo=ZoneInfo("America/New_York")
    )


def test_a_negated_same_time_next_week_sets_no_next_round() -> None:
    text = "Thanks for your time today. Unfortunately Sam can't do the same time next week, so I'll send new options."
    assert detect(msg(text, subject="Next round", sender="Priya <priya@acme.com>"), CTX).next_round_in_days is None


def test_my_time_from_a_writer_in_the_users_zone_follows_daylight_saving() -> None:
    raw = (
        b"From: Dana Whitaker <dana@northwind-health.com>\r\nTo: Alex Rivera <alex.rivera@gmail.com>\r\n"
        b"Subject: RE: quick chat?\r\nDate: Wed, 04 Mar 2026 09:48:00 -0500\r\nMessage-ID: <s2@nw.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Perfect - let's do Thursday, March 12 at 9:00 my time. Plan on about 30 minutes.\r\n"
    )
    verdict = detect(parse_message(raw, FolderRole.INBOX), CTX)  # New York: EST on the 4th, EDT on the 12th
    assert verdict.interview is not None
    assert verdict.interview.start == datetime(2026, 3, 12, 9, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    "text",
    [
        "Wir möchten Sie darüber informieren, dass die Position Consultant Financial Services (m/w/d) inzwischen "
        "besetzt wurde.",
        "I wanted to let you know that the Data Analyst position we discussed has now been filled.",
        "Nous vous informons que le poste de chef de projet a finalement été pourvu.",
        "Te informamos que la vacante de analista ya ha sido cubierta.",
    ],
)
def test_a_position_filled_is_a_rejection(text: str) -> None:
    v = detect(msg(text, subject="Update zu Ihrer Bewerbung", sender="Brenner <no-reply@jobs.personio.de>"), CTX)
    assert v.kind is Kind.REJECTION


def test_a_time_in_a_new_threads_subject_only_is_the_interviews_time() -> None:
    text = "Hallo Frau Vogel,\n\nwie besprochen die Eckdaten: Ort: Taunusanlage 8. Dauer: ca. eine Stunde.\n"
    v = detect(
        msg(text, subject="Einladung Vorstellungsgespräch – Di, 17.03.2026, 10:00 Uhr", sender="S. Kraus <s@bf.de>"),
        CTX,
    )
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 17, 10, 0, tzinfo=ZoneInfo("America/New_York"))


def test_a_public_bodys_oral_exam_moved_by_the_hour_is_an_interview() -> None:
    text = "L'épreuve orale reste fixée au jeudi 19 mars, même jour donc, mais à 11h00 au lieu de 10h00."
    v = detect(msg(text, subject="Épreuve orale du 19/03 – changement d'heure", sender="A. Franck <af@owf.be>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None and v.interview.start.hour == 11


@pytest.mark.parametrize(
    ("sender", "text", "client"),
    [
        (
            "Kelsey Brandt <kelsey.brandt@randstadusa.com>",
            "Just confirming I've put you forward to North Star Fulfillment for the Inventory Control Supervisor role.",
            "North Star Fulfillment",
        ),
        (
            "Gemma Ross <gemma.ross@hays.com>",
            "As agreed I've sent your CV across to the Theatre Manager at Nuffield Health Glasgow for the post.",
            "Nuffield Health Glasgow",
        ),
    ],
)
def test_a_large_staffing_firm_putting_the_user_forward_names_the_client(sender: str, text: str, client: str) -> None:
    v = detect(msg(text, subject="Inventory Control Supervisor", sender=sender), CTX)
    assert v.rule == "agency_submission" and v.starts_application and v.company == client


def test_an_agency_relaying_one_slot_with_the_client() -> None:
    text = "North Star wants to meet you! Luis Ferreira (Ops Manager) can do this Friday at 2:30 at the Shakopee site."
    v = detect(msg(text, subject="RE: Supervisor", sender="Kelsey Brandt <kelsey.brandt@randstadusa.com>"), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == datetime(2026, 3, 6, 14, 30, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    ("text", "subject", "sender"),
    [
        (
            "Gracias por presentar tu solicitud para el puesto de Productor/a de contenidos podcast.",
            "Hemos recibido tu solicitud – Productor/a de contenidos podcast (R-0912)",
            "Radio Castellana <radiocastellana@myworkday.com>",
        ),
        (
            "Hola Lucía,\n\nTu inscripción en la oferta se ha realizado correctamente:\n\nRedactor/a digital - Madrid",
            'Te has inscrito en la oferta "Redactor/a digital - Madrid"',
            "InfoJobs <noreply@infojobs.net>",
        ),
    ],
)
def test_a_receipt_for_a_job_with_a_marketing_word_in_its_title_is_a_receipt(
    text: str, subject: str, sender: str
) -> None:
    assert detect(msg(text, subject=subject, sender=sender), CTX).kind is Kind.ACKNOWLEDGEMENT


@pytest.mark.parametrize(
    ("text", "subject", "sender", "start"),
    [
        (
            "Votre événement est planifié.\n\nType d'événement : Entrevue – affichage 26-0412\nHôte : Marc-André "
            "Gagnon\nDate/heure : 13:30 - 14:30, mardi 10 mars 2026\n",
            "Confirmé : Entrevue avec Marc-André Gagnon le mardi 10 mars 2026",
            "Calendly <notifications@calendly.com>",
            datetime(2026, 3, 10, 13, 30),
        ),
        (
            "Tu reunión ha sido reprogramada\n\nQué: Entrevista – Ingeniero de proyectos\nCuándo: jueves, 12 de marzo "
            "de 2026 11:00am - 11:30am\nAntes: jueves, 12 de marzo de 2026 5:00pm - 5:30pm\n",
            "Reprogramado: Entrevista – Ingeniero de proyectos",
            '"Cal.com" <no-reply@cal.com>',
            datetime(2026, 3, 12, 11, 0),
        ),
    ],
)
def test_scheduling_tools_in_french_and_spanish(text: str, subject: str, sender: str, start: datetime) -> None:
    v = detect(msg(text, subject=subject, sender=sender), CTX)
    assert v.kind is Kind.INTERVIEW and v.interview is not None
    assert v.interview.start == start.replace(tzinfo=ZoneInfo("America/New_York"))


def test_a_french_rejection_that_chose_to_go_ahead_with_others() -> None:
    text = "Après réflexion, nous avons choisi d'avancer avec des candidat·e·s dont l'expérience correspond davantage."
    assert detect(msg(text, subject="Suite à votre candidature"), CTX).kind is Kind.REJECTION


@pytest.mark.parametrize(
    "text",
    [
        "bitte ignorieren Sie unsere E-Mail von heute Vormittag – die Absage wurde Ihnen irrtümlich zugeschickt. "
        "Wäre Ihnen Mittwoch, der 25. März, um 14.00 Uhr recht?",
        "Please disregard my previous email, it was sent in error: we'd like to invite you to interview on "
        "Wednesday, March 25 at 2pm. Does that work?",
    ],
)
def test_a_retracted_rejection_is_no_rejection(text: str) -> None:
    v = detect(msg(text, subject="Korrektur / Correction", sender="Eva Leitner <eva@bildungswerk.at>"), CTX)
    assert v.kind is Kind.INTERVIEW


# Phrasings found in new dev mailboxes, one row each: the text, who wrote it, the folder, and how it reads.
PHRASINGS = [
    (
        "Unfortunately we won't be taking your application forward on this occasion.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "I'm sorry to say your application was unsuccessful this time.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Leider müssen wir dir mitteilen, dass wir uns für Kandidat:innen mit mehr Erfahrung entschieden haben.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Leider können wir deine Bewerbung im weiteren Verfahren nicht berücksichtigen.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Malheureusement, nous ne pouvons pas donner suite à votre candidature.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Desafortunadamente no podremos continuar con tu candidatura.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Am Ende hat sich das Team für den anderen Bewerber mit mehr SAP-Erfahrung entschieden.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Nous avons choisi de poursuivre avec une personne plus expérimentée en logistique.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Le poste de chef de projet ne sera finalement pas ouvert; nous clôturons votre candidature.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Hemos decidido seguir con perfiles que se ajustan más a la vacante.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Sadly it's not the news you wanted: they've gone with a candidate who has more claims experience.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Wir haben uns entschieden, den Prozess mit anderen Bewerbern fortzusetzen.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Die Firma hat sich entschieden, die Position intern zu besetzen.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "It was a tough call, but we've chosen to progress with candidates whose experience is closer to the brief.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Wir konnten die Stelle intern besetzen und führen den Bewerbungsprozess mit dir nicht weiter.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "After a lot of discussion the panel decided to hire someone who has run a payroll migration before.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "I wish I had better news: the client went with somebody closer to their Leeds office.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Le client a finalement retenu une candidate ayant davantage d'expérience en audit.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Je suis désolé de ne pas te transmettre de meilleures nouvelles, mais l'équipe a choisi un autre profil.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Al final hemos decidido ir con otra persona que ya conoce el sector asegurador.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Nos hemos decantado por otro perfil con más experiencia en SAP; siento no traerte mejores noticias.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Nach langem Hin und Her haben wir uns letztlich anders entschieden.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Das Team hat sich für jemanden mit mehr Erfahrung im Konzerncontrolling entschieden.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Thanks for your time today! The next step would be a one-hour technical screen with our engineering lead.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.INTERVIEW,
    ),
    (
        "Wie besprochen würden wir Sie gern zu einem Fachgespräch mit unserem Teamleiter zu uns ins Haus einladen.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.INTERVIEW,
    ),
    (
        "El siguiente paso sería una entrevista técnica con el equipo.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.INTERVIEW,
    ),
    (
        "La prochaine étape serait un entretien avec notre directrice.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.INTERVIEW,
    ),
    (
        "It was a difficult decision, but we've decided to move ahead with candidates whose experience is closer.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "The team has decided to pursue candidates with more hands-on clinical experience.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "We will be moving forward with other candidates at this time.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "I'm afraid we're not able to take your application further.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Unfortunately your application was not successful on this occasion.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "We've offered the role to someone else, but would love to stay in touch.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    ("We're going to pass on your candidacy for now.", "X <noreply@myworkday.com>", FolderRole.INBOX, Kind.REJECTION),
    (
        "Nous sommes au regret de vous informer que nous ne sommes pas en mesure de donner une suite favorable.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Nous ne retiendrons pas votre candidature pour ce poste.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Nous avons choisi de privilégier d'autres profils.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Wir können Ihnen leider keine positive Rückmeldung geben.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Hemos decidido seguir adelante con otros candidatos.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    ("Finalmente hemos optado por otro candidato.", "X <noreply@myworkday.com>", FolderRole.INBOX, Kind.REJECTION),
    (
        "Lamentablemente no podremos avanzar con tu postulación.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    ("En esta ocasión no continuarás en el proceso.", "X <noreply@myworkday.com>", FolderRole.INBOX, Kind.REJECTION),
    (
        "Nach reiflicher Überlegung haben wir uns entschieden, den Prozess mit einer Kandidatin weiterzuführen.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Tiendas Pacífico finalizó el proceso y, en esta oportunidad, decidió continuar con otros candidatos.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Nous avons décidé de poursuivre le processus avec d'autres candidats.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Après mûre réflexion, nous avons choisi de poursuivre le processus avec des candidates dont l'expérience "
        "correspond davantage à nos besoins.",
        "X <noreply@myworkday.com>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Congratulations! We'd love for you to join the team as our new Account Manager.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "As discussed on the phone, attached is your contract for review and signature.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Wir freuen uns, Ihnen die Stelle anbieten zu können.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Anbei erhalten Sie Ihren Arbeitsvertrag in zweifacher Ausfertigung.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Nous sommes heureux de vous annoncer que votre candidature a été retenue.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Queremos hacerte una oferta formal para unirte al equipo.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Further to your conversations, please find attached your contract of employment. Return a signed copy.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "As discussed, please find attached your letter of offer for the Key Account Manager role.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Wie heute Vormittag telefonisch besprochen, anbei Ihr Arbeitsvertrag sowie das Datenblatt.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Vous trouverez ci-joint votre contrat de travail à nous retourner signé.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Tal como hablamos por teléfono, adjunto tu contrato a término indefinido.",
        "Jane Doe <jane.doe@acme.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Thank you very much for your application as Senior Social Worker. We have received your documents.",
        "Brightwater <noreply@mail.personio.de>",
        FolderRole.INBOX,
        Kind.ACKNOWLEDGEMENT,
    ),
    (
        "It was a strong field, and I'm sorry to say that we won't be taking things further on this occasion.",
        "Siobhan Kiely <siobhan@brightwater.ie>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "I'm so sorry to do this at short notice, but I need to cancel Thursday's interview.",
        "Fiona Lyle <fiona@marylebonegrand.co.uk>",
        FolderRole.INBOX,
        Kind.CANCELLATION,
    ),
    (
        "Dear Hannah, I'd like to be considered for the Hotel Operations Manager role. CV attached.",
        "Alex Rivera <alex.rivera@gmail.com>",
        FolderRole.SENT,
        Kind.SENT_APPLICATION,
    ),
    (
        "I just wanted to check in after your note on the 10th - has there been any news?",
        "Alex Rivera <alex.rivera@gmail.com>",
        FolderRole.SENT,
        Kind.SENT_FOLLOW_UP,
    ),
    (
        "Nous avons toutefois décidé de poursuivre avec un·e candidat·e qui dispose déjà d'une expérience.",
        "Lemanis via Greenhouse <no-reply@us.greenhouse-mail.io>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Sehr geehrte Frau Hoffmann, hiermit bestätige ich den Eingang Ihrer Bewerbung auf die Stelle.",
        "Petra Lindner <petra.lindner@hed-dresden.de>",
        FolderRole.INBOX,
        Kind.ACKNOWLEDGEMENT,
    ),
    (
        "Acusamos de recibido su postulación y la documentación anexa para la plaza de Analista.",
        "Adriana Mejía <adriana.mejia@uacv.edu.mx>",
        FolderRole.INBOX,
        Kind.ACKNOWLEDGEMENT,
    ),
    (
        "Ihre Bewerbung hat uns angesprochen, und wir würden gerne in einem ersten Telefoninterview mehr über "
        "Sie erfahren.",
        "Anja Kühn <anja.kuehn@elbtal-klinikum.de>",
        FolderRole.INBOX,
        Kind.INTERVIEW,
    ),
    (
        "Finalmente el consejo se inclinó por un técnico que ya trabaja con varios de nuestros socios.",
        "Raúl Bertone <rbertone@tambera.coop>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Te llamé pero no me atendiste: Agroindustrias del Centro te quiere en el equipo. Te mando la propuesta "
        "formal.",
        "Florencia Ríos <florencia@surcoconsultores.com.ar>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Toutefois, le jury a retenu des candidatures dont l'expérience correspond davantage aux exigences. Vous "
        "ne figurez dès lors pas dans la réserve de recrutement.",
        "OWF <noreply@owf.successfactors.eu>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Candidature envoyée\n\nLes éléments suivants ont été envoyés à Hôtel du Vieux-Port : CV, coordonnées.",
        "Indeed <candidature@indeed.com>",
        FolderRole.INBOX,
        Kind.ACKNOWLEDGEMENT,
    ),
    (
        "I wanted to let you know personally that we've offered the position to a candidate whose experience "
        "was a closer fit.",
        "Pieter van Wyk <pieter@capeledger.co.za>",
        FolderRole.INBOX,
        Kind.REJECTION,
    ),
    (
        "Everyone was unanimous: we'd love to have you join Tidal Goods as Senior Graphic Designer.\n"
        "- Base salary: $118,000\n- Start date: April 6",
        "Marcus Bell <marcus@tidalgoods.com>",
        FolderRole.INBOX,
        Kind.OFFER,
    ),
    (
        "Kavita Rao would like a first conversation with you. Please book any 30-minute slot next week here.",
        "Arjun Mehta <arjun@pinnaclesearch.in>",
        FolderRole.INBOX,
        Kind.INTERVIEW,
    ),
    (
        "Just touching base - it's been a week since I met Michelle. Have you heard any feedback from their side?",
        "Alex Rivera <alex.rivera@gmail.com>",
        FolderRole.SENT,
        Kind.SENT_FOLLOW_UP,
    ),
]


@pytest.mark.parametrize(("text", "sender", "folder", "kind"), PHRASINGS)
def test_phrasings_from_new_mailboxes(text: str, sender: str, folder: FolderRole, kind: Kind) -> None:
    assert detect(msg(text, subject="Your application", sender=sender, folder=folder), CTX).kind is kind
