"""Cheap necessary conditions for detection's patterns, so a regex runs only on text it could match.

Owns three things:
- `requirement`: from a compiled pattern's parse tree, a boolean formula over literal strings that the text of
  every match satisfies ("offer letter|regret to inform" needs "offer" and "letter", or "regret" and "inform");
- `literals_in`: every literal of every gated pattern found in a text, in one Aho-Corasick pass (pyahocorasick),
  cached per text because the rules of one message ask about the same few texts again and again;
- `Gated`: a pattern that answers "no match" without running its regex when the formula is false for the text.

The regex stays the only judge of a match: a gate only skips a search that could not have matched. The formula
errs towards "maybe" (anything it cannot read, such as a character class or a look-around, counts as present),
and text and literals are both case-folded, so a case-insensitive pattern is never wrongly skipped.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

# A formula: True (nothing known), a literal, or ("and" | "or", parts).
Formula = bool | str | tuple[str, tuple["Formula", ...]]

DIGIT = "\x01digit"  # stands for "some digit": one check instead of ten literals
WORD_START = "\x00"  # marks a literal that must begin a word
# Shorter literals ("a", "to", ".", a digit) are in nearly every text: looking for them costs more than it saves.
_SHORTEST = 3
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}


def _all(parts: list[Formula]) -> Formula:
    kept: list[Formula] = []
    for part in parts:
        if part is True:
            continue
        kept.append(part)
    if not kept:
        return True
    return kept[0] if len(kept) == 1 else ("and", tuple(kept))


def _any(parts: list[Formula]) -> Formula:
    if not parts or any(part is True for part in parts):
        return True
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else ("or", tuple(unique))


def _char_set(items: list[tuple[Any, Any]]) -> Formula:
    """A class of digits only ([0-9], \\d) needs a digit; any other class could be anything."""
    for op, av in items:
        digit = (
            (op is sre.RANGE and ord("0") <= av[0] <= av[1] <= ord("9"))
            or (op is sre.CATEGORY and av is sre.CATEGORY_DIGIT)
            or (op is sre.LITERAL and chr(av).isdigit())
        )
        if not digit:
            return True
    return DIGIT


def _sequence(items: Any, word_start: bool = False) -> Formula:
    """What a run of parse items needs: the literal runs it spells, and each part's own needs.

    A run right after `\\b` that begins with a word character must begin a word: it is written WORD_START + run,
    which `literals_in` reports only for occurrences at the start of a word ("mar" in "March 3", not in "summary").
    """
    parts: list[Formula] = []
    run: list[str] = []
    run_at_word_start = False
    boundary = word_start

    def flush() -> None:
        if run:
            text = "".join(run).casefold()
            starts_word = run_at_word_start and (text[0].isalnum() or text[0] == "_")
            if len(text) >= _SHORTEST:
                parts.append(WORD_START + text if starts_word else text)
            run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            if not run:
                run_at_word_start = boundary
            run.append(chr(av))
            boundary = False
            continue
        flush()
        after_boundary, boundary = boundary, op is sre.AT and av is sre.AT_BOUNDARY
        if op is sre.SUBPATTERN:
            parts.append(_sequence(av[3], after_boundary))
        elif op is sre.ATOMIC_GROUP:
            parts.append(_sequence(av, after_boundary))
        elif op is sre.BRANCH:
            parts.append(_any([_sequence(branch, after_boundary) for branch in av[1]]))
        elif op in _REPEATS:
            if av[0] >= 1:
                parts.append(_sequence(av[2], after_boundary))
        elif op is sre.IN:
            parts.append(_char_set(av))
        # AT, ANY, NOT_LITERAL, look-arounds, back-references: nothing a match must contain.
    flush()
    return _all(parts)


def requirement(pattern: re.Pattern[str]) -> Formula:
    """The formula every match of `pattern` satisfies; True when nothing useful is known."""
    try:
        return _sequence(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # a parser detail of another Python: the gate then always lets the regex run
        return True


# A formula as alternatives of literal sets ("offer" and "letter", or "regret" and "inform"): checking it is a
# few subset tests in C. Past this many alternatives a conjunct is dropped, which only weakens the gate.
_MAX_TERMS = 256


def _strength(options: list[frozenset[str]]) -> tuple[int, int]:
    """How much a conjunct tells: the longest literal of its weakest alternative, then how few alternatives."""
    weakest = min((max((len(lit.removeprefix(WORD_START)) for lit in term), default=0) for term in options), default=0)
    return weakest, -len(options)


def _terms(formula: Formula) -> list[frozenset[str]]:
    """The formula as alternatives, each a set of literals that must all occur; [] for "nothing known"."""
    if formula is True or formula is False:
        return [frozenset()]
    if isinstance(formula, str):
        return [frozenset({formula})]
    kind, parts = formula
    if kind == "or":
        out: list[frozenset[str]] = []
        for part in parts:
            out.extend(_terms(part))
        return list(dict.fromkeys(out))
    # The most telling conjuncts first (the shortest literal longest): when the product grows too large, what is
    # left out is a weak one ("a digit"), not the month names beside it.
    conjuncts = sorted((_terms(part) for part in parts), key=_strength, reverse=True)
    product: list[frozenset[str]] = [frozenset()]
    for options in conjuncts:
        if len(product) * len(options) > _MAX_TERMS:
            continue  # leaving a requirement out keeps the gate a necessary condition
        product = list(dict.fromkeys(term | option for term in product for option in options))
    return product


class _Index:
    """Every gated literal in one automaton, rebuilt when a new pattern brings new literals."""

    def __init__(self) -> None:
        self.literals: set[str] = set()
        self.word_starts: set[str] = set()  # literals some pattern needs at the start of a word
        self.automaton: Any = None

    def add(self, literals: set[str]) -> None:
        if not literals <= self.literals:
            self.literals |= literals
            self.automaton = None
            literals_in.cache_clear()
            _ANSWERS.clear()

    def find(self, text: str) -> frozenset[str]:
        if self.automaton is None:
            automaton = ahocorasick.Automaton()
            self.word_starts = {lit.removeprefix(WORD_START) for lit in self.literals if lit.startswith(WORD_START)}
            for literal in {lit.removeprefix(WORD_START) for lit in self.literals if lit != DIGIT}:
                automaton.add_word(literal, literal)
            automaton.make_automaton()
            self.automaton = automaton
        folded = text.casefold()
        found: set[str] = set()
        if self.literals:
            needs_start = self.word_starts
            for end, literal in self.automaton.iter(folded):
                if literal in found and literal not in needs_start:
                    continue
                found.add(literal)
                before = end - len(literal)
                if literal in needs_start and (before < 0 or not (folded[before].isalnum() or folded[before] == "_")):
                    found.add(WORD_START + literal)
        if _ANY_DIGIT.search(folded):  # \d also matches other scripts' digits
            found.add(DIGIT)
        return frozenset(found)


# Gate answers per (pattern, text): the rules ask the same pattern about the same text several times.
_ANSWERS: dict[tuple[int, str], bool] = {}
_ANY_DIGIT = re.compile(r"\d")
_INDEX = _Index()


@lru_cache(maxsize=64)
def literals_in(text: str) -> frozenset[str]:
    """Which of the gated patterns' literals occur in `text` (case-folded)."""
    return _INDEX.find(text)


