"""Gmail OAuth: the consent flow, the token file, refreshing and refused grants, against the fake Gmail server."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import threading
import urllib.request
import webbrowser
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import google_auth_oauthlib.flow as oauth_flow
import pytest
from google_auth_oauthlib.flow import InstalledAppFlow

from agent.config import GmailConfig
from agent.errors import AuthError, ConfigError
from agent.mail import gmail_auth
from agent.mail.gmail import GmailBackend
from agent.mail.gmail_auth import (
    DEFAULT_NO_BROWSER_PORT,
    INVALID_GRANT_MESSAGE,
    SCOPES,
    load_credentials,
    run_auth_flow,
    write_token,
)
from agent.models import FolderRole
from tests.integration import gmail_fixtures
from tests.integration.gmail_fake import FakeGmailServer, make_message
from tests.integration.gmail_fixtures import credentials_for, gmail_config, write_client_secrets

gmail_server = gmail_fixtures.gmail_server
gmail_send_guard = gmail_fixtures.gmail_send_guard

EXPECTED_SCOPES = [
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.compose",
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------------------------------------ token file


def test_write_token_creates_a_0600_file(tmp_path: Path) -> None:
    path = tmp_path / "state" / "gmail-token.json"
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        write_token(path, '{"refresh_token": "x"}')
    finally:
        os.umask(old_umask)
    assert path.read_text() == '{"refresh_token": "x"}'
    assert _mode(path) == 0o600
    assert os.listdir(path.parent) == ["gmail-token.json"]


def test_write_token_replaces_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gmail-token.json"
    path.write_text("old")
    path.chmod(0o644)
    created: list[tuple[str, int]] = []
    real_open = os.open

    def spy_open(name: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        created.append((str(name), mode))
        return real_open(name, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_open)
    write_token(path, "new")
    assert path.read_text() == "new" and _mode(path) == 0o600
    (temp, mode) = created[-1]
    assert Path(temp).parent == tmp_path and mode == 0o600  # created 0600 beside the target, then renamed

    # A failure before the rename leaves the old file whole and no temporary file behind.
    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_token(path, "newer")
    assert path.read_text() == "new"
    assert os.listdir(tmp_path) == ["gmail-token.json"]


# ------------------------------------------------------------------------------------------------ loading


def test_missing_token_tells_to_run_auth(tmp_path: Path) -> None:
    cfg = GmailConfig(client_secrets=tmp_path / "client.json", token=tmp_path / "nope.json")
    with pytest.raises(AuthError) as info:
        load_credentials(cfg)
    assert "followup-agent auth" in str(info.value)
    assert str(tmp_path / "client.json") in str(info.value)


def test_unreadable_token_tells_to_run_auth(tmp_path: Path) -> None:
    token = tmp_path / "token.json"
    token.write_text('{"token": "abc"}')
    with pytest.raises(AuthError, match="followup-agent auth"):
        load_credentials(GmailConfig(client_secrets=tmp_path / "c.json", token=token))


def test_an_expired_token_is_refreshed_and_saved(tmp_path: Path, gmail_server: FakeGmailServer) -> None:
    cfg = gmail_config(tmp_path, gmail_server, expired=True)
    before = json.loads(cfg.token.read_text())
    credentials = load_credentials(cfg)
    assert credentials.valid
    assert len(gmail_server.fake.token_requests) == 1
    saved = json.loads(cfg.token.read_text())
    assert saved["token"] == credentials.token != before["token"]
    assert saved["refresh_token"] == before["refresh_token"]
    assert _mode(cfg.token) == 0o600


def test_a_valid_token_is_not_refreshed(tmp_path: Path, gmail_server: FakeGmailServer) -> None:
    cfg = gmail_config(tmp_path, gmail_server)
    load_credentials(cfg)
    assert gmail_server.fake.token_requests == []


def test_invalid_grant_on_refresh_is_an_actionable_auth_error(tmp_path: Path, gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.invalid_grant = True
    cfg = gmail_config(tmp_path, gmail_server, expired=True)
    with pytest.raises(AuthError) as info:
        GmailBackend.from_config(cfg)
    assert str(info.value) == INVALID_GRANT_MESSAGE
    assert "invalid_grant" in str(info.value) and "7 days" in str(info.value)
    assert "followup-agent auth" in str(info.value)


def test_invalid_grant_during_a_scan_is_an_auth_error(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.check_tokens = True
    backend = GmailBackend(credentials_for(gmail_server), api_endpoint=gmail_server.url)
    gmail_server.fake.accepted_tokens.clear()
    gmail_server.fake.invalid_grant = True
    with pytest.raises(AuthError) as info:
        backend.find_drafts()
    assert str(info.value) == INVALID_GRANT_MESSAGE


def test_from_config_works_end_to_end(tmp_path: Path, gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.check_tokens = True  # only tokens the fake issued are accepted
    gmail_server.fake.insert(make_message(subject="Hi"), ("INBOX",))
    cfg = gmail_config(tmp_path, gmail_server, expired=True)
    with GmailBackend.from_config(cfg) as backend:
        batches = list(backend.list_new(FolderRole.INBOX, None, datetime.now(UTC) - timedelta(days=1)))
    assert len(batches[-1].items) == 1


def test_the_google_token_endpoint_is_kept_without_a_test_endpoint(tmp_path: Path) -> None:
    # A token file cannot redirect the refresh (and with it the refresh token) to another server in production.
    info = {"refresh_token": "r", "client_id": "c", "client_secret": "s", "token_uri": "http://evil.example/token"}
    assert gmail_auth.credentials_from_info(info).token_uri == "https://oauth2.googleapis.com/token"
    assert gmail_auth.credentials_from_info(info, custom_token_uri=True).token_uri == "http://evil.example/token"


# ------------------------------------------------------------------------------------------------ the flow


@pytest.fixture
def insecure_transport(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The fake's token endpoint is plain http on loopback; oauthlib insists on https unless told otherwise.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    yield


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _play_browser(url: str) -> threading.Thread:
    """What the user's browser does: open the consent URL, which the fake redirects to the local server."""

    def go() -> None:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread


