"""Display names from a stranger's mail, made safe to keep and to greet someone with.

Pure. A display name is whatever the sender chose, and an encoded word can carry CR/LF ("Eve Example\\r\\nBcc:
..."): the name is cut at its first control or line-separator character, and a name that is an address or reads
like a header ("Bcc: x", "To: y") is no name at all, so a draft never says "Dear Bcc:".
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 100

_HEADER_LIKE = re.compile(r"(?:^|\s)[A-Za-z][A-Za-z0-9-]{0,40}\s*:(?:\s|$)")
_ADDRESS_LIKE = re.compile(r"@|<|>|^\s*mailto:|=\?", re.IGNORECASE)


def clean_name(raw: str) -> str:
    """The name up to its first control character, trimmed; "" when what is left is no person's name."""
    cut = []
    for ch in raw:
        if unicodedata.category(ch) in {"Cc", "Zl", "Zp"}:
            break
        cut.append(ch)
    name = " ".join("".join(cut).split()).strip().strip("\"'").strip()
    if not name or _ADDRESS_LIKE.search(name) or _HEADER_LIKE.search(name):
        return ""
    return name[:MAX_NAME_CHARS].rstrip()
