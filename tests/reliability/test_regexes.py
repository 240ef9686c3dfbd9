"""Issue 11: no regex of agent/detect backtracks catastrophically on pathological input.

The patterns are found by introspection in a subprocess (tests/reliability/regex_worker.py), so regexes added to
agent/detect later are covered; the subprocess has a time budget, and a search that never ends is named.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WORKER = Path(__file__).with_name("regex_worker.py")
TIME_BUDGET = 180


def test_every_detect_regex_survives_pathological_input() -> None:
    try:
        result = subprocess.run(
            [sys.executable, str(WORKER)], capture_output=True, text=True, timeout=TIME_BUDGET, cwd=WORKER.parents[2]
        )
        output = result.stdout
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        started = [line for line in output.splitlines() if line.startswith("START")]
        raise AssertionError(f"no answer within {TIME_BUDGET} s; stuck in {started[-1] if started else '?'}") from None
    assert result.returncode == 0, result.stderr[-2000:]
    lines = output.splitlines()
    assert lines[-1] == "END"
    assert sum(line.startswith("START") for line in lines) >= 50  # the discovery found the modules' patterns
    assert [line for line in lines if line.startswith("SLOW")] == []
