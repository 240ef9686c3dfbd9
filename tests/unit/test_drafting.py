"""Drafting: default texts, threading headers, the key header, and no header injection."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent.config import DraftingConfig, IdentityConfig
from agent.drafting import build_email, first_name, render
from agent.errors import ConfigError
from agent.models import (
    KEY_HEADER,
    Address,
    Application,
    Deadline,
    Event,
    History,
    Interview,
    Kind,
    Step,
    StepKind,
)

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 16, 8, 0, tzinfo=NY)
ME = IdentityConfig(name="Alex Candidate", email="alex@example.com")
PRIYA = Address("Priya Shah", "priya@acme.com")
INTERVIEW = Interview(1, datetime(2026, 3, 2, 10, tzinfo=NY), datetime(2026, 3, 2, 11, tzinfo=NY), (PRIYA,))
REPLY = Event(
    "reply-1@acme.com",
    datetime(2026, 3, 4, 11, tzinfo=NY),
    Kind.REPLY,
    "t",
    PRIYA,
    (),
    "Re: Interview",
    True,
    conversation=("reply-1@acme.com", "invite-1@acme.com"),
    thread_id="thr-9",
)
HISTORY = History(Application(4, "Acme Robotics", "Backend Engineer"), (REPLY,), (INTERVIEW,))
BANNED = ("salary", "compensation", "benefit", "other offer", "need an answer")


def step(kind: StepKind, to: Address = PRIYA, **extra: object) -> Step:
    return Step(f"4/{kind.value}/1/x", kind, NOW, "because", to, INTERVIEW, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", list(StepKind))
def test_every_default_text_is_polite_named_and_has_a_placeholder(kind: StepKind) -> None:
    deadline = Deadline(date(2026, 3, 13), "by Friday, March 13")
    content = render(step(kind, reply_to_event=REPLY, deadline=deadline), HISTORY, ME, DraftingConfig(), NOW)
    assert content.body.startswith("Dear Priya,")
    assert "[" in content.body and "]" in content.body
    assert "Alex Candidate" in content.body
    assert "Acme Robotics" in content.body and "Backend Engineer" in content.body
    lowered = content.body.lower()
    assert not any(word in lowered for word in BANNED)
    if kind is not StepKind.THANK_YOU:
        assert "anything else" in lowered
    if kind is StepKind.FOLLOW_UP_AFTER_DATE:
        assert "March 13" in content.body


def test_follow_up_replies_inside_the_conversation() -> None:
    content = render(step(StepKind.FOLLOW_UP, reply_to_event=REPLY), HISTORY, ME, DraftingConfig(), NOW)
    assert content.subject == "Re: Interview"
    assert content.in_reply_to == "reply-1@acme.com"
    assert content.references == ("invite-1@acme.com", "reply-1@acme.com")
    assert content.thread_id == "thr-9"
    message = build_email(content, ME, NOW)
    assert message["In-Reply-To"] == "<reply-1@acme.com>"
    assert message["References"] == "<invite-1@acme.com> <reply-1@acme.com>"
    assert message[KEY_HEADER] == "4/follow_up/1/x"


def test_thank_you_is_a_new_message_naming_the_role() -> None:
    content = render(step(StepKind.THANK_YOU), HISTORY, ME, DraftingConfig(), datetime(2026, 3, 2, 11, 5, tzinfo=NY))
    assert content.subject == "Thank you – Backend Engineer interview"
    assert content.in_reply_to is None
    assert "today" in content.body


def test_a_name_with_line_breaks_cannot_inject_headers() -> None:
    evil = Address("Eve\r\nBcc: victim@evil.example\r\nX-Evil: 1", "eve@acme.com")
    content = render(step(StepKind.THANK_YOU, to=evil), HISTORY, ME, DraftingConfig(), NOW)
    evil_subject = content.__class__(**{**content.__dict__, "subject": "Hi\r\nBcc: victim@evil.example"})
    raw = build_email(evil_subject, ME, NOW).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["eve@acme.com"]
    assert b"\r\nBcc:" not in raw and b"\nBcc:" not in raw


def test_first_names() -> None:
    assert first_name(Address("Priya Shah", "p@x.com")) == "Priya"
    assert first_name(Address("Shah, Priya", "p@x.com")) == "Priya"
    assert first_name(Address("", "p@x.com")) == ""


def test_no_name_means_a_neutral_greeting() -> None:
    content = render(step(StepKind.FOLLOW_UP, to=Address("", "hiring@acme.com")), HISTORY, ME, DraftingConfig(), NOW)
    assert content.body.startswith("Hello,")


def test_user_templates_render_in_a_sandbox_with_strict_undefined(tmp_path: Path) -> None:
    good = tmp_path / "ty.j2"
    good.write_text("Hi {{ first_name }}, thanks! {{ my_name }}")
    config = DraftingConfig(templates={"thank_you": good})
    assert render(step(StepKind.THANK_YOU), HISTORY, ME, config, NOW).body.strip() == "Hi Priya, thanks! Alex Candidate"
    typo = tmp_path / "typo.j2"
    typo.write_text("Hi {{ frist_name }}")
    with pytest.raises(ConfigError):
        render(step(StepKind.THANK_YOU), HISTORY, ME, DraftingConfig(templates={"thank_you": typo}), NOW)
    escape = tmp_path / "escape.j2"
    escape.write_text("{{ greeting.__class__.__mro__ }}")
    with pytest.raises(ConfigError):
        render(step(StepKind.THANK_YOU), HISTORY, ME, DraftingConfig(templates={"thank_you": escape}), NOW)


def test_interview_day_wording() -> None:
    later = NOW - timedelta(days=13)
    content = render(step(StepKind.THANK_YOU), HISTORY, ME, DraftingConfig(), later)
    assert "yesterday" in content.body or "on Monday, March 2" in content.body
