"""Issue 11: a display name carrying an encoded CR/LF injects nothing and is cut at the line break; nobody is
greeted with an address or a header-like string. Real Maildir, real state, real drafts."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from agent.names import clean_name
from tests.integration.test_engine_scenarios import World
from tests.reliability.hostile import invite

# "Eve Example\r\nBcc: boss@evil.example" as an RFC 2047 encoded word (base64 of the UTF-8 bytes).
EVE_ENCODED = "=?utf-8?b?RXZlIEV4YW1wbGUNCkJjYzogYm9zc0BldmlsLmV4YW1wbGU=?="


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Eve Example\r\nBcc: boss@evil.example", "Eve Example"),
        ("Eve\x00Example", "Eve"),
        ("Eve Example\u2028To: x", "Eve Example"),
        ("Eve\x85Example", "Eve"),
        ('  "Marcus Lee"  ', "Marcus Lee"),
        ("marcus.lee@acmerobotics.com", ""),
        ("Bcc: boss@evil.example", ""),
        ("To: everyone", ""),
        ("Subject: hi", ""),
        ("\r\nBcc: x", ""),
        ("=?utf-8?q?still_encoded?=", ""),
        ("Dana Wu (she/her)", "Dana Wu (she/her)"),
        ("Zoë Ångström", "Zoë Ångström"),
    ],
)
def test_clean_name(raw: str, expected: str) -> None:
    assert clean_name(raw) == expected


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_an_encoded_line_break_in_a_name_reaches_no_draft(world: World) -> None:
    raw = invite("eve@acme.com", interviewers=(("Marcus Lee", "marcus.lee@acmerobotics.com"),))
    # The recruiter's From name and the interviewer's calendar name both carry the hostile text.
    raw = raw.replace(b"From: Priya Shah <", f"From: {EVE_ENCODED} <".encode(), 1)
    raw = raw.replace(b'CN="Marcus Lee"', b'CN="Marcus\\nBcc: boss@evil.example"', 1)
    world.deliver(raw)
    world.scan("2026-02-21T09:00")
    world.scan("2026-03-02T11:05")
    drafts = [email.message_from_bytes(r, policy=email.policy.default) for r in world.harness.draft_messages()]
    assert len(drafts) == 1
    draft = drafts[0]
    assert draft.get_all("Bcc") is None
    assert str(draft["To"]) in {"Marcus <marcus.lee@acmerobotics.com>", "marcus.lee@acmerobotics.com"}
    body = draft.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Bcc" not in body and "boss@evil" not in body
    contacts = [row[0] for row in world.store.db.execute("SELECT name FROM contacts")]
    assert all("\n" not in n and "Bcc" not in n for n in contacts)


def test_nobody_is_greeted_with_an_address_or_a_header(world: World) -> None:
    raw = invite(
        "bcc@acme.com",
        interviewers=(
            ("marcus.lee@acmerobotics.com", "marcus.lee@acmerobotics.com"),
            ("Bcc: dana", "dana.wu@acmerobotics.com"),
        ),
    )
    world.deliver(raw)
    world.scan("2026-02-21T09:00")
    world.scan("2026-03-02T11:05")
    drafts = [email.message_from_bytes(r, policy=email.policy.default) for r in world.harness.draft_messages()]
    assert len(drafts) == 2
    for draft in drafts:
        body = draft.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        first_line = body.strip().splitlines()[0]
        assert first_line == "Hello,", first_line
