"""The floor itself: the cheapest way to look at every message, run as a child by maildir_floor.py and
imap_floor.py. It imports only the standard library and imapclient, so its time is the work, not the agent's
imports.

    python bench/floor_probe.py maildir ROOT FOLDER...
    python bench/floor_probe.py imap PORT USER BATCH SINCE_DAYS ITEMS_JSON   (password in $BENCH_IMAP_PASSWORD)

Prints the number of messages it read.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path


def maildir(root: Path, folders: list[str]) -> int:
    """Read every file's header block and parse it with the compat32 header parser."""
    parser = BytesHeaderParser(policy=compat32)
    count = 0
    for folder in folders:
        for sub in ("new", "cur"):
            for entry in os.scandir(root / folder / sub):
                lines = []
                with open(entry.path, "rb") as handle:
                    for line in handle:
                        if line in (b"\n", b"\r\n"):
                            break
                        lines.append(line)
                parser.parsebytes(b"".join(lines)).get("Message-ID")
                count += 1
    return count


def imap(port: int, user: str, batch: int, since_days: int, items: list[str]) -> int:
    """Log in, EXAMINE INBOX and Sent, search back to the lookback, FETCH `items` of every message in batches."""
    from imapclient import IMAPClient

    since = (datetime.now(UTC) - timedelta(days=since_days + 1)).date()
    count = 0
    with IMAPClient("127.0.0.1", port, ssl=False, timeout=300) as client:
        client.login(user, os.environ["BENCH_IMAP_PASSWORD"])
        for folder in ("INBOX", "Sent"):
            client.select_folder(folder, readonly=True)
            uids = sorted(client.search(["SINCE", since, "NOT", "DELETED"]))
            for start in range(0, len(uids), batch):
                count += len(client.fetch(uids[start : start + batch], items))
    return count


if __name__ == "__main__":
    if sys.argv[1] == "maildir":
        print(maildir(Path(sys.argv[2]), sys.argv[3:]))
    else:
        port, user, batch, days, items = sys.argv[2:7]
        print(imap(int(port), user, int(batch), int(days), json.loads(items)))
