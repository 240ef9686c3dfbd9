"""agent.detect.gate: a gated pattern finds exactly what the pattern as written finds, only faster."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import agent.detect  # noqa: F401  (imports every module that registers its patterns)
from agent.detect import gate
from agent.detect.lexicon import cue

DEV = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "dev"


def _found(pattern: gate.Pattern | re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def _dev_texts(limit_messages: int = 36, chars: int = 1500) -> list[str]:
    texts: list[str] = []
    files = sorted(DEV.glob("*/*.eml"))
    for path in files[:: max(1, len(files) // limit_messages)]:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        texts.append(str(message["subject"] or ""))
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            texts.append(body.get_content()[:chars])
    return texts


def test_every_registered_pattern_agrees_with_its_written_form_on_real_mail() -> None:
    texts = _dev_texts()
    assert len(gate.registered()) >= 50 and len(texts) >= 60
    gated_count = 0
    for written, fast in gate.registered():
        gated_count += isinstance(fast, gate.Gated)
        for text in texts:
            assert _found(fast, text) == _found(written, text), (written.pattern[:80], text[:80])
            gate.forget()
    assert gated_count >= 40  # most patterns do get a gate: the speed-up is real


# Text built from the very literals the gates look for, so that near-misses (a literal at the wrong place, in
# the wrong case, inside a longer word) are tried, not just random letters.
_LITERALS = sorted(
    {
        lit.lstrip("\x00\x01")
        for _, fast in gate.registered()
        if isinstance(fast, gate.Gated)
        for t in fast.terms
        for lit in t
    }
)
_PIECES = st.one_of(
    st.sampled_from(_LITERALS),
    st.sampled_from(_LITERALS).map(str.upper),
    st.sampled_from(_LITERALS).map(str.title),
    st.sampled_from([" ", "\n", ", ", ". ", "3", "14:30", "10/03", "2026", "ß", "İ", "٣", "pm", "x"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=14).map("".join))
def test_gates_never_skip_a_text_that_matches(text: str) -> None:
    for written, fast in gate.registered():
        assert _found(fast, text) == _found(written, text), (written.pattern[:80], text)
    gate.forget()


def test_a_literal_the_pattern_needs_at_a_word_start_is_not_found_inside_a_word() -> None:
    fast = gate.gated(re.compile(r"\bmarch\s+\d", re.I))
    assert isinstance(fast, gate.Gated)
    assert not fast.could_match("they outmarched us over 3 miles")  # "march" is only inside a word there
    assert fast.search("Is MARCH 3 ok?") is not None


def test_a_pattern_with_no_literal_it_needs_is_left_ungated() -> None:
    assert not isinstance(gate.gated(re.compile(r"\w+@\w+")), gate.Gated)


def test_case_folding_keeps_sharp_s_and_other_digits() -> None:
    street = gate.gated(re.compile(r"stra(?:ß|ss)e\s+\d", re.I))
    assert street.search("Hauptstraße 5") is not None
    assert street.search("HAUPTSTRASSE 5") is not None
    digits = gate.gated(re.compile(r"room\s+\d+", re.I))
    assert digits.search("room ٣") is not None  # \d matches other scripts' digits, so the gate must too


def test_a_gated_cue_skips_text_without_its_words_and_still_finds_them_in_any_language() -> None:
    rejection = cue("rejection")
    assert isinstance(rejection, gate.Gated)
    assert not rejection.could_match("See you at dinner on Saturday, bring the photos!")
    assert rejection.search("Leider müssen wir Ihnen mitteilen, dass wir uns für andere Kandidaten entschieden haben.")
