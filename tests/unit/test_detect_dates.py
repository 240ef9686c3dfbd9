"""find_deadline: decision timelines resolved against the message date in the user's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from agent.detect.dates import add_business_days, find_deadline

NY = ZoneInfo("America/New_York")
# Wednesday 4 March 2026, 10:00 in New York.
SENT = datetime(2026, 3, 4, 15, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("text", "expected", "phrase"),
    [
        ("We'll get back to you by Friday, March 13.", date(2026, 3, 13), "by Friday, March 13"),
        ("We hope to make a decision by March 13th.", date(2026, 3, 13), "by March 13th"),
        ("You should hear back by 3/13.", date(2026, 3, 13), "by 3/13"),
        ("We will let you know by the 18th.", date(2026, 3, 18), "by the 18th"),
        ("We'll get back to you by Friday.", date(2026, 3, 6), "by Friday"),
        ("I'll have an update for you by end of day Friday.", date(2026, 3, 6), "by end of day Friday"),
        ("We will be in touch within two weeks.", date(2026, 3, 18), "within two weeks"),
        ("Expect to hear from us within 10 business days.", date(2026, 3, 18), "within 10 business days"),
        ("We aim to respond within 3-5 business days.", date(2026, 3, 11), "within 3-5 business days"),
        ("We'll be making a decision in the next week or two.", date(2026, 3, 18), "in the next week or two"),
        ("We expect to have an answer by the end of next week.", date(2026, 3, 13), "by the end of next week"),
        ("We'll circle back by end of the week.", date(2026, 3, 6), "by end of the week"),
        ("Final decisions will be made by the end of the month.", date(2026, 3, 31), "by the end of the month"),
        ("We will share feedback early next week.", date(2026, 3, 9), "early next week"),
        ("I'll update you next week.", date(2026, 3, 13), "next week"),
        ("We should have news in a couple of weeks.", date(2026, 3, 18), "in a couple of weeks"),
        ("We'll be in touch in a few weeks.", date(2026, 3, 25), "in a few weeks"),
        ("we should have a decision by next Friday", date(2026, 3, 13), "by next Friday"),
        ("We will get back to all candidates the week of March 16.", date(2026, 3, 20), "the week of March 16"),
        ("We will be extending offers by mid-March.", date(2026, 3, 15), "by mid-March"),
    ],
)
def test_employer_timelines(text: str, expected: date, phrase: str) -> None:
    found = find_deadline(text, SENT, NY)
    assert found is not None
    assert found.day == expected
    assert found.phrase == phrase


@pytest.mark.parametrize(
    "text",
    [
        "The interview is by Zoom.",
        "Apply by March 13!",
        "Please send your availability by Friday.",
        "Next steps: a 45-minute interview on Tuesday, March 10 at 2pm ET.",
        "Great to talk today, I'll get back to you with feedback.",
        "Thanks for your time on Monday.",
        "I'm out of the office until March 20.",
        "Please complete the take-home assessment within 5 days and we'll review it.",
    ],
)
def test_not_a_decision_date(text: str) -> None:
    assert find_deadline(text, SENT, NY) is None


def test_named_date_beats_vague_period_in_the_same_sentence() -> None:
    text = "We're wrapping up interviews this week and will get back to you by Friday, March 13."
    found = find_deadline(text, datetime(2026, 3, 9, 14, 0, tzinfo=NY), NY)
    assert found is not None and found.phrase == "by Friday, March 13"


@pytest.mark.parametrize(
    "text",
    [
        "They have one more candidate to meet on Monday and promised a decision by the end of next week.",
        "Sie sehen am Montag noch eine Kandidatin und wollen bis Ende nächster Woche entscheiden.",
    ],
)
def test_the_day_they_answer_by_beats_a_day_something_else_happens_in_one_clause(text: str) -> None:
    # Wednesday, March 4: "on Monday" is March 9, the end of next week Friday, March 13.
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == date(2026, 3, 13)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Sent Wednesday, March 4, 2026.
        ("You'll hear from us by Friday the 20th at the latest.", date(2026, 3, 20)),
        ("We start interviews this week y te diremos algo la semana que viene.", date(2026, 3, 13)),
        ("Wir sehen diese Woche noch zwei Leute und wir melden uns nächste Woche.", date(2026, 3, 13)),
        ("I'll come back to you by Friday 13 March - please don't chase before then.", date(2026, 3, 13)),
        ("On te revient d'ici vendredi prochain au plus tard.", date(2026, 3, 13)),
        ("Nous prévoyons communiquer avec les candidat·e·s retenu·e·s d'ici le 13 mars.", date(2026, 3, 13)),
        ("We will share the offer letter with you by Friday, 13 March.", date(2026, 3, 13)),
        ("Wir führen noch zwei Gespräche und werden uns bis Freitag, 13. März bei Ihnen melden.", date(2026, 3, 13)),
        ("On fait le point et on revient vers toi d'ici vendredi prochain, le 13 au plus tard.", date(2026, 3, 13)),
    ],
)
def test_answer_dates_the_way_writers_of_four_languages_put_them(text: str, expected: date) -> None:
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == expected


def test_relative_promise_resolves_against_message_date_in_zone() -> None:
    # 23:30 UTC on a Friday is still Friday afternoon in New York, so "within 2 business days" is Tuesday.
    late = datetime(2026, 3, 6, 23, 30, tzinfo=ZoneInfo("UTC"))
    found = find_deadline("We'll respond within 2 business days.", late, NY)
    assert found is not None and found.day == date(2026, 3, 10)


def test_date_before_message_rolls_to_next_year_only_near_new_year() -> None:
    december = datetime(2025, 12, 18, 12, 0, tzinfo=NY)
    found = find_deadline("We hope to get back to you by January 9.", december, NY)
    assert found is not None and found.day == date(2026, 1, 9)
    # In March, "by January 9" is not a usable future date (a typo or history), so no deadline.
    assert find_deadline("We hope to get back to you by January 9.", SENT, NY) is None


def test_explicit_year_in_the_past_is_ignored() -> None:
    assert find_deadline("We had planned to decide by March 1, 2026.", SENT, NY) is None


def test_business_days_skip_weekends() -> None:
    assert add_business_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday → Monday
    assert add_business_days(date(2026, 3, 4), 5) == date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "expected", "phrase"),
    [
        ("Wir melden uns bis Ende nächster Woche bei Ihnen.", date(2026, 3, 13), "Ende nächster Woche"),
        ("Eine Entscheidung fällt Anfang nächster Woche.", date(2026, 3, 9), "Anfang nächster Woche"),
        ("Sie erhalten unsere Rückmeldung bis Ende dieser Woche.", date(2026, 3, 6), "Ende dieser Woche"),
        (
            "Nous reviendrons vers vous d'ici la fin de la semaine prochaine.",
            date(2026, 3, 13),
            "la fin de la semaine prochaine",
        ),
        ("Vous aurez notre réponse en début de semaine prochaine.", date(2026, 3, 9), "en début de semaine prochaine"),
        (
            "Te daremos una respuesta a finales de la próxima semana.",
            date(2026, 3, 13),
            "a finales de la próxima semana",
        ),
        (
            "Te daremos una respuesta dentro de las próximas dos semanas.",
            date(2026, 3, 18),
            "dentro de las próximas dos semanas",
        ),
        (
            "We are completing interviews and will revert by the end of next week.",
            date(2026, 3, 13),
            "by the end of next week",
        ),
    ],
)
def test_named_periods_in_every_language(text: str, expected: date, phrase: str) -> None:
    found = find_deadline(text, SENT, NY)
    assert found is not None and (found.day, found.phrase) == (expected, phrase)


def test_the_date_they_answer_by_beats_a_bare_period_they_mention_first() -> None:
    text = (
        "We're wrapping up panels with other candidates this week and aim to get back to you by the end of next week."
    )
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == date(2026, 3, 13)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir melden uns bis zum 20.03. bei Ihnen.", date(2026, 3, 20)),
        ("Sie erhalten bis spätestens 20.3. eine Rückmeldung.", date(2026, 3, 20)),
        ("Nous vous répondrons d'ici le 20/03.", date(2026, 3, 20)),
        ("Wir melden uns in den nächsten Tagen.", date(2026, 3, 9)),
        ("We will get back to you within the week.", date(2026, 3, 6)),
        ("Nous reviendrons vers vous sous huitaine.", date(2026, 3, 11)),
        ("Wir geben Ihnen bis Mitte März Bescheid.", date(2026, 3, 15)),
        ("Nous vous tiendrons informée mi-mars.", date(2026, 3, 15)),
        ("Les daremos respuesta a mediados de marzo.", date(2026, 3, 15)),
        ("Die Entscheidung fällt Ende März.", date(2026, 3, 31)),
    ],
)
def test_more_decision_dates_in_every_language(text: str, expected: date) -> None:
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == expected


def test_a_dotted_date_with_a_clock_time_is_a_meeting_not_a_decision() -> None:
    assert find_deadline("The interview is on 20.03. at 10:00, we will decide after that.", SENT, NY) is None


def test_every_period_the_lexicons_name_has_a_priority_and_a_day() -> None:
    from agent.detect import dates
    from agent.detect.lexicon import periods

    assert set(dates._PERIOD_ORDER) == set(dates._PERIOD_DAY)
    assert set(periods()) <= set(dates._PERIOD_DAY)


def test_a_period_dating_the_last_interview_is_not_the_date_they_answer_by() -> None:
    text = (
        "Wir führen diese Woche noch ein letztes Gespräch und entscheiden dann im Team. Du hörst spätestens am "
        "Dienstag, den 10.3., von uns – wahrscheinlich von Anna."
    )
    found = find_deadline(text, SENT, ZoneInfo("Europe/Berlin"))
    assert found is not None and found.day == date(2026, 3, 10)


def test_a_calendar_week_is_its_friday() -> None:
    found = find_deadline("Sie hören bis Ende KW 12 von uns – versprochen.", SENT, ZoneInfo("Europe/Berlin"))
    assert found is not None and found.day == date(2026, 3, 20)


def test_an_agency_that_will_come_back_to_me_by_a_date() -> None:
    text = "They've got two more first stages next week so they'll come back to me by Friday 6th March."
    found = find_deadline(text, SENT, ZoneInfo("Europe/London"))
    assert found is not None and found.day == date(2026, 3, 6)


def test_te_contamos_a_mas_tardar_el_viernes() -> None:
    text = "Estamos cerrando las entrevistas. Te contamos a más tardar el viernes 20 de marzo."
    found = find_deadline(text, SENT, ZoneInfo("America/Santiago"))
    assert found is not None and found.day == date(2026, 3, 20)


@pytest.mark.parametrize(
    "text",
    [
        "The team is finishing screens with other candidates this week and then deciding who moves on. We'll get "
        "back to you by end of next week either way.",
        "Les entretiens se terminent cette semaine, puis nous prendrons une décision. Nous reviendrons vers vous "
        "d'ici la fin de la semaine prochaine.",
    ],
)
def test_a_later_sentences_by_date_beats_a_bare_period_of_the_work(text: str) -> None:
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == date(2026, 3, 13)


def test_a_bare_period_alone_is_still_the_answers_date() -> None:
    found = find_deadline("We will decide this week. Thanks for your patience.", SENT, NY)
    assert found is not None and found.day == date(2026, 3, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We'll let everyone know by mid-March.", date(2026, 3, 15)),
        ("Nous reviendrons vers vous sous quinze jours.", date(2026, 3, 18)),
        ("Te responderemos a más tardar el viernes 13.", date(2026, 3, 13)),
    ],
)
def test_answer_dates_said_to_everyone_in_a_fortnight_or_at_the_latest(text: str, expected: date) -> None:
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == expected


def test_a_bare_period_gives_way_to_a_later_by_date_in_the_loose_pass_too() -> None:
    text = (
        "We're finishing screens this week and then deciding. We'll get back to you with an answer, by Friday the 20th."
    )
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == date(2026, 3, 20)


def test_a_spanish_promise_in_the_present_tense() -> None:
    text = "Nos quedan un par de entrevistas, pero te decimos algo antes del 15 de abril."
    found = find_deadline(text, SENT, NY)
    assert found is not None and found.day == date(2026, 4, 15)


def test_te_cuento_tells_a_story_and_promises_no_date() -> None:
    assert find_deadline("Lo hablo esta semana con Marta y te cuento cómo lo planteamos.", SENT, NY) is None
