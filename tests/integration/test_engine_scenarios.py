"""agent/engine.py on multi-message stories from the audit: a real Maildir, a real SQLite state, simulated time.

Each test is one situation a job seeker meets, told through the mail it produces, and checked by what the agent
leaves in Drafts and the state it derives: a colleague of the recruiter answering in a new thread, an ATS
confirmation whose only human is in Reply-To, an interviewer's calendar "Accepted:", a reschedule, a second
round booked in a note that offers to reschedule, an agency's cold pitch, and a second job at the same company.
`same_role`, which tells a further round of a job from a second job at the same company, is also checked on its
own.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent.models import KEY_HEADER, AppState, FolderRole, Kind
from agent.policy import Policy
from tests import mailgen
from tests.contract.maildir_harness import MaildirHarness
from tests.contract.test_contract import World as ContractWorld

NY = ZoneInfo("America/New_York")
AUDIT = Path(__file__).resolve().parents[2] / "fixtures" / "audit"
INVITE_ID = "CAL-invite-0220@google.com"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


class World(ContractWorld):
    """The contract suite's world on a Maildir, with a few conveniences for these scenarios."""

    def __init__(self, tmp_path: Path) -> None:
        super().__init__(MaildirHarness(tmp_path / "Mail"), tmp_path)

    def deliver(self, raw: bytes, folder: FolderRole = FolderRole.INBOX) -> None:
        self.harness.deliver(folder, raw)

    def draft_kinds(self) -> list[str]:
        return sorted(str(d[KEY_HEADER]).split("/")[1] for d in self.drafts())

    def state(self, app_id: int, when: str) -> AppState:
        return Policy.from_config(self.config.policy).decide(self.store.history(app_id), at(when)).state


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def invite(world: World) -> int:
    """Acme's Monday 10:00-11:00 interview with Marcus Lee and Dana Wu, organised by Priya Shah."""
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:04"), start=at("2026-03-02T10:00"), end=at("2026-03-02T11:00"), message_id=INVITE_ID
        )
    )
    world.scan("2026-02-21T09:00")
    apps = world.store.applications()
    assert len(apps) == 1
    return apps[0].id


def test_a_colleague_answering_in_a_new_thread_counts_as_the_employer_answering(world: World) -> None:
    app_id = invite(world)
    # Someone the candidate never wrote to, at the employer's domain, with a fresh subject and no threading.
    world.deliver(
        mailgen.reply(
            sent=at("2026-03-04T16:30"),
            message_id="jordan-0304@acmerobotics.com",
            in_reply_to=None,
            sender=("Jordan Blake", "jordan.blake@acmerobotics.com"),
            subject="Acme Robotics - a quick question",
            body="Hi Alex,\n\nI lead the platform group Marcus mentioned. Could you share the repo you talked "
            "about on Monday? It'd help our debrief.\n\nThanks,\nJordan\n",
        )
    )
    world.scan("2026-03-09T08:00")
    events = world.store.events(app_id)
    assert "jordan-0304@acmerobotics.com" in {e.message_id for e in events}
    assert world.state(app_id, "2026-03-09T08:00") is AppState.RESPONDED
    world.scan("2026-03-16T08:00")
    assert world.draft_kinds() == []  # no follow-up: the employer has answered


def test_a_follow_up_after_an_ats_confirmation_goes_to_the_recruiter_in_reply_to(world: World) -> None:
    world.deliver((AUDIT / "greenhouse_html_table.eml").read_bytes())  # Wed Mar 11, 13:00-14:00 EDT
    world.scan("2026-03-06T09:00")
    apps = world.store.applications()
    assert len(apps) == 1 and apps[0].company == "Pinecrest"
    world.scan("2026-03-18T09:00")  # 5 business days after the interview, nobody wrote
    drafts = world.drafts()
    assert [str(d[KEY_HEADER]).split("/")[1] for d in drafts] == ["follow_up"]
    assert str(drafts[0]["To"]) == "Carla Diaz <carla.diaz@pinecrest.com>"


