"""Hypothesis strategies for hostile mail: MIME trees, headers, charsets, HTML, ICS, and byte mutations of the
labelled corpus's dev split (fixtures/corpus/dev; the held splits are never read here, they measure detection)."""

from __future__ import annotations

import base64
import quopri
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from hypothesis import strategies as st

DEV_CORPUS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "dev").glob("*/*.eml"))

CHARSETS = [
    "utf-8",
    "us-ascii",
    "iso-8859-1",
    "windows-1252",
    "utf-16",
    "utf-7",
    "shift_jis",
    "iso-2022-jp",
    "koi8-r",
    "x-unknown",
    "",
    '"utf-8"',
    "utf-8'en'",
    "gb2312",
    "big5",
    "ucs-4",
]
ENCODINGS = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "BASE64", "bogus", ""]
TYPES = [
    "text/plain",
    "text/html",
    "text/calendar",
    "application/ics",
    "application/pdf",
    "message/rfc822",
    "message/delivery-status",
    "image/png",
    "text/enriched",
    "garbage",
    "",
]
WORDS = [
    "interview",
    "Interview",
    "Tuesday, March 10",
    "at 2pm",
    "10:00",
    "EST",
    "next week",
    "thank you",
    "we regret",
    "offer",
    "reschedule",
    "cancel",
    "by Friday",
    "within two weeks",
    "Vorstellungsgespräch",
    "entretien",
    "entrevista",
    "wrote:",
    "On Tue, Mar 3, 2026 at 9:14 AM",
    ">",
    "--",
    "=?",
    "?=",
    "\x00",
    "\r\n",
    "\n",
    " ",
    "<",
    ">",
    "@",
    "mailto:",
    "BEGIN:VCALENDAR",
    "DTSTART:",
    "9999",
    "1900",
]

ascii_text = st.text(st.characters(min_codepoint=1, max_codepoint=127), max_size=200)
any_text = st.text(max_size=200)
wordy = st.lists(st.sampled_from(WORDS) | ascii_text, max_size=30).map(" ".join)


@st.composite
def encoded_word(draw: st.DrawFn) -> str:
    charset = draw(st.sampled_from(CHARSETS[:12]))
    payload = draw(any_text).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        body = base64.b64encode(payload).decode()
        if draw(st.booleans()):
            body = body[: draw(st.integers(0, len(body)))]  # truncated
        return f"=?{charset}?b?{body}?="
    return f"=?{charset}?q?{quopri.encodestring(payload, header=True).decode(errors='replace')}?="


header_value = st.one_of(
    wordy,
    any_text,
    encoded_word(),
    st.lists(encoded_word() | ascii_text, max_size=8).map(" ".join),
    st.binary(max_size=120).map(lambda b: b.decode("latin-1")),  # 8-bit bytes, NUL included
    st.lists(ascii_text, min_size=1, max_size=6).map("\r\n ".join),  # folded
)
address = st.one_of(
    st.builds(
        lambda n, u, d: f"{n} <{u}@{d}>",
        header_value,
        st.from_regex(r"[a-z.]{1,12}", fullmatch=True),
        st.sampled_from(["acme.com", "greenhouse.io", "gmail.com", "example.org", "x", ""]),
    ),
    header_value,
)
date_value = st.one_of(
    st.just("Tue, 10 Mar 2026 09:15:00 -0500"),
    st.just("Mon, 2 Mar 2026 16:20:00 +0100"),
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1)).map(format_datetime),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    header_value,
)


@st.composite
def headers(draw: st.DrawFn) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if draw(st.booleans()):
        out.append(("From", draw(address)))
    out.append(("To", draw(address)))
    if draw(st.integers(0, 9)):
        out.append(("Date", draw(date_value)))
    if draw(st.integers(0, 4)):
        out.append(("Message-ID", draw(st.one_of(st.just("<fuzz@example.org>"), header_value))))
    out.append(("Subject", draw(header_value)))
    for name in draw(
        st.lists(
            st.sampled_from(
                [
                    "Reply-To",
                    "In-Reply-To",
                    "References",
                    "List-Id",
                    "Precedence",
                    "Auto-Submitted",
                    "Sender",
                    "Cc",
                    "X-Weird Name",
                    "",
                ]
            ),
            max_size=4,
        )
    ):
        out.append((name, draw(header_value)))
    return out


def _render_headers(items: list[tuple[str, str]]) -> str:
    return "".join(f"{k}: {v}\r\n" for k, v in items)


@st.composite
def ics(draw: st.DrawFn) -> str:
    stamp = st.one_of(
        st.builds(lambda d, z: d.strftime("%Y%m%dT%H%M%S") + z, st.datetimes(), st.sampled_from(["Z", ""])),
        st.sampled_from(["99991231T230000Z", "19000101T000000Z", "", "garbage", "20261301T250000", "20260310"]),
    )
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"METHOD:{draw(st.sampled_from(['REQUEST', 'CANCEL', '', 'X']))}"]
    for _ in range(draw(st.integers(0, 3))):
        lines.append("BEGIN:VEVENT")
        tzid = draw(
            st.sampled_from(
                ["", ";TZID=America/New_York", ";TZID=Mars/Base", ';TZID="(UTC-05:00) East"', ";VALUE=DATE"]
            )
        )
        lines.append(f"DTSTART{tzid}:{draw(stamp)}")
        if draw(st.booleans()):
            lines.append(f"DTEND{tzid}:{draw(stamp)}")
        if draw(st.booleans()):
            lines.append(f"DURATION:{draw(st.sampled_from(['PT1H', '-PT1H', 'P99999999W', 'x', 'PT0S']))}")
        if draw(st.booleans()):
            lines.append(f"RRULE:{draw(st.sampled_from(['FREQ=SECONDLY', 'FREQ=DAILY;COUNT=1000000000', 'X']))}")
        for _ in range(draw(st.integers(0, 4))):
            lines.append(f'ATTENDEE;CN="{draw(header_value)}":mailto:{draw(address)}')
        lines.append(f"ORGANIZER:mailto:{draw(address)}")
        lines.append(f"UID:{draw(ascii_text)}")
        lines.append(f"SEQUENCE:{draw(st.integers(-(2**70), 2**70))}")
        lines.append(f"SUMMARY:{draw(wordy)}")
        if draw(st.integers(0, 5)):
            lines.append("END:VEVENT")
    if draw(st.integers(0, 5)):
        lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