def _check_saved(cfg: GmailConfig, server: FakeGmailServer) -> None:
    (auth,) = server.fake.auth_requests
    assert auth["scope"].split() == EXPECTED_SCOPES
    assert auth["access_type"] == "offline" and auth["prompt"] == "consent"
    assert auth["code_challenge_method"] == "S256"
    saved = json.loads(cfg.token.read_text())
    assert saved["refresh_token"].startswith("fake-refresh-")
    assert saved["scopes"] == EXPECTED_SCOPES
    assert _mode(cfg.token) == 0o600


def test_run_auth_flow_with_a_browser(
    tmp_path: Path, gmail_server: FakeGmailServer, monkeypatch: pytest.MonkeyPatch, insecure_transport: None
) -> None:
    cfg = GmailConfig(client_secrets=write_client_secrets(tmp_path, gmail_server), token=tmp_path / "s" / "t.json")
    opened: list[str] = []

    class FakeBrowser:
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            _play_browser(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: FakeBrowser())
    path = run_auth_flow(cfg, no_browser=False, port=_free_port())
    assert path == cfg.token
    assert opened and opened[0].startswith(gmail_server.auth_uri)
    _check_saved(cfg, gmail_server)


def test_run_auth_flow_without_a_browser_prints_the_url_and_the_ssh_hint(
    tmp_path: Path, gmail_server: FakeGmailServer, monkeypatch: pytest.MonkeyPatch, insecure_transport: None
) -> None:
    cfg = GmailConfig(client_secrets=write_client_secrets(tmp_path, gmail_server), token=tmp_path / "t.json")
    port = _free_port()
    printed: list[str] = []

    def no_browser(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a browser was opened with --no-browser")

    def fake_print(text: str, *args: Any, **kwargs: Any) -> None:
        printed.append(text)
        url = re.search(r"(http://\S+/auth\S*)", text)
        assert url
        _play_browser(url.group(1))

    monkeypatch.setattr(webbrowser, "get", no_browser)
    monkeypatch.setattr(oauth_flow, "print", fake_print, raising=False)
    run_auth_flow(cfg, no_browser=True, port=port)
    assert f"ssh -L {port}:localhost:{port}" in printed[0]
    _check_saved(cfg, gmail_server)


def test_run_auth_flow_parameters(
    tmp_path: Path, gmail_server: FakeGmailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_run(self: InstalledAppFlow, **kwargs: Any) -> Any:
        seen.update(kwargs, scopes=list(self.oauth2session.scope))
        return credentials_for(gmail_server)

    monkeypatch.setattr(InstalledAppFlow, "run_local_server", fake_run)
    cfg = GmailConfig(client_secrets=write_client_secrets(tmp_path, gmail_server), token=tmp_path / "t.json")
    run_auth_flow(cfg, no_browser=True)
    assert seen["scopes"] == EXPECTED_SCOPES == list(SCOPES)
    assert seen["port"] == DEFAULT_NO_BROWSER_PORT  # fixed, so the user can forward it over SSH
    assert seen["open_browser"] is False
    assert seen["access_type"] == "offline" and seen["prompt"] == "consent"
    assert "ssh -L 8765:localhost:8765" in seen["authorization_prompt_message"]
    run_auth_flow(cfg, no_browser=False)
    assert seen["port"] == 0 and seen["open_browser"] is True


def test_run_auth_flow_without_client_secrets_names_the_path(tmp_path: Path) -> None:
    cfg = GmailConfig(client_secrets=tmp_path / "missing.json", token=tmp_path / "t.json")
    with pytest.raises(ConfigError, match=re.escape(str(tmp_path / "missing.json"))):
        run_auth_flow(cfg, no_browser=True)


def test_auth_for_gmail_imap_asks_for_the_mail_scope_and_saves_to_the_imap_token(
    tmp_path: Path, gmail_server: FakeGmailServer, monkeypatch: pytest.MonkeyPatch, insecure_transport: None
) -> None:
    from agent.mail.gmail_auth import IMAP_SCOPES

    cfg = GmailConfig(client_secrets=write_client_secrets(tmp_path, gmail_server), token=tmp_path / "gmail.json")

    class FakeBrowser:
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            _play_browser(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: FakeBrowser())
    target = tmp_path / "imap" / "token.json"
    path = run_auth_flow(cfg, no_browser=False, port=_free_port(), scopes=IMAP_SCOPES, token_path=target)
    assert path == target and not cfg.token.exists()
    (auth,) = gmail_server.fake.auth_requests
    assert auth["scope"].split() == ["https://mail.google.com/"]
    saved = json.loads(target.read_text())
    assert saved["refresh_token"].startswith("fake-refresh-") and _mode(target) == 0o600
