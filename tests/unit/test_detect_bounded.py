"""detect() reads a bounded text: the writer's own words, the first few KB of them (issue 10)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from agent.detect import OWN_TEXT_CHARS, DetectContext, bounded, detect
from agent.models import Address, FolderRole, Kind, Message

CTX = DetectContext(frozenset({"alex.rivera@gmail.com"}), ZoneInfo("America/New_York"))
REJECTION = (
    "Hi Alex,\n\nThank you for interviewing with us. After careful consideration we have decided to move forward "
    "with other candidates.\n\nBest,\nJane"
)
PADDING = "It was lovely weather on the weekend and the garden is finally green again. " * 200


def message(text: str) -> Message:
    return Message(
        message_id="m1@test",
        folder=FolderRole.INBOX,
        date=datetime(2026, 3, 4, 15, 0, tzinfo=UTC),
        sender=Address("Jane Doe", "jane.doe@acme.com"),
        to=(Address("Alex Rivera", "alex.rivera@gmail.com"),),
        subject="Your application",
        text=text,
    )


def test_a_long_message_is_cut_to_the_writers_own_first_few_kb() -> None:
    quoted = "\n".join(f"> {line}" for line in PADDING.split(". "))
    long = message(REJECTION + "\n\n" + PADDING + "\n\nOn Tue, Mar 3, 2026 at 9:14 AM Alex <a@b.c> wrote:\n" + quoted)
    seen = bounded(long)
    assert len(seen.text) == OWN_TEXT_CHARS
    assert seen.text.startswith(REJECTION)
    assert ">" not in seen.text and "wrote:" not in seen.text


def test_a_short_message_is_read_whole() -> None:
    short = message(REJECTION)
    assert bounded(short) is short


def test_the_verdict_of_a_long_message_is_that_of_its_opening() -> None:
    long = message(REJECTION + "\n\n" + PADDING)
    assert detect(long, CTX).kind is Kind.REJECTION
    assert detect(replace(long, text=REJECTION), CTX).kind is Kind.REJECTION
    # A decision buried below several KB of chatter is past what detection reads.
    buried = message(PADDING + "\n\n" + REJECTION)
    assert detect(buried, CTX).kind is not Kind.REJECTION
