"""What a Gmail scan costs: quota units and HTTP requests against the local fake Gmail server.

Run from the repository root:  .venv/bin/python bench/bench_gmail_sync.py [N]

Loads N messages into the fake and reports a first sync, an empty incremental sync, an incremental sync with
a few new messages, fetching one body, finding drafts and creating a draft. Not collected by pytest (the name
does not start with test_).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.mail.base import KEY_HEADER
from agent.mail.gmail import GmailBackend
from agent.models import FolderRole
from tests.integration.gmail_fake import FakeGmailServer, make_message
from tests.integration.gmail_fixtures import credentials_for


def main(n: int) -> None:
    now = datetime.now(UTC)
    since = now - timedelta(days=60)
    with FakeGmailServer() as server:
        fake = server.fake
        for i in range(n):
            fake.insert(make_message(subject=f"Message {i}", date=now - timedelta(minutes=37 * i)), ("INBOX",))
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
        for i in range(5):
            fake.insert(make_message(subject=f"New {i}", date=now), ("INBOX",))
        measure("incremental sync, 5 new", lambda: list(backend.list_new(FolderRole.INBOX, cursor, since)))
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