@st.composite
def html(draw: st.DrawFn) -> str:
    tags = st.sampled_from(
        [
            "div",
            "p",
            "span",
            "table",
            "tr",
            "td",
            "blockquote",
            "br",
            "script",
            "style",
            "b",
            "a",
            "!--",
            "![CDATA[",
            "html",
            "body",
            "head",
            "title",
            "li",
            "ul",
        ]
    )
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(tags)
        parts.append(
            draw(
                st.sampled_from(
                    [
                        f"<{tag}>",
                        f"</{tag}>",
                        f"<{tag} x='{draw(ascii_text)}'>",
                        draw(wordy),
                        "&#0;",
                        "&#xFFFFFFFF;",
                        "&nbsp;",
                        "&bogus",
                    ]
                )
            )
        )
    return "".join(parts)


def _encode_body(data: bytes, cte: str, mangle: bool) -> str:
    if cte.lower() == "base64":
        out = base64.encodebytes(data).decode()
    elif cte == "quoted-printable":
        out = quopri.encodestring(data).decode("latin-1")
    else:
        out = data.decode("latin-1")
    if mangle:
        out = out[: len(out) // 2] + "!!*=\r\n=Z" + out[len(out) // 2 :]
    return out


@st.composite
def leaf(draw: st.DrawFn) -> str:
    ctype = draw(st.sampled_from(TYPES))
    charset = draw(st.sampled_from(CHARSETS))
    cte = draw(st.sampled_from(ENCODINGS))
    if ctype in {"text/calendar", "application/ics"}:
        text = draw(ics())
    elif ctype == "text/html":
        text = draw(html())
    else:
        text = draw(st.one_of(wordy, any_text))
    data = text.encode(draw(st.sampled_from(["utf-8", "latin-1", "utf-16"])), "replace")
    disposition = draw(st.sampled_from(["", "attachment", 'attachment; filename="invite.ics"', "inline", "x"]))
    head = f"Content-Type: {ctype}; charset={charset}\r\n" if ctype else ""
    head += f"Content-Transfer-Encoding: {cte}\r\n" if cte else ""
    head += f"Content-Disposition: {disposition}\r\n" if disposition else ""
    return head + "\r\n" + _encode_body(data, cte, draw(st.booleans()))


def _multipart(children: list[str], subtype: str, boundary: str, close: bool) -> str:
    body = "".join(f"--{boundary}\r\n{child}\r\n" for child in children)
    return f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n{body}' + (
        f"--{boundary}--\r\n" if close else ""
    )


mime_tree = st.recursive(
    leaf(),
    lambda children: st.builds(
        _multipart,
        st.lists(children, max_size=4),
        st.sampled_from(["mixed", "alternative", "related", "report", "signed", "x"]),
        st.sampled_from(["b1", "b2", "", "a" * 80, "same", "=_Part"]),
        st.booleans(),
    ),
    max_leaves=12,
)


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    """A whole message: fuzzed headers over a fuzzed MIME tree."""
    tree = draw(mime_tree)
    head, _, body = tree.partition("\r\n\r\n")
    return (_render_headers(draw(headers())) + "MIME-Version: 1.0\r\n" + head + "\r\n\r\n" + body).encode(
        "utf-8", "surrogateescape"
    )


@st.composite
def mutated_corpus(draw: st.DrawFn) -> bytes:
    """A dev-corpus message with bytes flipped, cut, duplicated, inserted or removed."""
    raw = bytearray(DEV_CORPUS[draw(st.integers(0, len(DEV_CORPUS) - 1))].read_bytes())
    for _ in range(draw(st.integers(1, 12))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        op = draw(st.sampled_from(["flip", "cut", "dup", "insert", "delete", "nul", "crlf"]))
        if op == "flip":
            raw[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del raw[at:]
        elif op == "dup":
            span = raw[at : at + draw(st.integers(1, 400))]
            raw[at:at] = span * draw(st.integers(1, 20))
        elif op == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=40) | st.sampled_from(WORDS).map(str.encode))
        elif op == "delete":
            del raw[at : at + draw(st.integers(1, 200))]
        elif op == "nul":
            raw[at:at] = b"\x00"
        else:
            raw[at:at] = b"\r\n"
    return bytes(raw)


headers_only = st.builds(
    lambda h, b: (_render_headers(h) + "\r\n" + b).encode("utf-8", "surrogateescape"), headers(), wordy
)
ics_messages = st.builds(
    lambda h, c, attach: (
        _render_headers(h)
        + (
            "Content-Type: application/ics\r\nContent-Disposition: attachment; filename=x.ics"
            if attach
            else "Content-Type: text/calendar; method=REQUEST"
        )
        + "\r\n\r\n"
        + c
    ).encode("utf-8", "surrogateescape"),
    headers(),
    ics(),
    st.booleans(),
)
html_messages = st.builds(
    lambda h, body: (_render_headers(h) + "Content-Type: text/html\r\n\r\n" + body).encode("utf-8", "surrogateescape"),
    headers(),
    html(),
)
