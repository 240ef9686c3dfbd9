"""The IMAP backend: any IMAP4rev1 server (Dovecot, Fastmail, Gmail, Outlook, iCloud...) through imapclient.

Reading is strictly read-only: folders are opened with EXAMINE and bodies fetched with BODY.PEEK, so the
agent never marks anything \\Seen. The only write is APPEND of a draft to the Drafts folder.

Cursor (opaque to the engine): compact JSON `{"v": 1, "uidvalidity": <int>, "last_uid": <int>}`. A scan with a
cursor costs one EXAMINE per folder when nothing is new (UIDNEXT from the EXAMINE answer says so); otherwise a
`UID SEARCH UID <last+1>:*` and one FETCH per batch of headers. When UIDVALIDITY changed the cursor is void and
the folder is listed again back to `since`; the engine recognises messages it already has by Message-ID.

Message refs are `<uidvalidity>:<uid>`; draft ids `<uidvalidity>:<uid>:<key>`, where the key lets
`draft_exists` find the draft again by its X-Followup-Agent-Key header if UIDVALIDITY changed.

Faults: every network operation has the configured timeout; network errors, aborted connections and server
refusals become `BackendError` (the connection is dropped and reopened lazily on next use); a refused login
becomes `AuthError`. No message ever contains the password.
"""

from __future__ import annotations

import contextlib
import imaplib
import json
import logging
import os
import re
import ssl
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from typing import Any, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from imapclient.imap_utf7 import decode as decode_utf7
from imapclient.response_types import BodyData

from agent.config import ImapConfig
from agent.errors import AuthError, BackendError, ConfigError, FollowupError, MessageGoneError
from agent.mail.base import KEY_HEADER, Listing, MailBackend, MarkTarget, SyncBatch
from agent.mail.secrets import resolve_password
from agent.models import FolderRole

log = logging.getLogger(__name__)

T = TypeVar("T")

HEADER_FIELDS = (
    "From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
    "Content-Type", "Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence", "List-Id",
    "List-Unsubscribe", KEY_HEADER, "Return-Path", "X-Auto-Response-Suppress",
)  # fmt: skip
HEADER_ITEM = f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
KEY_ITEM = f"BODY.PEEK[HEADER.FIELDS ({KEY_HEADER})]"

PART_CAP = 2 * 1024 * 1024  # bytes of one text part we download at most; a longer part is cut
STRUCTURE_CACHE = 5000  # BODYSTRUCTUREs kept from listing so fetch() needs one command, not two
STATUS_FRESH_SECONDS = 30.0  # a LIST-STATUS answer stands for "now" this long; later, folders are EXAMINEd
BODY_CACHE = 1000  # prefetched bodies waiting for fetch(); a batch is at most [imap] batch_size (1000)
PREFETCH_BYTES = 8 * 1024 * 1024  # the text one prefetch may hold in memory; the rest is fetched one by one
CURSOR_VERSION = 1
# The keyword `[drafting] mark_threads` sets on the employer's message a waiting draft answers; clients that show
# keywords show it, and any client can search for it. "$" marks a client-defined keyword rather than a system
# flag, as in $Forwarded and $Junk.
FOLLOW_UP_KEYWORD = "$FollowUp"
IDLE_PROBE_SECONDS = 60.0  # before an APPEND, a connection unused this long is checked with NOOP

# Used only when no folder carries the RFC 6154 flag; first match in this order wins.
SENT_NAMES = (
    "Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail", "[Google Mail]/Sent Mail",
    "Gesendet", "Gesendete Elemente", "Gesendete Objekte", "Envoyés", "Éléments envoyés", "Messages envoyés",
    "Enviados", "Elementos enviados", "Posta inviata", "Inviata", "Verzonden", "Verzonden items", "Skickat",
    "Sendt", "Lähetetyt", "Wysłane", "Odeslané", "Отправленные",
)  # fmt: skip
DRAFTS_NAMES = (
    "Drafts", "[Gmail]/Drafts", "[Google Mail]/Drafts", "Draft", "Entwürfe", "Brouillons", "Borradores",
    "Bozze", "Concepten", "Utkast", "Kladder", "Luonnokset", "Kopie robocze", "Koncepty", "Черновики",
)  # fmt: skip

_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]", re.IGNORECASE)
_QUOTED_BYTES = re.compile(r"""\bb['"].*""", re.DOTALL)  # a bytes repr imaplib puts in its messages, to the end
_TEXT_LIKE = {("application", "ics")}  # besides every text/* part
_REPORT_PARTS = {  # small machine-readable parts of bounces and read receipts
    ("message", "delivery-status"),
    ("message", "global-delivery-status"),
    ("message", "disposition-notification"),
}


class _ConnectionLost(BackendError):
    """The connection broke (reset, EOF): a read may be retried once on a new connection."""


# ------------------------------------------------------------------------------------------------- cursors


@dataclass(frozen=True)
class _Cursor:
    uidvalidity: int
    last_uid: int

    def encode(self) -> str:
        data = {"v": CURSOR_VERSION, "uidvalidity": self.uidvalidity, "last_uid": self.last_uid}
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str | None) -> _Cursor | None:
        if not text:
            return None
        try:
            data = json.loads(text)
            if data.get("v") != CURSOR_VERSION:
                raise ValueError(f"version {data.get('v')!r}")
            return cls(int(data["uidvalidity"]), int(data["last_uid"]))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # Not ours (another backend's, or corrupt): list from `since`, the engine deduplicates.
            log.warning("ignoring an unreadable IMAP cursor (%s); listing the folder again", exc)
            return None


