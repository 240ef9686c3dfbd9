"""What every backend's test harness offers the contract suite.

A harness owns one real mailbox (a Maildir folder, a Dovecot account, the Gmail fake) and can play the
other people involved: the employer delivering mail, and the user deleting or sending a draft by hand.
"""

from __future__ import annotations

import abc
from datetime import datetime
from typing import Any

from agent.mail.base import MailBackend
from agent.models import FolderRole


class MailboxHarness(abc.ABC):
    name: str

    @abc.abstractmethod
    def backend(self) -> MailBackend:
        """A fresh, connected backend on this mailbox."""

    @abc.abstractmethod
    def deliver(self, folder: FolderRole, raw: bytes) -> None:
        """Put a message into a folder as if it had arrived there (INBOX) or been sent by the user (SENT)."""

    @abc.abstractmethod
    def draft_messages(self) -> list[bytes]:
        """The raw bytes of every message now in the Drafts folder."""

    @abc.abstractmethod
    def delete_draft(self, key: str) -> None:
        """The user deletes, without sending, the draft whose X-Followup-Agent-Key is `key`."""

    @abc.abstractmethod
    def send_draft(self, key: str, new_message_id: str, at: datetime) -> None:
        """The user sends the draft `key` from their mail client.

        The draft leaves the Drafts folder and a copy lands in Sent with a new Message-ID and Date and without
        the X-Followup-Agent-Key header, as many clients do.
        """

    @abc.abstractmethod
    def config_tables(self) -> dict[str, dict[str, Any]]:
        """The TOML tables that point a config at this mailbox: [mailbox] and the backend's own table."""
