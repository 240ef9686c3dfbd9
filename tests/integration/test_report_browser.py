"""The HTML report in a real browser: headless Chromium loads it, the test reads the DOM it built.

What "no network request" and "no injected script" mean here, and how each is checked:

* Requests: Chromium's net log records every URL request with the isolation key of the page it was made for;
  none may carry the report's (`file://`). The resolver maps every host to nothing, so nothing could leave anyway.
* Scripts: the page's Content-Security-Policy forbids every script, and the hostile mail below would, if it ever
  ran or loaded, leave marks in the DOM Chromium dumps after load (a changed title, a data attribute, a script or
  img element): none may be there.
* Both checks are shown to catch what they look for: a control page that does load an image and run a script
  fails them.
"""

from __future__ import annotations

import mailbox
import os
import struct
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from tests import mailgen
from tests.integration.chromium import Chromium, require_chromium
from tests.integration.report_png import demo_report
from tests.tomlgen import dumps

NY = ZoneInfo("America/New_York")
TITLE = "followup-agent: your applications"
HOSTILE_SUBJECT = (
    "<script>document.title='pwned'</script>"
    '<img src="http://evil.example/pixel.png" onerror="document.body.dataset.pwned=1">'
    '<link rel="stylesheet" href="http://evil.example/x.css">'
)
HOSTILE_NAME = "Eve <svg onload=document.body.dataset.pwned=2>"

# The demo's applications (five with interviews, one only acknowledged): company, state, and the next step as
# `status` words it.
DEMO = {
    "Acme Robotics": ("followed_up", "second follow up drafted Mon 2026-03-16 08:05: review and send it"),
    "Umbrella Health": ("offer", "offer received on Fri 2026-03-13 15:45"),
    "Globex": ("followed_up", "second follow up due Mon 2026-03-23 08:00"),
    "Initech": ("rejected", "rejection received on Tue 2026-03-10 16:20"),
    "Hooli": ("responded", "Gavin Belson <gavin.belson@hooli.com> answered on Fri 2026-03-06 09:12"),
    "Stark Industries": ("applied", "applied; no interview arranged yet"),
}


@pytest.fixture(scope="module")
def browser() -> Chromium:
    return require_chromium()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_demo_report_shows_every_application_its_state_and_next_step(browser: Chromium, tmp_path: Path) -> None:
    report = demo_report(tmp_path)
    assert report.path.is_file()
    shot = tmp_path / "report.png"
    loaded = browser.load(report.path, screenshot=shot)
    page = BeautifulSoup(loaded.dom, "lxml")

    rows = page.select("main details.app")
    seen = {}
    for row in rows:
        company = row.select_one("summary .name").get_text(strip=True)
        seen[company] = (row["data-state"], row.select_one("summary .next").get_text(strip=True))
        assert row.select_one("summary .state").get_text(strip=True) == row["data-state"].replace("_", " ")
        assert row.select("summary svg.track svg.mk"), f"{company} has nothing on its timeline"
        assert row.select(".explain table tbody tr"), f"{company} has no explain"
    assert seen == DEMO
    counts = {b["data-state"]: int(b.get_text()) for b in page.select("nav.filters b.count")}
    assert counts == {"all": 6, "applied": 1, "followed_up": 2, "responded": 1, "offer": 1, "rejected": 1}
    assert page.title.get_text() == TITLE
    assert _png_size(shot) == (1280, 900) and shot.stat().st_size > 20_000
    assert loaded.page_requests == ()


def test_hostile_mail_in_the_report_runs_nothing_and_loads_nothing(browser: Chromium, tmp_path: Path) -> None:
    root = tmp_path / "Mail"
    root.mkdir()
    inbox = mailbox.Maildir(str(root / "INBOX"), create=True)
    for name in ("Sent", "Drafts"):
        mailbox.Maildir(str(root / name), create=True)
    at = datetime(2026, 2, 20, 10, 0, tzinfo=NY)
    inbox.add(
        mailgen.calendar_invite(
            sent=at,
            start=datetime(2026, 3, 2, 10, 0, tzinfo=NY),
            end=datetime(2026, 3, 2, 11, 0, tzinfo=NY),
            message_id="hostile-invite@google.com",
        )
    )
    inbox.add(
        mailgen.reply(
            sent=datetime(2026, 3, 3, 9, 0, tzinfo=NY),
            message_id="hostile-reply@acmerobotics.com",
            in_reply_to="hostile-invite@google.com",
            sender=(f'"{HOSTILE_NAME}"', "priya.shah@acmerobotics.com"),
            subject=HOSTILE_SUBJECT,
            body="Hi Alex,\n\nThanks for your time. We will be in touch next week.\n\nPriya",
        )
    )
    config = tmp_path / "config.toml"
    config.write_text(
        dumps(
            {
                "identity": {"name": "Alex Candidate", "email": mailgen.USER[1]},
                "mailbox": {"backend": "maildir", "lookback_days": 400},
                "maildir": {"path": str(root)},
                "policy": {"timezone": "America/New_York"},
                "state": {"path": str(tmp_path / "state.db")},
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_AGENT_CONFIG"}
    agent = [sys.executable, "-m", "agent", "--config", str(config)]
    scan = subprocess.run([*agent, "scan", "--now", "2026-03-04T09:00"], capture_output=True, text=True, env=env)
    assert scan.returncode == 0, scan.stderr
    html = tmp_path / "out" / "report.html"
    done = subprocess.run(
        [*agent, "report", "--html", str(html), "--now", "2026-03-04T09:00"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Report written to {html}"

    loaded = browser.load(html)
    page = BeautifulSoup(loaded.dom, "lxml")
    assert page.title.get_text() == TITLE
    assert "data-pwned" not in loaded.dom
    assert page.find_all(["script", "img", "link", "iframe", "object", "embed"]) == []
    assert [t.name for t in page.find_all(True) if any(a.lower().startswith("on") for a in t.attrs)] == []
    row = page.select_one("details.app")
    assert HOSTILE_SUBJECT in row.select_one(".explain").get_text()
    # A display name carrying markup is no name at all (agent.names): the sender shows by address only.
    explained = row.select_one(".explain").get_text()
    assert "priya.shah@acmerobotics.com" in explained and "onload" not in explained
    assert loaded.page_requests == ()


def test_the_checks_catch_a_page_that_loads_and_runs_something(browser: Chromium, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text(
        "<!DOCTYPE html><html><head><title>before</title></head><body>"
        '<img src="http://probe.example/pixel.png"><script>document.title = "ran"</script></body></html>'
    )
    loaded = browser.load(control)
    assert "<title>ran</title>" in loaded.dom
    assert [r.url for r in loaded.page_requests] == ["http://probe.example/pixel.png"]
