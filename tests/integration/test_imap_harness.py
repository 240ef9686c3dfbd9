"""The IMAP contract harness itself: what it tells the contract suite must match what Dovecot holds."""

from __future__ import annotations

import email
import email.policy
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from agent.config import parse_config
from agent.mail.base import KEY_HEADER
from agent.mail.imap import ImapBackend
from agent.models import FolderRole
from tests.contract.imap_harness import ImapHarness

pytestmark = pytest.mark.dovecot


@pytest.fixture
def harness(dovecot: object) -> Iterator[ImapHarness]:
    made = ImapHarness()
    yield made
    made.close()


def _draft(key: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "me@example.org"
    msg["To"] = "dana@acme.example"
    msg["Subject"] = "Thank you"
    msg["Message-ID"] = f"<{key.replace(':', '.')}@agent.example>"
    msg[KEY_HEADER] = key
    msg.set_content("Thanks!\n")
    return msg


def _toml(tables: dict[str, dict[str, object]]) -> str:
    lines = ['[identity]\nname = "Me"\nemail = "me@example.org"\n']
    for table, values in tables.items():
        lines.append(f"[{table}]")
        for key, value in values.items():
            lines.append(f"{key} = {value!r}" if isinstance(value, int) else f'{key} = "{value}"')
    return "\n".join(lines) + "\n"


def test_config_tables_make_a_working_config(harness: ImapHarness) -> None:
    text = _toml(harness.config_tables())
    tomllib.loads(text)
    config = parse_config(text)
    assert config.mailbox.backend == "imap"
    with ImapBackend.from_config(config.imap) as backend:
        backend.connect()
        assert backend.find_drafts() == {}


def test_deliver_send_and_delete_drafts(harness: ImapHarness) -> None:
    when = datetime.now(UTC) - timedelta(days=2)
    raw = (
        "From: dana@acme.example\r\nTo: me@example.org\r\nSubject: Interview\r\n"
        f"Message-ID: <i1@acme.example>\r\nDate: {email.utils.format_datetime(when)}\r\n\r\nSee you.\r\n"
    ).encode()
    harness.deliver(FolderRole.INBOX, raw)
    with harness.backend() as backend:
        since = datetime.now(UTC) - timedelta(days=3)
        inbox = [i for b in backend.list_new(FolderRole.INBOX, None, since) for i in b.items]
        assert len(inbox) == 1 and backend.fetch(FolderRole.INBOX, inbox[0].ref) == raw
        sent_cursor = list(backend.list_new(FolderRole.SENT, None, since))[-1].cursor

        kept = backend.create_draft(_draft("a:thank_you"))
        sent = backend.create_draft(_draft("b:thank_you"))
        assert len(harness.draft_messages()) == 2

        harness.delete_draft("a:thank_you")
        harness.send_draft("b:thank_you", "<sent-b@mua.example>", datetime.now(UTC))
        assert harness.draft_messages() == []
        assert not backend.draft_exists(kept) and not backend.draft_exists(sent)

        new_sent = [i for b in backend.list_new(FolderRole.SENT, sent_cursor, since) for i in b.items]
        assert len(new_sent) == 1
        headers = email.message_from_bytes(new_sent[0].headers, policy=email.policy.default)
        assert headers["Message-ID"] == "<sent-b@mua.example>"
        assert KEY_HEADER not in headers