def test_an_interviewers_calendar_acceptance_does_not_stop_the_chase(world: World) -> None:
    app_id = invite(world)
    raw = (AUDIT / "google_calendar_accepted.eml").read_bytes()
    # The same acceptance, clicked late: after the interview, when a real answer would stop the chase.
    raw = raw.replace(b"Date: Fri, 06 Mar 2026 15:41:07 +0000", b"Date: Tue, 03 Mar 2026 15:41:07 +0000")
    world.deliver(raw)
    world.scan("2026-03-09T08:00")
    accepted = [e for e in world.store.events(app_id) if e.sender and e.sender.email == "marcus.lee@acmerobotics.com"]
    assert [e.kind for e in accepted] == [Kind.AUTO_REPLY]
    assert world.draft_kinds() == ["follow_up"]
    assert world.state(app_id, "2026-03-09T08:05") is AppState.INTERVIEWED


def test_a_reschedule_moves_the_interview_and_the_thank_you_notes(world: World) -> None:
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-03-02T10:00"),
            start=at("2026-03-10T14:00"),
            end=at("2026-03-10T15:00"),
            message_id="CAL-first@google.com",
            uid="resched-uid-01@google.com",
        )
    )
    world.scan("2026-03-03T09:00")
    moved = mailgen.calendar_invite(
        sent=at("2026-03-06T11:00"),
        start=at("2026-03-12T15:00"),
        end=at("2026-03-12T16:00"),
        message_id="CAL-moved@google.com",
        uid="resched-uid-01@google.com",
    )
    world.deliver(
        moved.replace(b"SEQUENCE:0", b"SEQUENCE:1").replace(b"Subject: Invitation:", b"Subject: Updated invitation:")
    )
    world.scan("2026-03-06T12:00")
    (app,) = world.store.applications()
    live = [i for i in world.store.interviews(app.id) if not i.cancelled]
    assert [i.start for i in live] == [at("2026-03-12T15:00")]
    world.scan("2026-03-10T15:05")  # the old end: nothing happened then
    assert world.drafts() == []
    assert world.state(app.id, "2026-03-10T15:05") is AppState.SCHEDULED
    world.scan("2026-03-12T16:05")
    assert world.draft_kinds() == ["thank_you", "thank_you"]


def test_an_agency_cold_pitch_creates_no_application(world: World) -> None:
    for name in ("agency_cold_outreach.eml", "agency_cold_outreach_linkedin_style.eml"):
        world.deliver((AUDIT / name).read_bytes())
    world.scan("2026-03-12T09:00")
    assert world.store.applications() == []
    assert world.drafts() == []


def test_a_team_mailbox_gets_no_thank_you_but_a_person_in_the_invite_does(world: World) -> None:
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:04"),
            start=at("2026-03-02T10:00"),
            end=at("2026-03-02T11:00"),
            message_id="goodtime-invite@zalandia.de",
            organizer=("Zalandia Interviews", "interviews@zalandia.de"),
            interviewers=(
                ("Zalandia Interviews", "interviews@zalandia.de"),
                ("Jonas Weber", "jonas.weber@zalandia.de"),
            ),
            company="Zalandia",
        )
    )
    world.scan("2026-03-02T11:05")
    assert [str(d["To"]) for d in world.drafts()] == ["Jonas Weber <jonas.weber@zalandia.de>"]


