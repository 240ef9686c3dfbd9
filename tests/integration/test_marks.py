"""`[drafting] mark_threads` with Gmail: the scope it needs is asked for only when it is on, and a token without
that scope costs the labels, never the drafts. (The contract suite covers marking on every backend.)"""

from __future__ import annotations

import json
import urllib.request
import webbrowser
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.cli import main
from agent.config import parse_config
from agent.engine import Engine
from agent.mail.gmail import GmailBackend
from agent.models import FolderRole
from agent.store import Store
from tests import mailgen
from tests.contract.gmail_harness import GmailHarness
from tests.integration import gmail_fixtures
from tests.integration.gmail_fake import FakeGmailServer
from tests.tomlgen import dumps

gmail_server = gmail_fixtures.gmail_server
gmail_send_guard = gmail_fixtures.gmail_send_guard

NY = ZoneInfo("America/New_York")
MODIFY = "https://www.googleapis.com/auth/gmail.modify"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def _config(tmp_path: Path, harness: GmailHarness, *, mark_threads: bool) -> Path:
    path = tmp_path / "config.toml"
    tables: dict[str, Any] = {
        "identity": {"name": "Alex Candidate", "email": mailgen.USER[1]},
        "policy": {"timezone": "America/New_York", "holidays": "US"},
        "state": {"path": str(tmp_path / "state.db")},
        "drafting": {"mark_threads": mark_threads},
        **harness.config_tables(),
    }
    tables["mailbox"]["lookback_days"] = 400
    path.write_text(dumps(tables))
    return path


@pytest.mark.parametrize("mark_threads", [False, True])
def test_auth_asks_for_gmail_modify_only_when_mark_threads_is_on(
    mark_threads: bool,
    tmp_path: Path,
    gmail_server: FakeGmailServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake's token endpoint is plain http on loopback
    harness = GmailHarness(tmp_path / "gmail", gmail_server)
    harness.token.unlink()

    class Browser:
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            import threading

            threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=10).read(), daemon=True).start()
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Browser())
    config = _config(tmp_path, harness, mark_threads=mark_threads)
    assert main(["--config", str(config), "auth", "--port", "0"]) == 0
    (request,) = gmail_server.fake.auth_requests
    asked = request["scope"].split()
    saved = json.loads(harness.token.read_text())["scopes"]
    out = capsys.readouterr().out
    if mark_threads:
        assert MODIFY in asked and MODIFY in saved and "gmail.modify" in out
    else:
        assert MODIFY not in asked and MODIFY not in saved and "gmail.modify" not in out


def test_a_token_without_gmail_modify_costs_the_label_not_the_draft(
    tmp_path: Path, gmail_server: FakeGmailServer, caplog: pytest.LogCaptureFixture
) -> None:
    harness = GmailHarness(tmp_path / "gmail", gmail_server)
    config = parse_config(_config(tmp_path, harness, mark_threads=True).read_text())
    store = Store.open(config.state.path)
    harness.deliver(
        FolderRole.INBOX,
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:04"), start=at("2026-03-02T10:00"), end=at("2026-03-02T11:00"), message_id="i@x"
        ),
    )
    harness.deliver(
        FolderRole.INBOX,
        mailgen.reply(
            sent=at("2026-03-04T11:02"),
            message_id="priya@acmerobotics.com",
            in_reply_to="i@x",
            body="Hi Alex,\n\nWe will decide by Friday, March 13.\n\nPriya",
        ),
    )
    gmail_server.fake.modify_scope = False
    with GmailBackend.from_config(harness.gmail_config(), sleep=harness.sleep) as backend:
        Engine(config, backend, store).scan(at("2026-03-05T12:00"))
        report = Engine(config, backend, store).scan(at("2026-03-16T08:00"))
    assert [d.kind.value for d in report.drafts] == ["follow_up_after_date"]
    assert len(harness.draft_messages()) == 1
    assert len(report.errors) == 1 and "gmail.modify" in report.errors[0] and "followup-agent auth" in report.errors[0]
    assert "gmail.modify" in caplog.text
    assert harness.marked() == set() and store.marks("gmail") == []
    assert store.last_scan(ok=True) is not None and store.last_scan(ok=False) is None

    gmail_server.fake.modify_scope = True  # the user ran `followup-agent auth` again
    with GmailBackend.from_config(harness.gmail_config(), sleep=harness.sleep) as backend:
        report = Engine(config, backend, store).scan(at("2026-03-16T09:00"))
    assert report.errors == [] and report.drafts == []
    assert harness.marked() == {"priya@acmerobotics.com"}
    (label,) = gmail_server.fake.user_labels.values()
    assert label["name"] == "Follow-up" and label["type"] == "user"
