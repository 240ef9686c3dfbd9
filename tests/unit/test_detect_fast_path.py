"""agent/detect/__init__.py's fast path: a friend's letter (`rules.plainly_personal`) gets the verdict the whole
rule chain would give it, for every message of the corpus, the fixtures and a realistic mailbox's noise."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent import detect as detection
from agent.detect import DetectContext, detect
from agent.detect.rules import plainly_personal
from agent.errors import MalformedMessageError
from agent.models import FolderRole, Message, Verdict
from agent.parsing import parse_message

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from floor_common import SEED, Blob, RealisticNoise  # noqa: E402

CTX = DetectContext(frozenset({"alex.rivera@gmail.com"}), ZoneInfo("America/New_York"))


def _messages() -> Iterator[Message]:
    folders = [ROOT / "fixtures" / "mail", ROOT / "fixtures" / "audit", ROOT / "fixtures" / "audit2"]
    folders += sorted((ROOT / "fixtures" / "corpus" / "dev").iterdir())
    for folder in folders:
        for path in sorted(folder.glob("*.eml")):
            try:
                yield parse_message(path.read_bytes(), FolderRole.INBOX, path.name, None)
            except MalformedMessageError:
                continue  # the malformed fixtures: never detected at all
    noise = RealisticNoise(random.Random(SEED), Blob(4096), datetime(2026, 3, 4, tzinfo=UTC))
    for n in range(400):
        mail, _listed = noise.make()
        yield parse_message(mail.data, FolderRole.INBOX, f"noise-{n}", None)


def _slow(message: Message) -> Verdict:
    detection.FAST_PATH = False
    try:
        return detect(message, CTX)
    finally:
        detection.FAST_PATH = True


def test_the_fast_path_gives_the_rule_chains_verdict() -> None:
    taken = 0
    for message in _messages():
        fast = detect(message, CTX)
        assert fast == _slow(message), message.message_id
        taken += plainly_personal(message, CTX)
    assert taken >= 50, "the realistic noise holds many friends' letters: the fast path must be taken for them"


@pytest.mark.parametrize(
    "text",
    [
        "Are you free Tuesday at 3pm for a quick interview?",  # a job word
        "Could we do 7:30 instead? Same day.",  # it moves a time
        "I'm out of the office until Monday.",  # an out-of-office
    ],
)
def test_a_letter_with_a_deciding_cue_is_not_plainly_personal(text: str) -> None:
    raw = (
        "From: Jamie Fox <jamie.fox@gmail.com>\r\nTo: Alex Rivera <alex.rivera@gmail.com>\r\nSubject: Re: hi\r\n"
        "Date: Wed, 04 Mar 2026 10:00:00 -0500\r\nMessage-ID: <x@mail.gmail.com>\r\n\r\n" + text + "\r\n"
    ).encode()
    assert not plainly_personal(parse_message(raw, FolderRole.INBOX, "1", None), CTX)
