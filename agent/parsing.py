"""Turning raw RFC 5322 bytes into `Message` values, and separating what a writer quoted from what they wrote.

This module owns everything about reading mail bytes: header decoding (RFC 2047, raw UTF-8, broken folding),
address lists, the Date, Message-ID threading headers, choosing and decoding a readable body (text/plain
preferred, HTML converted), collecting calendar parts, and `strip_quoted`. It is pure: no backend, no store, no
network. Every failure is reported as `MalformedMessageError` with a short reason, never with message content.

Hostile or broken input is the normal case here, so the limits below are deliberate: a 3 MB HTML part or a
30 MB PDF must cost next to nothing, and a wrong charset or bad base64 degrades the text instead of failing.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.message import Message as EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from agent.bounds import sane
from agent.errors import MalformedMessageError
from agent.models import Address, FolderRole, Message
from agent.names import clean_name

# HTML beyond this many bytes is cut before parsing: lxml is fast, but not on an HTML bomb.
MAX_HTML_BYTES = 2_000_000
# The readable text handed to detection is capped; nothing a recruiter writes is longer.
MAX_TEXT_CHARS = 200_000
# A text part larger than this is not decoded in full (only its first MAX_HTML_BYTES are looked at).
MAX_PART_BYTES = 4_000_000
# Calendar parts are small; anything bigger is not an invitation.
MAX_CALENDAR_BYTES = 1_000_000
# Lines that may open a MIME part. The email package parses every part (and recurses on nesting: 1,000 levels
# raise RecursionError after a second and a half); a message with more than this is read by its headers only.
MAX_PART_LINES = 300
# A Content-Type or Content-Disposition longer than this is an attack: the email package parses them in
# quadratic time (a thousand parameters take most of a second), so such a part is not read.
MAX_STRUCTURED_HEADER = 2_000
# Header values read from a message: a 1 MB subject made every subject pattern of detection take a second.
MAX_HEADER_CHARS = 4_000
MAX_SUBJECT_CHARS = 1_000
# To and Cc together (a few thousand addresses at the most), and References (a long thread).
MAX_ADDRESS_CHARS = 100_000

# Headers kept on the Message (lower-case). Detection and the engine look at these and nothing else.
KEPT_HEADERS = frozenset(
    {
        "auto-submitted",
        "date",  # as written: its offset is the writer's zone ("9 my time"); Message.date is UTC
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-auto-response-suppress",
        "precedence",
        "list-id",
        "list-unsubscribe",
        "list-post",
        "x-followup-agent-key",
        "content-type",
        "x-mailer",
        "return-path",
        "sender",
        "x-ms-exchange-generated-message-source",
        "x-ms-exchange-inbox-rules-loop",
        "x-campaign",
        "x-mailgun-tag",
        "x-sg-eid",
        "feedback-id",
        "x-gm-message-state",
        "x-failed-recipients",
        "x-original-to",
    }
)

_REPORT_TYPES = frozenset({"multipart/report", "message/delivery-status", "message/disposition-notification"})
_CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics"})

# compat32, not policy.default: the header registry parses every header it is asked for into objects (about 6x
# slower on the scan's hot path), and this module reads raw header values itself (`_raw_items`, `_decode_words`).
# The MIME walk below uses only the API both policies share (get_content_type, get_payload, get_filename...).
_PARSER = BytesParser(policy=policy.compat32)


# ---------------------------------------------------------------------------------------------------------
# public API


def parse_message(raw: bytes, folder: FolderRole, ref: str = "", thread_id: str | None = None) -> Message:
    """Parse a whole message. Raises `MalformedMessageError` if it cannot be placed in time (no usable Date)."""
    try:
        if raw.count(b"\n--") > MAX_PART_LINES:
            head = parse_headers(raw, folder, ref, thread_id)
            if head.date is None:
                raise MalformedMessageError("message has no usable Date header")
            return head  # no recruiter writes hundreds of MIME parts: this one is read by its headers
        msg = _PARSER.parsebytes(raw)
        head = _header_message(msg, raw, folder, ref, thread_id)
        if head.date is None:
            raise MalformedMessageError("message has no usable Date header")
        body = _Body()
        _collect(msg, body, depth=0)
        is_report = body.is_report or (_readable(msg) and _content_type(msg) in _REPORT_TYPES)
        references = head.references
        if is_report or (head.sender is not None and _DAEMON_SENDER.match(head.sender.email)):
            # A delivery failure names the user's message it returns ("Message-ID: <…>" in the returned
            # headers or text): that id threads the bounce to the application the message belongs to.
            returned = _returned_ids(raw, head.message_id)
            references = tuple(dict.fromkeys((*references, *returned)))
            failed = _failed_recipients(raw)
        else:
            failed = ()
        return replace(
            head,
            text=body.text(),
            calendars=tuple(body.calendars),
            is_report=is_report,
            references=references,
            returned_to=failed,
        )
    except MalformedMessageError:
        raise
    except Exception as exc:  # any other failure is one bad message, never a crash of the scan
        raise MalformedMessageError(f"could not parse message {ref or ''}: {type(exc).__name__}".strip()) from exc


_DAEMON_SENDER = re.compile(r"^(?:mailer-?daemon|postmaster|mail-?daemon|mdaemon)@", re.IGNORECASE)
_RETURNED_ID = re.compile(rb"(?im)^[ \t>]*message-id:[ \t]*<([^<>\s]{1,250})>")


def _returned_ids(raw: bytes, own_id: str) -> tuple[str, ...]:
    """Message-IDs quoted in a bounce's body (its own excepted), from the first 200 kB after its headers."""
    start = len(_header_block(raw))
    found = [m.group(1).decode("ascii", "replace") for m in _RETURNED_ID.finditer(raw, start, start + 200_000)]
    return tuple(i for i in dict.fromkeys(found) if i != own_id)[:5]


