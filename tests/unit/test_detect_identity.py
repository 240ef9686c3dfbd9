"""agent.detect.identity: one company resolver for naming and joining."""

from __future__ import annotations

import pytest

from agent.detect.identity import company_key, domain_key, initials, named_company, same_company, same_employer


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Quarry Labs, Inc.", "Quarry Labs Talent Team"),
        ("Nordlicht GmbH", "Nordlicht via Personio"),
        ("Olivo Foods International", "olivofoods"),
        ("Beacon Hill Mutual", "BHM"),
        ("Cóndor Analítica S.A.S.", "condor analitica"),
    ],
)
def test_names_of_one_employer_are_the_same_employer(a: str, b: str) -> None:
    assert same_employer(a, b) and same_employer(b, a)


@pytest.mark.parametrize(("a", "b"), [("Beacon Hill Mutual", "BH"), ("Acme", "Acorn"), ("Summit Ridge", "Ridge")])
def test_different_employers_stay_apart(a: str, b: str) -> None:
    assert not same_employer(a, b)


def test_initials_need_three_words() -> None:
    assert initials("Beacon Hill Mutual") == "bhm"
    assert initials("Blue Heron") == ""


def test_domain_keys_drop_subdomains_and_tlds() -> None:
    assert domain_key("mail.quarrylabs.io") == "quarrylabs" == company_key("Quarry Labs Ltd")
    assert same_company("quarry", "quarrylabs")


def test_a_known_company_named_in_the_text_is_found() -> None:
    texts = ["Workable", "Entrevista: Analista BI", "Tu entrevista con Quillay quedó agendada."]
    assert named_company(texts, ["Harborline Robotics", "Quillay"]) == "Quillay"


def test_no_company_when_two_known_ones_are_named_or_the_name_is_part_of_a_word() -> None:
    assert named_company(["Quillay and Cobre Digital both wrote"], ["Quillay", "Cobre Digital"]) is None
    assert named_company(["our summitry event"], ["Summit"]) is None
    assert named_company(["see you at Acme"], ["Acm"]) is None  # too short to trust


def test_two_names_that_share_a_distinctive_first_word_are_one_employer_but_common_first_words_are_not() -> None:
    assert same_employer("Brightline Logistics", "Brightline Freight")
    assert not same_employer("Global Payments", "Global Logistics")
    assert not same_employer("Brightline", "Brightwave")
    assert same_employer("Fenwick & Cole", "fenwickandcole")


def test_group_prefixes_umlauts_and_scheduling_tools_do_not_hide_one_employer() -> None:
    assert same_employer("Grupo Altavista", "Altavista")
    assert same_employer("Groupe Laurentide", "laurentide")
    assert same_company(company_key("Talentbrücke Personalberatung"), domain_key("talentbruecke.de"))
    assert not same_employer("Grupo Sur", "Sur")  # too short to say


def test_a_booking_page_is_no_employer() -> None:
    from agent.detect.addresses import is_ats_domain

    assert is_ats_domain("no-reply@cal.com") and is_ats_domain("notifications@savvycal.com")


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("Lindgrün GmbH · Oranienstraße 183", "Lindgrün"),
        ("Lindgruen GmbH, Berlin", "Lindgrün"),
        ("Lindgrün GmbH, Berlin", "Lindgruen"),
        ("Grüße aus der Bäckerei Müller", "Baeckerei Mueller"),
    ],
)
def test_a_known_company_is_found_whether_its_umlauts_are_written_or_spelt_out(text: str, known: str) -> None:
    assert named_company([text], [known, "Spreewerk Digital"]) == known


def test_initials_leave_out_the_small_words() -> None:
    assert initials("Instituto Tecnológico del Sur") == "its"
    assert same_employer("Instituto Tecnológico del Sur", "its")


def test_a_domain_of_initials_and_the_last_word_is_the_same_employer() -> None:
    assert same_employer("École internationale du Léman", "eilleman")
    assert not same_employer("École internationale du Léman", "eilparis")


def test_a_town_after_a_postcode_is_no_employer_named() -> None:
    signature = "Direktion Personal\nAmt der Oö. Landesregierung\nBahnhofplatz 1, 4021 Linz"
    assert named_company([signature], ["Linz", "Hafenkante"]) is None
    assert named_company(["Ihr Gespräch bei Linz am Dienstag"], ["Linz", "Hafenkante"]) == "Linz"
