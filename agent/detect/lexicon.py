"""The per-language phrase data detection matches: cue patterns, month and weekday names, relative days.

Owns loading `agent/data/lexicon/<language>.toml` and joining every language's pattern for a cue into one
compiled, case-insensitive pattern, so the rules never know which languages exist: a new language is a data file
(and its messages in the corpus). A language may leave a cue out; that cue then matches in the other languages.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from agent.detect.gate import Pattern, gated


@cache
def _files() -> tuple[dict[str, Any], ...]:
    folder = resources.files("agent") / "data" / "lexicon"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found.append(tomllib.loads(entry.read_text(encoding="utf-8")))
    # English first: where a rule quotes the first match, the oldest and largest list decides ties.
    return tuple(sorted(found, key=lambda data: data.get("language") != "en"))


def languages() -> tuple[str, ...]:
    return tuple(str(data["language"]) for data in _files())


@cache
def cue(name: str) -> Pattern:
    """Every language's pattern for the cue `name`, as one alternation."""
    parts = []
    for data in _files():
        value = data.get("cues", {}).get(name)
        # A cue is one pattern, or a list of them: one family of phrasings per item, each with its comment.
        parts += [str(v) for v in value] if isinstance(value, list) else [str(value)] if value is not None else []
    if not parts:
        raise KeyError(f"no language defines the cue {name!r}")
    # Named groups would clash between languages: a cue is only ever asked whether and where it matched.
    joined = "|".join(f"(?:{p})" for p in parts)
    return gated(re.compile(re.sub(r"\(\?P<\w+>", "(?:", joined), re.IGNORECASE))


@cache
def words(table: str) -> dict[str, int]:
    """A word table merged over every language: month names to 1-12, weekday names to 0-6, relative days to offsets."""
    merged: dict[str, int] = {}
    for data in _files():
        for word, value in data.get("words", {}).get(table, {}).items():
            merged.setdefault(word.lower(), int(value))
    return merged


@cache
def periods() -> dict[str, str]:
    """Named periods ("Ende nächster Woche", "la semaine prochaine") per kind of day, joined over languages."""
    merged: dict[str, list[str]] = {}
    for data in _files():
        for kind, pattern in data.get("periods", {}).items():
            merged.setdefault(kind, []).append(f"(?:{pattern})")
    return {kind: "|".join(parts) for kind, parts in merged.items()}


def alternation(table: str) -> str:
    """A regex alternation of a word table's keys, longest first so "march" is tried before "mar"."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words(table), key=len, reverse=True)) + ")"
