"""The command line as a user runs it: real subprocesses, a real Maildir, a real SQLite file."""

from __future__ import annotations

import json
import mailbox
import os
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests import mailgen
from tests.tomlgen import dumps

NY = ZoneInfo("America/New_York")
INVITE_ID = "cli-invite@google.com"


def run(*args: str, env: dict[str, str] | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_AGENT_CONFIG"}
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "agent", *args], capture_output=True, text=True, env=full_env, timeout=60
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    """A config file and a Maildir holding one interview invitation."""
    root = tmp_path / "Mail"
    root.mkdir()
    inbox = mailbox.Maildir(str(root / "INBOX"), create=True)
    for name in ("Sent", "Drafts"):
        mailbox.Maildir(str(root / name), create=True)
    inbox.add(
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:00"), start=at("2026-03-02T10:00"), end=at("2026-03-02T11:00"), message_id=INVITE_ID
        )
    )
    config = tmp_path / "config.toml"
    config.write_text(
        dumps(
            {
                "identity": {"name": "Alex Candidate", "email": mailgen.USER[1]},
                "mailbox": {"backend": "maildir", "lookback_days": 400},
                "maildir": {"path": str(root)},
                "policy": {"timezone": "America/New_York", "holidays": "US"},
                "state": {"path": str(tmp_path / "state.db")},
            }
        )
    )
    return config, root


def drafts_in(root: Path) -> int:
    return len(mailbox.Maildir(str(root / "Drafts")).keys())


