"""Benchmark of the IMAP backend against a real Dovecot (not collected by pytest).

Loads N messages into INBOX, then measures through a counting TCP proxy:
  * the first sync (cursor None) of INBOX: seconds, IMAP commands, bytes received;
  * an empty incremental scan of INBOX + Sent with the saved cursors, on a warm backend (folders known);
  * the same scan from a cold backend (connect, login, LIST, then the scan), as a daemon run would pay it.

Run: .venv/bin/python bench/bench_imap_sync.py [N] [--batch-size B]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.config import ImapConfig
from agent.mail.imap import ImapBackend
from agent.models import FolderRole
from tests.integration.dovecot import DovecotServer, TcpProxy

ROLES = (FolderRole.INBOX, FolderRole.SENT)


def message(n: int) -> bytes:
    return (
        f"From: Recruiter {n} <r{n}@acme{n % 50}.example>\r\nTo: me@example.org\r\n"
        f"Subject: Your application #{n}\r\nMessage-ID: <bench{n}@acme.example>\r\n"
        f"Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Thank you for applying. We will be in touch.\r\n"
        * 20
    ).encode()


def report(label: str, seconds: float, proxy: TcpProxy) -> None:
    names = proxy.command_names()
    print(f"{label:<44} {seconds * 1000:9.1f} ms {len(names):6d} commands {proxy.bytes_down:10d} bytes down")
    if len(names) <= 8:
        print(f"{'':<44} {' | '.join(names)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()

    with DovecotServer(tls=False) as server, TcpProxy(server.port) as proxy:
        user = server.new_user()
        started = time.monotonic()
        now = datetime.now(UTC)
        with user.client(timeout=60) as client:
            for n in range(args.count):
                client.append("INBOX", message(n), msg_time=now - timedelta(minutes=n))
        print(f"loaded {args.count} messages in {time.monotonic() - started:.2f} s (Dovecot {server.version})")

        os.environ["BENCH_IMAP_PASSWORD"] = user.password
        config = ImapConfig(host=user.host, port=proxy.port, security="plain", username=user.name,
                            password_env="BENCH_IMAP_PASSWORD", batch_size=args.batch_size)  # fmt: skip
        since = now - timedelta(days=60)
        with ImapBackend.from_config(config) as imap:
            imap.connect()
            imap.folder_name(FolderRole.SENT)
            proxy.reset_counters()
            started = time.monotonic()
            cursors = {}
            listed = 0
            for role in ROLES:
                for batch in imap.list_new(role, None, since):
                    listed += len(batch.items)
                    cursors[role] = batch.cursor
            report(f"first sync, {listed} listed (batch {args.batch_size})", time.monotonic() - started, proxy)

            proxy.reset_counters()
            started = time.monotonic()
            for role in ROLES:
                assert all(not b.items for b in imap.list_new(role, cursors[role], since))
            report("empty incremental scan, warm (INBOX+Sent)", time.monotonic() - started, proxy)

        proxy.reset_counters()
        started = time.monotonic()
        with ImapBackend.from_config(config) as imap:
            for role in ROLES:
                assert all(not b.items for b in imap.list_new(role, cursors[role], since))
        report("empty incremental scan, cold (+login, LIST)", time.monotonic() - started, proxy)


if __name__ == "__main__":
    main()