# Who a delivery failure could not reach: the delivery-status fields, Postfix's "<a@b>: …", Exchange's and
# Gmail's lines under "could not be delivered to" / "wasn't delivered to".
_FAILED_RECIPIENT = re.compile(
    rb"(?im)^[ \t]*(?:final|original)-recipient:[ \t]*rfc822;[ \t]*<?([^\s<>;]{1,200}@[^\s<>;]{1,200}?)>?[ \t]*\r?$"
    rb"|^[ \t]*<([^\s<>]{1,200}@[^\s<>]{1,200})>:[ \t]"
    rb"|(?:wasn't|was\s+not|could\s+not\s+be|couldn't\s+be)\s+delivered\s+to\s+<?([^\s<>]{1,200}@[\w.-]{1,200}\w)"
)


def _failed_recipients(raw: bytes) -> tuple[str, ...]:
    """The addresses a bounce says it could not deliver to, lower-cased, from the first 200 kB after its headers."""
    start = len(_header_block(raw))
    found = []
    for m in _FAILED_RECIPIENT.finditer(raw, start, start + 200_000):
        value = next(g for g in m.groups() if g)
        found.append(value.decode("ascii", "replace").strip().lower())
    return tuple(dict.fromkeys(found))[:5]


def parse_headers(raw_headers: bytes, folder: FolderRole, ref: str = "", thread_id: str | None = None) -> Message:
    """Parse a header block only (the engine's cheap listing). `text` stays empty; a missing Date is allowed."""
    try:
        head = _header_block(raw_headers)
        msg = _PARSER.parsebytes(head + b"\r\n\r\n", headersonly=True)
        return _header_message(msg, head, folder, ref, thread_id)
    except Exception as exc:
        raise MalformedMessageError(f"could not parse headers {ref or ''}: {type(exc).__name__}".strip()) from exc


# A line that introduces the text someone replied to: "On Tue, Mar 10, 2026 at 9:14 AM Jane <j@x.com> wrote:".
_ATTRIBUTION = re.compile(
    r"^\s*(?:on\s.{0,300}?\b(?:wrote|writes)\s*:?|am\s.{0,300}?\bschrieb\b.{0,80}:|le\s.{0,300}?\ba\s+écrit\s*:"
    r"|el\s.{0,300}?\bescribió\s*:|.{0,200}\b(?:wrote|schrieb|a\s+écrit|escribió)\s*:)\s*$",
    re.IGNORECASE,
)
# The verb of an attribution line; lower-case text only.
ATTRIBUTION_WORD = re.compile(r"\b(?:wrote|writes|schrieb|a\s+écrit|escribió)\b")


