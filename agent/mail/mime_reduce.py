"""Reading a large message file without its attachments.

A Maildir message with a 50 MB attachment must not cost 50 MB (and several times that once parsed) just to read
its text. `reduce_message` streams the file once, line by line, and keeps the headers of every part but the bodies
only of the parts detection reads: text/*, calendar files and delivery reports. Other bodies are left out, so the
result stays a well-formed MIME message that the ordinary parser reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.message import Message as EmailHeaders
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import BinaryIO

PART_CAP = 2 * 1024 * 1024  # per kept part; text beyond this is never needed
# Lines are read at most this long: 50 MB of HTML without a line break must not be read into memory at once.
LINE_CAP = 4 * 1024 * 1024
_KEPT_TYPES = (
    "text/",
    "application/ics",
    "application/x-ics",
    "message/delivery-status",
    "message/disposition-notification",
)
# A line the header parser reads as part of a header block (as email.feedparser's headerRE): anything else ends it.
_HEADER_LINE = re.compile(rb"^(From |[\041-\071\073-\176]*:|[\t ])")


def _headers(lines: Iterable[bytes]) -> EmailHeaders:
    return BytesHeaderParser(policy=compat32).parsebytes(b"".join(lines))


def _keeps_body(headers: EmailHeaders) -> bool:
    ctype = headers.get_content_type()
    if ctype.startswith(_KEPT_TYPES):
        return True
    try:  # a calendar by its file name whatever the type, as agent.parsing reads it
        filename = str(headers.get_filename() or "")
    except Exception:
        return False
    return filename.lower().endswith((".ics", ".vcs"))


def reduce_message(handle: BinaryIO) -> bytes:
    """The message in `handle` with the bodies of attachments left out (their part headers are kept)."""
    out: list[bytes] = []
    boundaries: list[bytes] = []  # open multipart boundaries, innermost last
    header_lines: list[bytes] = []
    in_headers = True
    keep = True
    kept = 0

    def end_of_headers(blank: bytes) -> None:
        nonlocal keep, kept
        headers = _headers(header_lines)
        out.extend(header_lines)
        out.append(blank)
        header_lines.clear()
        boundary = headers.get_boundary() if headers.get_content_maintype() == "multipart" else None
        if boundary:
            boundaries.append(boundary.encode("utf-8", "replace"))
            keep = True  # the preamble of a multipart is harmless and small
        else:
            keep = _keeps_body(headers)
        kept = 0

    def boundary(line: bytes) -> tuple[int, bool] | None:
        """(depth, closing) when `line` opens or closes a part of an open multipart."""
        stripped = line.rstrip(b"\r\n").rstrip()
        if not stripped.startswith(b"--") or not boundaries:
            return None
        marker = stripped[2:]
        for depth in range(len(boundaries) - 1, -1, -1):
            if marker == boundaries[depth]:
                return depth, False
            if marker == boundaries[depth] + b"--":
                return depth, True
        return None

    readline = handle.readline
    while line := readline(LINE_CAP):
        if not in_headers and not line.startswith(b"--"):
            # The bulk of a large file (an attachment's base64): no boundary, so only kept or left out.
            if keep and kept < PART_CAP:
                out.append(line[: PART_CAP - kept])
                kept += len(line)
            continue
        found = boundary(line)
        if in_headers:
            if line in (b"\r\n", b"\n"):
                in_headers = False
                end_of_headers(line)
                continue
            if found is None and _HEADER_LINE.match(line):
                header_lines.append(line)
                continue
            # No blank line after the headers: the header block ends here, as the ordinary parser ends it.
            in_headers = False
            end_of_headers(b"")
            found = boundary(line)  # the headers may have opened a multipart
        if found is not None:
            depth, closing = found
            del boundaries[depth + (0 if closing else 1) :]
            out.append(line)
            if closing:
                keep, kept = True, 0  # the epilogue
            else:
                in_headers = True  # a new part begins with its headers
            continue
        if keep and kept < PART_CAP:
            out.append(line[: PART_CAP - kept])
            kept += len(line)
    if in_headers and header_lines:
        out.extend(header_lines)
    return b"".join(out)
