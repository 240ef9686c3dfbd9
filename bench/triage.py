"""What the engine's per-message decisions cost on one core: header-only triage and full detection.

Run from the repository root (not collected by pytest):

    .venv/bin/python bench/triage.py [--messages N]

  * triage: the header blocks of N messages (default 20000) of the realistic mailbox (bench/floor_common.py),
    held in memory, each parsed with `agent.parsing.parse_headers` and decided with `agent.detect.might_matter`
    (which messages need their bodies): messages per second, and how many need a body;
  * detection: `agent.detect.detect` of a parsed 10 KB personal message (a friend's plain-text letter, no job
    cue), the median of 200 runs; and the same for `parse_message` of its bytes.

Last line: `triage: N msgs R msgs/s need-body B detect-10k D ms parse-10k P ms`.
Targets (exit status 1 on a miss): R >= 2000, D < 1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from floor_common import SEED, USER, Blob, RealisticNoise

from agent.detect import DetectContext, detect, might_matter
from agent.models import FolderRole
from agent.parsing import parse_headers, parse_message

TRIAGE_PER_SECOND = 2000
DETECT_10K_MS = 1.0


def header_blocks(count: int, now: datetime) -> list[tuple[FolderRole, bytes]]:
    noise = RealisticNoise(random.Random(SEED), Blob(64 * 1024), now)
    out = []
    for _ in range(count):
        mail, _listed = noise.make()
        head = mail.data.split(b"\r\n\r\n", 1)[0]
        out.append((FolderRole.SENT if mail.folder == "Sent" else FolderRole.INBOX, head))
    return out


def personal_10k(now: datetime) -> bytes:
    paragraph = (
        "It was great to see you last weekend. The kids keep asking when you are coming back, and the garden "
        "finally looks like something. Let me know if Saturday works for dinner; we can try the new Thai place "
        "on 5th. Also, did you ever find that book I lent you? No rush at all.\n\n"
    )
    text = paragraph * (10_000 // len(paragraph))
    head = (
        f"From: Jamie Fox <jamie.fox@gmail.com>\r\nTo: {USER[0]} <{USER[1]}>\r\nSubject: photos from the trip\r\n"
        f"Date: {format_datetime(now)}\r\nMessage-ID: <CAPtriage10k@mail.gmail.com>\r\n"
        'Content-Type: text/plain; charset="UTF-8"\r\n\r\n'
    )
    return head.encode() + text.replace("\n", "\r\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20_000, help="header blocks to triage (default 20000)")
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    ctx = DetectContext(
        user_addresses=frozenset({USER[1]}), zone=ZoneInfo("America/New_York"), user_names=frozenset({USER[0].lower()})
    )

    blocks = header_blocks(args.messages, now)
    started = time.perf_counter()
    need = 0
    for n, (folder, head) in enumerate(blocks):
        message = parse_headers(head, folder, str(n))
        need += might_matter(message, ctx)
    rate = len(blocks) / (time.perf_counter() - started)

    raw = personal_10k(now)
    parses, detects = [], []
    for _ in range(200):
        started = time.perf_counter()
        message = parse_message(raw, FolderRole.INBOX, "p10k")
        parses.append(time.perf_counter() - started)
        started = time.perf_counter()
        verdict = detect(message, ctx)
        detects.append(time.perf_counter() - started)
    detect_ms, parse_ms = statistics.median(detects) * 1000, statistics.median(parses) * 1000
    print(f"10 KB personal message: {len(raw)} bytes, verdict {verdict.kind.value} ({verdict.rule})")
    misses = []
    if rate < TRIAGE_PER_SECOND:
        misses.append(f"triage {rate:.0f} msgs/s < {TRIAGE_PER_SECOND}")
    if detect_ms >= DETECT_10K_MS:
        misses.append(f"detection of a 10 KB personal message {detect_ms:.2f} ms >= {DETECT_10K_MS} ms")
    for miss in misses:
        print(f"MISS {miss}")
    print(
        f"triage: {len(blocks)} msgs {rate:.0f} msgs/s need-body {need} detect-10k {detect_ms:.2f} ms "
        f"parse-10k {parse_ms:.2f} ms"
    )
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
