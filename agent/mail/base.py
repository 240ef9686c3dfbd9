"""The mailbox seam: the one interface every backend (Maildir, IMAP, Gmail) implements.

The engine only ever talks to a `MailBackend`. Backends deal in raw RFC 5322 bytes and opaque cursors; parsing
and every decision stay in the pure core. A backend must never send mail: there is deliberately no method for it.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from agent.models import KEY_HEADER, FolderRole

__all__ = ["KEY_HEADER", "Listing", "MailBackend", "MarkTarget", "SyncBatch"]


@dataclass(frozen=True)
class Listing:
    """A message a backend found, before its body is downloaded.

    `headers` is the raw header block (at least From, To, Cc, Reply-To, Subject, Date, Message-ID, In-Reply-To,
    References, Content-Type, Auto-Submitted, X-Autoreply, Precedence, List-Id, List-Unsubscribe and the key
    header). `thread_id` is the provider's conversation id where it has one (Gmail).
    """

    ref: str
    headers: bytes
    thread_id: str | None = None


@dataclass(frozen=True)
class SyncBatch:
    """Some new messages of one folder and the cursor to save once all of them are processed.

    Saving `cursor` promises that every message of this batch and of earlier batches has been recorded, so a
    scan that stops between batches resumes after the last saved one.
    """

    folder: FolderRole
    items: tuple[Listing, ...]
    cursor: str
    total: int | None = None  # how many messages this listing of the folder holds in all, for progress


@dataclass(frozen=True)
class MarkTarget:
    """Where a waiting follow-up is marked: the employer's message it answers, and that message's conversation.

    `ref` is the backend's handle of the message (as listed), `thread_id` the provider's conversation id where it
    has one (Gmail). Gmail marks the thread, IMAP the message.
    """

    folder: FolderRole
    ref: str
    message_id: str
    thread_id: str | None = None


class MailBackend(abc.ABC):
    """A mailbox the agent reads and leaves drafts in."""

    name: str = "base"

    @abc.abstractmethod
    def list_new(self, folder: FolderRole, cursor: str | None, since: datetime) -> Iterator[SyncBatch]:
        """Yield the messages of `folder` that arrived after `cursor`, in batches.

        With no cursor (first sync, or after the backend lost track, e.g. an IMAP UIDVALIDITY change), list the
        messages of the last days back to `since`. A backend may list a message again that an earlier scan saw;
        the engine recognises it by `ref` or Message-ID. It always yields at least one batch, so the cursor can
        be saved even when nothing is new.
        """

    @abc.abstractmethod
    def fetch(self, folder: FolderRole, ref: str) -> bytes:
        """Return the message as RFC 5322 bytes with at least its text and text/calendar parts."""

    def prefetch(self, folder: FolderRole, refs: list[str]) -> None:  # noqa: B027 - optional, a hint
        """The engine is about to `fetch` these listed messages: a backend may download them in fewer round
        trips now. Never raises for a message; `fetch` still reports each one's own fault."""

    @abc.abstractmethod
    def create_draft(self, draft: EmailMessage, thread_id: str | None = None) -> str:
        """Store `draft` in the Drafts folder (flagged as a draft and seen) and return its backend id."""

    @abc.abstractmethod
    def find_drafts(self) -> dict[str, str]:
        """Map the `X-Followup-Agent-Key` of every draft in the Drafts folder to its backend id."""

    @abc.abstractmethod
    def draft_exists(self, draft_id: str) -> bool:
        """Whether the draft with this backend id is still in the Drafts folder."""

    # Whether `mark_thread` shows anything in the user's mail client (Maildir has no free flag for it).
    marks_threads: bool = True

    @abc.abstractmethod
    def mark_thread(self, target: MarkTarget, label: str) -> None:
        """Show, where the user reads mail, that a draft waits in this conversation (`[drafting] mark_threads`).

        Idempotent; it changes nothing else about the message (not its read state, not the user's own flags or
        labels). `label` is the name to show where the provider has named labels (Gmail).
        """

    @abc.abstractmethod
    def unmark_thread(self, target: MarkTarget, label: str) -> None:
        """Take the mark off again. Idempotent: a mark that is not there (removed by the user) is no error."""

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing to release
        """Release connections; the backend is not used afterwards."""

    def __enter__(self) -> MailBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
