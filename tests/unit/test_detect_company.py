"""agent.detect.company: the employer's name and the job title a message is about."""

from __future__ import annotations

import pytest

from agent.detect.company import find_role


@pytest.mark.parametrize(
    ("subject", "text", "role"),
    [
        ("Deine Bewerbung als Service Designer bei Nordlicht", "", "Service Designer"),
        ("Danke", "wir laden dich für die Stelle UX Researcher ein.", "UX Researcher"),
        ("Candidature", "Merci pour votre candidature au poste de Data Analyst chez Galibier.", "Data Analyst"),
        ("Postulación", "¡Gracias por postular al cargo de Analista de Datos (remoto) en Guadua!", "Analista de Datos"),
        ("Application", "Thank you for applying for the position of Web Developer at Pennine.", "Web Developer"),
        ("Thanks", "Thanks for applying for Account Manager - DACH. We'll review it soon.", "Account Manager"),
    ],
)
def test_the_job_title_in_four_languages(subject: str, text: str, role: str) -> None:
    assert find_role(subject, text) == role


def test_a_sentence_about_a_person_is_no_job_title() -> None:
    assert find_role("Data chat", "Hi Maya - Dev here, I lead data platform at Copper Kettle.") is None


def _from(sender: str, subject: str, text: str) -> str | None:
    from datetime import UTC, datetime

    from agent.detect.company import find_company
    from agent.models import Address, FolderRole, Message

    name, _, email = sender.rpartition(" <")
    message = Message(
        message_id="m@test",
        folder=FolderRole.INBOX,
        date=datetime(2026, 3, 4, tzinfo=UTC),
        sender=Address(name, email.rstrip(">")),
        subject=subject,
        text=text,
    )
    return find_company(message, text)


@pytest.mark.parametrize(
    ("sender", "subject", "text", "company"),
    [
        ("Jan Petersen <jan@hafenkopf-personal.de>", "Ankerbyte – Feedback zur 2. Runde", "Hallo!", "Ankerbyte"),
        (
            "Gareth Lowe <gareth@talentbridge-partners.com>",
            "Update",
            "My client, Ironwood Energy, liked you.",
            "Ironwood Energy",
        ),
        (
            "Ana Ruiz <ana@talento-rh.es>",
            "Postulación – Analista",
            "Tu entrevista con Pinar Datos es el lunes.",
            "Pinar Datos",
        ),
        # The agency says whom it passed the candidate on to.
        ("Valentina Ríos <v@talentum-hr.co>", "RE: Postulación", "Ya compartí tu hoja de vida con Ceiba.", "Ceiba"),
        (
            "Tom Hale <tom@northgate-recruitment.co.uk>",
            "Update",
            "Good news: I've shared your CV with Brightwell Logistics and they'd like to meet.",
            "Brightwell Logistics",
        ),
        ("Tom Hale <tom@apex-staffing.com>", "Update", "I put you forward to Meridian Health.", "Meridian Health"),
        ("Julie Roy <julie@talents-conseil.fr>", "Suite", "J'ai transmis votre CV à Lumen Conseil.", "Lumen Conseil"),
        (
            "Lena Vogt <lena@personalberatung-nord.de>",
            "Update",
            "ich habe Ihr Profil an die Ankerbyte GmbH weitergeleitet.",
            "Ankerbyte",
        ),
        # A process word before the dash is no client; the name revealed in the text is.
        (
            "Jana Weiß <j.weiss@brueckner-personal.de>",
            "Gesprächseinladung – Fahrwerk Mobility",
            "Mein Kunde möchte Sie kennenlernen!",
            "Fahrwerk Mobility",
        ),
        (
            "Jana Weiß <j.weiss@brueckner-personal.de>",
            "Neuigkeiten",
            "Jetzt darf ich es sagen: es handelt sich um die Fahrwerk Mobility GmbH.",
            "Fahrwerk Mobility",
        ),
        ("Paul Roy <paul@cabinet-rh.fr>", "Suite", "Il s'agit de la société Lumen Conseil.", "Lumen Conseil"),
    ],
)
def test_an_agency_recruiter_names_the_client_not_the_agency(
    sender: str, subject: str, text: str, company: str
) -> None:
    assert _from(sender, subject, text) == company


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("Carrières Groupe Laurentide <donotreply@jobvite.com>", "Groupe Laurentide"),
        ("Atracción de Talento Altavista <noreply@smartrecruiters.com>", "Altavista"),
        ("rheinwerk.io Recruiting <no-reply@ashbyhq.com>", "Rheinwerk"),
        ("Brisa Soluciones vía JOIN <noreply@join.com>", "Brisa Soluciones"),
        ("Hafenkante Logistik GmbH <noreply@softgarden.io>", "Hafenkante Logistik"),
        ("County of Sacramento Employment Services <noreply@taleo.net>", "County of Sacramento"),
        ("The Merrion Quay Hotel <no-reply@teamtailor.com>", "Merrion Quay Hotel"),
        ("École internationale du Léman <noreply@mail.teamtailor.com>", "École internationale du Léman"),
        ("HEG Lémanique – Ressources humaines <noreply@umantis.com>", "HEG Lémanique"),
        ("Cementos del Sur – Talento <noreply@successfactors.com>", "Cementos del Sur"),
        ("Pennine Outdoor <no-reply@recruiteemail.com>", "Pennine Outdoor"),
        ("Banco del Plata Sur – Búsquedas <noreply@successfactors.com>", "Banco del Plata Sur"),
        ("KIELWASSER über JOIN <no-reply@join.com>", "KIELWASSER"),
        ("Meridian Capital Partners <careers-meridiancp@icims.com>", "Meridian Capital Partners"),
        ("Hollis & Associates <no-reply@bamboohr.com>", "Hollis & Associates"),
        ("Northbridge Consultants Careers <noreply@workable.com>", "Northbridge Consultants"),
    ],
)
def test_the_employer_in_an_ats_senders_name_whatever_words_surround_it(sender: str, expected: str) -> None:
    assert _from(sender, "Confirmation", "Merci pour votre candidature.") == expected


@pytest.mark.parametrize("title", ["Data Analysts", "Senior Consultants", "Software Engineers", "Partners"])
def test_a_plural_job_title_is_no_firm(title: str) -> None:
    assert _from(f"{title} <noreply@workable.com>", "Confirmation", "Thanks.") != title


def test_a_pronoun_or_a_receipt_word_is_no_company() -> None:
    assert _from("Jobs <noreply@softgarden.io>", "Eingangsbestätigung: Entwickler", "Danke.") != "Eingangsbestätigung"


def test_an_assessments_name_is_no_job_title() -> None:
    assert find_role("Fernwood Analytics - Platform Engineering Assessment") is None


def test_a_job_title_with_a_gender_star_and_an_austrian_verb() -> None:
    assert find_role("Ihre Bewerbung als Sachbearbeiter*in Bürgerservice ist eingelangt") == (
        "Sachbearbeiter*in Bürgerservice"
    )


def test_a_compound_recruiting_team_word_is_no_part_of_the_name() -> None:
    assert _from("Magistrat Linz – Personalrecruiting <noreply@softgarden.io>", "Eingang", "Danke.") == "Magistrat Linz"


def test_a_public_portal_names_the_employer_it_labels() -> None:
    text = (
        "Your application for the job below has been submitted.\n\nJob title: Staff Nurse\n"
        "Employer: North Cumbria Integrated Care NHS Foundation Trust\n"
    )
    assert _from("NHS Jobs <noreply@jobs.nhs.uk>", "Application submitted: Staff Nurse", text) == (
        "North Cumbria Integrated Care NHS Foundation Trust"
    )
