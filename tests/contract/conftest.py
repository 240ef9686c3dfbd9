"""The contract suite runs once per backend: every harness gets the same scenarios."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.harness import MailboxHarness
from tests.contract.maildir_harness import MaildirHarness

BACKENDS = ["maildir"]


@pytest.fixture(params=BACKENDS)
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MailboxHarness]:
    if request.param == "maildir":
        yield MaildirHarness(tmp_path / "Mail")
    else:  # pragma: no cover - every listed backend has a branch
        raise AssertionError(request.param)
