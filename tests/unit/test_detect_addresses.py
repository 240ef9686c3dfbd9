"""Address classification: free-mail, ATS, automated senders, employer domains."""

from __future__ import annotations

import pytest

from agent.detect.addresses import (
    company_from_domain,
    employer_domain,
    is_ats_domain,
    is_automated_address,
    is_free_mail,
    is_human,
    registrable_domain,
)


@pytest.mark.parametrize(
    "addr",
    [
        "a@gmail.com",
        "b@googlemail.com",
        "c@hotmail.co.uk",
        "d@yahoo.fr",
        "e@gmx.ch",
        "f@web.de",
        "g@proton.me",
        "h@outlook.de",
        "i@icloud.com",
    ],
)
def test_free_mail(addr: str) -> None:
    assert is_free_mail(addr)
    assert employer_domain(addr) is None


@pytest.mark.parametrize(
    "addr",
    [
        "no-reply@us.greenhouse-mail.io",
        "x@mail.lever.co",
        "jane@hire.lever.co",
        "acme@myworkday.com",
        "notifications@calendly.com",
        "c_123@resource.calendar.google.com",
        "jobalerts-noreply@linkedin.com",
        "t@acme.bamboohr.com",
    ],
)
def test_ats_and_notification_domains(addr: str) -> None:
    assert is_ats_domain(addr)
    assert employer_domain(addr) is None


@pytest.mark.parametrize(
    "addr",
    [
        "noreply@acme.com",
        "no-reply@acme.com",
        "do-not-reply@acme.com",
        "donotreply@acme.com",
        "notifications@acme.com",
        "MAILER-DAEMON@googlemail.com",
        "postmaster@acme.com",
        "bounces+123-abc@acme.com",
        "calendar-notification@google.com",
        "jobs-noreply@acme.com",
        "alerts@acme.com",
        "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@acme.com",
        "x@mcsv.net",
    ],
)
def test_automated(addr: str) -> None:
    assert is_automated_address(addr)
    assert not is_human(addr)


@pytest.mark.parametrize(
    "addr", ["priya.patel@acmerobotics.com", "careers@acme.com", "dana@brightpath.ai", "jane.doe@hire.lever.co"]
)
def test_human(addr: str) -> None:
    assert is_human(addr)


def test_ats_tenant_robot_is_not_human() -> None:
    assert not is_human("acme@myworkday.com")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jane@mail.acme.com", "acme.com"),
        ("careers.acme.co.uk", "acme.co.uk"),
        ("x@acme.com.au", "acme.com.au"),
        ("acme.com", "acme.com"),
        ("x@eu.talent.acme.co.jp", "acme.co.jp"),
        # By the Public Suffix List: a public body's or a university's second-level suffix is no employer.
        ("dgp.uacv.edu.mx", "uacv.edu.mx"),
        ("sanidad.gob.es", "sanidad.gob.es"),
        ("tafe.nsw.edu.au", "tafe.nsw.edu.au"),
    ],
)
def test_registrable_domain(value: str, expected: str) -> None:
    assert registrable_domain(value) == expected
    assert employer_domain(value) == expected


def test_company_from_domain() -> None:
    assert company_from_domain("acme-robotics.com") == "Acme Robotics"
    assert company_from_domain("jane@careers.initech.co.uk") == "Initech"


@pytest.mark.parametrize(
    ("address", "role"),
    [
        ("interviews@zalandia.de", True),
        ("recruiting-emea@acme.com", True),
        ("careers@acme.com", True),
        ("talent.acquisition@acme.com", True),
        ("priya.shah@acme.com", False),
        ("teamlead@acme.com", False),
        ("john.hr@acme.com", False),
    ],
)
def test_team_mailboxes_are_recognised(address: str, role: bool) -> None:
    from agent.detect.addresses import is_role_address

    assert is_role_address(address) is role
