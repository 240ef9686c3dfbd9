"""The pure core (models, parsing, detection, policy, drafting) imports no backend, store, scheduler or network."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

AGENT = Path(__file__).resolve().parents[2] / "agent"
PURE = [
    AGENT / "models.py",
    AGENT / "parsing.py",
    AGENT / "policy.py",
    AGENT / "drafting.py",
    AGENT / "report.py",
    AGENT / "businessdays.py",
    AGENT / "triage.py",
    AGENT / "bounds.py",
    AGENT / "names.py",
    *sorted((AGENT / "detect").glob("*.py")),
]
FORBIDDEN = (
    "agent.mail",
    "agent.store",
    "agent.engine",
    "agent.runner",
    "agent.service",
    "apscheduler",
    "imapclient",
    "googleapiclient",
    "google",
    "google_auth_oauthlib",
    "socket",
    "ssl",
    "http",
    "urllib",
    "requests",
    "sqlite3",
    "smtplib",
    "imaplib",
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", PURE, ids=lambda p: p.relative_to(AGENT).as_posix())
def test_pure_module_imports_nothing_impure(path: Path) -> None:
    bad = sorted(
        name for name in imported_modules(path) if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )
    assert bad == [], f"{path.name} imports {bad}"
