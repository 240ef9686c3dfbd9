"""followup-agent only ever leaves drafts: no code under agent/ may send mail.

A static scan of the source text, so that a send can't sneak in through a code path the other tests don't
exercise. It looks for the Gmail send methods, any `.send(` call on a Gmail resource, SMTP and sendmail.
"""

from __future__ import annotations

import re
from pathlib import Path

AGENT = Path(__file__).resolve().parents[2] / "agent"

FORBIDDEN: dict[str, re.Pattern[str]] = {
    "Gmail messages().send": re.compile(r"messages\s*\(\s*\)\s*\.\s*send\b"),
    "Gmail drafts().send": re.compile(r"drafts\s*\(\s*\)\s*\.\s*send\b"),
    # Any .send( on something that looks like a Gmail resource or service object.
    "send on a Gmail resource": re.compile(
        r"(?:users|messages|drafts|threads|service|gmail|_users|_service)\s*(?:\(\s*\))?\s*\.\s*send\s*\("
    ),
    "a send method named via getattr": re.compile(r"getattr\s*\([^)]*[\"']send[\"']"),
    "smtplib": re.compile(r"\bsmtplib\b"),
    "sendmail": re.compile(r"sendmail", re.IGNORECASE),
    "the send scope": re.compile(r"auth/gmail\.send\b"),
}


def _sources() -> list[Path]:
    return sorted(p for p in AGENT.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".toml", ".txt", ".cfg"})


def scan(text: str) -> list[str]:
    """The names of the forbidden patterns found in `text`."""
    return [name for name, pattern in FORBIDDEN.items() if pattern.search(text)]


def test_the_scan_catches_what_it_should() -> None:
    assert scan("service.users().messages().send(userId='me', body=b).execute()")
    assert scan("self._users.drafts().send(userId='me', body={'id': d})")
    assert scan("users.messages() . send (")
    assert scan("gmail.send(message)")
    assert scan("import smtplib")
    assert scan("subprocess.run(['/usr/sbin/sendmail', '-t'])")
    assert scan("getattr(drafts, 'send')")
    assert scan("https://www.googleapis.com/auth/gmail.send")
    assert not scan("self._users.drafts().create(userId='me', body=body)")
    assert not scan("sock.sendall(data)")
    assert not scan("https://www.googleapis.com/auth/gmail.compose")


def test_nothing_under_agent_can_send_mail() -> None:
    sources = _sources()
    assert any(p.name == "gmail.py" for p in sources) or sources, "found no sources to scan"
    offences = [
        f"{path.relative_to(AGENT.parent)}: {name}"
        for path in sources
        for name in scan(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offences == [], "code under agent/ could send mail:\n" + "\n".join(offences)