def test_an_ats_reschedule_without_a_calendar_uid_replaces_the_old_slot(world: World) -> None:
    def confirmation(sent: str, when: str, subject: str, mid: str) -> bytes:
        return mailgen.reply(
            sent=at(sent),
            message_id=mid,
            in_reply_to=None,
            sender=("Tom Baker", "tom.baker@globex.com"),
            subject=subject,
            body=f"Hi Alex,\n\nYour interview for the Product Analyst position at Globex is confirmed.\n\n"
            f"Date: {when}\nInterviewer: Tom Baker <tom.baker@globex.com>\n\nThanks,\nTom\n",
        )

    world.deliver(
        confirmation(
            "2026-02-26T11:00", "Tuesday, March 3, 2026 at 2:00 PM EST", "Interview confirmation", "first@globex.com"
        )
    )
    world.scan("2026-02-27T09:00")
    world.deliver(
        confirmation(
            "2026-02-28T11:00",
            "Thursday, March 5, 2026 at 10:00 AM EST",
            "Your interview has been rescheduled",
            "moved@globex.com",
        )
    )
    world.scan("2026-03-01T09:00")
    [app] = world.store.applications()
    live = [i for i in world.store.interviews(app.id) if not i.cancelled]
    assert [i.start for i in live] == [at("2026-03-05T10:00")]
    world.scan("2026-03-03T15:30")
    assert world.drafts() == []  # nothing for the slot that no longer exists
    world.scan("2026-03-05T11:30")
    assert world.draft_kinds() == ["thank_you"]


def globex_confirmation(sent: str, when: str, subject: str, mid: str, extra: str = "") -> bytes:
    """Tom Baker's plain-text confirmation of a Globex Product Analyst interview at `when`."""
    return mailgen.reply(
        sent=at(sent),
        message_id=mid,
        in_reply_to=None,
        sender=("Tom Baker", "tom.baker@globex.com"),
        subject=subject,
        body=f"Hi Alex,\n\nYour interview for the Product Analyst position at Globex is confirmed.\n\n"
        f"Date: {when}\nInterviewer: Tom Baker <tom.baker@globex.com>\n\n{extra}Thanks,\nTom\n",
    )


def test_if_you_need_to_reschedule_boilerplate_does_not_cancel_the_earlier_round(world: World) -> None:
    world.deliver(
        globex_confirmation(
            "2026-02-26T11:00", "Tuesday, March 3, 2026 at 2:00 PM EST", "Interview confirmation", "first@globex.com"
        )
    )
    world.scan("2026-02-27T09:00")
    # The second round is booked before the first has taken place; the note ends with the usual offer.
    world.deliver(
        globex_confirmation(
            "2026-02-28T11:00",
            "Tuesday, March 10, 2026 at 10:00 AM EST",
            "Second interview confirmation",
            "second@globex.com",
            extra="If you need to reschedule, just reply to this email.\n\n",
        )
    )
    world.scan("2026-03-01T09:00")
    [app] = world.store.applications()
    live = [i.start for i in world.store.interviews(app.id) if not i.cancelled]
    assert live == [at("2026-03-03T14:00"), at("2026-03-10T10:00")]


def deliver_second_job(world: World) -> None:
    """A Data Scientist interview at Acme from people the first application has never heard from."""
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-25T09:00"),
            start=at("2026-03-04T14:00"),
            end=at("2026-03-04T15:00"),
            message_id="second-role@google.com",
            organizer=("Leo Grant", "leo.grant@acmerobotics.com"),
            interviewers=(("Nora Diaz", "nora.diaz@acmerobotics.com"),),
            role="Data Scientist",
            uid="second-role-uid@google.com",
        )
    )
    world.scan("2026-02-26T09:00")


def test_a_second_job_at_the_same_company_is_its_own_application(world: World) -> None:
    invite(world)  # Senior Backend Engineer, with Marcus Lee and Dana Wu
    deliver_second_job(world)
    apps = world.store.applications()
    assert sorted(a.role for a in apps) == ["Data Scientist", "Senior Backend Engineer"]
    # A further round of the first job still joins the first application.
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-03-03T09:00"),
            start=at("2026-03-10T10:00"),
            end=at("2026-03-10T11:00"),
            message_id="round-two@google.com",
            role="Backend Engineer",
            uid="round-two-uid@google.com",
        )
    )
    world.scan("2026-03-03T10:00")
    assert len(world.store.applications()) == 2
    backend_app = next(a for a in world.store.applications() if "Backend" in a.role)
    assert len(world.store.interviews(backend_app.id)) == 2


