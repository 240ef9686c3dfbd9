"""agent/engine.py's scan when detection fails on a message, on a real Maildir and a real SQLite state.

A failing rule is caught and logged by `agent.detect.detect`, a failing `detect` call by the engine: either way
the log says where it failed and never quotes the mail's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent import detect as detect_module
from agent import engine as engine_module
from agent.detect import DetectContext
from agent.models import FolderRole, Message
from tests import mailgen
from tests.integration.test_engine_scenarios import World, at

SECRET = "the-body-says-my-home-address-is-42-elm-street"


def _leaky(message: Message, ctx: DetectContext) -> None:
    # Many real failures quote their input: int("..."), date.fromisoformat("..."), a KeyError on a word.
    raise ValueError(f"invalid literal for int() with base 10: {SECRET!r}")


def _deliver(world: World) -> None:
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:00"), start=at("2026-03-02T10:00"), end=at("2026-03-02T11:00"), message_id="i@x"
        ),
        FolderRole.INBOX,
    )


def test_a_failing_detection_rule_never_puts_mail_text_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(tmp_path)
    _deliver(world)
    monkeypatch.setattr(detect_module, "RULES", [("leaky", _leaky), *detect_module.RULES])
    with caplog.at_level("DEBUG"):
        world.scan("2026-02-21T09:00")
    assert "leaky" in caplog.text and "ValueError" in caplog.text  # still reported, with where it failed
    assert SECRET not in caplog.text


def test_a_failing_detect_call_never_puts_mail_text_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(tmp_path)
    _deliver(world)
    monkeypatch.setattr(engine_module, "detect", _leaky)
    with caplog.at_level("DEBUG"):
        world.scan("2026-02-21T09:00")
    assert "detection failed" in caplog.text and "ValueError" in caplog.text
    assert SECRET not in caplog.text