def is_attribution(line: str) -> bool:
    """Whether `line` (quote marks and all) introduces a quoted message: "> On Apr 14, 2026, at 12:03 PM, Megan
    Tran <m@x.com> wrote:"; its date is when that message was sent, never an appointment."""
    line = line.lstrip(" \t>")
    return bool(ATTRIBUTION_WORD.search(line.lower())) and bool(_ATTRIBUTION.match(line))


_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d['’]origine|mensaje original"
    r"|messaggio originale)\s*-{2,}|-{2,}\s*reply above this line\s*-{2,}"
    r"|#{2,}\s*-\s*please type your reply above this line\s*-\s*#{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(?:from|von|de)\s*:\*?\s+\S", re.IGNORECASE)
_OUTLOOK_FIELD = re.compile(
    r"^\s*\*?(sent|date|to|subject|cc|gesendet|datum|envoyé|betreff|objet|an|à|enviado|fecha|para|asunto|inviato)\s*:",
    re.IGNORECASE,
)


def strip_quoted(text: str) -> str:
    """The part of `text` its writer wrote: drop "> " lines and everything after a reply attribution.

    Handles Gmail/Apple "On <date>, <name> wrote:" (also wrapped over two lines), Outlook "-----Original
    Message-----" and "From: … Sent: … To: … Subject:" header blocks, underscore separators that precede such a
    block, and "> " quoting. Forwarded messages ("---------- Forwarded message ---------") are kept on purpose:
    a recruiter forwarding the hiring manager's words is passing them on, not quoting the candidate.
    """
    lines = text.splitlines()
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _starts_quote(lines, i) and not _forwarded_header(lines, i):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def quoted_messages(text: str) -> list[str]:
    """The messages `text` quotes below its writer's own words, newest first, each from its attribution or header
    block ("On … wrote:", "From: … Sent: …", "-----Original Message-----") to the next; `strip_quoted`'s rules."""
    lines = text.splitlines()
    starts: list[int] = []
    for i in range(len(lines)):
        if not _starts_quote(lines, i) or _forwarded_header(lines, i):
            continue
        if starts and all(not ln.strip() or _SEPARATOR.match(ln.strip()) for ln in lines[starts[-1] : i]):
            continue  # the header block under Outlook's rule of underscores is the same quoted message
        starts.append(i)
    if not starts:
        return []
    return ["\n".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


# ---------------------------------------------------------------------------------------------------------
# quote detection


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i]
    stripped = line.strip()
    if not stripped:
        return False
    if _SEPARATOR.match(stripped):
        if stripped.startswith("_"):
            # Outlook puts a rule of underscores before the quoted header block; alone it may be a signature line.
            return any(_OUTLOOK_FROM.match(nxt) for nxt in lines[i + 1 : i + 3])
        return True
    low = stripped.lower()
    # "On … wrote:", "Am … schrieb …:", "Le … a écrit :", "El … escribió:".
    if len(stripped) < 400 and _ATTRIBUTION.match(stripped) and ATTRIBUTION_WORD.search(low):
        return _looks_like_attribution(stripped)
    # Gmail wraps long attributions: "On Tue, Mar 10, 2026 at 9:14 AM Jane Doe <" / "jane@acme.com> wrote:".
    if low.startswith(("on ", "am ", "le ", "el ")) and i + 1 < len(lines):
        joined = stripped + " " + lines[i + 1].strip()
        if len(joined) < 400 and _ATTRIBUTION.match(joined) and ATTRIBUTION_WORD.search(joined.lower()):
            return _looks_like_attribution(joined)
    if _OUTLOOK_FROM.match(line):
        following = [ln for ln in lines[i + 1 : i + 8] if ln.strip()]
        names = {m.group(1).lower() for ln in following if (m := _OUTLOOK_FIELD.match(ln))}
        sent = {"sent", "date", "gesendet", "datum", "envoyé", "enviado", "fecha", "inviato"}
        rest = {"subject", "to", "betreff", "objet", "an", "à", "para", "asunto"}
        if (sent & names) and (rest & names):
            return True
    return False


