"""detect(): the ordered rules on realistic fixtures and on the traps they must not fall into."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
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
        "cold_outreach",
        "interview_invitation",
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