def test_check_config_ok_and_every_problem_with_exit_2(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    config, _ = setup
    assert run("--config", str(config), "check-config").returncode == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[identity]\nname = "A"\nemail = "nope"\n[policy.follow_up]\nbusiness_days = -1\n[colour]\n')
    result = run("--config", str(bad), "check-config")
    assert result.returncode == 2
    assert "policy.follow_up.business_days: must be a positive integer, got -1" in result.stderr
    assert "identity.email: must be an email address" in result.stderr
    assert "colour: unknown key" in result.stderr
    assert str(bad) in result.stderr
    assert "Traceback" not in result.stderr


def test_config_path_from_the_environment(setup: tuple[Path, Path]) -> None:
    config, _ = setup
    result = run("check-config", env={"FOLLOWUP_AGENT_CONFIG": str(config)})
    assert result.returncode == 0 and str(config) in result.stdout


def test_init_writes_the_example_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    first = run("--config", str(target), "init")
    assert first.returncode == 0 and target.exists()
    assert (target.stat().st_mode & 0o077) == 0
    target.write_text("# mine\n")
    second = run("--config", str(target), "init")
    assert second.returncode != 0 and target.read_text() == "# mine\n"


def test_a_bad_config_never_touches_the_state(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    config, root = setup
    config.write_text(config.read_text().replace('timezone = "America/New_York"', 'timezone = "Nowhere/Land"'))
    result = run("--config", str(config), "scan", "--now", "2026-03-02T11:05")
    assert result.returncode == 2
    assert not (tmp_path / "state.db").exists()
    assert drafts_in(root) == 0


def test_scan_status_explain_and_dry_run(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    config, root = setup
    dry = run("--config", str(config), "scan", "--dry-run", "--now", "2026-03-02T11:05", check=True)
    assert "2 draft(s) would create" in dry.stdout and drafts_in(root) == 0
    run("--config", str(config), "scan", "--now", "2026-03-02T11:05", check=True)
    assert drafts_in(root) == 2
    run("--config", str(config), "scan", "--now", "2026-03-02T11:30", check=True)
    assert drafts_in(root) == 2

    status = json.loads(
        run("--config", str(config), "status", "--json", "--now", "2026-03-02T11:30", check=True).stdout
    )
    [app] = status["applications"]
    assert set(app) >= {
        "id",
        "company",
        "role",
        "state",
        "interviews",
        "deadline",
        "follow_ups_sent",
        "next_action",
        "drafts",
    }
    assert app["company"] == "Acme Robotics" and app["state"] == "interviewed"
    assert app["interviews"][0]["start"].startswith("2026-03-02T10:00")
    assert {p["email"] for p in app["interviews"][0]["interviewers"]} == {
        "marcus.lee@acmerobotics.com",
        "dana.wu@acmerobotics.com",
    }
    assert sorted(d["to"] for d in app["drafts"]) == ["dana.wu@acmerobotics.com", "marcus.lee@acmerobotics.com"]
    assert all(d["status"] == "open" and d["kind"] == "thank_you" for d in app["drafts"])
    assert app["next_action"]["kind"] in {"thank_you", "follow_up"}

    text = run("--config", str(config), "status", "--now", "2026-03-02T11:30", check=True).stdout
    assert "Acme Robotics" in text and "Last successful scan" in text

    explained = run("--config", str(config), "explain", str(app["id"]), "--now", "2026-03-10T09:00", check=True)
    assert "rule" in explained.stdout and "Invitation" in explained.stdout
    assert "follow_up" in explained.stdout

    missing = run("--config", str(config), "explain", "99")
    assert missing.returncode == 1 and "no application 99" in missing.stderr


def test_manual_close_stops_drafts(setup: tuple[Path, Path]) -> None:
    config, root = setup
    run("--config", str(config), "scan", "--now", "2026-02-21T09:00", check=True)
    run("--config", str(config), "close", "1", check=True)
    run("--config", str(config), "scan", "--now", "2026-03-02T11:05", check=True)
    assert drafts_in(root) == 0
    status = json.loads(run("--config", str(config), "status", "--json", check=True).stdout)
    assert status["applications"][0]["state"] == "closed"


def test_malformed_messages_are_skipped_once_and_the_rest_comes_out_right(setup: tuple[Path, Path]) -> None:
    config, root = setup
    inbox = mailbox.Maildir(str(root / "INBOX"))
    inbox.add(b"From: broken@example.com\nSubject: no date here\nMessage-ID: <nodate@example.com>\n\nhello\n")
    inbox.add(
        b"From: x@example.com\nDate: Mon, 2 Mar 2026 09:00:00 -0500\nMessage-ID: <b64@example.com>\n"
        b"Subject: Interview\nContent-Type: text/plain; charset=x-unknown\nContent-Transfer-Encoding: base64\n\n"
        b"!!!not base64###\n"
    )
    inbox.add(
        b"From: y@example.com\nDate: Mon, 2 Mar 2026 09:00:00 -0500\nMessage-ID: <bomb@example.com>\n"
        b"Subject: Interview\nContent-Type: text/html\n\n" + b"<div>" * 200_000
    )
    first = run("--config", str(config), "scan", "--now", "2026-03-02T11:05")
    assert first.returncode == 0, first.stderr
    assert drafts_in(root) == 2
    assert first.stderr.count("nodate@example.com") == 1
    second = run("--config", str(config), "scan", "--now", "2026-03-02T11:10")
    assert second.returncode == 0 and "nodate@example.com" not in second.stderr
    assert "hello" not in first.stderr  # bodies are never logged


def test_a_second_scan_on_the_same_state_is_refused_while_one_runs(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    config, _ = setup
    from agent.store import StateLock

    with StateLock(tmp_path / "state.db"):
        result = run("--config", str(config), "scan")
    assert result.returncode == 5
    assert "another followup-agent" in result.stderr and "Traceback" not in result.stderr


def test_a_mailbox_fault_exits_4_and_status_reports_it(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    config, root = setup
    run("--config", str(config), "scan", "--now", "2026-03-02T11:05", check=True)
    root.rename(tmp_path / "Mail-unmounted")
    failed = run("--config", str(config), "scan", "--now", "2026-03-02T11:10")
    assert failed.returncode == 4, failed.stderr
    assert "Maildir" in failed.stderr and "Traceback" not in failed.stderr
    status = json.loads(run("--config", str(config), "status", "--json", check=True).stdout)
    assert "Maildir" in status["health"]["last_error"]["error"]
    text = run("--config", str(config), "status", check=True).stdout
    assert "Last scan FAILED" in text
    (tmp_path / "Mail-unmounted").rename(root)
    run("--config", str(config), "scan", "--now", "2026-03-02T11:15", check=True)
    assert "since recovered" in run("--config", str(config), "status", check=True).stdout


def test_demo_runs_offline_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run("demo", env={"XDG_DATA_HOME": str(tmp_path / "data")}, check=True)
    elapsed = time.monotonic() - started
    report = tmp_path / "data" / "followup-agent" / "demo-report.html"
    assert f"The report of these weeks: {report}" in result.stdout
    assert "Hooli" in report.read_text() and stat.S_IMODE(report.stat().st_mode) == 0o600
    assert "Status at the end of the simulation" in result.stdout
    for state in ("followed_up", "rejected", "offer", "responded"):
        assert state in result.stdout
    assert "--- thank you ---" in result.stdout and "--- follow up after date ---" in result.stdout
    assert elapsed < 10


def test_state_database_is_sqlite_with_a_schema_version(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    config, _ = setup
    run("--config", str(config), "scan", "--now", "2026-03-02T11:05", check=True)
    with sqlite3.connect(tmp_path / "state.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1


def test_status_before_any_scan_creates_no_state(tmp_path: Path, setup: tuple[Path, Path]) -> None:
    config, _ = setup
    text = run("--config", str(config), "status", check=True)
    assert "No scan has run yet" in text.stdout
    data = json.loads(run("--config", str(config), "status", "--json", check=True).stdout)
    assert data["applications"] == []
    assert not (tmp_path / "state.db").exists()


def test_messages_shows_each_verdict_and_its_rule(setup: tuple[Path, Path]) -> None:
    config, root = setup
    mailbox.Maildir(str(root / "INBOX")).add(
        mailgen.out_of_office(
            sent=at("2026-03-03T07:15"),
            message_id="ooo@acmerobotics.com",
            sender=("Dana Wu", "dana.wu@acmerobotics.com"),
        )
    )
    run("--config", str(config), "scan", "--now", "2026-03-03T09:00", check=True)
    listed = run("--config", str(config), "messages", check=True).stdout
    assert "auto_reply (rule auto_reply), application 1" in listed
    assert "interview (rule interview_calendar), application 1" in listed
    only = run("--config", str(config), "messages", "--search", "ooo@", check=True).stdout
    assert "ooo@acmerobotics.com" in only and INVITE_ID not in only


def test_report_writes_the_page_to_the_data_folder_and_opens_it_in_the_browser(
    tmp_path: Path, setup: tuple[Path, Path]
) -> None:
    config, _ = setup
    data = tmp_path / "data"
    before = run("--config", str(config), "report", env={"XDG_DATA_HOME": str(data)}, check=True)
    assert before.stdout.startswith("No scan has run yet") and not data.exists()
    run("--config", str(config), "scan", "--now", "2026-03-02T11:05", check=True)
    # The desktop's browser, as the webbrowser module finds it: $BROWSER, here a script that notes its argument.
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    env = {"XDG_DATA_HOME": str(data), "BROWSER": f"{browser} %s", "DISPLAY": ""}
    result = run("--config", str(config), "report", "--open", "--now", "2026-03-03T09:00", env=env, check=True)
    page = data / "followup-agent" / "report.html"
    assert result.stdout.strip() == f"Report written to {page}"
    assert opened.read_text().strip() == page.as_uri()
    html = page.read_text()
    assert "Acme Robotics" in html and 'As of <time id="report-now">Tue 2026-03-03 09:00</time>' in html


def test_report_to_a_place_it_cannot_write_says_so_without_a_traceback(
    tmp_path: Path, setup: tuple[Path, Path]
) -> None:
    config, _ = setup
    run("--config", str(config), "scan", "--now", "2026-03-02T11:05", check=True)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("--config", str(config), "report", "--html", str(blocker / "report.html"))
    assert result.returncode == 1
    assert f"cannot write the report to {blocker / 'report.html'}" in result.stderr
    assert "Traceback" not in result.stderr and "--html PATH" in result.stderr
    assert list(tmp_path.glob("**/.report-*")) == []
