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
    def marked(self) -> set[str]:
        """The Message-IDs (without <>) of the INBOX messages that carry the agent's follow-up mark, as the user's
        mail client would show it (a Gmail label on the thread, an IMAP keyword, a Maildir flag)."""

    @abc.abstractmethod
    def star(self, message_id: str) -> None:
        """The user flags an INBOX message themselves (Gmail's star, IMAP's and Maildir's Flagged)."""

    @abc.abstractmethod
    def is_starred(self, message_id: str) -> bool:
        """Whether the user's own flag is (still) on the INBOX message."""

    @abc.abstractmethod
    def config_tables(self) -> dict[str, dict[str, Any]]:
        """The TOML tables that point a config at this mailbox: [mailbox] and the backend's own table."""
