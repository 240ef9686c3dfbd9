"""The unit files in systemd/: `systemd-analyze verify` accepts every one of them without a single complaint,
the system template's sandbox scores as "OK" in `systemd-analyze security --offline=yes`, and the settings the
daemon relies on (reload, stop, restart, hardening) are present.

`verify` insists that ExecStart= binaries exist, so each unit is copied to a temporary folder with the
followup-agent path replaced by a stub executable; everything else is verified as shipped. Without
systemd-analyze the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNITS = REPO / "systemd"
USER_UNITS = ("followup-agent.service", "followup-agent-scan.service", "followup-agent-scan.timer")
SYSTEM_TEMPLATE = "followup-agent@.service"
DAEMONS = ("followup-agent.service", SYSTEM_TEMPLATE)
# The install locations the units name (see the comments in the units for why these).
SHIPPED_PATHS = {"%h/.local/bin/followup-agent", "/usr/local/bin/followup-agent"}
EXPOSURE_LIMIT = 3.0  # systemd-analyze calls up to 3.9 "OK"; keep a margin


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze") or (
        "/usr/bin/systemd-analyze" if Path("/usr/bin/systemd-analyze").exists() else None
    )
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("systemd-analyze is required in CI (apt-get install systemd)")
        pytest.skip("systemd-analyze is not installed")
    return found


def _settings(text: str) -> dict[str, list[str]]:
    """Key -> every value, in order (a unit file may repeat a key; configparser can't represent that)."""
    values: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values.setdefault(key.strip(), []).append(value.strip())
    return values


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """The units, with the followup-agent path pointing at an existing stub executable."""
    stub = tmp_path / "bin" / "followup-agent"
    stub.parent.mkdir()
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    out = tmp_path / "units"
    out.mkdir()
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text()
        for path in SHIPPED_PATHS:
            text = text.replace(path, str(stub))
        (out / unit.name).write_text(text)
    (out / "followup-agent@alice.service").write_text((out / SYSTEM_TEMPLATE).read_text())
    return out


def _verify(analyze: str, units: list[Path], *, user: bool, runtime: Path) -> None:
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), SYSTEMD_LOG_COLOR="0")
    runtime.mkdir(exist_ok=True, mode=0o700)
    args = [analyze, *(["--user"] if user else []), "verify", *map(str, units)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
    # verify exits 0 on unknown keys and unparsable values (it only logs them): any line about our units fails.
    ours = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if any(unit.name in line or str(unit.parent) in line for unit in units)
    ]
    assert done.returncode == 0 and not ours, f"systemd-analyze verify:\n{done.stdout}{done.stderr}"


def test_every_shipped_unit_names_a_known_install_path() -> None:
    for unit in ("followup-agent.service", SYSTEM_TEMPLATE, "followup-agent-scan.service"):
        settings = _settings((UNITS / unit).read_text())
        execs = [value for key, values in settings.items() if key.startswith("Exec") for value in values]
        commands = [e.split()[0] for e in execs if "followup-agent" in e]
        assert commands and all(c in SHIPPED_PATHS for c in commands), (unit, commands)


def test_user_units_verify(staged: Path, tmp_path: Path) -> None:
    analyze = _systemd_analyze()
    _verify(analyze, [staged / name for name in USER_UNITS], user=True, runtime=tmp_path / "run")


def test_system_template_verifies(staged: Path, tmp_path: Path) -> None:
    analyze = _systemd_analyze()
    _verify(
        analyze,
        [staged / SYSTEM_TEMPLATE, staged / "followup-agent@alice.service"],
        user=False,
        runtime=tmp_path / "run",
    )


def test_system_template_exposure_is_ok(staged: Path) -> None:
    analyze = _systemd_analyze()
    done = subprocess.run(
        [analyze, "security", "--offline=yes", str(staged / "followup-agent@alice.service")],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, SYSTEMD_LOG_COLOR="0"),
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)", done.stdout)
    assert match, f"no exposure level in:\n{done.stdout}{done.stderr}"
    score = float(match.group(1))
    print(f"\nsystemd-analyze security --offline=yes followup-agent@alice.service: {score} {match.group(2)}")
    assert score <= EXPOSURE_LIMIT, done.stdout


@pytest.mark.parametrize("unit", DAEMONS)
def test_daemon_units_reload_stop_and_restart_as_designed(unit: str) -> None:
    s = _settings((UNITS / unit).read_text())
    assert [v.split()[1:] for v in s["ExecStartPre"]] == [["check-config"]]
    assert [v.split()[1:] for v in s["ExecStart"]] == [["run"]]
    assert s["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert s["KillSignal"] == ["SIGTERM"] and s["TimeoutStopSec"] == ["15"]
    assert s["Restart"] == ["on-failure"] and s["RestartSec"] == ["30s"]
    assert "StartLimitBurst" in s and "StartLimitIntervalSec" in s
    assert "PYTHONUNBUFFERED=1" in s["Environment"]
    assert s["UMask"] == ["0077"]
    for key in (
        "NoNewPrivileges",
        "RestrictSUIDSGID",
        "LockPersonality",
        "MemoryDenyWriteExecute",
        "RestrictRealtime",
        "RestrictNamespaces",
        "ProtectKernelTunables",
        "ProtectKernelModules",
        "ProtectKernelLogs",
        "ProtectControlGroups",
        "ProtectHostname",
        "PrivateTmp",
    ):
        assert s[key] == ["yes"], (unit, key)
    assert s["ProtectSystem"] == ["strict"]
    assert s["RestrictAddressFamilies"] == ["AF_INET AF_INET6 AF_UNIX"]
    assert s["SystemCallFilter"][0] == "@system-service" and s["SystemCallArchitectures"] == ["native"]
    assert any("Mail" in path for path in s["ReadWritePaths"]), "the Maildir must be writable for drafts"


def test_system_template_sandbox_extras() -> None:
    s = _settings((UNITS / SYSTEM_TEMPLATE).read_text())
    assert s["User"] == ["%i"]
    assert s["ProtectHome"] == ["read-only"]
    assert s["StateDirectory"] == ["followup-agent/%i"]
    for key, value in (
        ("PrivateDevices", "yes"),
        ("ProtectClock", "yes"),
        ("ProtectProc", "invisible"),
        ("ProcSubset", "pid"),
        ("CapabilityBoundingSet", ""),
    ):
        assert s[key] == [value], key


def test_timer_schedule() -> None:
    s = _settings((UNITS / "followup-agent-scan.timer").read_text())
    assert s["OnBootSec"] == ["2min"] and s["OnUnitActiveSec"] == ["15min"]
    assert s["RandomizedDelaySec"] == ["60"] and s["Persistent"] == ["true"]
    service = _settings((UNITS / "followup-agent-scan.service").read_text())
    assert service["Type"] == ["oneshot"] and [v.split()[1:] for v in service["ExecStart"]] == [["scan"]]
