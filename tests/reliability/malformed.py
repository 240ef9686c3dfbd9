"""The malformed corpus (fixtures/malformed/): loading each case with its expectation, and the huge cases."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "malformed"


@dataclass(frozen=True)
class Expectation:
    outcome: str  # recorded, skipped, duplicate, any
    application: bool | None  # False: starts no application; None: either
    interview: str  # none, any


@dataclass(frozen=True)
class MalformedCase:
    name: str
    raw: bytes
    expect: Expectation


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("malformed_generate", ROOT / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def committed_cases() -> list[MalformedCase]:
    """Every case in cases/ (generated) and hand/ (written by hand), in name order."""
    found = []
    for eml in sorted(ROOT.glob("*/*.eml")):
        side = json.loads(eml.with_name(eml.name.removesuffix(".eml") + ".expect.json").read_text())
        found.append(MalformedCase(f"{eml.parent.name}/{eml.stem}", eml.read_bytes(), Expectation(**side)))
    return found


def huge_cases() -> Iterator[MalformedCase]:
    """The tens-of-megabytes cases, built now (they are not committed)."""
    for case in _generator().huge_cases():
        yield MalformedCase(f"huge/{case.name}", case.raw, Expectation(**case.expectation()))


def message_id(raw: bytes) -> str | None:
    """The case's own Message-ID as the parser reads it (None when it has none)."""
    from agent.models import FolderRole
    from agent.parsing import parse_headers

    try:
        head = parse_headers(raw[:2_000_000], FolderRole.INBOX)
    except Exception:
        return None
    return None if head.message_id.endswith("@followup-agent.invalid") else head.message_id