def test_a_further_round_of_the_second_job_joins_it_instead_of_starting_a_third(world: World) -> None:
    invite(world)  # Senior Backend Engineer, organised by Priya Shah
    deliver_second_job(world)
    assert len(world.store.applications()) == 2
    # Round two of the first job, from people at Acme nobody has written from yet: joined by the domain, whose
    # newest application is the Data Scientist one.
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-03-03T09:00"),
            start=at("2026-03-10T10:00"),
            end=at("2026-03-10T11:00"),
            message_id="round-two@google.com",
            organizer=("Ivy Chen", "ivy.chen@acmerobotics.com"),
            interviewers=(("Omar Haddad", "omar.haddad@acmerobotics.com"),),
            role="Backend Engineer",
            uid="round-two-uid@google.com",
        )
    )
    world.scan("2026-03-03T10:00")
    apps = world.store.applications()
    assert sorted(a.role for a in apps) == ["Data Scientist", "Senior Backend Engineer"]
    backend_app = next(a for a in apps if "Backend" in a.role)
    assert len(world.store.interviews(backend_app.id)) == 2


def test_same_role_tolerates_seniority_words() -> None:
    from agent.engine import same_role

    assert same_role("Senior Backend Engineer", "Backend Engineer")
    assert not same_role("Product Manager", "Product Designer")
    assert not same_role("Backend Engineer", "Data Scientist")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Front-End Developer", "Frontend Developer"),
        ("Full Stack Engineer", "Fullstack Engineer"),
        ("DevOps Engineer", "Dev Ops Engineer"),
        ("Sr. Software Eng.", "Software Engineer"),
        ("Machine Learning Engineer", "ML Engineer"),
        ("Software Engineer, Back-end", "Backend Software Engineer"),
        ("Head of Engineering", "Engineering Lead"),
        ("Senior Software Engineer (Backend, Payments Platform)", "Backend Engineer"),
        ("SRE role", "Site Reliability Engineer"),
        ("Associate, FIG Frankfurt", "Associate, Financial Institutions Group (Frankfurt)"),
        ("HR Business Partner", "Human Resources Business Partner"),
    ],
)
def test_same_role_a_title_spelled_or_narrowed_differently_is_the_same_job(first: str, second: str) -> None:
    from agent.engine import same_role

    assert same_role(first, second) and same_role(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Backend Engineer", "Frontend Engineer"),
        ("Data Scientist", "Data Engineer"),
        ("Product Manager", "Engineering Manager"),
    ],
)
def test_same_role_still_tells_different_jobs_apart(first: str, second: str) -> None:
    from agent.engine import same_role

    assert not same_role(first, second)


def test_the_same_recruiter_naming_the_role_differently_is_the_next_round_not_a_second_job(world: World) -> None:
    invite(world)  # Priya Shah organises the Senior Backend Engineer interview
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-03-04T09:00"),
            start=at("2026-03-11T14:00"),
            end=at("2026-03-11T15:00"),
            message_id="next-round-new-thread@google.com",
            interviewers=(("Nora Diaz", "nora.diaz@acmerobotics.com"),),
            role="Staff Software Engineer",
            uid="next-round-uid@google.com",
        )
    )
    world.scan("2026-03-04T10:00")
    [app] = world.store.applications()
    assert len(world.store.interviews(app.id)) == 2


def receipt(company: str, ats: str, sent: str, mid: str) -> bytes:
    return mailgen.reply(
        sent=at(sent),
        message_id=mid,
        in_reply_to=None,
        sender=(company, f"no-reply@{ats}"),
        subject=f"Thank you for applying to {company}",
        body=f"Hi Alex,\n\nThank you for applying for the Analytics Engineer position at {company}. We have "
        "received your application and will review it shortly.\n\nThe Recruiting Team\n",
    )


def test_two_receipts_from_companies_sharing_a_first_word_are_two_applications(world: World) -> None:
    world.deliver(receipt("Northstar Freight Systems", "icims.com", "2026-03-02T09:00", "r1@icims.com"))
    world.deliver(receipt("Northstar Health", "jobvite.com", "2026-03-02T11:00", "r2@jobvite.com"))
    world.scan("2026-03-02T12:00")
    assert sorted(a.company for a in world.store.applications()) == ["Northstar Freight Systems", "Northstar Health"]