_FORWARD_MARK = re.compile(
    r"^\s*(?:-{2,}\s*forwarded\s+message\s*-{2,}|begin\s+forwarded\s+message\s*:|-{2,}\s*weitergeleitete\s+nachricht"
    r"\s*-{2,}|-{2,}\s*message\s+transf[ée]r[ée]\s*-{2,})\s*$",
    re.IGNORECASE,
)


def _forwarded_header(lines: list[str], i: int) -> bool:
    """The "From: … Date: … Subject:" block right under a "Forwarded message" line is passed on, not quoted."""
    before = [ln for ln in lines[max(0, i - 3) : i] if ln.strip()]
    return bool(before) and bool(_FORWARD_MARK.match(before[-1])) and bool(_OUTLOOK_FROM.match(lines[i]))


def _looks_like_attribution(line: str) -> bool:
    """An "On … wrote:" line names a date or an address; a sentence merely ending in "wrote:" does not."""
    if "@" in line:
        return True
    return bool(
        re.search(r"\d{1,2}:\d{2}|\b(19|20)\d{2}\b|\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", line, re.IGNORECASE)
    )


# ---------------------------------------------------------------------------------------------------------
# headers


def _header_block(raw: bytes) -> bytes:
    """The bytes before the first empty line (the whole input when there is none)."""
    m = re.search(rb"\r?\n\r?\n", raw)
    return raw[: m.start()] if m else raw


_FOLD = re.compile(r"\r?\n(?=[ \t])")  # a folded header line's break


def _raw_items(msg: EmailMessage) -> list[tuple[str, str]]:
    """(lower-case name, unfolded raw value) of every header, without the email package's lazy parsing."""
    out: list[tuple[str, str]] = []
    for name, value in msg.raw_items():
        if not isinstance(value, str):
            value = str(value)
        key = name.strip().lower()
        cap = MAX_ADDRESS_CHARS if key in {"to", "cc", "references"} else MAX_HEADER_CHARS
        value = value[: cap + 1000]
        out.append((key, (_FOLD.sub("", value) if "\n" in value else value).strip()[:cap]))
    return out


def _first(items: list[tuple[str, str]], name: str) -> str | None:
    for key, value in items:
        if key == name:
            return value
    return None


# Raw 8-bit header bytes, as the parser keeps them (surrogateescape).
_SURROGATES = re.compile("[\udc80-\udcff]")
# Address headers shorter than this are parsed once per scan: From and To repeat across a mailbox (the same
# newsletters, friends, the user), and getaddresses is the costliest part of reading a header block.
_CACHED_ADDRESS_CHARS = 1000


