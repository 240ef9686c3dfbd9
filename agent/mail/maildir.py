"""The Maildir backend: a local mail store as mbsync (`SubFolders Verbatim`), offlineimap or notmuch keep it.

Each folder (inbox, sent, drafts) is a Maildir with cur/new/tmp under one root. Messages are never moved or
flagged: the agent only reads, and writes drafts. So `[drafting] mark_threads` marks nothing here: Maildir's
flags are a fixed set of letters that all belong to the user (F is the user's own star), and keywords beyond them
are a private convention of each program (Dovecot's dovecot-keywords file), which a sync tool may not carry.

The cursor is a watermark on the files' change time (ctime), which moves whenever a file is delivered, copied or
renamed into the folder; files at the watermark are listed again and the engine recognises them by their key.
"""

from __future__ import annotations

import contextlib
import json
import logging
import mailbox
import os
import secrets
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime
from pathlib import Path

from agent.config import MaildirConfig
from agent.errors import BackendError, MessageGoneError
from agent.mail.base import KEY_HEADER, Listing, MailBackend, MarkTarget, SyncBatch
from agent.mail.mime_reduce import reduce_message
from agent.models import FolderRole
from agent.private import create_private

log = logging.getLogger(__name__)

BATCH_SIZE = 200
LARGE_MESSAGE = 1024 * 1024
_HEADER_LIMIT = 256 * 1024  # a header block larger than this is cut; nothing legitimate needs more


def _read_header_block(path: Path) -> bytes:
    """Read only the header block of a message file, so listing never loads bodies or attachments."""
    chunks: list[bytes] = []
    size = 0
    with path.open("rb") as handle:
        for line in handle:
            if line in (b"\n", b"\r\n"):
                break
            chunks.append(line)
            size += len(line)
            if size > _HEADER_LIMIT:
                break
    return b"".join(chunks)


def _dated_before(headers: bytes, since: datetime, path: Path) -> bool:
    value = BytesHeaderParser(policy=compat32).parsebytes(headers).get("Date")
    try:
        sent = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):  # "01 Jan 99999999999" overflows
        sent = None
    if sent is None:
        return path.stat().st_mtime < since.timestamp()
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    return sent < since


