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
    ],
)
def test_the_job_title_in_four_languages(subject: str, text: str, role: str) -> None:
    assert find_role(subject, text) == role


def test_a_sentence_about_a_person_is_no_job_title() -> None:
    assert find_role("Data chat", "Hi Maya - Dev here, I lead data platform at Copper Kettle.") is None
