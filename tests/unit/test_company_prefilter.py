"""The engine's cheap pre-check before `named_company`: it may keep too many companies, never drop one that
`named_company` would find, so the company a message names is the same with and without it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.detect.identity import named_company
from agent.engine import _mentionable

COMPANIES = [
    "Quillay",
    "Cobre Digital",
    "Cóndor Analítica S.A.S.",
    "Quarry Labs, Inc.",
    "Nordlicht GmbH",
    "Kite Works",
    "Summit",
    "Acm",
    "Istanbul Yazılım",
    "Inc",
    "Lindgrün",
    "Talentbruecke",
]


@pytest.mark.parametrize(
    "text",
    [
        "Tu entrevista con Quillay quedó agendada.",
        "Quillay and Cobre Digital both wrote",
        "the team at COBRE-DIGITAL says hi",
        "Cobre\u00a0\u2003Digital, in two lines:\nCobre\n  Digital",
        "una entrevista en CONDOR ANALITICA",
        "una entrevista en Cóndor   Analítica",
        "Quarry Labs Talent Team",
        "our summitry event",
        "\u212aite Works (a Kelvin sign for the K)",
        "ISTANBUL YAZILIM and ıstanbul yazılım",
        "Lindgrün GmbH · Oranienstraße 183 · Berlin",
        "LINDGRUEN GMBH, written out as ASCII",
        "die Talentbrücke meldet sich",
        "nothing about any employer, just a friend's news",
        "",
    ],
)
def test_the_pre_check_keeps_every_company_named_company_finds(text: str) -> None:
    texts = ["A Friend", "Re: catching up", text]
    kept = _mentionable(texts, COMPANIES)
    found = {c for c in COMPANIES if named_company(texts, [c])}
    assert found <= set(kept)
    assert named_company(texts, kept) == named_company(texts, COMPANIES)


def test_a_text_naming_no_company_keeps_none() -> None:
    assert _mentionable(["Sam", "dinner?", "are you free on Friday for dinner"], COMPANIES[:6]) == []


_WORDS = st.sampled_from(["Quillay", "cobre", "Digital", "CÓNDOR", "analítica", "kite", "\u212aite", "works", "ı"])
_GAPS = st.sampled_from([" ", "-", "\u00a0", "\n", "", " - ", ", "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=8))
def test_the_pre_check_never_changes_the_company_found(parts: list[tuple[str, str]]) -> None:
    texts = ["", "Subject", "".join(w + g for w, g in parts)]
    kept = _mentionable(texts, COMPANIES)
    assert {c for c in COMPANIES if named_company(texts, [c])} <= set(kept)
    assert named_company(texts, kept) == named_company(texts, COMPANIES)