class MaildirBackend(MailBackend):
    name = "maildir"

    def __init__(self, config: MaildirConfig, *, create: bool = True) -> None:
        self.root = config.path.expanduser()
        self._names = {FolderRole.INBOX: config.inbox, FolderRole.SENT: config.sent, FolderRole.DRAFTS: config.drafts}
        self._boxes: dict[FolderRole, mailbox.Maildir] = {}
        self._paths: dict[tuple[FolderRole, str], Path] = {}  # where list_new found each message
        self._create = create

    @classmethod
    def from_config(cls, config: MaildirConfig) -> MaildirBackend:
        return cls(config)

    def folder_path(self, folder: FolderRole) -> Path:
        return self.root / self._names[folder]

    def _box(self, folder: FolderRole) -> mailbox.Maildir:
        box = self._boxes.get(folder)
        if box is None:
            path = self.folder_path(folder)
            # Only Drafts is ever created: a missing inbox or Sent is a wrong name in the config, and an empty
            # folder made in its place would silently hide all mail.
            if not (path / "cur").is_dir() and (folder is not FolderRole.DRAFTS or not self._create):
                key = {FolderRole.INBOX: "inbox", FolderRole.SENT: "sent", FolderRole.DRAFTS: "drafts"}[folder]
                raise BackendError(
                    f"Maildir folder {path} does not exist or is not a Maildir (no cur/ inside)",
                    hint=f"check [maildir] path and {key} in the config",
                )
            try:
                box = mailbox.Maildir(str(path), factory=None, create=True)
            except OSError as exc:
                raise BackendError(f"cannot open Maildir folder {path}: {exc.strerror}") from None
            self._boxes[folder] = box
        return box

    def _files(self, folder: FolderRole) -> Iterator[tuple[str, Path, float]]:
        """Every message of the folder as (key, path, ctime)."""
        base = self.folder_path(folder)
        for sub in ("new", "cur"):
            directory = base / sub
            try:
                entries = list(os.scandir(directory))
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise BackendError(f"cannot read {directory}: {exc.strerror}") from None
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                try:
                    ctime = entry.stat().st_ctime
                except FileNotFoundError:  # moved between listing and stat
                    continue
                yield entry.name.split(":", 1)[0], Path(entry.path), ctime

    def list_new(self, folder: FolderRole, cursor: str | None, since: datetime) -> Iterator[SyncBatch]:
        self._box(folder)
        watermark = json.loads(cursor)["ctime"] if cursor else None
        found: list[tuple[float, str, Path]] = []
        for key, path, ctime in self._files(folder):
            if watermark is None or ctime >= watermark:
                found.append((ctime, key, path))
        found.sort()
        high = watermark if watermark is not None else 0.0
        if not found:
            yield SyncBatch(folder, (), json.dumps({"ctime": high}))
            return
        for start in range(0, len(found), BATCH_SIZE):
            chunk = found[start : start + BATCH_SIZE]
            items = []
            for _ctime, key, path in chunk:
                try:
                    headers = _read_header_block(path)
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    # One unreadable file must not stop every scan; a chmod changes its ctime, so it comes again.
                    log.warning("skipped message file %s: cannot read it: %s", path, exc.strerror)
                    continue
                # The first sync looks back by the Date header: file times say when mbsync copied the file.
                if watermark is None and _dated_before(headers, since, path):
                    continue
                self._paths[(folder, key)] = path
                items.append(Listing(ref=key, headers=headers))
            high = max(high, chunk[-1][0])
            yield SyncBatch(folder, tuple(items), json.dumps({"ctime": high}), total=len(found))

    def fetch(self, folder: FolderRole, ref: str) -> bytes:
        self._box(folder)
        try:
            path = self._paths.get((folder, ref))
            if path is None or not path.exists():  # listed by an earlier instance, or moved from new/ to cur/
                path = next((p for key, p, _ctime in self._files(folder) if key == ref), None)
                if path is None:
                    raise FileNotFoundError(ref)
            with path.open("rb") as handle:
                # Small files are read as they are; a large one is streamed without its attachments' bodies.
                if os.fstat(handle.fileno()).st_size > LARGE_MESSAGE:
                    return reduce_message(handle)
                return handle.read()
        except (KeyError, FileNotFoundError):
            raise MessageGoneError(f"message {ref} vanished from {self.folder_path(folder)}") from None
        except OSError as exc:
            raise BackendError(f"cannot read message {ref}: {exc.strerror}") from None

    def create_draft(self, draft: EmailMessage, thread_id: str | None = None) -> str:
        """Maildir delivery (write in tmp/, rename into cur/) done here rather than by `mailbox`, whose files
        follow the umask: a draft is the user's private mail, 0600 from its first byte."""
        self._box(FolderRole.DRAFTS)
        base = self.folder_path(FolderRole.DRAFTS)
        now = time.time()
        host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
        key = f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}R{secrets.token_hex(4)}.{host}"
        tmp = base / "tmp" / key
        try:
            create_private(tmp, draft.as_bytes())
            os.rename(tmp, base / "cur" / f"{key}:2,DS")
            return key
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise BackendError(
                f"cannot write a draft to {self.folder_path(FolderRole.DRAFTS)}: {exc.strerror}"
            ) from None

    def find_drafts(self) -> dict[str, str]:
        self._box(FolderRole.DRAFTS)
        parser = BytesHeaderParser(policy=compat32)
        found: dict[str, str] = {}
        for key, path, _ctime in self._files(FolderRole.DRAFTS):
            try:
                headers = parser.parsebytes(_read_header_block(path))
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.warning("skipped draft file %s: cannot read it: %s", path, exc.strerror)
                continue
            value = headers.get(KEY_HEADER)
            if value:
                found[str(value).strip()] = key
        return found

    marks_threads = False

    def mark_thread(self, target: MarkTarget, label: str) -> None:
        """Nothing: see the module's docstring."""

    def unmark_thread(self, target: MarkTarget, label: str) -> None:
        """Nothing was marked."""

    def draft_exists(self, draft_id: str) -> bool:
        box = self._box(FolderRole.DRAFTS)
        # Maildir re-reads its directories when they changed, so a draft the user removed is noticed.
        return draft_id in box