def test_a_recruiter_naming_the_company_shorter_still_joins_the_receipts_application(world: World) -> None:
    world.deliver(receipt("Brightline Logistics", "myworkday.com", "2026-03-02T09:00", "r1@myworkday.com"))
    world.deliver(
        mailgen.reply(
            sent=at("2026-03-03T09:00"),
            message_id="m1@brightlinefreight.com",
            in_reply_to=None,
            sender=("Jo Park", "jo.park@brightlinefreight.com"),
            subject="Your application - Analytics Engineer",
            body="Hi Alex,\n\nI'm Jo, recruiter at Brightline Freight. Could we set up a call about your "
            "application this week?\n\nJo\n",
        )
    )
    world.scan("2026-03-03T12:00")
    [app] = world.store.applications()
    assert len(world.store.history(app.id).events) == 2


@pytest.mark.parametrize(
    "body",
    [
        "Hi Alex,\n\nThanks for the call. As agreed, I've shared your CV with Fenwick & Cole for the Analytics "
        "Engineer role; I'll come back to you as soon as I hear.\n\nSam Reid\nSenior Consultant, Northbridge "
        "Recruitment\n",
        "Hallo Alex,\n\nwie besprochen habe ich Ihr Profil heute unserem Mandanten, der Fenwick & Cole GmbH, für "
        "die Position Analytics Engineer vorgestellt.\n\nSam Reid\nNorthbridge Personalvermittlung GmbH\n",
    ],
)
def test_an_agency_putting_the_user_forward_to_a_named_client_starts_that_application(world: World, body: str) -> None:
    world.deliver(
        mailgen.reply(
            sent=at("2026-03-02T09:00"),
            message_id="submitted@northbridge-recruitment.com",
            in_reply_to=None,
            sender=("Sam Reid", "sam.reid@northbridge-recruitment.com"),
            subject="Analytics Engineer - Fenwick & Cole",
            body=body,
        )
    )
    world.scan("2026-03-02T12:00")
    [app] = world.store.applications()
    assert app.company.startswith("Fenwick & Cole")


def test_an_agencys_pitch_naming_a_client_starts_nothing(world: World) -> None:
    world.deliver(
        mailgen.reply(
            sent=at("2026-03-02T09:00"),
            message_id="pitch@northbridge-recruitment.com",
            in_reply_to=None,
            sender=("Sam Reid", "sam.reid@northbridge-recruitment.com"),
            subject="Exciting opportunity",
            body="Hi Alex,\n\nI came across your profile. My client, Fenwick & Cole, has an exciting new role - "
            "would you be open to a quick chat?\n\nSam Reid\nNorthbridge Recruitment\n",
        )
    )
    world.scan("2026-03-02T12:00")
    assert world.store.applications() == []


@pytest.mark.parametrize(
    "line",
    [
        "Thanks for your time today! Let's do the second round same time next week, with Tom and Aisha.",
        "Merci pour cet échange. On se revoit pour le deuxième entretien même heure la semaine prochaine.",
    ],
)
def test_a_second_round_same_time_next_week_is_a_week_after_the_round_held(world: World, line: str) -> None:
    app_id = invite(world)  # Monday 2 March, 10:00-11:00
    world.deliver(
        mailgen.reply(
            sent=at("2026-03-02T12:00"),
            message_id="next-round@acmerobotics.com",
            in_reply_to=None,
            sender=("Priya Shah", "priya.shah@acmerobotics.com"),
            subject="Great to chat today",
            body=f"Hi Alex,\n\n{line}\n\nPriya\n",
        )
    )
    world.scan("2026-03-02T13:00")
    starts = [i.start for i in world.store.interviews(app_id) if not i.cancelled]
    assert starts == [at("2026-03-02T10:00"), at("2026-03-09T10:00")]