@dataclass(frozen=True)
class _Status:
    """A folder's STATUS as a LIST-STATUS answer gave it."""

    uidvalidity: int
    uidnext: int
    messages: int


@dataclass(frozen=True)
class _Selected:
    """The folder open on the connection, as its EXAMINE answer described it."""

    role: FolderRole
    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int


# ------------------------------------------------------------------------------------------- body structure


@dataclass
class _Part:
    """One node of a BODYSTRUCTURE, with its IMAP part specifier ("" for the whole message)."""

    spec: str
    maintype: str
    subtype: str
    size: int = 0
    params: dict[str, str] = field(default_factory=dict)
    children: list[_Part] = field(default_factory=list)  # multipart
    inner: _Part | None = None  # message/rfc822: the enclosed message's body

    @property
    def multipart(self) -> bool:
        return self.maintype == "multipart"

    @property
    def wanted(self) -> bool:
        kind = (self.maintype, self.subtype)
        return self.maintype == "text" or kind in _TEXT_LIKE or kind in _REPORT_PARTS

    def keeps_anything(self) -> bool:
        if self.multipart:
            return any(c.keeps_anything() for c in self.children)
        if self.inner is not None:
            return True  # an enclosed message keeps at least its header (bounces quote the original)
        return self.wanted


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    return "" if value is None else str(value)


def _params(raw: Any) -> dict[str, str]:
    if not isinstance(raw, tuple | list):
        return {}
    items = list(raw)
    return {_text(items[i]).lower(): _text(items[i + 1]) for i in range(0, len(items) - 1, 2)}


def _child_spec(parent: str, index: int) -> str:
    return f"{parent}.{index}" if parent else str(index)


def _parse_structure(node: Any, spec: str) -> _Part:
    """Turn imapclient's BODYSTRUCTURE tuples into `_Part`s with RFC 3501 part specifiers."""
    if not isinstance(node, BodyData):
        node = BodyData.create(node)
    if node.is_multipart:
        part = _Part(spec, "multipart", _text(node[1]).lower(), params=_params(node[2] if len(node) > 2 else None))
        part.children = [_parse_structure(child, _child_spec(spec, i)) for i, child in enumerate(node[0], 1)]
        return part
    maintype, subtype = _text(node[0]).lower(), _text(node[1]).lower()
    size = node[6] if len(node) > 6 and isinstance(node[6], int) else 0
    part = _Part(spec or "1", maintype, subtype, size=size, params=_params(node[2]))
    if (maintype, subtype) == ("message", "rfc822") and len(node) > 8 and isinstance(node[8], tuple):
        inner = BodyData.create(node[8])
        # The enclosed message's parts are numbered below this part; a single-part body is "<spec>.1".
        part.inner = (
            _parse_structure(inner, part.spec) if inner.is_multipart else _parse_structure(inner, f"{part.spec}.1")
        )
    return part


def _fetch_items(part: _Part, top: bool) -> list[str]:
    """The FETCH items needed to rebuild `part` (its MIME header, and content or children)."""
    items = [] if top else [f"BODY.PEEK[{part.spec}.MIME]"]
    if part.multipart:
        for child in part.children:
            if child.keeps_anything():
                items += _fetch_items(child, top=False)
    elif part.inner is not None:
        items.append(f"BODY.PEEK[{part.spec}.HEADER]")
        if part.inner.multipart:
            for child in part.inner.children:
                if child.keeps_anything():
                    items += _fetch_items(child, top=False)
        elif part.inner.wanted:
            items.append(f"BODY.PEEK[{part.inner.spec}]<0.{PART_CAP}>")
    elif part.wanted:
        items.append(f"BODY.PEEK[{part.spec}]<0.{PART_CAP}>")
    return items


def _body_key(key: bytes) -> str:
    """`BODY[1.2]<0>` -> `1.2`: how a FETCH answer names what we asked for as `BODY.PEEK[1.2]<0.N>`."""
    text = _text(key).upper()
    return text[text.find("[") + 1 : text.rfind("]")] if "[" in text else text


def _rebuild(part: _Part, data: dict[str, bytes], top: bool) -> bytes:
    """Serialise `part` back into MIME from the fetched pieces, leaving out every unwanted leaf."""
    head = b"" if top else data.get(f"{part.spec}.MIME", b"")
    if part.multipart:
        boundary = part.params.get("boundary", "").encode("ascii", "replace")
        body = b""
        for child in part.children:
            if child.keeps_anything():
                body += b"--" + boundary + b"\r\n" + _rebuild(child, data, top=False) + b"\r\n"
        body += b"--" + boundary + b"--\r\n"
        return head + body
    if part.inner is not None:
        inner_head = data.get(f"{part.spec}.HEADER", b"")
        if part.inner.multipart:
            return head + inner_head + _rebuild(part.inner, data, top=True)
        return head + inner_head + data.get(part.inner.spec, b"")
    return head + data.get(part.spec, b"")


