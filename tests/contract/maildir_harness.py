"""The contract-suite harness for the Maildir backend: a real Maildir tree in a temporary folder."""

from __future__ import annotations

import email
import email.policy
import mailbox
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from agent.config import MaildirConfig
from agent.mail.base import MailBackend
from agent.mail.maildir import MaildirBackend
from agent.models import KEY_HEADER, FolderRole
from tests.contract.harness import MailboxHarness

NAMES = {FolderRole.INBOX: "INBOX", FolderRole.SENT: "Sent", FolderRole.DRAFTS: "Drafts"}


class MaildirHarness(MailboxHarness):
    name = "maildir"

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.boxes = {role: mailbox.Maildir(str(root / name), create=True) for role, name in NAMES.items()}
        self.starred: set[str] = set()

    def backend(self) -> MailBackend:
        return MaildirBackend(MaildirConfig(path=self.root))

    def deliver(self, folder: FolderRole, raw: bytes) -> None:
        message = mailbox.MaildirMessage(raw)
        message.set_subdir("new")
        self.boxes[folder].add(message)

    def draft_messages(self) -> list[bytes]:
        box = self.boxes[FolderRole.DRAFTS]
        return [box.get_bytes(key) for key in box.keys()]

    def _draft_key(self, key: str) -> str:
        box = self.boxes[FolderRole.DRAFTS]
        for box_key in box.keys():
            parsed = email.message_from_bytes(box.get_bytes(box_key))
            if str(parsed.get(KEY_HEADER, "")).strip() == key:
                return box_key
        raise KeyError(key)

    def delete_draft(self, key: str) -> None:
        self.boxes[FolderRole.DRAFTS].remove(self._draft_key(key))

    def send_draft(self, key: str, new_message_id: str, at: datetime) -> None:
        box_key = self._draft_key(key)
        drafts = self.boxes[FolderRole.DRAFTS]
        message = email.message_from_bytes(drafts.get_bytes(box_key), policy=email.policy.SMTP)
        del message[KEY_HEADER]
        del message["Message-ID"]
        del message["Date"]
        message["Message-ID"] = f"<{new_message_id}>"
        message["Date"] = format_datetime(at)
        drafts.remove(box_key)
        self.deliver(FolderRole.SENT, message.as_bytes())

    def _inbox_key(self, message_id: str) -> str:
        box = self.boxes[FolderRole.INBOX]
        for key in box.keys():
            if str(email.message_from_bytes(box.get_bytes(key)).get("Message-ID", "")).strip() == f"<{message_id}>":
                return key
        raise KeyError(message_id)

    def marked(self) -> set[str]:
        # Any flag the agent could have used: Flagged on a message the user did not star, or a keyword letter.
        box = self.boxes[FolderRole.INBOX]
        found = set()
        for key in box.keys():
            message = box.get_message(key)
            message_id = str(message.get("Message-ID", "")).strip().strip("<>")
            flags = set(message.get_flags())
            if flags & set("abcdefghijklmnopqrstuvwxyz") or ("F" in flags and message_id not in self.starred):
                found.add(message_id)
        return found

    def star(self, message_id: str) -> None:
        box = self.boxes[FolderRole.INBOX]
        key = self._inbox_key(message_id)
        message = box.get_message(key)
        message.add_flag("F")
        box[key] = message
        self.starred.add(message_id)

    def is_starred(self, message_id: str) -> bool:
        return "F" in self.boxes[FolderRole.INBOX].get_message(self._inbox_key(message_id)).get_flags()

    def config_tables(self) -> dict[str, dict[str, Any]]:
        return {"mailbox": {"backend": "maildir"}, "maildir": {"path": str(self.root)}}
