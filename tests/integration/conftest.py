"""Fixtures for the integration tests: a real Dovecot per session, a fresh account per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from agent.config import ImapConfig
from tests.integration.dovecot import DovecotServer, DovecotUser, TcpProxy, require_dovecot, stop_shared_servers


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    yield require_dovecot("default")
    stop_shared_servers()


@pytest.fixture
def imap_user(dovecot: DovecotServer) -> DovecotUser:
    return dovecot.new_user()


@pytest.fixture
def proxy(dovecot: DovecotServer) -> Iterator[TcpProxy]:
    with TcpProxy(dovecot.port) as tcp:
        yield tcp


def imap_config(user: DovecotUser, *, port: int | None = None, **overrides: Any) -> ImapConfig:
    """Config for `user`, its password passed the way users are told to: through an environment variable."""
    env = f"FOLLOWUP_TEST_IMAP_PASSWORD_{user.name.upper()}"
    os.environ[env] = user.password
    fields: dict[str, Any] = {
        "host": user.host,
        "port": port or user.port,
        "security": "plain",
        "username": user.name,
        "password_env": env,
        "timeout_seconds": 10,
    }
    fields.update(overrides)
    return ImapConfig(**fields)
