"""Run every benchmark, one after the other, and fail if any of them fails (`make bench`).

Run from the repository root:  .venv/bin/python bench/run_all.py [--scan-messages N] [--imap-messages N]
[--gmail-messages N] [--floor-messages N] [--only NAME ...]

  * bench_scan.py:        the Maildir scan through the real engine; checks its own targets (exit 1 on a miss);
  * bench_imap_sync.py:   IMAP listing against a real Dovecot (needs dovecot: `make system-deps`);
  * bench_gmail_sync.py:  Gmail API quota units against the local fake, paced against its per-user minute;
  * maildir_floor.py, imap_floor.py: a first scan against the floor, memory, no-change scan and growth;
  * triage.py:            header-only triage and detection cost on one core.

The sizes are the ones that finish within 10 minutes on 2 cores; the issue-level figures (100,000 messages)
come from running maildir_floor.py and imap_floor.py on their own (bench/README.md).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def commands(args: argparse.Namespace) -> dict[str, list[str]]:
    """The command line of each benchmark, by short name."""
    python = sys.executable
    return {
        "scan": [python, str(HERE / "bench_scan.py"), "--messages", str(args.scan_messages)],
        "imap": [python, str(HERE / "bench_imap_sync.py"), str(args.imap_messages)],
        "gmail": [python, str(HERE / "bench_gmail_sync.py"), str(args.gmail_messages), "--time-scale", "10"],
        "maildir-floor": [python, str(HERE / "maildir_floor.py"), "--messages", str(args.floor_messages)],
        "imap-floor": [python, str(HERE / "imap_floor.py"), "--messages", str(args.floor_messages)],
        "triage": [python, str(HERE / "triage.py")],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scan-messages", type=int, default=5000, help="Maildir size for bench_scan (5000)")
    parser.add_argument("--imap-messages", type=int, default=1000, help="messages loaded into Dovecot (1000)")
    parser.add_argument("--gmail-messages", type=int, default=10000, help="messages loaded into the fake (10000)")
    parser.add_argument("--floor-messages", type=int, default=5000, help="mailbox of the floor benchmarks (5000)")
    parser.add_argument(
        "--only",
        action="append",
        choices=("scan", "imap", "gmail", "maildir-floor", "imap-floor", "triage"),
        help="run only these",
    )
    args = parser.parse_args()

    results: list[tuple[str, int, float]] = []
    for name, command in commands(args).items():
        if args.only and name not in args.only:
            continue
        print(f"\n=== {name}: {' '.join(Path(c).name if c.endswith('.py') else c for c in command[1:])}", flush=True)
        started = time.monotonic()
        code = subprocess.run(command, cwd=HERE.parent, check=False).returncode
        results.append((name, code, time.monotonic() - started))

    print("\n=== summary")
    for name, code, seconds in results:
        print(f"{name:14} {'ok' if code == 0 else f'FAILED (exit {code})':18} {seconds:6.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