def _decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words and raw 8-bit bytes (kept as surrogates by the parser); never raises."""
    if not value.isascii() and _SURROGATES.search(value):
        # Raw UTF-8 (RFC 6532) or legacy 8-bit bytes in a header: recover the bytes and guess the charset.
        value = _decode_bytes(value.encode("utf-8", "surrogateescape"), None)
    if "=?" not in value:
        return value
    try:
        parts = decode_header(value)
    except Exception:
        return value
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(_decode_bytes(chunk, charset))
    # decode_header drops the whitespace between an encoded word and plain text in some versions; be generous.
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _addresses(value: str | None) -> tuple[Address, ...]:
    if not value:
        return ()
    if len(value) <= _CACHED_ADDRESS_CHARS:
        return _short_addresses(value)
    return _parse_addresses(value)


@functools.lru_cache(maxsize=8192)
def _short_addresses(value: str) -> tuple[Address, ...]:
    return _parse_addresses(value)


def _parse_addresses(value: str) -> tuple[Address, ...]:
    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = []
    found: list[Address] = []
    for name, email in pairs:
        email = email.strip().strip("<>").strip().lower()
        if "@" not in email or " " in email:
            continue
        name = clean_name(_decode_words(name))
        if name.lower() == email:
            name = ""
        found.append(Address(name=name, email=_decode_words(email)))
    if not found and "=?" in value and "=?" not in (decoded := _decode_words(value)):
        # A mailer that encoded the whole field, address and all ("=?utf-8?q?Nadine_K=C3=A4ser_=3Cnk@x.eu=3E?="):
        # the address is inside the encoded word.
        return _parse_addresses(decoded)
    if not found:
        # getaddresses gives up on some broken lists; fall back to bare addresses so threading still works.
        for email in re.findall(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", value):
            found.append(Address(name="", email=email.lower()))
    return tuple(dict.fromkeys(found))


def _ids(value: str | None) -> tuple[str, ...]:
    """Message-IDs without angle brackets, in order, de-duplicated."""
    if not value:
        return ()
    # Raw 8-bit bytes (kept as surrogates by the parser) cannot be stored: escape them, the same way every time.
    value = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    bracketed = re.findall(r"<([^<>\s]+)>", value)
    ids = bracketed or [tok.strip("<>,;") for tok in value.split()]
    return tuple(dict.fromkeys(i for i in ids if i))


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    dt: datetime | None = None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        dt = None
    if dt is None:
        try:
            from dateutil import parser as du_parser

            # Fields the text lacks come from `default`: two defaults that disagree mean a date made up in part
            # (today's month for "10 Foo 2026"), which is no date.
            dt = du_parser.parse(value, fuzzy=True, default=datetime(2001, 1, 1))
            if dt != du_parser.parse(value, fuzzy=True, default=datetime(2002, 2, 2)):
                return None
        except (ValueError, OverflowError, TypeError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)  # "-0000" and zone-less dates: RFC 5322 says the zone is unknown; UTC.
    if not sane(dt):
        return None
    return dt.astimezone(UTC)


def _header_message(msg: EmailMessage, raw: bytes, folder: FolderRole, ref: str, thread_id: str | None) -> Message:
    items = _raw_items(msg)
    message_ids = _ids(_first(items, "message-id"))
    if message_ids:
        message_id = message_ids[0]
    else:
        # A stable id so a message seen twice is recognised: the hash of its raw header block.
        message_id = hashlib.sha1(_header_block(raw)).hexdigest() + "@followup-agent.invalid"
    senders = _addresses(_first(items, "from")) or _addresses(_first(items, "sender"))
    in_reply_to = _ids(_first(items, "in-reply-to"))
    headers = tuple((name, _decode_words(value)) for name, value in items if name in KEPT_HEADERS)
    return Message(
        message_id=message_id,
        folder=folder,
        date=_parse_date(_first(items, "date")),
        sender=senders[0] if senders else None,
        to=_addresses(", ".join(v for k, v in items if k == "to")[:MAX_ADDRESS_CHARS]),
        cc=_addresses(", ".join(v for k, v in items if k == "cc")[:MAX_ADDRESS_CHARS]),
        reply_to=_addresses(_first(items, "reply-to")),
        subject=re.sub(r"\s+", " ", _decode_words(_first(items, "subject") or "")).strip()[:MAX_SUBJECT_CHARS],
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=_ids(_first(items, "references")),
        headers=headers,
        thread_id=thread_id,
        ref=ref,
    )


# ---------------------------------------------------------------------------------------------------------
# body


class _Body:
    """What the MIME walk collects."""

    def __init__(self) -> None:
        self.plain: list[str] = []
        self.html: list[str] = []
        self.calendars: list[str] = []
        self.is_report = False

    def text(self) -> str:
        plain = "\n\n".join(p for p in self.plain if p.strip())
        # Some senders put a stub ("view this email in a browser") in text/plain and the real mail in HTML.
        if self.html and (len(plain.strip()) < 40 or (len(plain) < 300 and _PLAIN_STUB.search(plain))):
            converted = "\n\n".join(html_to_text(h) for h in self.html)
            text = converted if len(converted.strip()) > len(plain.strip()) else plain
        else:
            text = plain
        text = _tidy(text)
        return text[:MAX_TEXT_CHARS]


# A text/plain part that only points at the HTML one: "To view this message, please use an HTML-capable email client".
_PLAIN_STUB = re.compile(
    r"\b(?:html[- ]?(?:capable|compatible|enabled)|(?:does\s+not|doesn't|cannot|can't)\s+(?:support|display)\s+html"
    r"|view\s+(?:this|the)\s+(?:e-?mail|message)\s+(?:in|on)\s+(?:a|your)\s+(?:web\s+)?browser)\b",
    re.IGNORECASE,
)


def _collect(part: EmailMessage, body: _Body, depth: int) -> None:
    if depth > 20 or not _readable(part):  # nested multiparts this deep are an attack, not a message
        return
    ctype = _content_type(part)
    if ctype in _REPORT_TYPES:
        body.is_report = True
    if ctype == "message/rfc822" or ctype.startswith("message/"):
        # An attached message (a bounce's original, a forwarded mail as attachment) is not this message's text.
        return
    if ctype.startswith("multipart/") and not part.is_multipart():
        _collect_broken_multipart(part, body, depth)
        return
    if part.is_multipart():
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, EmailMessage):
                    _collect(sub, body, depth + 1)
        return
    filename = _filename(part)
    disposition = _disposition(part)
    if ctype in _CALENDAR_TYPES or filename.lower().endswith((".ics", ".vcs")):
        data = _payload_bytes(part, MAX_CALENDAR_BYTES)
        if data and len(data) <= MAX_CALENDAR_BYTES:
            cal = _decode_bytes(data, _charset(part))
            if "BEGIN:VCALENDAR" in cal.upper():
                body.calendars.append(cal)
        return
    if not ctype.startswith("text/") or disposition == "attachment":
        return  # never decode attachments: a PDF must cost nothing
    if ctype == "text/plain":
        data = _payload_bytes(part, MAX_PART_BYTES)
        if data is not None:
            body.plain.append(_decode_bytes(data[:MAX_HTML_BYTES], _charset(part)))
    elif ctype == "text/html":
        data = _payload_bytes(part, MAX_PART_BYTES)
        if data is not None:
            body.html.append(_decode_bytes(data[:MAX_HTML_BYTES], _charset(part)))


def _collect_broken_multipart(part: EmailMessage, body: _Body, depth: int) -> None:
    """A multipart whose declared boundary never occurs: re-read it with the boundary the body does use."""
    raw = part.get_payload(decode=False)
    if not isinstance(raw, str):
        return
    m = re.search(r"^--([^\s]{1,70}?)(?:--)?[ \t]*$", raw, re.MULTILINE)
    if m:
        boundary = m.group(1)
        rebuilt = f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n{raw}'
        try:
            repaired = _PARSER.parsebytes(rebuilt.encode("utf-8", "surrogateescape"))
        except Exception:
            repaired = None
        if repaired is not None and repaired.is_multipart():
            _collect(repaired, body, depth + 1)
            return
    body.plain.append(_decode_bytes(raw.encode("utf-8", "surrogateescape")[:MAX_HTML_BYTES], None))


def _readable(part: EmailMessage) -> bool:
    """Whether the part's structured headers are of a size the email package parses quickly."""
    return all(
        len(value) <= MAX_STRUCTURED_HEADER
        for name, value in part.raw_items()
        if name.lower() in {"content-type", "content-disposition"} and isinstance(value, str)
    )


