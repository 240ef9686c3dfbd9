"""Issue 11: a canary secret through every IMAP password source (environment, command, private config), an
XOAUTH2 token file against a real Dovecot, and a Gmail token file against the Gmail fake, in failing logins and
succeeding ones, at `-v`, and a canary phrase in a message body:
none appears in stdout, stderr (plain and journal format), the state database with its WAL, or the drafts."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.errors import AuthError
from agent.mail.gmail import GmailBackend
from agent.models import FolderRole
from tests import mailgen
from tests.integration import gmail_fixtures
from tests.integration.dovecot import DovecotUser
from tests.integration.gmail_fake import FakeGmailServer
from tests.integration.gmail_fixtures import gmail_config
from tests.reliability.hostile import at, invite, maildir, maildir_config

CANARY = "canary-Pw-7f3a9c1e-d0not-log"
# Dovecot answers a failed login slowly (by design): `make test` tries one source, `make reliability` all three,
# each in the plain and the journal log format.
FULL = os.environ.get("RELIABILITY_FULL") == "1"
SOURCES = [(s, j) for s in ("env", "command", "config") for j in (False, True)] if FULL else [("command", True)]
PHRASE = "CANARY-PHRASE-8b1d0e"
gmail_server = gmail_fixtures.gmail_server
gmail_send_guard = gmail_fixtures.gmail_send_guard


def _run(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_AGENT_CONFIG"}
    return subprocess.run(
        [sys.executable, "-m", "agent", "-v", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=120,
    )


def _nowhere(secret: str, tmp: Path, *outputs: str) -> None:
    for text in outputs:
        assert secret not in text
    for path in tmp.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def _imap_config(tmp: Path, user: DovecotUser, **imap: object) -> Path:
    return maildir_config(
        tmp / "config.toml",
        tmp / "unused",
        tmp / "state" / "state.db",
        mailbox={"backend": "imap"},
        imap={"host": user.host, "port": user.port, "security": "plain", "username": user.name, **imap},
    )


@pytest.mark.parametrize(("source", "journal"), SOURCES)
def test_a_wrong_canary_password_appears_nowhere(
    tmp_path: Path, imap_user: DovecotUser, source: str, journal: bool
) -> None:
    imap: dict[str, object] = {
        "env": {"password_env": "CANARY_PASSWORD"},
        "command": {"password_command": f"echo {CANARY}"},
        "config": {"password": CANARY},
    }[source]
    config = _imap_config(tmp_path, imap_user, **imap)
    env = {"CANARY_PASSWORD": CANARY, **({"JOURNAL_STREAM": "8:1234"} if journal else {})}
    result = _run(config, "scan", "--now", "2026-03-02T11:05", env=env)
    assert result.returncode == 3, result.stderr  # an authentication error, explained
    assert "Traceback" not in result.stderr
    _nowhere(CANARY, tmp_path / "state", result.stdout, result.stderr)


def test_a_right_password_at_v_appears_nowhere(tmp_path: Path, imap_user: DovecotUser) -> None:
    config = _imap_config(tmp_path, imap_user, password_env="RIGHT_PASSWORD")
    result = _run(config, "scan", "--now", "2026-03-02T11:05", env={"RIGHT_PASSWORD": imap_user.password})
    assert result.returncode == 0, result.stderr
    _nowhere(imap_user.password, tmp_path / "state", result.stdout, result.stderr)


def test_a_canary_phrase_in_a_body_is_not_logged(tmp_path: Path) -> None:
    inbox = maildir(tmp_path / "Mail")
    inbox.add(invite("canary-invite@acmerobotics.com"))
    inbox.add(
        mailgen.reply(
            sent=at("2026-03-03T10:00"),
            message_id="canary-reply@acmerobotics.com",
            in_reply_to="canary-invite@acmerobotics.com",
            body=f"Hi Alex,\n\n{PHRASE} we will decide by Friday, March 13. int('{PHRASE}')\n\nPriya\n",
        )
    )
    config = maildir_config(tmp_path / "config.toml", tmp_path / "Mail", tmp_path / "state.db")
    outputs = []
    for now in ("2026-02-21T09:00", "2026-03-02T11:05", "2026-03-17T09:00"):
        result = _run(config, "scan", "--now", now)
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    for command in (("status",), ("explain", "1"), ("messages",)):
        outputs.append(_run(config, *command).stderr)
    assert all(PHRASE not in text for text in outputs)


TOKEN_CANARY = "ya29.canary-token-5e2b7d"
REFRESH_CANARY = "1//canary-refresh-9c4a1f"


def test_a_canary_xoauth2_token_refused_by_the_server_appears_nowhere(tmp_path: Path, imap_user: DovecotUser) -> None:
    token = tmp_path / "oauth" / "token.json"
    token.parent.mkdir()
    token.write_text(
        json.dumps(
            {
                "token": TOKEN_CANARY,
                "refresh_token": REFRESH_CANARY,
                "client_id": "canary-client.apps.googleusercontent.com",
                "client_secret": "canary-client-secret",
                "expiry": "2099-01-01T00:00:00Z",
            }
        )
    )
    config = _imap_config(tmp_path, imap_user, auth="xoauth2", oauth_token=str(token))
    result = _run(config, "scan", "--now", "2026-03-02T11:05", env={"JOURNAL_STREAM": "8:1234"})
    assert result.returncode in (3, 4), result.stderr  # refused (Dovecot offers no XOAUTH2), explained
    assert "Traceback" not in result.stderr
    for secret in (TOKEN_CANARY, REFRESH_CANARY, "canary-client-secret"):
        _nowhere(secret, tmp_path / "state", result.stdout, result.stderr)


def test_a_canary_gmail_token_file_appears_in_no_log_or_error(
    tmp_path: Path, gmail_server: FakeGmailServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cfg = gmail_config(tmp_path, gmail_server)
    data = json.loads(cfg.token.read_text())
    # A valid access token is used as it is: a sync that succeeds with it.
    cfg.token.write_text(json.dumps({**data, "token": TOKEN_CANARY, "expiry": "2099-01-01T00:00:00Z"}))
    with GmailBackend.from_config(cfg) as backend:
        list(backend.list_new(FolderRole.INBOX, None, datetime.now(UTC) - timedelta(days=1)))
    # An expired one with a refresh token Google does not know: the refresh fails.
    cfg.token.write_text(json.dumps({**data, "refresh_token": REFRESH_CANARY, "expiry": "2000-01-01T00:00:00Z"}))
    with pytest.raises(AuthError) as info:
        GmailBackend.from_config(cfg)
    for text in (str(info.value), caplog.text):
        assert TOKEN_CANARY not in text and REFRESH_CANARY not in text
