"""Measures well-kept libraries against detection's hand-written parsers, by the scorer and by speed (issue 9).

Two questions, answered on the labelled corpus (fixtures/corpus/README.md):

1. Quote stripping: what the writer wrote, without what they quoted. The scorer runs the real engine over the
   split three times, with `agent.parsing.strip_quoted`, with quotequail's `unwrap` and with mail-parser-reply's
   `EmailReplyParser` in its place; each line gives the scorer's result and the time per message.
2. Prose dates and times: for every message labelled with an interview start, whether the hand-written reader
   (`agent.detect.interview_text.find_times`, as detection uses it) and dateparser's `search_dates` (with the
   corpus' four languages, the message's own moment as the relative base and the user's zone) find that start,
   and how long each takes. dateparser is given the benefit of the doubt: it counts when *any* date it returns is
   the start, although detection would still have to choose one.

    python bench/libraries.py [--split dev|held|held2|all] [--only MAILBOX]

The libraries are not dependencies of the agent; install them beside it to run this:
`pip install dateparser quotequail mail-parser-reply`. Only the dev split should be studied.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import detect_score  # noqa: E402

import agent.detect.rules as rules  # noqa: E402
import agent.parsing as parsing  # noqa: E402
from agent.detect.context import DetectContext  # noqa: E402
from agent.detect.interview_text import find_times  # noqa: E402
from agent.models import FolderRole  # noqa: E402

LANGUAGES = ["en", "de", "fr", "es"]


def _quotequail(text: str) -> str:
    import quotequail

    found = quotequail.unwrap(text)
    return str(found.get("text_top", "")) if found else text


def _mail_parser_reply(text: str) -> str:
    from mailparser_reply import EmailReplyParser

    return str(EmailReplyParser(languages=LANGUAGES).parse_reply(text))


@contextlib.contextmanager
def stripper(replacement: Callable[[str], str]) -> Iterator[None]:
    """Every caller of `strip_quoted` uses `replacement` while the block runs."""
    saved = parsing.strip_quoted
    rules.strip_quoted = replacement  # type: ignore[assignment]
    parsing.strip_quoted = replacement  # type: ignore[assignment]
    try:
        yield
    finally:
        rules.strip_quoted = saved  # type: ignore[assignment]
        parsing.strip_quoted = saved  # type: ignore[assignment]


def score_with(split: str, only: str | None, replacement: Callable[[str], str]) -> tuple[str, float, int]:
    """The scorer's last line, the seconds per message spent stripping, and the messages scored."""
    spent = [0.0, 0]

    def timed(text: str) -> str:
        started = time.perf_counter()
        try:
            return replacement(text)
        finally:
            spent[0] += time.perf_counter() - started
            spent[1] += 1

    out = io.StringIO()
    with stripper(timed), contextlib.redirect_stdout(out):
        detect_score.main(["--split", split, *(["--only", only] if only else [])])
    lines = out.getvalue().strip().splitlines()
    return lines[-2] + " | " + lines[-1], spent[0] / max(1, spent[1]), int(spent[1])


def interview_labels(split: str, only: str | None) -> Iterator[tuple[bytes, datetime, ZoneInfo]]:
    for folder in detect_score.mailboxes(split, only):
        labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
        user_zone = ZoneInfo(labels["mailbox"]["timezone"])
        for item in labels["message"]:
            if item.get("interview_start") and item["folder"] == "inbox":
                start = datetime.fromisoformat(item["interview_start"])
                start = start.replace(tzinfo=ZoneInfo(item.get("interview_zone") or labels["mailbox"]["timezone"]))
                yield (folder / item["file"]).read_bytes(), start, user_zone


def compare_dates(split: str, only: str | None) -> None:
    import dateparser.search

    ours_right = lib_right = total = 0
    ours_time = lib_time = 0.0
    for raw, start, zone in interview_labels(split, only):
        message = parsing.parse_message(raw, FolderRole.INBOX)
        assert message.date is not None
        own = parsing.strip_quoted(message.text)[:3000]
        ctx = DetectContext(frozenset(), zone)
        total += 1
        began = time.perf_counter()
        found = find_times(own, message.date, ctx)
        ours_time += time.perf_counter() - began
        ours_right += any(f.start == start for f in found)
        base = message.date.astimezone(zone).replace(tzinfo=None)
        began = time.perf_counter()
        hits = dateparser.search.search_dates(
            own,
            languages=LANGUAGES,
            settings={
                "RELATIVE_BASE": base,
                "TIMEZONE": str(zone),
                "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DATES_FROM": "future",
            },
        )
        lib_time += time.perf_counter() - began
        lib_right += any(moment == start for _, moment in hits or [])
    print(
        f"dates: {total} labelled interview starts;"
        f" hand-written {ours_right}/{total} right at {1000 * ours_time / max(1, total):.2f} ms/message;"
        f" dateparser {lib_right}/{total} right (any of its dates) at {1000 * lib_time / max(1, total):.2f} ms/message"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--only")
    args = parser.parse_args(argv)
    for name, replacement in (
        ("strip_quoted (hand-written)", parsing.strip_quoted),
        ("quotequail.unwrap", _quotequail),
        ("mail-parser-reply", _mail_parser_reply),
    ):
        line, per_message, count = score_with(args.split, args.only, replacement)
        print(f"quotes: {name}: {1000 * per_message:.3f} ms/call over {count} calls: {line}")
    compare_dates(args.split, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