def _body_items(structure: Any) -> tuple[_Part, list[str]]:
    """The parsed structure and the FETCH items that download its wanted parts."""
    top = _parse_structure(structure, "")
    if not top.multipart and top.inner is None:
        if top.wanted and top.size <= PART_CAP:
            return top, ["BODY.PEEK[]"]  # small single-part text: the message as it is
        if top.wanted:
            return top, ["BODY.PEEK[HEADER]", f"BODY.PEEK[1]<0.{PART_CAP}>"]
        return top, ["BODY.PEEK[HEADER]"]  # a message that is one attachment: its header only
    return top, ["BODY.PEEK[HEADER]", *_fetch_items(top, top=True)]


def _wanted_size(part: _Part) -> int:
    """About how many bytes the wanted parts of `part` download (BODYSTRUCTURE sizes, capped per part)."""
    if part.multipart:
        return sum(_wanted_size(c) for c in part.children)
    if part.inner is not None:
        return 4096 + _wanted_size(part.inner)  # its header, and its parts
    return min(part.size, PART_CAP) if part.wanted else 0


def _assemble(top: _Part, answer: dict[bytes, Any]) -> bytes:
    """The message rebuilt from one FETCH answer for the items `_body_items` chose."""
    data = {_body_key(k): bytes(v or b"") for k, v in answer.items() if _text(k).upper().startswith("BODY")}
    if "" in data:
        return data[""]
    header = data.get("HEADER", b"")
    if not top.multipart and top.inner is None:
        return header + data.get("1", b"")
    return header + _rebuild(top, data, top=True)


# ----------------------------------------------------------------------------------------------- the backend


