"""`make reliability`: every check of issue 11 at full size, one line per check, then the summary line.

Each check is a pytest run of tests/reliability (or of the existing fault tests) with the sizes set through the
environment; the summary line reads
`reliability: kill K/K ok, faults F/F converge, fuzz N examples 0 escapes, malformed M/M, canary 0, modes ok`.
Exit 0 only when every check passed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
FUZZ = 10_000
# SIGKILLs at full size: of `scan` on a Maildir and on Dovecot, right after a draft file appears, of the daemon.
KILL_SIZES = {"KILLS": 120, "IMAP_KILLS": 40, "DRAFT_KILLS": 12, "DAEMON_KILLS": 20}
KILLS = sum(KILL_SIZES.values()) + KILL_SIZES["DRAFT_KILLS"]  # the draft kills run on Maildir and on Dovecot
FAULT_TESTS = ["tests/reliability/test_faults_imap.py", "tests/reliability/test_faults_gmail.py",
               "tests/reliability/test_faults_disk.py"]  # fmt: skip


@dataclass
class Check:
    name: str
    args: list[str]
    env: dict[str, str]
    passed: int = 0
    failed: int = 0
    seconds: float = 0.0

    def run(self) -> None:
        started = time.monotonic()
        result = subprocess.run(
            [*PYTEST, *self.args], capture_output=True, text=True, cwd=ROOT, env={**os.environ, **self.env}
        )
        self.seconds = time.monotonic() - started
        tail = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
        self.passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", tail)) else 0
        self.failed = int(m.group(1)) if (m := re.search(r"(\d+) (?:failed|error)", tail)) else 0
        if result.returncode != 0:
            self.failed = max(self.failed, 1)
            sys.stdout.write(result.stdout[-4000:])
        print(f"{self.name}: {self.passed} passed, {self.failed} failed ({self.seconds:.0f} s)", flush=True)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.passed > 0


def main() -> int:
    from tests.reliability.malformed import committed_cases, huge_cases

    malformed_total = len(committed_cases()) + sum(1 for _ in huge_cases())
    checks = {
        "bounds": Check(
            "bounds and hostile names",
            ["tests/reliability/test_bounds.py", "tests/reliability/test_hostile_names.py"],
            {},
        ),
        "modes": Check("file modes", ["tests/reliability/test_modes.py"], {}),
        "malformed": Check(f"malformed corpus ({malformed_total} cases)", ["tests/reliability/test_malformed.py"], {}),
        "fuzz": Check(
            f"fuzz ({FUZZ} examples)",
            ["tests/reliability/test_fuzz.py"],
            {"FUZZ_EXAMPLES": str(FUZZ), "FUZZ_SEED": str(int(time.time()) % 100_000)},
        ),
        "regex": Check("regexes", ["tests/reliability/test_regexes.py"], {}),
        "kill": Check(
            f"kills ({KILLS} SIGKILLs: scan on Maildir and Dovecot, after a draft is written, the daemon)",
            ["tests/reliability/test_kills.py", "tests/reliability/test_daemon_kills.py"],
            {name: str(size) for name, size in KILL_SIZES.items()},
        ),
        "canary": Check("secrets canary", ["tests/reliability/test_canary.py"], {"RELIABILITY_FULL": "1"}),
        # One test per fault scenario (IMAP proxy and folders, Gmail fake, disk), each converging to the fault-free
        # run: F counts exactly these.
        "faults": Check("fault scenarios (IMAP proxy, Gmail fake, disk)", FAULT_TESTS, {"RELIABILITY_FULL": "1"}),
        # The backend-level fault tests the scenarios build on (retries, backoff, reconnects): must pass, not counted.
        "backend-faults": Check(
            "backend fault tests (Gmail retries, IMAP proxy)",
            [
                "tests/integration/test_gmail_retries.py",
                "tests/integration/test_imap_backend.py",
                "-k",
                "proxy or retri or 429 or burst or fault or drop or stall or error or uidvalidity",
            ],
            {},
        ),
    }
    for check in checks.values():
        check.run()
    fuzz_ok = checks["fuzz"].ok and checks["regex"].ok
    faults = checks["faults"]
    summary = (
        f"reliability: kill {KILLS if checks['kill'].ok else 0}/{KILLS} ok, "
        f"faults {faults.passed}/{faults.passed + faults.failed} converge, "
        f"fuzz {FUZZ} examples {0 if fuzz_ok else 'some'} escapes, "
        f"malformed {malformed_total if checks['malformed'].ok else 0}/{malformed_total}, "
        f"canary {0 if checks['canary'].ok else 'LEAKED'}, "
        f"modes {'ok' if checks['modes'].ok and checks['bounds'].ok else 'FAILED'}"
    )
    print(summary)
    return 0 if all(c.ok for c in checks.values()) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
