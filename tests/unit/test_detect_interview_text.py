"""agent/detect/interview_text.py: interview times, schedules and interviewers written in prose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from agent.detect.context import DetectContext
from agent.detect.interview_text import find_interviewers, find_times, schedule_end
from agent.models import Address

NY = ZoneInfo("America/New_York")
CTX = DetectContext(frozenset({"alex.rivera@gmail.com"}), NY)
SENT = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "start_utc", "minutes"),
    [
        ("Your interview is confirmed for Tuesday, March 10, 2026 at 2:00 PM EST.", datetime(2026, 3, 10, 18, 0), None),
        ("Date: March 10, 2026\nTime: 2:00 PM - 3:00 PM (PT)\nLocation: Zoom", datetime(2026, 3, 10, 21, 0), 60),
        ("See you on 10 March 2026 at 14:00 CET for a 45-minute conversation.", datetime(2026, 3, 10, 13, 0), 45),
        ("Confirmed: 3/10 at 2pm ET, 30 minutes.", datetime(2026, 3, 10, 18, 0), 30),
        (
            "When: Tuesday, March 10, 2026 2:00 PM-3:00 PM. (UTC-05:00) Eastern Time (US & Canada)",
            datetime(2026, 3, 10, 18, 0),
            60,
        ),
        (
            "Event Date/Time:\n10:00am - 10:30am (Eastern Time - US & Canada), Friday, March 13, 2026",
            datetime(2026, 3, 13, 14, 0),
            30,
        ),
        ("Time: Mar 10, 2026 02:00 PM Eastern Time (US and Canada)", datetime(2026, 3, 10, 18, 0), None),
        ("Interview on 2026-03-10 14:30 (GMT+01:00)", datetime(2026, 3, 10, 13, 30), None),
        ("Tuesday, March 10th from 11 to 12pm PST", datetime(2026, 3, 10, 18, 0), 60),
        ("Wed 3/11, 9:30-10:15am CT", datetime(2026, 3, 11, 14, 30), 45),
        ("Your call is on Monday the 9th of March at 9am (IST)", datetime(2026, 3, 9, 3, 30), None),
        ("Lunch chat with the team on Tuesday, March 10 at noon ET", datetime(2026, 3, 10, 16, 0), None),
        # A weekday with only its day number, as German, French and Spanish write it.
        ("¿Te viene bien el lunes 16 a las 11:30?", datetime(2026, 3, 16, 15, 30), None),
        ("Seriez-vous disponible jeudi 12 à 14h ?", datetime(2026, 3, 12, 18, 0), None),
        # A schedule table under the date, its zone in the header.
        (
            "Here is your schedule for Thursday, March 12:\n\nTime (PT) Session Interviewer\n"
            "9:00 – 9:45 Architecture Aiko Tanaka\n9:50 – 10:35 Coding Sam Whitfield\n",
            datetime(2026, 3, 12, 16, 0),
            45,
        ),
    ],
)
def test_times(text: str, start_utc: datetime, minutes: int | None) -> None:
    found = find_times(text, SENT, CTX)
    assert found, text
    assert found[0].start.astimezone(UTC) == start_utc.replace(tzinfo=UTC)
    if minutes is None:
        assert found[0].end is None
    else:
        assert found[0].end is not None and found[0].end - found[0].start == timedelta(minutes=minutes)


def test_no_zone_means_user_zone_and_yearless_date_is_next_occurrence() -> None:
    found = find_times("See you March 2 at 10am", SENT, CTX)
    # March 2 is before the message (March 4): the next occurrence is in 2027... which is too far to be
    # meant; such a date is dropped rather than guessed.
    assert found == []
    found = find_times("See you March 9 at 10am", SENT, CTX)
    assert found[0].start == datetime(2026, 3, 9, 10, 0, tzinfo=NY)
    assert not found[0].zone_named


def test_tomorrow_and_bare_weekday_need_a_close_time() -> None:
    assert find_times("see you tomorrow at 11am!", SENT, CTX)[0].start == datetime(2026, 3, 5, 11, 0, tzinfo=NY)
    assert find_times("Thursday works. Unrelated: our office opens at 9am.", SENT, CTX) == []


def test_numbers_that_are_not_times() -> None:
    assert find_times("The salary is $120,000 and the role starts March 30. We are at 2 offices.", SENT, CTX) == []


def test_day_first_setting() -> None:
    ctx = DetectContext(frozenset(), ZoneInfo("Europe/Berlin"), day_first=True)
    found = find_times("Interview: 10/03/2026 at 14:00", SENT, ctx)
    assert found[0].start == datetime(2026, 3, 10, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_interviewers_label_with_addresses_and_bare_names() -> None:
    addrs, names = find_interviewers("Interviewer(s): Jane Doe <JANE@acme.com>, John Smith")
    assert addrs == (Address("Jane Doe", "jane@acme.com"),)
    assert names == ("John Smith",)


def test_meeting_with_sentence_strips_titles() -> None:
    _, names = find_interviewers("You'll be meeting with Jane Doe (Engineering Manager) and John Smith.")
    assert names == ("Jane Doe", "John Smith")
    _, names = find_interviewers("You will be speaking with our Engineering Manager, Priya Patel, and Dr. Tom O'Neil.")
    assert names == ("Priya Patel", "Tom O'Neil")


def test_panel_list_on_following_lines_and_known_addresses() -> None:
    known = (Address("Bob Lee", "bob.lee@acme.com"),)
    addrs, names = find_interviewers(
        "Panel:\n- Jane Doe, Staff Engineer\n- Bob Lee, Product Manager\n\nLocation: Zoom", known
    )
    assert addrs == known
    assert names == ("Jane Doe",)


def test_no_people_in_generic_phrases_and_user_excluded() -> None:
    assert find_interviewers("You'll be meeting with the team.") == ((), ())
    assert find_interviewers("Interviewers: Alex Rivera, Sam Lee", exclude=frozenset({"alex rivera"})) == (
        (),
        ("Sam Lee",),
    )


def test_an_interview_day_schedule_ends_with_its_last_slot() -> None:
    ctx = DetectContext(user_addresses=frozenset({"me@example.com"}), zone=ZoneInfo("America/New_York"))
    text = (
        "Your onsite is confirmed for Thursday, March 19 (all times ET):\n\n"
        "9:30 am - 10:15 am Coding with Jane Doe\n10:15 am - 11:00 am Design with Raj Patel\n"
        "11:15 am - 12:00 pm Lunch with the team\n12:00 pm - 12:45 pm Hiring manager\n\nSee you then!"
    )
    [first, *_] = find_times(text, datetime(2026, 3, 13, 15, tzinfo=UTC), ctx)
    end = schedule_end(text, first)
    assert end is not None and (end.hour, end.minute) == (12, 45)
    single = "Confirming your call on Thursday, March 19 at 10:00-10:30 am ET."
    [only] = find_times(single, datetime(2026, 3, 13, 15, tzinfo=UTC), ctx)
    assert schedule_end(single, only) in (None, only.end)


@pytest.mark.parametrize(
    "text",
    [
        "Hi Alex,\n\nYour interview is confirmed for Tuesday, March 10 at 10:00 AM ET (45 minutes).\n\n"
        "Best,\nPriya Shah\nTalent Partner, Acme\n9:00 - 17:00 ET, Mon-Fri\n+1 555 0100\n",
        "Your phone screen is confirmed for Tuesday, March 10 at 10:00 AM.\n\nBest,\nPriya\n--\nOffice hours:\n"
        "09:00-18:00 Monday to Friday\n",
        "Your interview is confirmed for Tuesday, March 10 at 9:00 AM.\nOur front desk is open\n- 9:00-17:30\n",
    ],
)
def test_schedule_end_ignores_office_hours_in_a_signature(text: str) -> None:
    ctx = DetectContext(user_addresses=frozenset({"me@example.com"}), zone=ZoneInfo("America/New_York"))
    [found] = find_times(text, datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("America/New_York")), ctx)
    assert schedule_end(text, found) is None


def test_a_weekday_with_its_day_number_is_that_day_and_spanish_p_m_is_the_afternoon() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from agent.detect import DetectContext
    from agent.detect.interview_text import find_times

    la = ZoneInfo("America/Los_Angeles")
    monday = datetime(2026, 4, 13, 18, 0, tzinfo=UTC)
    [found] = find_times(
        "How does next Tuesday (the 21st) at 1pm Pacific sound?", monday, DetectContext(frozenset(), la)
    )
    assert found.start == datetime(2026, 4, 21, 13, 0, tzinfo=la)
    bogota = ZoneInfo("America/Bogota")
    sent = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
    [found] = find_times(
        "la entrevista es el jueves 26 de marzo a las 3:00 p. m.", sent, DetectContext(frozenset(), bogota)
    )
    assert found.start == datetime(2026, 3, 26, 15, 0, tzinfo=bogota)


@pytest.mark.parametrize(
    ("text", "hour"),
    [("Are you free tomorrow at 10 for half an hour?", 10), ("Could we talk Friday at 2?", 14)],
)
def test_a_bare_hour_after_at_is_read_within_working_hours(text: str, hour: int) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from agent.detect import DetectContext
    from agent.detect.interview_text import find_times

    [found] = find_times(text, datetime(2026, 5, 7, 19, 0, tzinfo=UTC), DetectContext(frozenset(), ZoneInfo("UTC")))
    assert found.start.hour == hour


def test_a_bare_number_after_at_that_counts_something_is_no_time() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from agent.detect import DetectContext
    from agent.detect.interview_text import find_times

    sent = datetime(2026, 5, 7, 19, 0, tzinfo=UTC)
    assert (
        find_times("On Friday at 10 people joined the webinar.", sent, DetectContext(frozenset(), ZoneInfo("UTC")))
        == []
    )


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("Le jeudi 12 mars à 10 h, pour environ 1 h 30. Prévois 20 minutes pour présenter un projet.", 90),
        ("Am Donnerstag, 12. März um 10 Uhr, rund eine Stunde.", 60),
        ("El jueves 12 de marzo a las 10:00, una hora y media.", 90),
        ("Thursday, March 12 at 10am for about 45 minutes.", 45),
    ],
)
def test_the_length_said_after_the_time_in_any_language(text: str, minutes: int) -> None:
    [found] = find_times(text, SENT, CTX)
    assert found.end is not None and found.end - found.start == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("Would Tuesday, March 10 at half past ten work?", 10, 30),
        ("Passt Ihnen Dienstag, 10. März um halb drei?", 14, 30),
        ("¿Te viene bien el martes 10 de marzo a las diez y media?", 10, 30),
        ("Tuesday, March 10 at quarter to three", 14, 45),
        ("Dienstag, 10. März, viertel nach neun", 9, 15),
        ("Would Tuesday the 10th at half ten work?", 10, 30),
    ],
)
def test_times_said_in_words(text: str, hour: int, minute: int) -> None:
    [found] = find_times(text, SENT, CTX)
    assert (found.start.hour, found.start.minute) == (hour, minute)


@pytest.mark.parametrize(
    ("text", "day", "hour", "minute"),
    [
        ("Can you do 3pm Thursday?", 5, 15, 0),
        ("Et 10h30 plutôt jeudi, ça vous irait ?", 5, 10, 30),
        ("Ginge auch 14 Uhr am Freitag?", 6, 14, 0),
        ("Could we do 2:30 on Friday instead?", 6, 14, 30),
    ],
)
def test_a_time_said_just_before_a_bare_weekday(text: str, day: int, hour: int, minute: int) -> None:
    [found] = find_times(text, SENT, CTX)
    assert (found.start.day, found.start.hour, found.start.minute) == (day, hour, minute)


def test_office_hours_before_a_weekday_range_are_no_time() -> None:
    assert find_times("Our support desk is open 9:00 - 17:00 ET, Mon-Fri.", SENT, CTX) == []
    assert find_times("Erreichbar 9 Uhr bis 17 Uhr, Montag bis Freitag.", SENT, CTX) == []


def test_the_time_asked_for_tomorrow_wins_over_a_time_in_the_next_sentence() -> None:
    text = "¿Podemos pasarla a las 12:30 mañana? Tengo una reunión a las 11 que se alarga."
    [found] = find_times(text, SENT, CTX)
    assert (found.start.day, found.start.hour, found.start.minute) == (5, 12, 30)


BERLIN_CTX = DetectContext(frozenset(), ZoneInfo("Europe/Berlin"))
MONDAY = datetime(2026, 2, 16, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "Mittwoch, der 25.02., um 9:30 Uhr per Google Meet",
        "Ich hätte Mittwoch, den 25.02., um 9:30 Uhr vorgeschlagen.",
        "Wir sehen uns am 25.02. um 9:30 Uhr.",
        "zu einem Vorstellungsgespräch am\n\nMi, 25.2., um 9.30 Uhr",
    ],
)
def test_a_dotted_date_without_its_year_after_a_weekday_or_an_article(text: str) -> None:
    [found] = find_times(text, MONDAY, BERLIN_CTX)
    assert found.start == datetime(2026, 2, 25, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def test_a_dotted_time_at_a_sentences_end_is_no_date() -> None:
    assert find_times("Treffen um 10.30. Danach Mittagessen.", MONDAY, BERLIN_CTX) == []


def test_an_interviewers_address_in_brackets_is_theirs() -> None:
    addrs, names = find_interviewers("Your interview is with Deepa Raghavan (deepa.raghavan@trident.example).")
    assert addrs == (Address("Deepa Raghavan", "deepa.raghavan@trident.example"),) and names == ()


def test_a_yearless_numeric_date_read_months_ahead_takes_the_order_that_is_this_week() -> None:
    # A Chilean recruiter's "jueves 12/03" on Tuesday 10 March: 12 March, not 3 December (both are Thursdays).
    tuesday = datetime(2026, 3, 10, 12, 15, tzinfo=UTC)
    [found] = find_times("¿Tendrías disponibilidad el jueves 12/03 a las 10:30 hrs?", tuesday, CTX)
    assert (found.start.month, found.start.day) == (3, 12)
    [far] = find_times("Your onsite is on 12/03 at 10:30am.", datetime(2026, 11, 20, tzinfo=UTC), CTX)
    assert (far.start.month, far.start.day) == (12, 3)  # read the user's way when that is the near one


def test_the_next_paragraph_that_opens_with_the_days_time() -> None:
    london = DetectContext(frozenset(), ZoneInfo("Europe/London"), day_first=True)
    text = "Assessment Day on Thursday 5 February 2026.\n\nThe day will run from 9.15am until approximately 1.30pm."
    [found] = find_times(text, datetime(2026, 1, 26, 9, 45, tzinfo=UTC), london)
    assert (found.start.hour, found.start.minute) == (9, 15)
    far = "Interview on Thursday 5 February 2026.\n\nPlease arrive early; our reception desk opens at 8.30am daily."
    assert find_times(far, datetime(2026, 1, 26, 9, 45, tzinfo=UTC), london) == []


@pytest.mark.parametrize(
    ("user_zone", "text", "offset_hours"),
    [
        ("Australia/Brisbane", "Could you do Tuesday 31 March at 10.30am AEST?", 10),  # Queensland keeps +10
        ("Australia/Sydney", "Could you do Tuesday 31 March at 10.30am AEST?", 11),  # Sydney is on AEDT then
        ("America/Phoenix", "Interview on Tuesday, March 31 at 10:30am MST.", -7),
        ("America/New_York", "Interview on Tuesday, March 31 at 10:30am MST.", -6),  # Denver, on MDT by then
    ],
)
def test_an_abbreviation_the_users_own_zone_writes_means_the_users_zone(
    user_zone: str, text: str, offset_hours: int
) -> None:
    ctx = DetectContext(frozenset(), ZoneInfo(user_zone), day_first=True)
    [found] = find_times(text, datetime(2026, 3, 20, tzinfo=UTC), ctx)
    assert found.start.utcoffset() == timedelta(hours=offset_hours)


def test_afternoon_in_french_is_no_noon() -> None:
    assert find_times("M. Tremblay est pris demain après-midi.", SENT, CTX) == []


@pytest.mark.parametrize(
    ("text", "day", "hour", "minute"),
    [
        ("¿Podrías venir el próximo martes a las 11 a nuestras oficinas?", 10, 11, 0),
        ("¿Te queda bien el jueves 12 a las cinco de la tarde?", 12, 17, 0),
        ("C'est noté pour mercredi 11 mars à 15 h 30.", 11, 15, 30),
    ],
)
def test_times_as_spanish_and_french_writers_put_them(text: str, day: int, hour: int, minute: int) -> None:
    [found] = find_times(text, SENT, CTX)
    assert (found.start.day, found.start.hour, found.start.minute) == (day, hour, minute)


def test_a_forwarded_messages_date_line_is_no_interview_time() -> None:
    text = (
        "Hi Arjun,\n\nSam would like to meet you; I'm forwarding his invite.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Google Calendar <calendar-notification@google.com>\nDate: Fri, Mar 6, 2026 at 10:02 AM\n"
        "Subject: Invitation: Technical Interview\n\nTechnical Interview - Arjun / Sam\n"
        "Tuesday Mar 10, 2026 ⋅ 10am – 11am\n"
    )
    [found] = find_times(text, SENT, CTX)
    assert (found.start.day, found.start.hour) == (10, 10)


@pytest.mark.parametrize(
    "text",
    [
        "Dana Whitfield\nTalent Acquisition Partner\nOffice hours Mon-Thu 8:00-4:30 MT",
        "Accueil ouvert du lundi au vendredi de 9h à 17h.",
        "Erreichbar Montag bis Freitag 9 bis 17 Uhr.",
    ],
)
def test_office_hours_over_a_range_of_weekdays_are_no_time(text: str) -> None:
    assert find_times(text, SENT, CTX) == []


@pytest.mark.parametrize(
    ("text", "day", "hour"),
    [("are u free thurs 2ish for a quick phone screen?", 5, 14), ("call tmrw at 11?", 5, 11)],
)
def test_times_typed_on_a_phone(text: str, day: int, hour: int) -> None:
    [found] = find_times(text, SENT, CTX)
    assert (found.start.day, found.start.hour) == (day, hour)


def test_a_german_two_letter_weekday_before_a_time() -> None:
    [found] = find_times("Passt dir Do 14 Uhr für ein erstes Kennenlernen?", SENT, CTX)
    assert (found.start.day, found.start.hour) == (5, 14)
    assert find_times("What do 14 people think?", SENT, CTX) == []


@pytest.mark.parametrize(
    "text",
    [
        "Perfect - let's do tomorrow at 9 my time.",
        "Let's say Thursday, March 5 at 9:00 our time.",
        "On se dit jeudi 5 mars à 9h, heure de chez moi ?",
        "¿Te parece el jueves 5 de marzo a las 9:00, mi hora?",
    ],
)
def test_my_time_is_the_zone_of_the_writers_date_header(text: str) -> None:
    chicago = timezone(timedelta(hours=-6))  # the recruiter's "Date: ... -0600"
    [found] = find_times(text, SENT, CTX, writer_zone=chicago)
    assert found.start == datetime(2026, 3, 5, 15, 0, tzinfo=UTC) and found.zone_named


def test_my_time_without_a_writers_zone_is_the_users_zone() -> None:
    [found] = find_times("Thursday, March 5 at 9:00 my time works.", SENT, CTX)
    assert found.start == datetime(2026, 3, 5, 9, 0, tzinfo=NY)


@pytest.mark.parametrize(
    "attribution",
    [
        "> On Mar 4, 2026, at 9:03 AM, Alex Rivera <alex.rivera@gmail.com> wrote:",
        "On Wed, Mar 4, 2026 at 9:03 AM Alex Rivera <alex.rivera@gmail.com> wrote:",
        "Le mer. 4 mars 2026 à 09:03, Alex Rivera <alex.rivera@gmail.com> a écrit :",
        "Am Mi., 4. März 2026 um 09:03 Uhr schrieb Alex Rivera <alex.rivera@gmail.com>:",
        "El mié, 4 mar 2026 a las 9:03, Alex Rivera (<alex.rivera@gmail.com>) escribió:",
    ],
)
def test_the_line_introducing_a_quoted_message_dates_no_interview(attribution: str) -> None:
    text = f"Works for me!\n\n{attribution}\n> Tuesday, March 10 at 3:45 pm would be perfect for me.\n"
    assert [f.start for f in find_times(text, SENT, CTX)] == [datetime(2026, 3, 10, 15, 45, tzinfo=NY)]


@pytest.mark.parametrize(
    ("text", "zone", "start"),
    [
        ("See you on the 12th at 3pm.", NY, datetime(2026, 3, 12, 15, 0, tzinfo=NY)),
        ("Could we do the 10th at 11:15?", NY, datetime(2026, 3, 10, 11, 15, tzinfo=NY)),
        ("Passt es Ihnen am 12. um 15 Uhr?", ZoneInfo("Europe/Berlin"), datetime(2026, 3, 12, 15, 0)),
        ("On se voit le 12 à 15h ?", ZoneInfo("Europe/Paris"), datetime(2026, 3, 12, 15, 0)),
        ("¿Te viene bien el 12 a las 15:00?", ZoneInfo("Europe/Madrid"), datetime(2026, 3, 12, 15, 0)),
        ("Shall we say the 2nd at 10am?", NY, datetime(2026, 4, 2, 10, 0, tzinfo=NY)),
    ],
)
def test_a_day_of_the_month_said_alone_with_a_time(text: str, zone: ZoneInfo, start: datetime) -> None:
    ctx = DetectContext(frozenset({"alex.rivera@gmail.com"}), zone, day_first=zone is not NY)
    [found] = find_times(text, SENT, ctx)
    assert found.start == start.replace(tzinfo=zone)


def test_a_day_of_the_month_without_a_time_is_no_interview_time() -> None:
    assert find_times("Please send the documents by the 12th.", SENT, CTX) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Thanks, that's you booked in for 11.30 on Thursday 12th March.", datetime(2026, 3, 12, 11, 30)),
        ("See you on Thursday 12 March at 14.15.", datetime(2026, 3, 12, 14, 15)),
    ],
)
def test_a_dotted_time_of_the_working_day(text: str, start: datetime) -> None:
    ctx = DetectContext(frozenset({"alex.rivera@gmail.com"}), ZoneInfo("Europe/Dublin"), day_first=True)
    [found] = find_times(text, SENT, ctx)
    assert found.start == start.replace(tzinfo=ZoneInfo("Europe/Dublin"))


@pytest.mark.parametrize("text", ["The fee is £11.30 on Thursday 12 March.", "Thursday 12 March: 3.5 hours of tasks."])
def test_a_price_or_a_number_is_no_dotted_time(text: str) -> None:
    ctx = DetectContext(frozenset({"alex.rivera@gmail.com"}), ZoneInfo("Europe/Dublin"), day_first=True)
    assert find_times(text, SENT, ctx) == []


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Proposed slot: 2026-03-10 14:00 SAST", "Africa/Johannesburg"),
        ("Tuesday, March 10 at 14:00 EAT", "Africa/Nairobi"),
        ("Tuesday, March 10 at 14:00 WAT", "Africa/Lagos"),
        ("el martes 10 de marzo a las 14:00 COT", "America/Bogota"),
        ("el martes 10 de marzo a las 14:00 PET", "America/Lima"),
    ],
)
def test_zone_abbreviations_of_africa_and_latin_america(text: str, zone: str) -> None:
    [found] = find_times(text, SENT, CTX)
    assert found.start == datetime(2026, 3, 10, 14, 0, tzinfo=ZoneInfo(zone)) and found.zone_named


@pytest.mark.parametrize(
    "text",
    [
        "You're through to the 3rd round at 2pm on Thursday.",
        "Reimbursed up to EUR 15.00 on Thursday 12 March.",
        "Parking on Friday 13 March costs 12.00 per day.",
    ],
)
def test_an_ordinal_before_a_noun_or_a_price_is_no_date_or_time(text: str) -> None:
    assert all(f.start.day != 3 and f.start.hour not in (12, 15) for f in find_times(text, SENT, CTX))


def test_a_wrapped_gmail_attribution_dates_no_interview() -> None:
    text = (
        "Works for me!\n\nOn Wed, Mar 4, 2026 at 9:03 AM Alex Rivera <\nalex.rivera@gmail.com> wrote:\n"
        "> Tuesday, March 10 at 3:45 pm is perfect.\n"
    )
    assert [f.start for f in find_times(text, SENT, CTX)] == [datetime(2026, 3, 10, 15, 45, tzinfo=NY)]


@pytest.mark.parametrize("clock", ["1330hrs", "1330 hrs", "1330h"])
def test_a_24_hour_clock_written_with_hrs(clock: str) -> None:
    [found] = find_times(f"Date : Tuesday, 10 March 2026\nTime : {clock}\nVenue : HR office", SENT, CTX)
    assert found.start == datetime(2026, 3, 10, 13, 30, tzinfo=NY)


def test_a_bare_hour_after_a_weekday_that_ends_a_question() -> None:
    [found] = find_times("Nina sent your book over, love the packaging work. Let's chat Tues 11?", SENT, CTX)
    assert found.start == datetime(2026, 3, 10, 11, 0, tzinfo=NY)
    assert find_times("We open Tues 11 new stores across the state.", SENT, CTX) == []
