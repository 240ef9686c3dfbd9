"""What a Gmail scan costs: quota units and HTTP requests against the local fake Gmail server.

Run from the repository root:  .venv/bin/python bench/bench_gmail_sync.py [N] [--time-scale S]

Loads N messages (default 10000) into the fake and reports, through the real google-api-python-client, a first
sync, an empty incremental sync, an incremental sync with a few new messages, fetching one body, finding drafts
and creating a draft (pacing off: the seconds time the client and the fake). Then a second fake enforces
Gmail's per-user limit of 15,000 units per minute over a sliding window (answering 429 beyond it) and the first
sync runs again with the agent's own pacing: it must draw no 429. `--time-scale S` shrinks that minute to 60/S
seconds and speeds the pacing up S times (`make bench` uses 10, so the paced sync takes seconds, not minutes).
Not collected by pytest (the name does not start with test_).

Last line: `gmail: N msgs first U units (P/msg) nochange C units incremental I units for K new paced T s 429s Z`.
Targets (exit status 1 on a miss): P <= 5.1, C == 2, I <= 2 + 5 K, Z == 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.mail.base import KEY_HEADER
from agent.mail.gmail import USER_UNITS_PER_MINUTE, USER_UNITS_PER_SECOND, GmailBackend
from agent.models import FolderRole
from tests.integration.gmail_fake import FakeGmailServer, make_message
from tests.integration.gmail_fixtures import credentials_for

NEW = 5


def paced_first_sync(n: int, scale: float) -> tuple[float, int, int]:
    """A first sync against a fake that enforces the per-user minute: (seconds, units, 429s drawn)."""
    now = datetime.now(UTC)
    with FakeGmailServer() as server:
        fake = server.fake
        for i in range(n):
            fake.insert(make_message(subject=f"Message {i}", date=now - timedelta(minutes=5 * i)), ("INBOX",))
        fake.reset_counters()
        fake.user_quota = (USER_UNITS_PER_MINUTE, 60.0 / scale)
        backend = GmailBackend(
            credentials_for(server), api_endpoint=server.url, max_units_per_second=USER_UNITS_PER_SECOND * scale
        )
        started = time.perf_counter()
        list(backend.list_new(FolderRole.INBOX, None, now - timedelta(days=60)))
        seconds = time.perf_counter() - started
        backend.close()
        return seconds, fake.units, fake.quota_refusals


def main(n: int, scale: float) -> int:
    now = datetime.now(UTC)
    since = now - timedelta(days=60)
    with FakeGmailServer() as server:
        fake = server.fake
        for i in range(n):
            fake.insert(make_message(subject=f"Message {i}", date=now - timedelta(minutes=5 * i)), ("INBOX",))
        # Without pacing, to time the client and the fake; with it, a first sync of N takes about N * 5 / 250 s.
        backend = GmailBackend(credentials_for(server), api_endpoint=server.url, max_units_per_second=None)
        rows: list[tuple[str, int, int, int, float]] = []

        def measure(label: str, action: object) -> object:
            fake.reset_counters()
            started = time.perf_counter()
            result = action() if callable(action) else None
            elapsed = time.perf_counter() - started
            http = sum(1 for r in fake.requests if not r.batched)
            calls = sum(fake.calls.values())
            rows.append((label, fake.units, calls, http, elapsed))
            return result

        listed = measure("first sync", lambda: list(backend.list_new(FolderRole.INBOX, None, since)))
        assert isinstance(listed, list)
        in_window = sum(len(b.items) for b in listed)
        cursor = listed[-1].cursor
        measure("incremental sync, nothing new", lambda: list(backend.list_new(FolderRole.INBOX, cursor, since)))
        for i in range(NEW):
            fake.insert(make_message(subject=f"New {i}", date=now), ("INBOX",))
        measure(f"incremental sync, {NEW} new", lambda: list(backend.list_new(FolderRole.INBOX, cursor, since)))
        ref = listed[-1].items[-1].ref if listed[-1].items else None
        if ref:
            measure("fetch one body (listed)", lambda: backend.fetch(FolderRole.INBOX, ref))

        draft = EmailMessage()
        draft["To"] = "jobs@acme.example"
        draft["Subject"] = "Re: Message 0"
        draft[KEY_HEADER] = "bench-1"
        draft.set_content("Thank you.")
        measure("create draft", lambda: backend.create_draft(draft, None))
        measure("find drafts (1 draft, first time)", backend.find_drafts)
        measure("find drafts (again, cached)", backend.find_drafts)
        backend.close()

    print(f"{n} messages loaded, {in_window} in the 60-day window")
    print(f"{'operation':36} {'units':>7} {'API calls':>10} {'HTTP requests':>14} {'seconds':>8}")
    for label, units, calls, http, elapsed in rows:
        print(f"{label:36} {units:>7} {calls:>10} {http:>14} {elapsed:>8.2f}")
    assert not fake.send_attempts, "a send request reached the fake"

    seconds, paced_units, refusals = paced_first_sync(n, scale)
    minute = 60.0 / scale
    print(f"paced first sync, limit {USER_UNITS_PER_MINUTE} units per {minute:g} s: {seconds:.1f} s, "
          f"{paced_units} units, {refusals} answers 429")  # fmt: skip
    first, nochange, incremental = rows[0][1], rows[1][1], rows[2][1]
    per_message = first / max(in_window, 1)  # per message listed (all N fall inside the 60-day window)
    misses = []
    if per_message > 5.1:
        misses.append(f"first sync {per_message:.2f} units per message > 5.1")
    if nochange != 2:
        misses.append(f"no-change sync {nochange} units != 2")
    if incremental > 2 + 5 * NEW:
        misses.append(f"incremental sync {incremental} units > {2 + 5 * NEW}")
    if refusals:
        misses.append(f"the paced first sync drew {refusals} answers 429")
    for miss in misses:
        print(f"MISS {miss}")
    print(f"gmail: {n} msgs first {first} units ({per_message:.2f}/msg) nochange {nochange} units incremental "
          f"{incremental} units for {NEW} new paced {seconds:.1f} s 429s {refusals}")  # fmt: skip
    return 1 if misses else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="messages in the fake (default 10000)")
    parser.add_argument("--time-scale", type=float, default=1.0, help="shrink the quota minute this many times")
    args = parser.parse_args()
    sys.exit(main(args.count, args.time_scale))