def forget() -> None:
    """Drop what was found in the texts of the last message: nothing of a message outlives its detection."""
    literals_in.cache_clear()
    _ANSWERS.clear()


@dataclass(frozen=True, eq=False)
class Gated:
    """A compiled pattern behind its gate; the same calls as `re.Pattern` that detection uses."""

    regex: re.Pattern[str]
    terms: tuple[frozenset[str], ...]
    anchors: frozenset[str]  # every literal of every term: a text with none of them is skipped at once
    # For each literal, the terms that need it: only the terms of literals a text holds are tried (a cue list
    # joined over four languages has hundreds of terms, and a letter holds few of their literals).
    by_literal: Mapping[str, tuple[frozenset[str], ...]] = field(default_factory=dict)

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    @property
    def flags(self) -> int:
        return self.regex.flags

    def could_match(self, text: str) -> bool:
        key = (id(self), text)
        known = _ANSWERS.get(key)
        if known is None:
            found = literals_in(text)
            present = found & self.anchors
            known = bool(present) and any(
                term <= found for literal in present for term in self.by_literal.get(literal, ())
            )
            if len(_ANSWERS) > 4096:
                _ANSWERS.clear()
            _ANSWERS[key] = known
        return known

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.search(string, pos, endpos) if self.could_match(string) else None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(string, pos, endpos) if self.could_match(string) else None

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.fullmatch(string, pos, endpos) if self.could_match(string) else None

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.regex.finditer(string, pos, endpos) if self.could_match(string) else iter(())

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.regex.findall(string, pos, endpos) if self.could_match(string) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.regex.sub(repl, string, count) if self.could_match(string) else string

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.regex.split(string, maxsplit) if self.could_match(string) else [string]