def _content_type(part: EmailMessage) -> str:
    try:
        return part.get_content_type().lower()
    except Exception:
        return "text/plain"


def _filename(part: EmailMessage) -> str:
    try:
        return part.get_filename() or ""
    except Exception:
        return ""


def _disposition(part: EmailMessage) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _charset(part: EmailMessage) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _payload_bytes(part: EmailMessage, limit: int) -> bytes | None:
    """The decoded payload of one leaf part (base64 decoded leniently), cut to about `limit` bytes."""
    try:
        cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    except Exception:
        cte = ""
    try:
        if cte == "base64":
            raw = part.get_payload(decode=False)
            if not isinstance(raw, str):
                return None
            return _b64decode_lenient(raw[: (limit * 4) // 3 + 4096])
        # decode=True returns the original bytes of 8-bit parts (decode=False would already have replaced
        # every byte the declared charset does not know) and undoes quoted-printable.
        data = part.get_payload(decode=True)
    except Exception:
        return None
    if not isinstance(data, bytes):
        return None
    return data[: limit * 2]


def _b64decode_lenient(text: str) -> bytes:
    """Decode base64, keeping whatever decodes: junk characters are dropped and a ragged tail is cut."""
    try:
        return binascii.a2b_base64(text.encode("ascii", "ignore"))  # already skips non-alphabet bytes
    except (binascii.Error, ValueError):
        pass
    cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
    cleaned = cleaned[: len(cleaned) - len(cleaned) % 4]
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return b""


def _decode_bytes(data: bytes, charset: str | None) -> str:
    """The declared charset if it works, then UTF-8; mostly-UTF-8 text keeps UTF-8; else Windows-1252/Latin-1."""
    declared: str | None = None
    if charset:
        try:
            declared = codecs.lookup(charset.strip().strip('"').lower()).name
        except (LookupError, ValueError):
            declared = None
    for enc in (declared, "utf-8"):
        if enc:
            try:
                return data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                pass
    if declared and declared not in {"ascii", "us-ascii", "utf-8"}:
        return data.decode(declared, errors="replace")
    lossy = data.decode("utf-8", errors="replace")
    if lossy.count("\ufffd") <= max(3, len(data) // 200) and re.search(rb"[\xc2-\xf4][\x80-\xbf]", data):
        return lossy  # UTF-8 with a stray Latin-1 byte or two
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# Elements that start a new line, and those that start a new paragraph (a blank line).
_LINE_TAGS = frozenset({"div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "center", "address"})
_PARA_TAGS = frozenset({"p", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "pre"})
_BLOCK_TAGS = _LINE_TAGS | _PARA_TAGS
_SOFT, _HARD = "\x00", "\x01"


def html_to_text(html: str) -> str:
    """Readable text from HTML: script/style dropped, block elements on their own lines, <blockquote> as "> ".

    lxml's own tree is walked rather than BeautifulSoup's: the same parser, several times faster, which matters
    for the 2 MB a hostile message may feed in. Output stops growing at MAX_TEXT_CHARS.
    """
    from lxml import etree
    from lxml import html as lxml_html

    html = html[:MAX_HTML_BYTES]
    if not html.strip():
        return ""
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]+>", " ", html))
    out: list[str] = []
    size = 0
    quote_starts: list[int] = []  # output index where each open <blockquote> began
    skip_depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIPPED_TAGS:
            skip_depth += 1 if event == "start" else -1
            if event == "end" and skip_depth == 0 and el.tail:
                out.append(el.tail)
            continue
        if skip_depth:
            continue
        if event == "start":
            if tag == "br":
                out.append("\n")
            elif tag in _BLOCK_TAGS:
                out.append(_HARD if tag in _PARA_TAGS else _SOFT)
            if tag == "blockquote":
                quote_starts.append(len(out))
            if el.text and tag:
                out.append(el.text)
                size += len(el.text)
        else:
            if tag in ("td", "th"):
                out.append("  ")  # cells of one row stay on one line: "Date:  March 10"
            elif tag in _BLOCK_TAGS:
                out.append(_HARD if tag in _PARA_TAGS else _SOFT)
            if tag == "blockquote" and quote_starts:
                begin = quote_starts.pop()
                if not quote_starts:  # quote the outermost blockquote's lines once
                    inner = _breaks("".join(out[begin:]))
                    out[begin:] = ["\n" + "\n".join("> " + ln for ln in inner.splitlines() if ln.strip()) + "\n"]
            if el.tail:
                out.append(el.tail)
                size += len(el.tail)
        if size > MAX_TEXT_CHARS * 2:
            break
    return _tidy(_breaks("".join(out)))


def _breaks(text: str) -> str:
    """Turn runs of block boundaries into one line break, or a blank line if a paragraph ends there."""

    def one(m: re.Match[str]) -> str:
        return "\n\n" if _HARD in m.group(0) else "\n"

    return re.sub(r"[\x00\x01][\x00\x01\s]*", one, text)


_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template"})


def _tidy(text: str) -> str:
    """Normalise whitespace: no NBSPs or zero-width junk, single spaces in lines, at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\u200c", "").replace("\ufeff", "")
    text = text.replace("\u034f", "").replace("\u00ad", "")
    lines = [re.sub(r"[ \t\f\v]+", " ", ln).strip() for ln in text.split("\n")]
    out: list[str] = []
    blank = False
    for ln in lines:
        if not ln:
            if not blank and out:
                out.append("")
            blank = True
            continue
        blank = False
        out.append(ln)
    return "\n".join(out).strip()
