"""The contract suite runs once per backend: every harness gets the same scenarios."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.harness import MailboxHarness
from tests.contract.maildir_harness import MaildirHarness

BACKENDS = ["maildir", "imap", "gmail"]


@pytest.fixture(params=BACKENDS)
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MailboxHarness]:
    if request.param == "maildir":
        yield MaildirHarness(tmp_path / "Mail")
    elif request.param == "imap":
        from tests.contract.imap_harness import ImapHarness

        imap = ImapHarness()
        try:
            yield imap
        finally:
            imap.close()
    elif request.param == "gmail":
        from tests.contract.gmail_harness import GmailHarness

        gmail = GmailHarness(tmp_path / "gmail")
        try:
            yield gmail
        finally:
            gmail.close()
    else:  # pragma: no cover - every listed backend has a branch
        raise AssertionError(request.param)
