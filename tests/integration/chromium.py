"""Headless Chromium for the report's browser tests, and for the README's screenshot (docs/report.png).

`require_chromium()` finds Debian's `chromium` (installing it with apt-get when missing, as `make system-deps`
does); without one the test skips, except under CI=true, where that is a failure.

`Chromium.load(page)` opens a local file the way a user's browser would and returns what it saw: the DOM after
load (`--dump-dom`), optionally a screenshot, and every network request the page made. The requests come from
Chromium's own net log (`--log-net-log`): each URL request carries the network isolation key of the page that
caused it, so requests of the page (keyed `file://`) are told apart from the browser's background chatter
(update checks, which even `--disable-background-networking` does not silence entirely, keyed to no page). The
host resolver maps every name to nothing, so no request can leave the machine either way.

The Debian wrapper script (/usr/bin/chromium) adds API keys and extension flags that make the browser call
Google; the binary itself is run instead, with a fresh profile each time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BINARIES = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root in containers, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
TIMEOUT_SECONDS = 60


class ChromiumUnavailable(RuntimeError):
    """No Chromium could be found or installed."""


@dataclass(frozen=True)
class PageRequest:
    url: str
    isolation_key: str  # the site of the page that made the request; "null null" for the browser's own
    initiator: str


@dataclass(frozen=True)
class Loaded:
    dom: str
    requests: tuple[PageRequest, ...]  # every URL request of the net log, the browser's own included

    @property
    def page_requests(self) -> tuple[PageRequest, ...]:
        """Requests a page loaded from a file made: they carry its file:// isolation key and its origin."""
        return tuple(r for r in self.requests if r.isolation_key.startswith("file://") or r.initiator == "null")


def find_binary() -> str | None:
    for name in BINARIES:
        found = shutil.which(name) if not name.startswith("/") else (name if os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def install() -> None:
    """apt-get install chromium, as root or through passwordless sudo; quiet unless it fails."""
    sudo: list[str] = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        try:
            done = subprocess.run(sudo + command, env=env, capture_output=True, text=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ChromiumUnavailable(f"cannot install chromium: {exc}") from None
        if done.returncode != 0:
            raise ChromiumUnavailable(f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}")


class Chromium:
    def __init__(self, binary: str) -> None:
        self.binary = binary

    def _run(self, page: Path, extra: list[str], workdir: Path) -> str:
        profile = workdir / "profile"
        profile.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOOGLE_")}
        command = [self.binary, *FLAGS, f"--user-data-dir={profile}", *extra, page.absolute().as_uri()]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise AssertionError(f"chromium did not finish within {TIMEOUT_SECONDS} s: {command}") from None
        if done.returncode != 0:
            raise AssertionError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def load(self, page: Path, *, screenshot: Path | None = None, width: int = 1280, height: int = 900) -> Loaded:
        with tempfile.TemporaryDirectory(prefix="followup-chromium-") as tmp:
            workdir = Path(tmp)
            netlog = workdir / "netlog.json"
            dom = self._run(page, ["--dump-dom", f"--log-net-log={netlog}"], workdir)
            requests = _requests(netlog)
            if screenshot is not None:
                self.screenshot(page, screenshot, width=width, height=height)
        return Loaded(dom, requests)

    def screenshot(self, page: Path, target: Path, *, width: int = 1280, height: int = 900) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="followup-chromium-") as tmp:
            self._run(page, [f"--window-size={width},{height}", f"--screenshot={target.absolute()}"], Path(tmp))
        if not target.is_file() or target.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            raise AssertionError(f"chromium wrote no PNG screenshot to {target}")
        return target


def _requests(netlog: Path) -> tuple[PageRequest, ...]:
    """Every URL request the net log saw starting, with the page it was made for."""
    data = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    found = []
    for event in data.get("events", ()):
        params = event.get("params") or {}
        if event.get("type") == start_job and "url" in params:
            found.append(
                PageRequest(params["url"], str(params.get("network_isolation_key", "")), str(params.get("initiator")))
            )
    return tuple(found)


def chromium() -> Chromium:
    """A usable Chromium, installed if it is missing; ChromiumUnavailable otherwise."""
    binary = find_binary()
    if binary is None:
        install()
        binary = find_binary()
    if binary is None:
        raise ChromiumUnavailable("chromium is not installed (apt-get install chromium)")
    return Chromium(binary)


def require_chromium() -> Chromium:
    """For pytest: skip without Chromium, except on CI, where a browser test that cannot run is a failure."""
    import pytest

    try:
        return chromium()
    except ChromiumUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but no Chromium: {exc}", pytrace=False)
        pytest.skip(str(exc))