class ImapBackend(MailBackend):
    """A mailbox on an IMAP server. Connects lazily; one connection, reopened after a failure."""

    name = "imap"

    def __init__(self, config: ImapConfig) -> None:
        self.config = config
        self.host = config.host
        self.port = config.effective_port
        self._client: IMAPClient | None = None
        self._password: str | None = None  # resolved once: a password_command may prompt or be slow
        self._folders: dict[FolderRole, str] = {}
        self._selected: _Selected | None = None
        self._gmail = False
        self._structures: dict[tuple[str, int, int], Any] = {}
        self._bodies: dict[tuple[str, int, int], bytes] = {}  # prefetched, until fetch() takes them
        self._status: dict[str, _Status] = {}  # folder name -> STATUS from LIST-STATUS, at _status_at
        self._status_at = float("-inf")
        self._last_used = 0.0

    @classmethod
    def from_config(cls, config: ImapConfig) -> ImapBackend:
        return cls(config)

    def __enter__(self) -> ImapBackend:
        return self

    # ------------------------------------------------------------------------------------------ connection

    def _ssl_context(self) -> ssl.SSLContext:
        # Verification is always on; ca_file replaces the system store (a private CA, a self-signed server).
        cafile = str(self.config.ca_file) if self.config.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def _connect(self) -> IMAPClient:
        cfg = self.config
        security = cfg.security
        log.debug("connecting to IMAP %s:%s (%s)", self.host, self.port, security)
        client = IMAPClient(
            self.host,
            self.port,
            ssl=security == "tls",
            ssl_context=self._ssl_context() if security == "tls" else None,
            timeout=float(cfg.timeout_seconds),
        )
        try:
            if security == "starttls":
                client.starttls(self._ssl_context())
            client.normalise_times = False  # aware INTERNALDATEs, compared with an aware `since`
            self._login(client)
            # Read the capabilities now: the login answer carries them, and a later SELECT would flush them
            # and cost a CAPABILITY command in the middle of a scan.
            self._gmail = client.has_capability("X-GM-EXT-1")
        except BaseException:
            with contextlib.suppress(Exception):
                client.shutdown()
            raise
        return client

    def _login(self, client: IMAPClient) -> None:
        cfg = self.config
        try:
            if cfg.auth == "xoauth2":
                client.oauth2_login(cfg.username, self._oauth_access_token())
            else:
                if self._password is None:
                    self._password = resolve_password(cfg)
                client.login(cfg.username, self._password)
        except LoginError as exc:
            secret = self._password
            self._password = None  # read it again next time: the user may have fixed it meanwhile
            reason = _text(exc.args[0] if exc.args else exc).strip("b'\"")
            if secret:
                reason = reason.replace(secret, "***")
            what = "token" if cfg.auth == "xoauth2" else "password"
            hint = (
                "run `followup-agent auth` to renew the Google token"
                if cfg.auth == "xoauth2"
                else "check imap.username and the password; providers with 2-step verification (Gmail, iCloud, "
                "Outlook, Yahoo) need an app password"
            )
            raise AuthError(
                f"IMAP login to {self.host} as {cfg.username} was refused: {reason}. Check the {what}.", hint=hint
            ) from None

    def _oauth_access_token(self) -> str:
        path = self.config.oauth_token
        if path is None:
            raise AuthError('imap.oauth_token: required for imap.auth = "xoauth2"')
        from google.auth.exceptions import GoogleAuthError, RefreshError, TransportError
        from google.auth.transport.requests import Request
        from google.oauth2.credentials import Credentials

        try:
            creds = Credentials.from_authorized_user_file(str(path))
        except FileNotFoundError:
            raise AuthError(f"imap.oauth_token: no token file at {path}", hint="run `followup-agent auth`") from None
        except (ValueError, OSError) as exc:
            raise AuthError(f"imap.oauth_token: cannot read {path} ({exc})", hint="run `followup-agent auth`") from None
        if not creds.valid:
            if not creds.refresh_token:
                raise AuthError(f"the Google token in {path} expired and cannot be renewed",
                                hint="run `followup-agent auth`")  # fmt: skip
            try:
                creds.refresh(Request())
            except RefreshError as exc:
                raise AuthError(f"Google refused to renew the token in {path}: {exc}",
                                hint="run `followup-agent auth`") from None  # fmt: skip
            except (TransportError, GoogleAuthError) as exc:
                raise BackendError(f"cannot reach Google to renew the IMAP token: {exc}") from None
            _write_private(path, creds.to_json())
        return str(creds.token)

    def connect(self) -> None:
        """Open and log in now rather than on first use (to check a config, or to fail early)."""
        self._run("logging in", lambda client: None)

    def _drop(self) -> None:
        client, self._client = self._client, None
        self._selected = None
        if client is not None:
            with contextlib.suppress(Exception):
                client.shutdown()

    def close(self) -> None:
        client, self._client = self._client, None
        self._selected = None
        if client is not None:
            try:
                client.logout()
            except Exception:  # the connection may already be gone; closing must not fail
                with contextlib.suppress(Exception):
                    client.shutdown()

    def _run(self, what: str, action: Callable[[IMAPClient], T], *, idempotent: bool = True) -> T:
        """Run `action` on a (lazily opened) connection, turning every fault into our error types.

        A connection kept between scans is often closed by the server meanwhile (idle logout) and that only
        shows on use: a read that finds its connection gone is retried once on a new one. A write (APPEND)
        is never repeated; instead a long-idle connection is checked with a NOOP before it.
        """
        reused = self._client is not None
        if reused and not idempotent and time.monotonic() - self._last_used > IDLE_PROBE_SECONDS:
            self._run("checking the connection", lambda client: client.noop())
        try:
            return self._once(what, action)
        except _ConnectionLost as exc:
            if not (reused and idempotent):
                raise
            log.info("IMAP connection to %s:%s was lost (%s); reconnecting", self.host, self.port, exc.message)
            return self._once(what, action)

    def _once(self, what: str, action: Callable[[IMAPClient], T]) -> T:
        where = f"{self.host}:{self.port}"
        try:
            if self._client is None:
                self._client = self._connect()
            result = action(self._client)
            self._last_used = time.monotonic()
            return result
        except FollowupError:
            raise
        except ssl.SSLCertVerificationError as exc:
            self._drop()
            raise BackendError(
                f"the certificate of IMAP server {where} could not be verified: {exc.verify_message}",
                hint="set imap.ca_file to the CA that signed it (for a private or self-signed server)",
            ) from None
        except TimeoutError as exc:
            self._drop()
            raise BackendError(
                f"IMAP server {where} did not answer within {self.config.timeout_seconds} s while {what}"
            ) from exc
        except imaplib.IMAP4.abort as exc:
            self._drop()
            if "timed out" in _text(exc):  # imaplib wraps a timeout while sending into an abort
                raise BackendError(
                    f"IMAP server {where} did not answer within {self.config.timeout_seconds} s while {what}"
                ) from None
            raise _ConnectionLost(
                f"the connection to IMAP server {where} broke while {what}: {_abort_reason(exc)}"
            ) from None
        except imaplib.IMAP4.error as exc:
            # A NO or BAD: the connection still works, but after a failed command mid-way through a sequence
            # its state (selected folder) is uncertain, and reconnecting is cheap.
            self._drop()
            raise BackendError(f"IMAP server {where} refused {what}: {_text(exc)}") from None
        except OSError as exc:
            self._drop()
            reason = exc.strerror or str(exc) or type(exc).__name__
            raise _ConnectionLost(f"IMAP connection to {where} failed while {what}: {reason}") from None

    # --------------------------------------------------------------------------------------------- folders

    def folder_name(self, role: FolderRole) -> str:
        """The server's name of the folder for `role` (discovered once per backend)."""
        if role is FolderRole.INBOX:
            return self.config.inbox or "INBOX"
        if role not in self._folders:
            self._run("listing folders", self._discover)
        return self._folders[role]

    def _discover(self, client: IMAPClient, with_status: bool = False) -> None:
        listing = self._list_with_status(client) if with_status else None
        if listing is None:
            listing = client.list_folders()
        names: list[str] = []
        flagged: dict[str, list[str]] = {}
        delimiters: dict[str, str] = {}
        for flags, delimiter, name in listing:
            lowered = {_text(f).lower() for f in flags}
            if "\\noselect" in lowered or "\\nonexistent" in lowered:
                continue
            names.append(name)
            delimiters[name] = _text(delimiter)
            for flag in lowered:
                flagged.setdefault(flag, []).append(name)
        for role, flag, explicit, fallbacks in (
            (FolderRole.SENT, "\\sent", self.config.sent, SENT_NAMES),
            (FolderRole.DRAFTS, "\\drafts", self.config.drafts, DRAFTS_NAMES),
        ):
            self._folders[role] = _choose_folder(role, flag, explicit, fallbacks, names, flagged, delimiters)
            log.debug("IMAP %s folder: %s", role, self._folders[role])

    def _list_with_status(self, client: IMAPClient) -> list[tuple[Any, Any, str]] | None:
        """LIST with the STATUS of every folder in the same answer (RFC 5819, RFC 6154), so a scan with
        nothing new needs no EXAMINE at all; None when the server refuses it (then a plain LIST)."""
        # imapclient has no LIST-STATUS call: the command goes through its imaplib connection, and the answer
        # through imapclient's own parsers.
        from imapclient.response_parser import parse_response

        imap = client._imap
        try:
            typ, data = imap._simple_command(
                "LIST", '""', '"*"', "RETURN", "(SPECIAL-USE STATUS (UIDVALIDITY UIDNEXT MESSAGES))"
            )
            if typ != "OK":
                return None
            typ, data = imap._untagged_response(typ, data, "LIST")
            listing: list[tuple[Any, Any, str]] = client._proc_folder_list(data)
            statuses = imap.untagged_responses.pop("STATUS", [])
        except imaplib.IMAP4.error:
            return None
        self._status.clear()
        self._status_at = time.monotonic()
        for raw in statuses:
            if not isinstance(raw, bytes):
                continue  # a folder name sent as a literal: that folder is simply EXAMINEd
            try:
                name, items = parse_response([raw])
                pairs = dict(zip(items[::2], items[1::2], strict=True))
                name = str(name) if isinstance(name, int) else decode_utf7(name) if isinstance(name, bytes) else name
                self._status[name] = _Status(int(pairs[b"UIDVALIDITY"]), int(pairs[b"UIDNEXT"]),
                                             int(pairs[b"MESSAGES"]))  # fmt: skip
            except (ValueError, KeyError, TypeError):
                continue
        return listing

    def _take_status(self, role: FolderRole, *, snapshot: bool) -> _Status | None:
        """The folder's STATUS from a LIST-STATUS of moments ago, used once; None to EXAMINE the folder.

        With `snapshot`, when no unused and fresh answer is left, one LIST-STATUS is sent now: the first
        incremental listing of a scan asks for all folders at once, and the later folders of the same scan
        use that answer. A message arriving in between waits for the next scan (the cursor stays put).
        """
        if time.monotonic() - self._status_at > STATUS_FRESH_SECONDS:
            self._status.clear()
        if not self._status and snapshot:

            def discover(client: IMAPClient) -> None:
                if client.has_capability("LIST-STATUS"):
                    self._discover(client, with_status=True)

            self._run("listing folders", discover)
        name = self.folder_name(role)
        status = self._status.pop(name, None)
        if self._selected is not None and self._selected.name == name:
            return None  # a server may answer STATUS of the open folder from the session's older view
        return status

    def _examine(self, client: IMAPClient, role: FolderRole) -> _Selected:
        name = self.folder_name(role)
        info = client.select_folder(name, readonly=True)
        if b"UIDVALIDITY" not in info:
            raise BackendError(f"IMAP server {self.host} gave no UIDVALIDITY for folder {name!r}")
        uidnext = info.get(b"UIDNEXT")
        self._selected = _Selected(role, name, int(info[b"UIDVALIDITY"]),
                                   int(uidnext) if uidnext else None, int(info.get(b"EXISTS", 0)))  # fmt: skip
        return self._selected

    def _ensure_selected(self, client: IMAPClient, role: FolderRole) -> _Selected:
        if self._selected is not None and self._selected.role is role:
            return self._selected
        return self._examine(client, role)

    # ------------------------------------------------------------------------------------------------ listing

    def list_new(self, folder: FolderRole, cursor: str | None, since: datetime) -> Iterator[SyncBatch]:
        name = self.folder_name(folder)
        state = _Cursor.decode(cursor)
        status = self._take_status(folder, snapshot=True) if state is not None else None
        if (
            state is not None
            and status is not None
            and status.uidvalidity == state.uidvalidity
            and status.uidnext <= state.last_uid + 1
        ):
            yield SyncBatch(folder, (), state.encode())  # LIST-STATUS said nothing arrived: no command at all
            return
        selected = self._run(f"opening {name}", lambda c: self._examine(c, folder))
        if state is not None and state.uidvalidity != selected.uidvalidity:
            log.info("IMAP folder %s was recreated (UIDVALIDITY %s -> %s); listing it again from %s",
                     name, state.uidvalidity, selected.uidvalidity, since.date())  # fmt: skip
            state = None
        floor = None if state is not None else _aware(since)
        # Everything below UIDNEXT as of the EXAMINE has been seen once this scan completes.
        high = (selected.uidnext - 1) if selected.uidnext else 0
        if state is not None:
            high = max(high, state.last_uid)
            if selected.uidnext is not None and selected.uidnext <= state.last_uid + 1:
                # Nothing arrived: the EXAMINE was the whole scan.
                yield SyncBatch(folder, (), state.encode())
                return
            uids = self._run(f"searching {name}", lambda c: self._search_after(c, state.last_uid))
        else:
            uids = self._run(f"searching {name}", lambda c: self._search_since(c, floor or _aware(since)))
            if selected.uidnext is None and selected.exists:
                # A server that omits UIDNEXT: the highest UID present is the watermark instead.
                high = max(self._run(f"searching {name}", lambda c: list(c.search(["UID", "*"]))), default=0)
        uids = sorted(set(uids))
        if not uids:
            yield SyncBatch(folder, (), _Cursor(selected.uidvalidity, high).encode())
            return
        size = max(1, self.config.batch_size)
        chunks = [uids[i : i + size] for i in range(0, len(uids), size)]
        for index, chunk in enumerate(chunks):

            def read(client: IMAPClient, chunk: list[int] = chunk) -> list[Listing]:
                return self._list_chunk(client, folder, selected, chunk, floor)

            items = self._run(f"reading headers in {name}", read)
            last = chunk[-1] if index < len(chunks) - 1 else max(chunk[-1], high)
            yield SyncBatch(folder, tuple(items), _Cursor(selected.uidvalidity, last).encode(), total=len(uids))

    def _search_after(self, client: IMAPClient, last_uid: int) -> list[int]:
        found = client.search(["UID", f"{last_uid + 1}:*", "NOT", "DELETED"])
        # "n:*" also matches the highest UID when it is below n, so filter.
        return [uid for uid in found if uid > last_uid]

    def _search_since(self, client: IMAPClient, since: datetime) -> list[int]:
        # SINCE compares dates in the server's time zone; a day earlier is safe, INTERNALDATE filters exactly.
        day = (since.astimezone(UTC) - timedelta(days=1)).date()
        return list(client.search(["SINCE", day, "NOT", "DELETED"]))

    def _list_chunk(
        self, client: IMAPClient, role: FolderRole, selected: _Selected, uids: list[int], floor: datetime | None
    ) -> list[Listing]:
        self._reselect(client, selected)
        wanted = ["INTERNALDATE", "BODYSTRUCTURE", HEADER_ITEM] + (["X-GM-THRID"] if self._gmail else [])
        answer = client.fetch(uids, wanted)
        items: list[Listing] = []
        for uid in uids:
            data = answer.get(uid)
            if data is None:
                continue  # expunged since the search
            when = data.get(b"INTERNALDATE")
            if floor is not None and isinstance(when, datetime) and _aware(when) < floor:
                continue
            headers = next((v for k, v in data.items() if _text(k).upper().startswith("BODY[HEADER.FIELDS")), b"")
            structure = data.get(b"BODYSTRUCTURE")
            if structure is not None:
                self._remember_structure(selected, uid, structure)
            thread = data.get(b"X-GM-THRID")
            items.append(
                Listing(
                    ref=f"{selected.uidvalidity}:{uid}",
                    headers=bytes(headers or b""),
                    # Hex, as the Gmail API spells the same thread id.
                    thread_id=format(int(thread), "x") if thread is not None else None,
                )
            )
        return items

    def _reselect(self, client: IMAPClient, selected: _Selected) -> None:
        """Between batches the engine may have used the connection for another folder: open ours again."""
        current = self._selected
        if current is not None and current.role is selected.role and current.uidvalidity == selected.uidvalidity:
            return
        again = self._examine(client, selected.role)
        if again.uidvalidity != selected.uidvalidity:
            raise BackendError(
                f"IMAP folder {selected.name} was recreated during the scan; the next scan lists it again"
            )

    def _remember_structure(self, selected: _Selected, uid: int, structure: Any) -> None:
        if len(self._structures) >= STRUCTURE_CACHE:
            self._structures.pop(next(iter(self._structures)))
        self._structures[(selected.name, selected.uidvalidity, uid)] = structure

    # ------------------------------------------------------------------------------------------------ fetching

    def fetch(self, folder: FolderRole, ref: str) -> bytes:
        uidvalidity, uid = _parse_ref(ref)
        name = self.folder_name(folder)
        return self._run(f"fetching message {ref} from {name}", lambda c: self._fetch(c, folder, uidvalidity, uid))

    def _fetch(self, client: IMAPClient, role: FolderRole, uidvalidity: int, uid: int) -> bytes:
        selected = self._ensure_selected(client, role)
        if selected.uidvalidity != uidvalidity:
            raise BackendError(
                f"IMAP folder {selected.name} was recreated since message {uidvalidity}:{uid} was listed; "
                "the next scan lists it again"
            )
        cached = self._bodies.pop((selected.name, uidvalidity, uid), None)
        if cached is not None:
            return cached
        structure = self._structures.get((selected.name, uidvalidity, uid))
        if structure is None:
            answer = client.fetch([uid], ["BODYSTRUCTURE"]).get(uid)
            if answer is None or b"BODYSTRUCTURE" not in answer:
                raise MessageGoneError(f"message {uidvalidity}:{uid} is no longer in IMAP folder {selected.name}")
            structure = answer[b"BODYSTRUCTURE"]
        top, items = _body_items(structure)
        answer = client.fetch([uid], items).get(uid)
        if answer is None:
            raise MessageGoneError(f"message {uidvalidity}:{uid} is no longer in IMAP folder {selected.name}")
        return _assemble(top, answer)

    def prefetch(self, folder: FolderRole, refs: list[str]) -> None:
        """Download the wanted parts of these listed messages in one FETCH per distinct shape of message (a
        plain-text mail, a text+HTML alternative...), instead of one round trip each; `fetch` then answers
        from memory. Only messages whose structure the listing remembered; any fault leaves `fetch` to it."""
        name = self.folder_name(folder)
        wanted: dict[tuple[str, ...], list[tuple[int, _Part]]] = {}
        selected = self._selected
        if selected is None or selected.role is not folder:
            return
        budget = PREFETCH_BYTES
        for ref in refs:
            uidvalidity, uid = _parse_ref(ref)
            structure = self._structures.get((name, uidvalidity, uid))
            if structure is None or uidvalidity != selected.uidvalidity:
                continue
            top, items = _body_items(structure)
            size = _wanted_size(top)
            if size > budget:
                continue  # a long text part: fetched on its own, so the batch never holds much in memory
            budget -= size
            wanted.setdefault(tuple(items), []).append((uid, top))
        if not wanted:
            return

        def download(client: IMAPClient) -> None:
            current = self._ensure_selected(client, folder)
            if current.uidvalidity != selected.uidvalidity:
                return
            for items, group in wanted.items():
                shapes = dict(group)
                answer = client.fetch(sorted(shapes), list(items))
                for uid, top in shapes.items():
                    if uid in answer:
                        self._remember_body((name, current.uidvalidity, uid), _assemble(top, answer[uid]))

        try:
            self._run(f"fetching {len(refs)} messages from {name}", download)
        except BackendError as exc:  # fetch() retries one by one and reports what is really wrong
            log.info("IMAP batch fetch from %s failed (%s); fetching one by one", name, exc.message)

    def _remember_body(self, key: tuple[str, int, int], raw: bytes) -> None:
        # Bounded by the batch the engine prefetches; fetch() pops each body as soon as it is read.
        while len(self._bodies) >= BODY_CACHE:
            self._bodies.pop(next(iter(self._bodies)))
        self._bodies[key] = raw

    # -------------------------------------------------------------------------------------------------- drafts

    def create_draft(self, draft: EmailMessage, thread_id: str | None = None) -> str:
        # thread_id: IMAP cannot place a message in a thread; Gmail threads the draft by its References.
        key = str(draft.get(KEY_HEADER, ""))
        raw = draft.as_bytes(policy=email_policy.SMTP)  # CRLF line ends, as IMAP wants them
        self._status.clear()  # Drafts changes now: what LIST-STATUS said of it no longer holds
        name = self.folder_name(FolderRole.DRAFTS)

        def append(client: IMAPClient) -> str:
            answer = client.append(name, raw, flags=(b"\\Draft", b"\\Seen"))
            match = _APPENDUID.search(answer if isinstance(answer, bytes) else _text(answer).encode())
            if match:
                return _draft_id(int(match.group(1)), int(match.group(2)), key)
            # No UIDPLUS: find it again by its key (the newest such draft).
            selected = self._examine(client, FolderRole.DRAFTS)
            found = self._drafts_by_key(client, selected)
            if key in found:
                return found[key]
            raise BackendError(f"the draft appended to IMAP folder {name} cannot be found again (no UIDPLUS)")

        draft_id = self._run(f"saving a draft in {name}", append, idempotent=False)
        log.info("left IMAP draft %s in %s", draft_id, name)
        return draft_id

    def find_drafts(self) -> dict[str, str]:
        status = self._take_status(FolderRole.DRAFTS, snapshot=False)
        if status is not None and status.messages == 0:
            return {}  # LIST-STATUS said the folder is empty

        def find(client: IMAPClient) -> dict[str, str]:
            return self._drafts_by_key(client, self._examine(client, FolderRole.DRAFTS))

        return self._run("listing drafts", find)

    def _drafts_by_key(self, client: IMAPClient, selected: _Selected) -> dict[str, str]:
        if selected.exists == 0:
            return {}
        # Drafts folders are small: read the key header and flags of every draft in one FETCH rather than rely
        # on SEARCH HEADER, which Gmail and Exchange implement loosely for custom headers.
        answer = _fetch_all(client, [KEY_ITEM, "FLAGS"])
        parser = BytesHeaderParser(policy=email_policy.default)
        found: dict[str, str] = {}
        for uid in sorted(answer):  # ascending, so the newest draft with a key wins
            data = answer.get(uid, {})
            if b"\\deleted" in {bytes(f).lower() for f in data.get(b"FLAGS", ())}:
                continue
            raw = next((v for k, v in data.items() if _text(k).upper().startswith("BODY[HEADER.FIELDS")), b"")
            key = parser.parsebytes(bytes(raw or b"")).get(KEY_HEADER)
            if key:
                found[str(key).strip()] = _draft_id(selected.uidvalidity, uid, str(key).strip())
        return found

    def mark_thread(self, target: MarkTarget, label: str) -> None:
        # `label` is Gmail's; IMAP keywords are atoms without spaces, so the keyword is fixed.
        self._store_keyword(target, add=True)

    def unmark_thread(self, target: MarkTarget, label: str) -> None:
        self._store_keyword(target, add=False)

    def _store_keyword(self, target: MarkTarget, *, add: bool) -> None:
        uidvalidity, uid = _parse_ref(target.ref)
        name = self.folder_name(target.folder)

        def store(client: IMAPClient) -> None:
            info = client.select_folder(name)  # read-write: STORE needs it
            self._selected = None  # the next listing EXAMINEs again, read-only
            uids = [uid]
            if int(info.get(b"UIDVALIDITY", 0)) != uidvalidity:
                # The folder was recreated: its UIDs changed, the Message-ID did not.
                uids = list(client.search(["HEADER", "Message-ID", target.message_id]))
                if not uids:
                    return
            permanent = {_text(f).lower() for f in info.get(b"PERMANENTFLAGS", ())}
            if add and "\\*" not in permanent and FOLLOW_UP_KEYWORD.lower() not in permanent:
                raise BackendError(
                    f"IMAP server {self.host} keeps no keywords on the messages of {name}, so {FOLLOW_UP_KEYWORD} "
                    "cannot be set",
                    hint="set [drafting] mark_threads = false",
                )
            if add:
                client.add_flags(uids, [FOLLOW_UP_KEYWORD], silent=True)
            else:
                client.remove_flags(uids, [FOLLOW_UP_KEYWORD], silent=True)

        self._run(f"{'marking' if add else 'unmarking'} a message in {name}", store)

    def draft_exists(self, draft_id: str) -> bool:
        uidvalidity, uid, key = _parse_draft_id(draft_id)

        def exists(client: IMAPClient) -> bool:
            selected = self._examine(client, FolderRole.DRAFTS)
            if selected.uidvalidity != uidvalidity:
                # The folder was recreated: UIDs mean nothing now, the key still does.
                return bool(key) and key in self._drafts_by_key(client, selected)
            data = client.fetch([uid], ["FLAGS"]).get(uid)
            if data is None:
                return False
            return b"\\deleted" not in {bytes(f).lower() for f in data.get(b"FLAGS", ())}

        return self._run("checking a draft", exists)


