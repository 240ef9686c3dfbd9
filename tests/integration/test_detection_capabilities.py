"""The four capabilities issue 9 asked for, each on new messages through the real engine on a real Maildir.

1. an interview time a person writes in their own words, and an employer's "thanks for your time today" that dates
   an interview nobody gave a time for, each leading to the follow-up after the date they named;
2. the host of a scheduling-tool booking is who a follow-up goes to;
3. an ATS rejection in a new thread closes the application of the company it names (no second application);
4. interview-coaching marketing with a calendar invitation starts no application.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent.models import KEY_HEADER, AppState, FolderRole
from tests import mailgen
from tests.integration.test_engine_scenarios import World

NY = ZoneInfo("America/New_York")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def mail(
    *,
    sender: str,
    subject: str,
    body: str,
    sent: str,
    message_id: str,
    to: str = f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    ics: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at(sent))
    message["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
        message["References"] = f"<{in_reply_to}>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if ics is not None:
        message.add_attachment(
            ics.replace("\n", "\r\n").encode(),
            maintype="text",
            subtype="calendar",
            params={"method": "REQUEST"},
            filename="invite.ics",
        )
    return message.as_bytes()


def ics(*, uid: str, start: str, end: str, organizer: tuple[str, str], summary: str) -> str:
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
        f"UID:{uid}\nDTSTAMP:20260301T120000Z\nDTSTART:{start}\nDTEND:{end}\nSUMMARY:{summary}\n"
        f"ORGANIZER;CN={organizer[0]}:mailto:{organizer[1]}\n"
        f"ATTENDEE;CN={mailgen.USER[0]};PARTSTAT=NEEDS-ACTION:mailto:{mailgen.USER[1]}\n"
        "STATUS:CONFIRMED\nEND:VEVENT\nEND:VCALENDAR\n"
    )


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def only_application(world: World) -> int:
    apps = world.store.applications()
    assert len(apps) == 1, [(a.company, a.role) for a in apps]
    return apps[0].id


def test_a_time_a_hiring_manager_states_in_prose_is_the_interview(world: World) -> None:
    world.deliver(
        mail(
            sender="Rosa Lind <rosa.lind@tallowworks.com>",
            subject="Tallow Works - Platform Engineer",
            body="Hi Alex,\n\nGreat to hear back from you. I've put us down for a 30-minute video call next Tuesday "
            "at 11am Pacific, just you and me.\n\nRosa Lind\nHead of Platform, Tallow Works\n",
            sent="2026-03-05T09:00",
            message_id="rosa-1@tallowworks.com",
        )
    )
    world.scan("2026-03-05T10:00")
    app_id = only_application(world)
    [interview] = world.store.interviews(app_id)
    assert interview.start == datetime(2026, 3, 10, 11, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert interview.end - interview.start == timedelta(minutes=30)
    assert [p.email for p in interview.interviewers] == ["rosa.lind@tallowworks.com"]
    assert world.state(app_id, "2026-03-06T09:00") is AppState.SCHEDULED


def test_thanks_for_your_time_today_dates_an_interview_and_the_named_date_brings_the_follow_up(world: World) -> None:
    # Invited, but the time was settled on the phone: no message ever states it.
    world.deliver(
        mail(
            sender="Omar Haddad <omar@quillon.io>",
            subject="Quillon: next steps",
            body="Hi Alex,\n\nWe'd love to invite you to a conversation with the team. I'll call you to find a "
            "slot.\n\nOmar\nRecruiter, Quillon\n",
            sent="2026-03-02T09:00",
            message_id="omar-1@quillon.io",
        )
    )
    world.scan("2026-03-02T10:00")
    app_id = only_application(world)
    assert world.state(app_id, "2026-03-03T09:00") is AppState.SCHEDULED
    world.deliver(
        mail(
            sender="Omar Haddad <omar@quillon.io>",
            subject="Re: Quillon: next steps",
            body="Hi Alex,\n\nThanks so much for taking the time to meet the team this afternoon. We expect to "
            "make a decision by Friday, March 13.\n\nOmar\n",
            sent="2026-03-04T17:30",
            message_id="omar-2@quillon.io",
            in_reply_to="omar-1@quillon.io",
        )
    )
    world.scan("2026-03-05T08:00")
    assert world.state(app_id, "2026-03-05T08:00") is AppState.WAITING
    assert world.store.interviews(app_id), "the thanks date the interview"
    world.scan("2026-03-16T08:30")  # Monday after the named Friday
    drafts = [d for d in world.drafts() if "/follow_up_after_date/" in str(d[KEY_HEADER])]
    assert [str(d["To"]) for d in drafts] == ["Omar Haddad <omar@quillon.io>"]


def test_a_scheduling_tools_host_is_who_the_follow_up_goes_to(world: World) -> None:
    world.deliver(
        mail(
            sender="Calendly <notifications@calendly.com>",
            subject="Confirmed: Intro call with Mei Tanaka",
            body="Hi Alex Candidate,\n\nYour Intro call with Mei Tanaka is scheduled.\n\nEvent: Intro call - "
            "Analytics Engineer interview\nHost: Mei Tanaka (mei.tanaka@brambleway.com)\n10:00am - 10:30am, "
            "Monday, March 9, 2026 (Eastern Time - US & Canada)\n",
            sent="2026-03-03T12:00",
            message_id="booking-1@calendly.com",
            ics=ics(
                uid="cal-77@calendly.com",
                start="20260309T140000Z",
                end="20260309T143000Z",
                organizer=("Mei Tanaka", "mei.tanaka@brambleway.com"),
                summary="Intro call - interview",
            ),
        )
    )
    world.scan("2026-03-03T13:00")
    app_id = only_application(world)
    world.scan("2026-03-09T10:45")  # the thank-you to the host
    [thanks] = world.drafts()
    assert "mei.tanaka@brambleway.com" in str(thanks["To"])
    world.harness.send_draft(str(thanks[KEY_HEADER]).strip(), "sent-thanks@gmail.com", at("2026-03-09T11:00"))
    world.scan("2026-03-16T08:30")  # 5 business days after the interview
    follow = [d for d in world.drafts() if "/follow_up/" in str(d[KEY_HEADER])]
    assert [str(d["To"]) for d in follow] == ["Mei Tanaka <mei.tanaka@brambleway.com>"]
    assert world.state(app_id, "2026-03-16T08:30") is AppState.INTERVIEWED


def test_an_ats_rejection_in_a_new_thread_closes_the_application_of_the_company_it_names(world: World) -> None:
    world.deliver(
        mail(
            sender="Ines Varga <ines.varga@corvel.co>",
            subject="Corvel - Data Engineer interview",
            body="Hi Alex,\n\nConfirming your interview with me on Thursday, March 5 at 3:00 PM ET.\n\nInes\n",
            sent="2026-03-02T09:00",
            message_id="ines-1@corvel.co",
        )
    )
    world.scan("2026-03-02T10:00")
    app_id = only_application(world)
    world.deliver(
        mail(
            sender="Corvel Systems, Inc. Talent Team <no-reply@hire.lever.co>",
            subject="Your application to Corvel Systems",
            body="Hi Alex,\n\nThank you for your interest in Corvel Systems. After careful consideration we have "
            "decided to move forward with other candidates for the Data Engineer role.\n\nCorvel Systems Talent\n",
            sent="2026-03-10T14:00",
            message_id="lever-rej-1@hire.lever.co",
        )
    )
    world.scan("2026-03-13T08:30")  # past the 5 business days after the interview
    assert only_application(world) == app_id
    assert world.state(app_id, "2026-03-13T08:30") is AppState.REJECTED
    assert not [d for d in world.drafts() if "follow_up" in str(d[KEY_HEADER])]


def test_coaching_marketing_with_a_calendar_invitation_starts_no_application(world: World) -> None:
    world.deliver(
        mail(
            sender="LaunchPad Careers <events@launchpadcareers.com>",
            subject="You're in: free mock interview workshop, Thursday 6pm",
            body="Hi Alex,\n\nYour seat at our free mock interview workshop is confirmed for Thursday, March 12 "
            "at 6:00 PM ET. Practise behavioural questions with our coaches.\n\nThe LaunchPad team\n",
            sent="2026-03-05T09:00",
            message_id="lp-1@launchpadcareers.com",
            headers={"List-Unsubscribe": "<https://launchpadcareers.com/u/1>", "Precedence": "bulk"},
            ics=ics(
                uid="lp-ws-12@launchpadcareers.com",
                start="20260312T220000Z",
                end="20260312T230000Z",
                organizer=("LaunchPad", "events@launchpadcareers.com"),
                summary="Mock interview workshop",
            ),
        )
    )
    world.scan("2026-03-20T09:00")
    assert world.store.applications() == []
    assert world.drafts() == []


def test_a_german_invitation_with_its_time_in_words(world: World) -> None:
    world.deliver(
        mail(
            sender="Katrin Brandt <k.brandt@felsquell.de>",
            subject="Einladung zum Vorstellungsgespräch",
            body="Hallo Alex,\n\nvielen Dank für Ihre Bewerbung. Hiermit bestätige ich Ihr Vorstellungsgespräch am "
            "Dienstag, den 10. März 2026 um 14:30 Uhr (MEZ) per Teams.\n\nViele Grüße\nKatrin Brandt\n",
            sent="2026-03-02T09:00",
            message_id="kb-1@felsquell.de",
        ),
        FolderRole.INBOX,
    )
    world.scan("2026-03-02T10:00")
    app_id = only_application(world)
    [interview] = world.store.interviews(app_id)
    assert interview.start == datetime(2026, 3, 10, 14, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def test_an_ats_acknowledgement_starts_an_application_that_a_hiring_manager_then_joins(world: World) -> None:
    world.deliver(
        mail(
            sender="Larkspur Freight <no-reply@hire.lever.co>",
            subject="Thanks for applying to Larkspur Freight",
            body="Hi Alex,\n\nThank you for your interest in the Route Planning Analyst position at Larkspur Freight. "
            "We have received your application and will review it shortly.\n\nLarkspur Freight\n",
            sent="2026-03-02T09:00",
            message_id="lever-ack-9@hire.lever.co",
        )
    )
    world.scan("2026-03-02T10:00")
    app_id = only_application(world)
    assert world.state(app_id, "2026-03-03T09:00") is AppState.APPLIED
    assert world.drafts() == [], "an application before any interview has nothing due"
    # A new thread from a person at the company's own domain, which the application has never seen.
    world.deliver(
        mail(
            sender="Tove Brandt <tove.brandt@larkspurfreight.com>",
            subject="Route Planning Analyst - a first chat?",
            body="Hi Alex,\n\nI lead the planning team here. Would a 30-minute video call on Wednesday, March 11 "
            "at 1:30 PM Eastern suit you?\n\nTove\n",
            sent="2026-03-05T09:00",
            message_id="tove-1@larkspurfreight.com",
        )
    )
    world.scan("2026-03-05T10:00")
    assert only_application(world) == app_id
    [asked] = world.store.interviews(app_id)
    assert asked.tentative and asked.start == at("2026-03-11T13:30")
    assert world.state(app_id, "2026-03-06T09:00") is AppState.SCHEDULED


def test_a_later_time_replaces_the_one_the_employer_only_asked_about(world: World) -> None:
    world.deliver(
        mail(
            sender="Tove Brandt <tove.brandt@larkspurfreight.com>",
            subject="Route Planning Analyst interview",
            body="Hi Alex,\n\nCould you do an interview with me on Tuesday, March 10 at 10:00 AM ET?\n\nTove\n",
            sent="2026-03-04T09:00",
            message_id="tove-a@larkspurfreight.com",
        )
    )
    world.scan("2026-03-04T10:00")
    app_id = only_application(world)
    world.deliver(
        mail(
            sender="Tove Brandt <tove.brandt@larkspurfreight.com>",
            subject="Re: Route Planning Analyst interview",
            body="No problem, we're confirmed for Thursday, March 12 at 3:00 PM ET instead.\n\nTove\n",
            sent="2026-03-05T09:00",
            message_id="tove-b@larkspurfreight.com",
            in_reply_to="tove-a@larkspurfreight.com",
        )
    )
    world.scan("2026-03-05T10:00")
    live = [i for i in world.store.interviews(app_id) if not i.cancelled]
    assert [(i.start, i.tentative) for i in live] == [(at("2026-03-12T15:00"), False)]
    world.scan("2026-03-10T12:00")
    assert world.drafts() == [], "no thank-you for the slot that never happened"


def test_an_ats_invitation_that_names_a_known_company_only_in_its_text_joins_it(world: World) -> None:
    world.deliver(
        mail(
            sender="Workable <noreply@workable.com>",
            subject="Gracias por tu postulación",
            body="Hola Alex,\n\nGracias por tu postulación al puesto de Analista BI en Quillay. La revisaremos "
            "pronto.\n\nEl equipo de Quillay\n",
            sent="2026-03-02T09:00",
            message_id="wk-ack@workable.com",
        )
    )
    world.scan("2026-03-02T10:00")
    app_id = only_application(world)
    world.deliver(
        mail(
            sender="Workable <noreply@workable.com>",
            subject="Entrevista: Analista BI",
            body="Hola Alex,\n\nTu entrevista con Quillay quedó agendada. Te esperamos.\n",
            sent="2026-03-04T09:00",
            message_id="wk-inv@workable.com",
            ics=ics(
                uid="wk-77@workable.com",
                start="20260310T150000Z",
                end="20260310T160000Z",
                organizer=("Felipe Contreras", "felipe.contreras@quillay.cl"),
                summary="Entrevista: Analista BI",
            ),
        )
    )
    world.scan("2026-03-04T10:00")
    assert only_application(world) == app_id
    assert len(world.store.interviews(app_id)) == 1


def gcal_invite(*, sender: str, summary: str, start: str, end: str, sent: str, message_id: str) -> bytes:
    name, _, address = sender.partition(" <")
    return mail(
        sender=sender,
        subject=f"Invitation: {summary}",
        body=f"{summary}\n\nInvitation from Google Calendar\n",
        sent=sent,
        message_id=message_id,
        ics=ics(uid=f"{message_id}-uid", start=start, end=end, organizer=(name, address.rstrip(">")), summary=summary),
    )


def test_a_calendar_invitation_that_says_nothing_about_hiring_is_an_interview_only_from_a_known_contact(
    world: World,
) -> None:
    world.deliver(
        mail(
            sender="Kofi Mensah <kofi@summitridge.dev>",
            subject="Summit Ridge - next round",
            body="Hi Alex,\n\nWe'd like to invite you to a portfolio review with the design team. I'll send the "
            "calendar invitation shortly.\n\nKofi\n",
            sent="2026-04-13T09:00",
            message_id="kofi-1@summitridge.dev",
        )
    )
    world.deliver(
        gcal_invite(
            sender="Kofi Mensah <kofi@summitridge.dev>",
            summary="Portfolio review - Alex",
            start="20260421T200000Z",
            end="20260421T210000Z",
            sent="2026-04-14T09:00",
            message_id="gcal-portfolio@google.com",
        )
    )
    world.deliver(
        gcal_invite(
            sender="Back Bay Dental <frontdesk@backbaydental.com>",
            summary="Cleaning + checkup",
            start="20260424T123000Z",
            end="20260424T133000Z",
            sent="2026-04-14T10:00",
            message_id="gcal-dentist@google.com",
        )
    )
    world.scan("2026-04-14T12:00")
    app_id = only_application(world)
    assert [i.start for i in world.store.interviews(app_id)] == [at("2026-04-21T16:00")]


def test_an_acknowledgement_for_a_second_role_at_a_known_company_is_its_own_application(world: World) -> None:
    for n, role in enumerate(("Senior UX Designer", "Design Systems Lead")):
        world.deliver(
            mail(
                sender="Blue Heron Games <no-reply@smartrecruiters.com>",
                subject=f"Thank you for applying: {role}",
                body=f"Hi Alex,\n\nThank you for applying for the position of {role} at Blue Heron Games. We "
                "have received your application.\n\nBlue Heron Games\n",
                sent=f"2026-04-0{n + 1}T09:00",
                message_id=f"sr-ack-{n}@smartrecruiters.com",
            )
        )
    world.scan("2026-04-03T09:00")
    apps = world.store.applications()
    assert sorted(a.role for a in apps) == ["Design Systems Lead", "Senior UX Designer"]


def test_a_short_note_asking_about_one_time_is_an_interview_only_from_a_known_employer(world: World) -> None:
    world.deliver(
        mail(
            sender="Lakeshore Media <no-reply@hire.lever.co>",
            subject="Thanks for applying to Lakeshore Media",
            body="Hi Alex,\n\nThank you for your application for the Analytics Manager role at Lakeshore Media. We "
            "have received it.\n\nLakeshore Media\n",
            sent="2026-09-01T09:00",
            message_id="lever-ack-lake@hire.lever.co",
        )
    )
    note = "Alex - Greg here. Can you come by the office Friday at 9:30? Ask for me at reception.\n\nGreg\n"
    world.deliver(
        mail(
            sender="Greg Tanaka <greg.tanaka@lakeshoremedia.com>",
            subject="Analytics Manager",
            body=note,
            sent="2026-09-09T17:00",
            message_id="greg-1@lakeshoremedia.com",
        )
    )
    # The same words from a stranger's company: no application, no interview.
    world.deliver(
        mail(
            sender="Sam Ortiz <sam@northgate-builders.com>",
            subject="Site visit",
            body="Alex - can you come by the office Friday at 9:30? Bring the drawings.\n\nSam\n",
            sent="2026-09-09T18:00",
            message_id="sam-1@northgate-builders.com",
        )
    )
    world.scan("2026-09-09T19:00")
    app_id = only_application(world)
    assert [i.start for i in world.store.interviews(app_id)] == [at("2026-09-11T09:30")]


def test_an_interviewers_out_of_office_to_the_users_thank_you_joins_the_application(world: World) -> None:
    world.deliver(
        mail(
            sender="Ines Varga <ines.varga@corvel.co>",
            subject="Corvel - Data Engineer interview",
            body="Hi Alex,\n\nConfirming your interview with me on Thursday, March 5 at 3:00 PM ET.\n\nInes\n",
            sent="2026-03-02T09:00",
            message_id="ines-1@corvel.co",
        )
    )
    world.deliver(
        mail(
            sender=f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
            to="Ines Varga <ines.varga@corvel.co>, Piet Smit <piet.smit@corvel.co>",
            subject="Thank you",
            body="Hi Ines and Piet,\n\nThank you for the conversation today.\n\nAlex\n",
            sent="2026-03-05T17:00",
            message_id="alex-thanks@gmail.com",
        ),
        FolderRole.SENT,
    )
    world.deliver(
        mail(
            sender="Piet Smit <piet.smit@corvel.co>",
            subject="Automatic reply: Thank you",
            body="I am out of the office until March 16 with limited access to email.\n",
            sent="2026-03-05T17:01",
            message_id="piet-ooo@corvel.co",
            in_reply_to="alex-thanks@gmail.com",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    world.scan("2026-03-06T09:00")  # the inbox is read before Sent: the reply joins once its thread is known
    app_id = only_application(world)
    kinds = {e.message_id: e.kind.value for e in world.store.events(app_id)}
    assert kinds.get("piet-ooo@corvel.co") == "auto_reply"
    assert world.state(app_id, "2026-03-06T09:00") is AppState.INTERVIEWED, "an out-of-office is no answer"


def test_a_confirmed_appointment_with_no_word_about_a_job_starts_no_application(world: World) -> None:
    for n, (sender, subject, body) in enumerate(
        [
            (
                "Harbour Physio <bookings@harbourphysio.com>",
                "Your appointment is confirmed",
                "Hi Alex,\n\nYour session with Dr. Mills is confirmed for Thursday, March 12 at 4:30 PM.\n"
                "Reply YES to confirm or call us to move it.\n",
            ),
            (
                "Praxis Dr. Weber <termine@praxis-weber.de>",
                "Terminbestätigung",
                "Guten Tag,\n\nhiermit bestätigen wir Ihren Termin am Donnerstag, 12. März um 16:30 Uhr.\n",
            ),
        ]
    ):
        world.deliver(mail(sender=sender, subject=subject, body=body, sent="2026-03-05T09:00", message_id=f"a{n}@x"))
    world.scan("2026-03-05T10:00")
    assert world.store.applications() == []


def test_an_agency_that_names_its_client_later_gives_the_application_the_clients_name(world: World) -> None:
    world.deliver(
        mail(
            sender="Dana Pryce <dana.pryce@keystonesearch.com>",
            subject="Head of Data opportunity",
            body="Hi Alex,\n\nThanks for sending your CV. My client is a logistics scale-up in Boston and I'd love "
            "to set up an interview with their CTO. Are you free on Tuesday, March 10 at 2pm ET?\n\nDana Pryce\n"
            "Keystone Search Partners\n",
            sent="2026-03-05T09:00",
            message_id="dana-1@keystonesearch.com",
        )
    )
    world.deliver(
        mail(
            sender="Dana Pryce <dana.pryce@keystonesearch.com>",
            subject="Re: Head of Data opportunity",
            body="Hi Alex,\n\nGreat news: they said yes, and I can now tell you that the company is Ferrowave. Your "
            "interview with their CTO stands for Tuesday, March 10 at 2pm ET.\n\nDana\n",
            sent="2026-03-06T09:00",
            message_id="dana-2@keystonesearch.com",
            in_reply_to="dana-1@keystonesearch.com",
        )
    )
    world.deliver(
        gcal_invite(
            sender="Omar Reyes <omar.reyes@ferrowave.com>",
            summary="Alex / Omar",
            start="20260310T180000Z",
            end="20260310T184500Z",
            sent="2026-03-06T12:00",
            message_id="omar-invite@ferrowave.com",
        )
    )
    world.scan("2026-03-06T13:00")
    app_id = only_application(world)
    assert world.store.application(app_id).company == "Ferrowave"
    starts = {i.start for i in world.store.interviews(app_id)}  # the client's own invitation joined it
    assert starts == {datetime(2026, 3, 10, 18, 0, tzinfo=ZoneInfo("UTC"))}
    assert "ferrowave.com" in world.store.history(app_id).application.domains


def test_a_webinar_registration_sent_through_a_meeting_tool_starts_no_application(world: World) -> None:
    world.deliver(
        mail(
            sender="Northstar Academy <no-reply@zoom.us>",
            subject="Confirmation: Northstar Live - Behavioural Interviews Decoded",
            body="Hi Alex,\n\nThank you for registering for Northstar Live: Behavioural Interviews Decoded.\n\n"
            "When: Thursday, March 12, 2026 6:00 PM ET\nA panel of recruiters answers your questions live.\n",
            sent="2026-03-05T09:00",
            message_id="zoom-reg-1@zoom.us",
            headers={"List-Unsubscribe": "<https://zoom.us/unsub/1>"},
            ics=ics(
                uid="zoom-webinar-1@zoom.us",
                start="20260312T220000Z",
                end="20260312T230000Z",
                organizer=("Northstar Academy", "events@northstar-academy.com"),
                summary="Northstar Live - Behavioural Interviews Decoded",
            ),
        )
    )
    world.scan("2026-03-20T09:00")
    assert world.store.applications() == []


def test_the_users_follow_up_to_the_companys_careers_address_joins_the_ats_application(world: World) -> None:
    world.deliver(
        mail(
            sender="Pellucid Foods Ltd <no-reply@personio.de>",
            subject="Your application as Category Manager",
            body="Dear Alex,\n\nThank you for your application as Category Manager. We have received your documents."
            "\n\nYour Pellucid Foods Recruiting Team\n",
            sent="2026-03-02T09:00",
            message_id="personio-ack-1@personio.de",
        )
    )
    world.deliver(
        mail(
            sender=f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
            to="careers@pellucidfoods.co.uk",
            subject="Category Manager application",
            body="Hello,\n\nI applied for the Category Manager role on 2 March and wanted to ask whether there is an "
            "update on the timeline.\n\nKind regards,\nAlex\n",
            sent="2026-03-16T09:00",
            message_id="alex-fu-1@gmail.com",
        ),
        FolderRole.SENT,
    )
    # The company's autoresponder answers in the follow-up's thread; the inbox is read before Sent.
    world.deliver(
        mail(
            sender="Pellucid Careers <careers@pellucidfoods.co.uk>",
            subject="Re: Category Manager application",
            body="Thanks for getting in touch. This inbox is checked once a week.\n",
            sent="2026-03-16T09:01",
            message_id="pellucid-auto-1@pellucidfoods.co.uk",
            in_reply_to="alex-fu-1@gmail.com",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    world.scan("2026-03-17T09:00")
    app_id = only_application(world)
    assert world.state(app_id, "2026-03-17T09:00") is AppState.FOLLOWED_UP
    events = {e.message_id for e in world.store.history(app_id).events}
    assert {"alex-fu-1@gmail.com", "pellucid-auto-1@pellucidfoods.co.uk"} <= events


def test_an_agency_known_by_its_signature_names_the_client_and_the_interviewer_is_no_company(world: World) -> None:
    footer = "\n\nPriya Nair\nSenior Consultant\nMillbrook Recruitment Ltd | Leeds\n"
    world.deliver(
        mail(
            sender="Priya Nair <priya.nair@millbrook.co.uk>",
            subject="Operations Manager - confidential",
            body="Hi Alex,\n\nAs discussed, my client is a national logistics firm; shall I put your CV forward?"
            + footer,
            sent="2026-03-02T09:00",
            message_id="priya-1@millbrook.co.uk",
        )
    )
    world.deliver(
        mail(
            sender="Priya Nair <priya.nair@millbrook.co.uk>",
            subject="Re: Operations Manager - confidential",
            body="Hi Alex,\n\nThey loved your CV and I can now tell you it's Quaystone Freight. They'd like an "
            "interview with Tom Reyes, their Head of Operations, on Tuesday, March 10 at 10am ET." + footer,
            sent="2026-03-04T09:00",
            message_id="priya-2@millbrook.co.uk",
            in_reply_to="priya-1@millbrook.co.uk",
        )
    )
    world.scan("2026-03-04T10:00")
    app_id = only_application(world)
    assert world.store.application(app_id).company == "Quaystone Freight"


def test_one_recruiter_for_two_roles_at_one_company_keeps_each_roles_mail_with_its_application(world: World) -> None:
    for n, role in enumerate(("Data Analyst", "BI Developer")):
        world.deliver(
            mail(
                sender="Orla Tech <no-reply@hire.lever.co>",
                subject=f"Thank you for your application to Orla Tech - {role}",
                body=f"Hi Alex,\n\nThanks for applying for {role}. We have received your application.\n\nOrla Tech\n",
                sent=f"2026-03-0{n + 2}T09:00",
                message_id=f"lever-ack-{n}@hire.lever.co",
            )
        )
    world.deliver(
        mail(
            sender="Noor Haddad <noor.haddad@orlatech.com>",
            subject="Data Analyst - next steps",
            body="Hi Alex,\n\nThanks for applying for Data Analyst. Could we talk on Tuesday, March 10 at 11am ET?"
            "\n\nNoor\nTalent Partner, Orla Tech\n",
            sent="2026-03-05T09:00",
            message_id="noor-1@orlatech.com",
        )
    )
    world.deliver(
        mail(
            sender="Orla Tech <no-reply@hire.lever.co>",
            subject="Orla Tech: please share your availability for an interview",
            body="Hi Alex,\n\nOrla Tech would like to schedule an interview for the BI Developer role. Please share "
            "your availability.\n\nNoor Haddad\n",
            sent="2026-03-06T09:00",
            message_id="lever-avail-1@hire.lever.co",
            headers={"Reply-To": "Noor Haddad <noor.haddad@orlatech.com>"},
        )
    )
    world.scan("2026-03-06T10:00")
    apps = {a.role: a.id for a in world.store.applications()}
    assert set(apps) == {"Data Analyst", "BI Developer"}
    bi_events = {e.message_id for e in world.store.history(apps["BI Developer"]).events}
    assert "lever-avail-1@hire.lever.co" in bi_events


def test_a_booking_sent_by_a_scheduling_tool_joins_the_application_of_its_host(world: World) -> None:
    world.deliver(
        mail(
            sender="Jana Roth <jana.roth@kaiwerk.io>",
            subject="Kennenlernen Kaiwerk",
            body="Hi Alex,\n\nich kümmere mich bei Kaiwerk ums Recruiting. Such dir einen Slot aus: "
            "https://cal.com/jana-kaiwerk/intro\n\nJana\n",
            sent="2026-03-05T09:00",
            message_id="jana-1@kaiwerk.io",
        )
    )
    world.deliver(
        mail(
            sender='"Cal.com" <hello@cal.com>',
            subject="Bestätigt: Kennenlernen zwischen Jana Roth und Alex Rivera",
            body="Dein Termin wurde gebucht.\n",
            sent="2026-03-05T10:00",
            message_id="calcom-1@cal.com",
            ics=ics(
                uid="calcom-booking-1",
                start="20260310T090000Z",
                end="20260310T093000Z",
                organizer=("Jana Roth", "jana.roth@kaiwerk.io"),
                summary="Kennenlernen zwischen Jana Roth und Alex Rivera",
            ),
        )
    )
    world.scan("2026-03-05T11:00")
    app_id = only_application(world)
    assert [i.start for i in world.store.interviews(app_id)] == [datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("UTC"))]


def test_a_persons_note_read_before_their_application_existed_joins_it_later(world: World) -> None:
    world.deliver(
        mail(
            sender="Marco Diaz <marco@pinewood.studio>",
            subject="coffee?",
            body="Hey Alex - Marco here. Loved your talk last week. Want to grab a coffee on Friday at 9:30?\n",
            sent="2026-03-02T09:00",
            message_id="marco-1@pinewood.studio",
        )
    )
    world.deliver(
        mail(
            sender="Calendly <notifications@calendly.com>",
            subject="New Event: Alex Rivera - 30 Minute Interview",
            body="A new event has been scheduled: 30 Minute Interview with Marco Diaz.\n",
            sent="2026-03-04T09:00",
            message_id="calendly-marco-1@calendly.com",
            ics=ics(
                uid="calendly-marco-1",
                start="20260310T150000Z",
                end="20260310T153000Z",
                organizer=("Marco Diaz", "marco@pinewood.studio"),
                summary="30 Minute Interview between Marco Diaz and Alex Rivera",
            ),
        )
    )
    world.scan("2026-03-04T10:00")
    app_id = only_application(world)
    assert "marco-1@pinewood.studio" in {e.message_id for e in world.store.history(app_id).events}


def test_a_person_at_a_domain_no_application_knows_joins_the_known_company_their_mail_names(world: World) -> None:
    world.deliver(
        mail(
            sender="KIELWASSER über JOIN <no-reply@join.com>",
            subject="Deine Bewerbung bei KIELWASSER ist eingegangen",
            body="Hi Alex,\n\nwir haben deine Bewerbung für die Position Senior Backend Engineer gut erhalten!\n\n"
            "Dein JOIN-Team im Auftrag von KIELWASSER\n",
            sent="2026-02-10T09:00",
            message_id="join-ack-1@join.com",
        )
    )
    world.scan("2026-02-10T10:00")
    app_id = only_application(world)
    assert world.store.application(app_id).company == "KIELWASSER"
    # The company's mail comes from its legal entity's domain, which nothing has used yet.
    world.deliver(
        mail(
            sender="Anna Lüders <anna.lueders@kw-logistik.example>",
            subject="KIELWASSER – Einladung zum Kennenlernen",
            body="Hallo Alex,\n\nich kümmere mich bei KIELWASSER ums Tech-Recruiting. Hast du Lust auf ein erstes "
            "Gespräch? Mittwoch, der 25.02., um 9:30 Uhr per Google Meet, ca. 45 Minuten.\n\nAnna Lüders\n"
            "Kielwasser Logistik SE · Am Sandtorkai 50 · Hamburg\n",
            sent="2026-02-16T09:00",
            message_id="anna-1@kw-logistik.example",
        )
    )
    world.scan("2026-02-16T10:00")
    assert only_application(world) == app_id
    assert [i.start for i in world.store.interviews(app_id)] == [at("2026-02-25T09:30")]


def test_a_reply_that_moves_only_the_time_moves_the_interview_and_its_thank_you(world: World) -> None:
    world.deliver(
        mail(
            sender="Priya Menon <priya.menon@tridentdigital.example>",
            subject="Trident | Second interview",
            body="Hi Alex,\n\nCongratulations on clearing the first round! Your second interview is confirmed for "
            "Wednesday, March 11 at 10:00 AM ET with Deepa Raghavan (deepa.raghavan@tridentdigital.example), for an "
            "hour.\n\nPriya\n",
            sent="2026-03-05T09:00",
            message_id="priya-1@tridentdigital.example",
        )
    )
    world.scan("2026-03-05T10:00")
    app_id = only_application(world)
    world.deliver(
        mail(
            sender="Priya Menon <priya.menon@tridentdigital.example>",
            subject="RE: Trident | Second interview",
            body="Hi Alex,\n\nDeepa has a clash at 10 - could we push it to 2:30 instead? Same day, same link.\n\n"
            "Priya\n",
            sent="2026-03-06T09:00",
            message_id="priya-2@tridentdigital.example",
            in_reply_to="priya-1@tridentdigital.example",
        )
    )
    world.scan("2026-03-06T10:00")
    [interview] = world.store.interviews(app_id)
    assert not interview.cancelled
    assert (interview.start, interview.end) == (at("2026-03-11T14:30"), at("2026-03-11T15:30"))
    # The thank-you falls due after the new time, not the old one.
    world.scan("2026-03-11T13:00")
    assert world.drafts() == []
    world.scan("2026-03-11T17:00")
    assert [str(d["To"]) for d in world.drafts() if "/thank_you/" in str(d[KEY_HEADER])] == [
        "Deepa Raghavan <deepa.raghavan@tridentdigital.example>"
    ], [(d["To"], d[KEY_HEADER]) for d in world.drafts()]


def test_a_moved_time_with_nothing_to_move_moves_nothing(world: World) -> None:
    world.deliver(
        mail(
            sender="Priya Menon <priya.menon@tridentdigital.example>",
            subject="Trident | a first chat",
            body="Hi Alex,\n\nWe would like to invite you to a first interview with our team. I will send times "
            "shortly.\n\nPriya\n",
            sent="2026-03-05T09:00",
            message_id="priya-a@tridentdigital.example",
        )
    )
    world.scan("2026-03-05T10:00")
    app_id = only_application(world)
    world.deliver(
        mail(
            sender="Priya Menon <priya.menon@tridentdigital.example>",
            subject="RE: Trident | a first chat",
            body="Hi Alex,\n\nSorry, can we do 11:00 instead? Same day.\n\nPriya\n",
            sent="2026-03-06T09:00",
            message_id="priya-b@tridentdigital.example",
            in_reply_to="priya-a@tridentdigital.example",
        )
    )
    world.scan("2026-03-06T10:00")
    assert only_application(world) == app_id
    assert world.store.interviews(app_id) == []


def test_the_users_withdrawal_before_the_interview_means_no_thank_you_and_no_follow_up(world: World) -> None:
    world.deliver(
        mail(
            sender="Niamh Walsh <niamh.walsh@harbourline.example>",
            subject="Harbourline - screening call",
            body="Hi Alex,\n\nYour screening call with me is confirmed for Tuesday, March 10 at 12:00 PM ET, for "
            "30 minutes.\n\nNiamh\n",
            sent="2026-03-04T09:00",
            message_id="niamh-1@harbourline.example",
        )
    )
    world.scan("2026-03-04T10:00")
    app_id = only_application(world)
    world.deliver(
        mail(
            sender=f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
            to="Niamh Walsh <niamh.walsh@harbourline.example>",
            subject="Re: Harbourline - screening call",
            body="Hi Niamh,\n\nFive days a week on site won't work for me, so I'd like to withdraw my application. "
            "Sorry not to have spotted it sooner.\n\nAlex\n",
            sent="2026-03-06T09:00",
            message_id="alex-withdraw@example.com",
            in_reply_to="niamh-1@harbourline.example",
        ),
        FolderRole.SENT,
    )
    world.scan("2026-03-06T10:00")
    assert world.state(app_id, "2026-03-06T10:00") is AppState.WITHDRAWN
    world.scan("2026-03-10T13:00")  # after the slot: no thank-you
    world.scan("2026-03-18T09:00")  # five business days on: no follow-up
    assert world.drafts() == []
    assert world.state(app_id, "2026-03-18T09:00") is AppState.WITHDRAWN


def test_an_application_the_user_emails_to_the_employer_starts_one_that_their_answer_joins(world: World) -> None:
    world.deliver(
        mail(
            sender=f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
            to="dr.okafor@prairiecompounding.example",
            subject="Staff Pharmacist position",
            body="Dear Dr. Okafor,\n\nI saw your posting for a staff pharmacist and would like to be considered. "
            "My resume is attached.\n\nAlex\n",
            sent="2026-04-06T10:00",
            message_id="alex-apply@example.com",
        ),
        FolderRole.SENT,
    )
    world.deliver(
        mail(
            sender="Ngozi Okafor <nokafor@prairiecompounding.example>",
            subject="Re: Staff Pharmacist position",
            body="Alex,\n\nSorry for the slow reply. Your background looks good. Do you have any sterile experience?"
            "\n\nNgozi\n",
            sent="2026-04-24T10:40",
            message_id="ngozi-1@prairiecompounding.example",
            in_reply_to="alex-apply@example.com",
        )
    )
    world.scan("2026-04-24T12:00")  # the inbox is read before Sent: the answer joins once the application exists
    app_id = only_application(world)
    assert world.state(app_id, "2026-04-24T12:00") is AppState.RESPONDED
    assert world.drafts() == []


def test_a_letter_to_a_friend_about_applying_starts_nothing(world: World) -> None:
    world.deliver(
        mail(
            sender=f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
            to="Sam <sam.friend@gmail.com>",
            subject="CV check",
            body="Hi Sam,\n\nI would like to apply for that job at your company; my resume is attached, any "
            "thoughts?\n\nAlex\n",
            sent="2026-04-06T10:00",
            message_id="alex-friend@example.com",
        ),
        FolderRole.SENT,
    )
    world.scan("2026-04-06T12:00")
    assert world.store.applications() == []


def test_a_bounce_without_the_original_message_id_joins_by_the_address_that_failed(world: World) -> None:
    world.deliver(
        mail(
            sender="Greg Tanaka <greg.tanaka@lakeshoremediagroup.example>",
            subject="Lakeshore - phone screen",
            body="Hi Alex,\n\nConfirming our phone screen on Friday, March 6 at 9:30 AM ET.\n\nGreg\n",
            sent="2026-03-02T09:00",
            message_id="greg-1@lakeshoremediagroup.example",
        )
    )
    world.deliver(
        mail(
            sender=f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
            to="Greg Tanaka <greg.tanaka@lakeshoremedia.example>",  # a typo in the domain
            subject="Thank you for this morning",
            body="Hi Greg,\n\nThank you for meeting with me this morning.\n\nAlex\n",
            sent="2026-03-06T12:15",
            message_id="alex-thanks-typo@example.com",
        ),
        FolderRole.SENT,
    )
    world.scan("2026-03-06T12:20")
    app_id = only_application(world)
    bounce = (
        b"From: Mail Delivery System <MAILER-DAEMON@mail.example.net>\r\nTo: " + mailgen.USER[1].encode() + b"\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nDate: Fri, 06 Mar 2026 12:16:00 -0500\r\n"
        b"Message-ID: <bounce-1@mail.example.net>\r\nContent-Type: text/plain\r\n\r\n"
        b"I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
        b"<greg.tanaka@lakeshoremedia.example>: Host or domain name not found\r\n\r\n"
        b"------ Original message headers ------\r\nSubject: Thank you for this morning\r\n"
    )
    world.deliver(bounce)
    world.scan("2026-03-06T13:00")
    kinds = {e.message_id: e.kind.value for e in world.store.events(app_id)}
    assert kinds.get("bounce-1@mail.example.net") == "bounce"


def test_a_bounce_read_in_the_same_first_scan_as_the_mail_it_returns_joins_too(world: World) -> None:
    # A first scan reads the inbox (with the bounce) before Sent (with the mail that bounced).
    world.deliver(
        mail(
            sender=f"{mailgen.USER[0]} <{mailgen.USER[1]}>",
            to="RRHH <rrhh@editorial-cobalto.example>",
            subject="Candidatura - Responsable de Marketing",
            body="Hola,\n\nAdjunto mi CV para la oferta de Responsable de Marketing.\n\nAlex\n",
            sent="2026-03-02T09:00",
            message_id="alex-apply@example.com",
        ),
        FolderRole.SENT,
    )
    world.deliver(
        b"From: Mail Delivery System <MAILER-DAEMON@mail.example.net>\r\nTo: " + mailgen.USER[1].encode() + b"\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nDate: Mon, 02 Mar 2026 09:01:00 -0500\r\n"
        b"Message-ID: <bounce-2@mail.example.net>\r\nContent-Type: text/plain\r\n\r\n"
        b"Your message could not be delivered.\r\n\r\n<rrhh@editorial-cobalto.example>: User unknown\r\n"
    )
    world.scan("2026-03-02T10:00")
    app_id = only_application(world)
    assert "bounce-2@mail.example.net" in {e.message_id for e in world.store.events(app_id)}


def test_a_town_halls_appointment_robot_at_the_employers_own_domain_adds_no_interview(world: World) -> None:
    world.deliver(
        mail(
            sender="Jana Krause <jana.krause@leipzig.example>",
            subject="Ihre Bewerbung als Sachbearbeiterin – Einladung zum Vorstellungsgespräch",
            body="Sehr geehrte Frau Schubert,\n\nwir laden Sie zu einem Vorstellungsgespräch am Dienstag, 10.03.2026 "
            "um 10:00 Uhr ein.\n\nJana Krause\nPersonalamt\n",
            sent="2026-02-20T09:00",
            message_id="krause-1@leipzig.example",
        )
    )
    world.scan("2026-02-20T10:00")
    app_id = only_application(world)
    world.deliver(
        mail(
            sender="Stadt Leipzig – Terminvergabe <noreply-terminvergabe@leipzig.example>",
            subject="Terminbestätigung Bürgeramt – Vorgangsnummer 2602-88314",
            body="hiermit bestätigen wir Ihren Termin:\n\nDienstleistung: Personalausweis beantragen\nDatum: "
            "Dienstag, 24.02.2026\nUhrzeit: 08:15 Uhr\n",
            sent="2026-02-21T09:00",
            message_id="termin-1@leipzig.example",
        )
    )
    world.scan("2026-02-21T10:00")
    assert [i.message_id for i in world.store.interviews(app_id)] == ["krause-1@leipzig.example"]


def test_a_public_employment_services_appointment_starts_no_application(world: World) -> None:
    world.deliver(
        mail(
            sender="Bundesagentur für Arbeit <noreply@arbeitsagentur.de>",
            subject="Neue Nachricht in Ihrem Postfach: Einladung zu einem Beratungsgespräch",
            body="Guten Tag,\n\nBetreff: Einladung – Gespräch über Ihre berufliche Situation\nTermin: Donnerstag, "
            "05.03.2026, 09:00 Uhr\n\nBitte bringen Sie Ihre aktuellen Bewerbungsunterlagen mit.\n",
            sent="2026-02-18T06:15",
            message_id="ba-1@arbeitsagentur.de",
        )
    )
    world.scan("2026-02-18T08:00")
    assert world.store.applications() == []
