"""The contract-suite harness for the Gmail backend, over the local fake Gmail server.

The harness plays the employer (delivering into INBOX, threaded by Gmail's rules) and the user (sending or
deleting a draft in the Gmail web app). The backend it hands out is built with `GmailBackend.from_config` from a
real token file whose `token_uri` points at the fake, so the same path as in production is exercised.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.config import GmailConfig
from agent.mail.base import KEY_HEADER, MailBackend
from agent.mail.gmail import GmailBackend
from agent.models import FolderRole
from tests.contract.harness import MailboxHarness
from tests.integration.gmail_fake import FakeGmailServer
from tests.integration.gmail_fixtures import (
    RecordingSleep,
    assert_never_sent,
    start_server,
    write_client_secrets,
    write_token_file,
)

_LABELS = {FolderRole.INBOX: ("INBOX", "UNREAD"), FolderRole.SENT: ("SENT",)}
MARK_LABEL = "Follow-up"  # the default of [drafting] mark_label


class GmailHarness(MailboxHarness):
    name = "gmail"

    def __init__(self, directory: Path, server: FakeGmailServer | None = None) -> None:
        self._own_server = server is None
        self.server = server or start_server()
        self.fake = self.server.fake
        directory.mkdir(parents=True, exist_ok=True)
        self.client_secrets = write_client_secrets(directory, self.server)
        self.token = write_token_file(directory, self.server)
        self.sleep = RecordingSleep()  # retries in contract tests never really wait

    def close(self) -> None:
        """Stop the fake (if this harness started it), after checking nothing was ever sent."""
        assert_never_sent(self.server)
        if self._own_server:
            self.server.stop()

    def gmail_config(self) -> GmailConfig:
        return GmailConfig(client_secrets=self.client_secrets, token=self.token, api_endpoint=self.server.url)

    def backend(self) -> MailBackend:
        return GmailBackend.from_config(self.gmail_config(), sleep=self.sleep)

    def deliver(self, folder: FolderRole, raw: bytes) -> None:
        if folder is FolderRole.DRAFTS:
            self.fake.create_draft_message(raw)
            return
        self.fake.insert(raw, _LABELS[folder])

    def draft_messages(self) -> list[bytes]:
        return list(self.fake.draft_raws().values())

    def _draft_id(self, key: str) -> str:
        for draft_id, raw in self.fake.draft_raws().items():
            parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
            if str(parsed.get(KEY_HEADER, "")).strip() == key:
                return draft_id
        raise KeyError(f"no draft with {KEY_HEADER}: {key}")

    def delete_draft(self, key: str) -> None:
        self.fake.delete_draft(self._draft_id(key))

    def send_draft(self, key: str, new_message_id: str, at: datetime) -> None:
        draft_id = self._draft_id(key)
        with self.fake.lock:
            stored = self.fake.messages[self.fake.drafts[draft_id]]
            thread_id = stored.thread_id
            message = email.message_from_bytes(stored.raw, policy=email.policy.default)
        del message[KEY_HEADER]
        del message["Message-ID"]
        del message["Date"]
        message["Message-ID"] = new_message_id if new_message_id.startswith("<") else f"<{new_message_id}>"
        message["Date"] = email.utils.format_datetime(at)
        self.fake.delete_draft(draft_id)
        self.fake.insert(message.as_bytes(policy=email.policy.SMTP), ("SENT",), thread_id=thread_id, internal_date=at)

    def _inbox_message(self, message_id: str) -> str:
        with self.fake.lock:
            for stored in self.fake.messages.values():
                if "INBOX" in stored.labels and str(stored.parsed.get("Message-ID", "")).strip() == f"<{message_id}>":
                    return stored.id
        raise KeyError(message_id)

    def marked(self) -> set[str]:
        return {
            str(m.parsed.get("Message-ID", "")).strip().strip("<>")
            for m in self.fake.labelled(MARK_LABEL)
            if "INBOX" in m.labels
        }

    def star(self, message_id: str) -> None:
        self.fake.add_labels(self._inbox_message(message_id), "STARRED")

    def is_starred(self, message_id: str) -> bool:
        return "STARRED" in self.fake.messages[self._inbox_message(message_id)].labels

    def config_tables(self) -> dict[str, dict[str, Any]]:
        return {
            "mailbox": {"backend": "gmail"},
            "gmail": {
                "client_secrets": str(self.client_secrets),
                "token": str(self.token),
                "api_endpoint": self.server.url,
            },
        }