# ---------------------------------------------------------------------------------------------------- helpers


def _fetch_all(client: IMAPClient, items: list[str]) -> dict[int, dict[bytes, Any]]:
    """UID FETCH 1:* of `items`: every message of the selected folder in one command (imapclient's fetch
    takes only explicit UIDs, so this is its own body with the range the protocol allows)."""
    from imapclient.response_parser import parse_fetch_response

    imap = client._imap
    tag = imap._command("UID", "FETCH", "1:*", "(" + " ".join(items) + ")")
    typ, data = imap._command_complete("FETCH", tag)
    client._checkok("fetch", typ, data)
    typ, data = imap._untagged_response(typ, data, "FETCH")
    answer: dict[int, dict[bytes, Any]] = parse_fetch_response(data, client.normalise_times, True)
    return answer


def _choose_folder(
    role: FolderRole,
    flag: str,
    explicit: str,
    fallbacks: tuple[str, ...],
    names: list[str],
    flagged: dict[str, list[str]],
    delimiters: dict[str, str],
) -> str:
    setting = f"imap.{role.value}"
    if explicit:
        if explicit in names:
            return explicit
        raise ConfigError(
            f"{setting}: the IMAP server has no folder named {explicit!r}",
            hint=f"folders on the server: {', '.join(sorted(names)) or '(none)'}",
        )
    if flagged.get(flag):
        return flagged[flag][0]
    by_full = {n.lower(): n for n in names}
    by_leaf: dict[str, str] = {}
    for n in sorted(names, key=len):  # the shortest path wins: "Sent" before "INBOX/Sent"
        leaf = n.rsplit(delimiters[n], 1)[-1] if delimiters.get(n) else n
        by_leaf.setdefault(leaf.lower(), n)
    for candidate in fallbacks:
        found = by_full.get(candidate.lower()) or by_leaf.get(candidate.lower())
        if found:
            return found
    raise ConfigError(
        f"{setting}: no folder on the IMAP server is flagged {flag.title()} and none has a usual name",
        hint=f"set {setting} to one of: {', '.join(sorted(names)) or '(no folders)'}",
    )


