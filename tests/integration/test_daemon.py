"""`followup-agent run` as a real subprocess against a real Maildir, with one-second ticks.

Covers: the first scan at start and exactly one draft per due step across many ticks; reload on SIGHUP (a new
interval reschedules); a broken config edit keeps the last good config running and names every problem; a
clean exit 0 on SIGTERM/SIGINT; the state lock refusing a second daemon and a manual scan (exit 5); the error
handling of auth failures (logged once, daemon keeps running, visible in `status`); and `scan`'s exit codes.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.daemon_helpers import (
    INTERVIEWERS,
    Daemon,
    config_text,
    drafts,
    interview_invitation,
    make_maildir,
    run_cli,
)

SCAN_DONE = r"INFO agent\.service: scan done"
Setup = tuple[Path, Path, Path]
Start = Callable[[Path], Daemon]


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    """(config file, Maildir root, state db) with the invitation in INBOX and a one-second interval."""
    mail = make_maildir(tmp_path / "Mail")
    state = tmp_path / "state" / "state.db"
    config = tmp_path / "config.toml"
    config.write_text(config_text(mail, state))
    return config, mail, state


@pytest.fixture
def daemons(tmp_path: Path) -> Iterator[Callable[[Path], Daemon]]:
    """Start daemons with `start(config)`; any still running at the end are killed."""
    started: list[Daemon] = []

    def start(config: Path) -> Daemon:
        daemon = Daemon(config, tmp_path / f"daemon-{len(started)}.log")
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.kill()


def _scan_times(daemon: Daemon, after: int, count: int, timeout: float) -> list[float]:
    """Wall-clock arrival times of the scans number after+1 .. after+count (the log has 1 s resolution)."""
    times = []
    for n in range(after + 1, after + count + 1):
        daemon.wait_for(SCAN_DONE, count=n, timeout=timeout)
        times.append(time.monotonic())
    return times


def test_scans_at_start_and_drafts_each_due_step_once(setup: Setup, daemons: Start) -> None:
    config, mail, _state = setup
    daemon = daemons(config)
    daemon.wait_for(SCAN_DONE, timeout=10)
    assert "2 draft(s) created" in daemon.log(), daemon.log()
    daemon.wait_for(SCAN_DONE, count=4, timeout=10)  # the first scan and three more ticks

    found = drafts(mail)
    recipients = sorted(str(d["To"]) for d in found)
    assert len(found) == len(INTERVIEWERS), recipients
    assert all(any(who in r for r in recipients) for who in INTERVIEWERS), recipients
    assert daemon.count(r"drafted thank_you") == 2

    # Health is visible while the daemon runs (the status command does not need the lock).
    status = run_cli(config, "status")
    assert status.returncode == 0, status.stderr
    assert "Last successful scan: never" not in status.stdout
    assert "Last successful scan:" in status.stdout

    code, seconds = daemon.stop()
    assert code == 0, daemon.log()
    assert seconds < 10
    assert "daemon stopped" in daemon.log()
    assert " ERROR " not in daemon.log() and "Traceback" not in daemon.log()


def test_sighup_reload_reschedules_a_changed_interval(setup: Setup, daemons: Start) -> None:
    config, mail, state = setup
    daemon = daemons(config)
    daemon.wait_for(SCAN_DONE, timeout=10)

    daemon.send(signal.SIGHUP)  # nothing changed yet
    daemon.wait_for(r"config reloaded: no change", timeout=5)

    config.write_text(config_text(mail, state, interval=3))
    daemon.send(signal.SIGHUP)
    daemon.wait_for(r"config reloaded: changed \[schedule\]", timeout=5)
    daemon.wait_for(r"rescheduled: scans every 3 min \(3 s\)", timeout=5)
    done = daemon.count(SCAN_DONE)
    times = _scan_times(daemon, done, 2, timeout=10)
    assert times[1] - times[0] > 2.0, f"scans {times[1] - times[0]:.1f} s apart after switching to 3 s"

    code, _ = daemon.stop()
    assert code == 0


def test_broken_config_keeps_the_last_good_one_running(setup: Setup, daemons: Start) -> None:
    config, mail, state = setup
    daemon = daemons(config)
    daemon.wait_for(SCAN_DONE, timeout=10)

    # Not TOML at all.
    config.write_text(config_text(mail, state) + "\nthis is = = not toml\n")
    daemon.send(signal.SIGHUP)
    daemon.wait_for(r"ERROR agent\.service: config not reloaded, the last good config keeps running: .*not valid TOML")
    daemon.wait_for(r"ERROR agent\.service: config problem: ")
    before = daemon.count(SCAN_DONE)
    daemon.wait_for(SCAN_DONE, count=before + 2, timeout=10)  # still scanning with the last good config
    assert daemon.alive()

    # Valid TOML, two schema problems: both are named, once, although the config is re-checked every tick.
    broken = config_text(mail, state).replace('timezone = "UTC"', 'timezone = "Mars/Olympus_Mons"')
    broken = broken.replace("interval_minutes = 1", 'interval_minutes = "soon"')
    config.write_text(broken)
    before = daemon.count(SCAN_DONE)
    daemon.wait_for(SCAN_DONE, count=before + 3, timeout=10)  # picked up by the pre-scan check, no SIGHUP
    log = daemon.log()
    assert log.count("config problem: policy.timezone: must be an IANA timezone name") == 1, log
    assert log.count("config problem: schedule.interval_minutes: must be an integer") == 1, log
    assert daemon.alive()

    # Fixed, with a new interval: SIGHUP picks it up.
    config.write_text(config_text(mail, state, interval=2))
    daemon.send(signal.SIGHUP)
    daemon.wait_for(r"config is valid again", timeout=5)
    daemon.wait_for(r"rescheduled: scans every 2 min \(2 s\)", timeout=5)
    assert len(drafts(mail)) == len(INTERVIEWERS)
    assert "Traceback" not in daemon.log()

    code, _ = daemon.stop()
    assert code == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stops_cleanly_and_releases_the_lock(setup: Setup, daemons: Start, signum: int) -> None:
    config, _mail, _state = setup
    daemon = daemons(config)
    daemon.wait_for(SCAN_DONE, timeout=10)
    code, seconds = daemon.stop(signum)
    assert code == 0, daemon.log()
    assert seconds < 10
    assert f"{signal.Signals(signum).name}: stopping after the current batch" in daemon.log()
    assert "daemon stopped" in daemon.log()
    scan = run_cli(config, "scan")  # the lock went with the daemon
    assert scan.returncode == 0, scan.stderr


def test_second_daemon_and_manual_scan_are_refused(setup: Setup, daemons: Start) -> None:
    config, _mail, _state = setup
    first = daemons(config)
    first.wait_for(r"daemon started", timeout=10)

    second = run_cli(config, "run", timeout=15)
    assert second.returncode == 5, second.stderr
    assert f"another followup-agent (pid {first.pid}) is using the state" in second.stderr
    assert "Traceback" not in second.stderr

    scan = run_cli(config, "scan")
    assert scan.returncode == 5, scan.stderr
    assert f"another followup-agent (pid {first.pid})" in scan.stderr

    assert first.alive()
    code, _ = first.stop()
    assert code == 0


def test_auth_failure_is_logged_once_and_shown_in_status(tmp_path: Path, daemons: Start) -> None:
    state = tmp_path / "state" / "state.db"
    config = tmp_path / "config.toml"
    config.write_text(config_text(tmp_path / "Mail", state, backend="gmail"))  # no saved Gmail token
    daemon = daemons(config)
    daemon.wait_for(r"ERROR agent\.service: authentication failed: no saved Gmail authorisation", timeout=10)
    time.sleep(3.5)  # three more ticks: back-off, and no second report of the same failure
    assert daemon.alive()
    log = daemon.log()
    assert log.count("authentication failed:") == 1, log
    assert "Traceback" not in log

    status = run_cli(config, "status")
    assert status.returncode == 0, status.stderr
    assert "Last scan FAILED" in status.stdout and "no saved Gmail authorisation" in status.stdout, status.stdout

    daemon.send(signal.SIGHUP)  # "I fixed it": retried at once, and reported again since it still fails
    daemon.wait_for(r"authentication failed:", count=2, timeout=5)

    code, _ = daemon.stop()
    assert code == 0


def test_a_scan_stuck_on_the_network_does_not_block_the_stop(tmp_path: Path, daemons: Start) -> None:
    """An IMAP server that accepts the connection and never greets: SIGTERM still ends the daemon in < 10 s."""
    with socket.create_server(("127.0.0.1", 0)) as server:  # never accepted: the kernel completes the handshake
        port = server.getsockname()[1]
        imap = (
            f'[imap]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\nusername = "alex"\n'
            f'password_env = "FOLLOWUP_AGENT_TEST_UNUSED"\ntimeout_seconds = 60\n'
        )
        config = tmp_path / "config.toml"
        config.write_text(config_text(tmp_path / "Mail", tmp_path / "state" / "state.db", backend="imap", extra=imap))
        daemon = daemons(config)
        daemon.wait_for(r"daemon started", timeout=10)
        time.sleep(1.0)  # the first scan is now waiting for the greeting
        code, seconds = daemon.stop()
    assert code == 0, daemon.log()
    assert seconds < 10, daemon.log()
    assert "did not stop within" in daemon.log()


def test_scan_exit_codes(tmp_path: Path) -> None:
    mail = make_maildir(tmp_path / "Mail")
    state = tmp_path / "state" / "state.db"
    config = tmp_path / "config.toml"

    config.write_text(config_text(mail, state))
    ok = run_cli(config, "scan")
    assert ok.returncode == 0, ok.stderr
    assert "2 draft(s) created" in ok.stdout

    config.write_text(config_text(mail, state).replace('email = "alex@example.com"', 'email = "not an address"'))
    bad = run_cli(config, "scan")
    assert bad.returncode == 2, bad.stderr
    assert "identity.email: must be an email address" in bad.stderr

    config.write_text(config_text(mail, state, backend="gmail"))
    auth = run_cli(config, "scan")
    assert auth.returncode == 3, auth.stderr
    assert "no saved Gmail authorisation" in auth.stderr

    not_a_dir = tmp_path / "not-a-maildir"
    not_a_dir.write_text("a file where the Maildir should be\n")
    config.write_text(config_text(not_a_dir, state))
    transient = run_cli(config, "scan")
    assert transient.returncode == 4, transient.stderr
    assert "Traceback" not in transient.stderr


@pytest.mark.dovecot
def test_daemon_against_a_real_dovecot_drafts_each_step_once(tmp_path: Path, daemons: Start) -> None:
    from datetime import UTC, datetime

    from tests.integration.dovecot import require_dovecot

    user = require_dovecot().new_user()
    with user.client() as client:
        client.append("INBOX", interview_invitation(datetime.now(UTC)))
    env_name = f"FOLLOWUP_TEST_IMAP_PASSWORD_{user.name.upper()}"
    os.environ[env_name] = user.password  # inherited by the daemon subprocess
    state = tmp_path / "state" / "state.db"
    config = tmp_path / "config.toml"
    imap = (
        f'\n[imap]\nhost = "{user.host}"\nport = {user.port}\nsecurity = "plain"\nusername = "{user.name}"\n'
        f'password_env = "{env_name}"\n'
    )
    config.write_text(config_text(tmp_path / "unused", state, backend="imap", extra=imap))
    daemon = daemons(config)
    daemon.wait_for(SCAN_DONE, count=4, timeout=20)
    with user.client() as client:
        client.select_folder("Drafts", readonly=True)
        found = client.fetch(client.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (TO X-FOLLOWUP-AGENT-KEY)]"])
    headers = [next(v for k, v in data.items() if k.startswith(b"BODY")).decode() for data in found.values()]
    assert len(headers) == len(INTERVIEWERS)
    assert all(any(who in h for h in headers) for who in INTERVIEWERS), headers
    code, seconds = daemon.stop()
    assert code == 0 and seconds < 10, daemon.log()
