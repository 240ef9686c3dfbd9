"""Fixtures and helpers shared by the Gmail tests: a running fake, credentials and files pointing at it.

Test modules import the fixtures they use from here (tests/integration/conftest.py belongs to others).
Every fake started through `gmail_server` is checked, at its teardown and again at the end of the session,
for any request to a send endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.oauth2.credentials import Credentials

from agent.config import GmailConfig
from agent.mail.gmail import GmailBackend, RetryPolicy
from agent.mail.gmail_auth import SCOPES, credentials_from_info
from tests.integration.gmail_fake import FakeGmailServer

ALL_FAKES: list[FakeGmailServer] = []

CLIENT_ID = "fake-client.apps.googleusercontent.com"
CLIENT_SECRET = "fake-client-secret"


class RecordingSleep:
    """Stands in for time.sleep: records the delays asked for and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def assert_never_sent(server: FakeGmailServer) -> None:
    fake = server.fake
    sends = [r.path for r in fake.requests if r.path.endswith(("/messages/send", "/drafts/send"))]
    assert not fake.send_attempts and not sends, f"followup-agent tried to SEND mail: {fake.send_attempts or sends}"


def start_server() -> FakeGmailServer:
    server = FakeGmailServer().start()
    ALL_FAKES.append(server)
    return server


@pytest.fixture(scope="session")
def gmail_send_guard() -> Iterator[None]:
    """Session-wide: no fake Gmail of this session ever received a send request."""
    yield
    for server in ALL_FAKES:
        assert_never_sent(server)


@pytest.fixture
def gmail_server(gmail_send_guard: None) -> Iterator[FakeGmailServer]:
    server = start_server()
    try:
        yield server
        assert_never_sent(server)
    finally:
        server.stop()


def client_secrets_json(server: FakeGmailServer) -> dict[str, Any]:
    """The OAuth client JSON of a Desktop app, with Google's endpoints replaced by the fake's."""
    return {
        "installed": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "project_id": "followup-agent-test",
            "auth_uri": server.auth_uri,
            "token_uri": server.token_uri,
            "redirect_uris": ["http://localhost"],
        }
    }


def write_client_secrets(directory: Path, server: FakeGmailServer) -> Path:
    path = directory / "client_secret.json"
    path.write_text(json.dumps(client_secrets_json(server)), encoding="utf-8")
    return path


def token_info(
    server: FakeGmailServer, *, expired: bool = False, refresh_token: str = "fake-refresh-token"
) -> dict[str, Any]:
    """An authorized-user token whose token_uri is the fake's; the access token is one the fake accepts."""
    access = server.fake.issue_access_token()
    expiry = datetime.now(UTC).replace(tzinfo=None) + (timedelta(hours=-1) if expired else timedelta(hours=1))
    return {
        "token": access,
        "refresh_token": refresh_token,
        "token_uri": server.token_uri,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": list(SCOPES),
        "expiry": expiry.isoformat() + "Z",
    }


def write_token_file(directory: Path, server: FakeGmailServer, *, expired: bool = False) -> Path:
    path = directory / "gmail-token.json"
    path.write_text(json.dumps(token_info(server, expired=expired)), encoding="utf-8")
    path.chmod(0o600)
    return path


def gmail_config(
    directory: Path, server: FakeGmailServer, *, expired: bool = False, batch_size: int = 50
) -> GmailConfig:
    return GmailConfig(
        client_secrets=write_client_secrets(directory, server),
        token=write_token_file(directory, server, expired=expired),
        api_endpoint=server.url,
        batch_size=batch_size,
    )


def credentials_for(server: FakeGmailServer) -> Credentials:
    return credentials_from_info(token_info(server), custom_token_uri=True)


def make_backend(
    server: FakeGmailServer,
    *,
    sleep: RecordingSleep | None = None,
    batch_size: int = 50,
    retry: RetryPolicy | None = None,
) -> GmailBackend:
    return GmailBackend(
        credentials_for(server),
        api_endpoint=server.url,
        batch_size=batch_size,
        sleep=sleep or RecordingSleep(),
        retry=retry,
        jitter=lambda: 0.5,
        max_units_per_second=None,  # pacing has its own test; here sleeps are only retries
    )
