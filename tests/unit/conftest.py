"""Fixtures shared by the unit tests of agent/cli.py and agent/service.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.store import Store


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """A config.toml for a Maildir under tmp_path, its state database already holding one application."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[identity]\nname = "A"\nemail = "a@example.com"\n[maildir]\npath = "{tmp_path / "Mail"}"\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    store = Store.open(tmp_path / "state.db")
    with store.transaction():
        store.create_application("Acme", "Engineer", datetime(2026, 3, 1, tzinfo=UTC))
    store.close()
    return config