def _abort_reason(exc: BaseException) -> str:
    """imaplib's reason for a broken connection, without the server bytes it quotes: a cut or garbled answer
    is quoted whole (`unterminated line: b'* 2 FETCH ... headers of a message ...'`), and mail never goes into
    an error message or the log."""
    text = _QUOTED_BYTES.sub("(the server's answer is not shown)", _text(exc))
    return text if len(text) <= 200 else text[:200] + "..."


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def _parse_ref(ref: str) -> tuple[int, int]:
    try:
        uidvalidity, uid = ref.split(":")
        return int(uidvalidity), int(uid)
    except ValueError:
        raise BackendError(f"not an IMAP message reference: {ref!r}") from None


def _draft_id(uidvalidity: int, uid: int, key: str) -> str:
    return f"{uidvalidity}:{uid}:{key}"


def _parse_draft_id(draft_id: str) -> tuple[int, int, str]:
    parts = draft_id.split(":", 2)
    try:
        return int(parts[0]), int(parts[1]), parts[2] if len(parts) > 2 else ""
    except (ValueError, IndexError):
        raise BackendError(f"not an IMAP draft id: {draft_id!r}") from None


def _write_private(path: os.PathLike[str], text: str) -> None:
    """Replace a token file atomically, readable by its owner only."""
    target = os.fspath(path)
    directory = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".token-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
