"""Runs `followup-agent ARGS` and writes its own peak resident memory (VmHWM, in kB) to the file named first.

Measured from inside: the parent's `ru_maxrss` for a child on Linux starts at the parent's own peak (the
pre-exec high-water mark is kept), so a test process holding 80 MB of cases would be blamed on the agent.
Usage: python tests/reliability/rss_probe.py OUT_FILE [followup-agent arguments...]
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path


def _peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    out = Path(sys.argv[1])
    atexit.register(lambda: out.write_text(str(_peak_kb())))
    from agent.cli import main as agent_main

    raise SystemExit(agent_main(sys.argv[2:]))


if __name__ == "__main__":
    main()