Pattern = re.Pattern[str] | Gated

# The first character a match can start with, as class items ("a", "0-9", "\\d"), or None when it could be any.
_ClassItems = set[str] | None


def _first_of_item(op: Any, av: Any) -> tuple[_ClassItems, bool]:
    """(what the item can start with, whether it can match nothing)."""
    if op is sre.LITERAL:
        return {re.escape(chr(av))}, False
    if op is sre.IN:
        items: set[str] = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                items.add(re.escape(chr(value)))
            elif kind is sre.RANGE and value[1] - value[0] < 128:
                items.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
                items.add("\\d")
            else:
                return None, False  # a negated class, \\w, \\s: nearly anything
        return items, False
    if op is sre.SUBPATTERN:
        return _first(av[3])
    if op is sre.ATOMIC_GROUP:
        return _first(av)
    if op is sre.BRANCH:
        union: set[str] = set()
        empty = False
        for branch in av[1]:
            chars, nothing = _first(branch)
            if chars is None:
                return None, False
            union |= chars
            empty = empty or nothing
        return union, empty
    if op in _REPEATS:
        chars, nothing = _first(av[2])
        return chars, nothing or av[0] == 0
    return None, False  # ANY, NOT_LITERAL, back-references


def _first(items: Any) -> tuple[_ClassItems, bool]:
    found: set[str] = set()
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: the match still starts with what follows
        chars, nothing = _first_of_item(op, av)
        if chars is None:
            return None, False
        found |= chars
        if not nothing:
            return found, False
    return found, True


def _with_first_char_check(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern, led by a look-ahead for the characters a match can start with.

    Python's regex engine tries every alternative of a case-insensitive alternation at every position; one class
    test first lets it pass over most positions at once. Matches, groups and spans are unchanged.
    """
    if pattern.pattern.startswith("(?") and re.match(r"\(\?[aiLmsux]+\)", pattern.pattern):
        return pattern  # global inline flags must stay first
    try:
        chars, nothing = _first(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:
        return pattern
    if chars is None or nothing or not chars:
        return pattern
    # Case-insensitive whatever the pattern's flags: a scoped "(?i:midi)" inside it may match "MIDI".
    return re.compile(f"(?=(?i:[{''.join(sorted(chars))}]))(?:{pattern.pattern})", pattern.flags)


_REGISTERED: list[tuple[re.Pattern[str], Pattern]] = []


def registered() -> list[tuple[re.Pattern[str], Pattern]]:
    """Every (pattern as written, pattern as detection runs it): the tests check that both always agree."""
    return list(_REGISTERED)


def gated(written: re.Pattern[str]) -> Pattern:
    """`written` led by its first-character check and behind a gate of the literals it needs."""
    fast = _gated(written)
    _REGISTERED.append((written, fast))
    return fast


def _gated(written: re.Pattern[str]) -> Pattern:
    pattern = _with_first_char_check(written)
    terms = _terms(requirement(pattern))
    if any(not term for term in terms):
        return pattern
    anchors = frozenset().union(*terms)
    _INDEX.add(set(anchors))
    by_literal: dict[str, list[frozenset[str]]] = {}
    for term in terms:
        # A term is tried under one of its literals: its rarest would be best, any one is correct.
        by_literal.setdefault(min(term), []).append(term)
    return Gated(pattern, tuple(terms), anchors, {k: tuple(v) for k, v in by_literal.items()})
