"""Reading a large message file without its attachments.

A Maildir message with a 50 MB attachment must not cost 50 MB (and several times that once parsed) just to read
its text. `reduce_message` streams the file once, line by line, and keeps the headers of every part but the bodies
only of the parts detection reads: text/*, calendar files and delivery reports. Other bodies are left out, so the
result stays a well-formed MIME message that the ordinary parser reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.message import Message as EmailHeaders
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import BinaryIO

PART_CAP = 2 * 1024 * 1024  # per kept part; text beyond this is never needed
_KEPT_TYPES = (
    "text/",
    "application/ics",
    "application/x-ics",
    "message/delivery-status",
    "message/disposition-notification",
)


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

    for line in handle:
        if in_headers:
            if line in (b"\r\n", b"\n"):
                in_headers = False
                end_of_headers(line)
            else:
                header_lines.append(line)
            continue
        stripped = line.rstrip(b"\r\n").rstrip()
        if stripped.startswith(b"--") and boundaries:
            marker = stripped[2:]
            for depth in range(len(boundaries) - 1, -1, -1):
                if marker == boundaries[depth]:
                    del boundaries[depth + 1 :]
                    out.append(line)
                    in_headers = True  # a new part begins with its headers
                    break
                if marker == boundaries[depth] + b"--":
                    del boundaries[depth:]
                    out.append(line)
                    keep = True  # the epilogue
                    kept = 0
                    break
            else:
                if keep and kept < PART_CAP:
                    out.append(line)
                    kept += len(line)
            continue
        if keep and kept < PART_CAP:
            out.append(line)
            kept += len(line)
    if in_headers and header_lines:
        out.extend(header_lines)
    return b"".join(out)
