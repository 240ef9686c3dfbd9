"""The demo's report as the browser test sees it, and the README's screenshot of it (docs/report.png).

`python -m tests.integration.report_png` runs the real `followup-agent demo`, loads its report in headless
Chromium with the same code as tests/integration/test_report_browser.py, and writes docs/report.png.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.integration.chromium import chromium

DOCS_PNG = Path(__file__).resolve().parents[2] / "docs" / "report.png"
SIZE = (1280, 640)


@dataclass(frozen=True)
class DemoReport:
    path: Path
    stdout: str


def demo_report(directory: Path) -> DemoReport:
    """Run `followup-agent demo --html` as a user would; the path it prints is the report's."""
    target = directory / "demo-report.html"
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_AGENT_CONFIG"}
    done = subprocess.run(
        [sys.executable, "-m", "agent", "demo", "--html", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"followup-agent demo failed: {done.stderr}")
    match = re.search(r"^The report of these weeks: (.+)$", done.stdout, re.M)
    if match is None:
        raise AssertionError(f"the demo printed no report path:\n{done.stdout[-2000:]}")
    return DemoReport(Path(match.group(1).strip()), done.stdout)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="followup-report-png-") as tmp:
        report = demo_report(Path(tmp))
        chromium().screenshot(report.path, DOCS_PNG, width=SIZE[0], height=SIZE[1])
    print(f"wrote {DOCS_PNG}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
