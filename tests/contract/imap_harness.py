"""The contract-suite harness for the IMAP backend: a fresh account on a real Dovecot.

The harness plays the employer (APPENDing into INBOX) and the user (sending or deleting a draft from a mail
client), over its own IMAP connection with imapclient, independently of the backend under test. The backend it
hands out is built with `ImapBackend.from_config` from the same `ImapConfig` that `config_tables` describes,
the password passed through an environment variable as users are told to.

Usage: `ImapHarness()` takes a fresh account on the process-wide Dovecot (started on first use, stopped at
exit; `require_dovecot` skips, or fails under CI=true, when Dovecot is missing). The `imap_harness` fixture
below does that for pytest.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from imapclient import IMAPClient

from agent.config import ImapConfig
from agent.mail.base import KEY_HEADER, MailBackend
from agent.mail.imap import ImapBackend
from agent.models import FolderRole
from tests.contract.harness import MailboxHarness
from tests.integration.dovecot import DovecotServer, DovecotUser, require_dovecot

FOLDERS = {FolderRole.INBOX: "INBOX", FolderRole.SENT: "Sent", FolderRole.DRAFTS: "Drafts"}
KEY_FIELD = f"BODY.PEEK[HEADER.FIELDS ({KEY_HEADER})]"


class ImapHarness(MailboxHarness):
    name = "imap"

    def __init__(self, server: DovecotServer | None = None, user: DovecotUser | None = None) -> None:
        self.server = server or require_dovecot()
        self.user = user or self.server.new_user()
        self.password_env = f"FOLLOWUP_TEST_IMAP_PASSWORD_{self.user.name.upper()}"
        os.environ[self.password_env] = self.user.password
        self._client: IMAPClient | None = None

    # -------------------------------------------------------------------------------------------- the agent

    def imap_config(self) -> ImapConfig:
        return ImapConfig(
            host=self.user.host,
            port=self.user.port,
            security="plain",
            username=self.user.name,
            password_env=self.password_env,
            timeout_seconds=10,
        )

    def backend(self) -> MailBackend:
        backend = ImapBackend.from_config(self.imap_config())
        backend.connect()
        return backend

    def config_tables(self) -> dict[str, dict[str, Any]]:
        return {
            "mailbox": {"backend": "imap"},
            "imap": {
                "host": self.user.host,
                "port": self.user.port,
                "security": "plain",
                "username": self.user.name,
                "password_env": self.password_env,
            },
        }

    # ---------------------------------------------------------------------------------------- the other side

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            self._client = self.user.client()
        return self._client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.logout()
            except Exception:
                client.shutdown()
        os.environ.pop(self.password_env, None)

    def deliver(self, folder: FolderRole, raw: bytes) -> None:
        # The internal date is the Date header, like a delivery that took no time (and like the Gmail fake).
        parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
        when = _parse_date(parsed.get("Date"))
        flags: tuple[bytes, ...] = {
            FolderRole.DRAFTS: (b"\\Draft", b"\\Seen"),
            FolderRole.SENT: (b"\\Seen",),
        }.get(folder, ())
        self.client.append(FOLDERS[folder], raw, flags=flags, msg_time=when)

    def _inbox_flags(self) -> dict[str, set[str]]:
        """Message-ID -> flags of every INBOX message."""
        self.client.select_folder(FOLDERS[FolderRole.INBOX], readonly=True)
        uids = self.client.search(["ALL"])
        if not uids:
            return {}
        answer = self.client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        found = {}
        for data in answer.values():
            raw = next(v for k, v in data.items() if k.startswith(b"BODY[HEADER"))
            message_id = str(email.message_from_bytes(bytes(raw)).get("Message-ID", "")).strip().strip("<>")
            found[message_id] = {f.decode() if isinstance(f, bytes) else str(f) for f in data[b"FLAGS"]}
        return found

    def marked(self) -> set[str]:
        return {mid for mid, flags in self._inbox_flags().items() if "$FollowUp" in flags}

    def star(self, message_id: str) -> None:
        self.client.select_folder(FOLDERS[FolderRole.INBOX])
        uids = self.client.search(["HEADER", "Message-ID", message_id])
        self.client.add_flags(uids, [b"\\Flagged"])

    def is_starred(self, message_id: str) -> bool:
        return "\\Flagged" in self._inbox_flags()[message_id]

    def _drafts(self) -> dict[int, bytes]:
        self.client.select_folder(FOLDERS[FolderRole.DRAFTS])
        uids = self.client.search(["NOT", "DELETED"])
        if not uids:
            return {}
        answer = self.client.fetch(uids, ["BODY.PEEK[]"])
        return {uid: bytes(data[b"BODY[]"]) for uid, data in answer.items()}

    def draft_messages(self) -> list[bytes]:
        return [raw for _, raw in sorted(self._drafts().items())]

    def _draft_uid(self, key: str) -> tuple[int, bytes]:
        for uid, raw in sorted(self._drafts().items()):
            parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
            if str(parsed.get(KEY_HEADER, "")).strip() == key:
                return uid, raw
        raise KeyError(f"no draft with {KEY_HEADER}: {key}")

    def delete_draft(self, key: str) -> None:
        uid, _ = self._draft_uid(key)
        self.client.add_flags([uid], [b"\\Deleted"])
        self.client.expunge()

    def send_draft(self, key: str, new_message_id: str, at: datetime) -> None:
        uid, raw = self._draft_uid(key)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        del message[KEY_HEADER]
        del message["Message-ID"]
        del message["Date"]
        message["Message-ID"] = new_message_id
        message["Date"] = email.utils.format_datetime(at)
        self.client.add_flags([uid], [b"\\Deleted"])
        self.client.expunge()
        self.client.append(FOLDERS[FolderRole.SENT], message.as_bytes(policy=email.policy.SMTP),
                           flags=(b"\\Seen",), msg_time=at)  # fmt: skip


def _parse_date(value: str | None) -> datetime:
    if value:
        try:
            parsed = email.utils.parsedate_to_datetime(str(value))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except (TypeError, ValueError):
            pass
    return datetime.now(UTC)


@pytest.fixture
def imap_harness() -> Iterator[ImapHarness]:
    harness = ImapHarness()
    try:
        yield harness
    finally:
        harness.close()
