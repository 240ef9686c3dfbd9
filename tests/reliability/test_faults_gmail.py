"""Issue 11, Gmail faults: the scenario of scenario.py against the local Gmail fake (the real
google-api-python-client over HTTP), with one fault in one scan. Each scan under a fault exits with the documented
code, one `followup-agent:` line and no traceback (or succeeds where retrying is the documented answer); clean
scans after it come to the fault-free run's drafts and `status --json`.

The backend-level behaviour of each fault (how long a 429 waits, which ids a batch asks again, the backoff) is
tested in tests/integration/test_gmail_retries.py and test_gmail_sync.py; here it is the whole scan, end to end.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.gmail_harness import GmailHarness
from tests.integration.gmail_fake import rate_limited, server_error
from tests.integration.gmail_fixtures import write_token_file
from tests.reliability.scenario import (
    Outcome,
    assert_converged,
    assert_fails_cleanly,
    cli,
    fault_free,
    run_with_fault,
)

SYNC, DRAFTING = 0, 1  # the moments of scenario.MOMENTS: the first sync, the thank-yous
FULL = bool(os.environ.get("RELIABILITY_FULL"))


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    harness = GmailHarness(tmp_path_factory.mktemp("gmail-fault-free"))
    try:
        yield fault_free(harness, tmp_path_factory.mktemp("fault-free"))
    finally:
        harness.close()


@pytest.fixture
def gmail(tmp_path: Path) -> Iterator[GmailHarness]:
    harness = GmailHarness(tmp_path / "gmail")
    try:
        yield harness
    finally:
        harness.close()


def _succeeds(config: Path, now: str) -> float:
    started = time.monotonic()
    result = cli(config, "scan", "--now", now)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    return time.monotonic() - started


def test_429_with_retry_after_is_waited_out(gmail: GmailHarness, expected: Outcome, tmp_path: Path) -> None:
    def faulted(config: Path, now: str) -> None:
        gmail.fake.inject("messages.list", rate_limited(retry_after=1))
        assert _succeeds(config, now) >= 1.0  # Retry-After is honoured, not hammered through

    assert_converged(run_with_fault(gmail, tmp_path, SYNC, faulted), expected)


def test_a_burst_of_500_and_503_is_retried(gmail: GmailHarness, expected: Outcome, tmp_path: Path) -> None:
    def faulted(config: Path, now: str) -> None:
        gmail.fake.inject("batch", server_error(500), server_error(503))
        _succeeds(config, now)
        assert [r.status for r in gmail.fake.requests_for("batch")][:3] == [500, 503, 200]

    assert_converged(run_with_fault(gmail, tmp_path, SYNC, faulted), expected)


@pytest.mark.skipif(not FULL, reason="real backoff, about 10 s: `make reliability` only")
def test_a_burst_longer_than_the_retries_fails_the_scan_and_the_next_converges(
    gmail: GmailHarness, expected: Outcome, tmp_path: Path
) -> None:
    def faulted(config: Path, now: str) -> None:
        gmail.fake.inject("getProfile", *[server_error(503)] * 5)
        assert_fails_cleanly(cli(config, "scan", "--now", now), 4, "failed 5 times")

    assert_converged(run_with_fault(gmail, tmp_path, SYNC, faulted), expected)


def test_a_stale_history_id_falls_back_to_a_full_sync(gmail: GmailHarness, expected: Outcome, tmp_path: Path) -> None:
    def faulted(config: Path, now: str) -> None:
        gmail.fake.expire_history()  # history.list now answers 404 for the cursor's historyId
        listed = len(gmail.fake.requests_for("messages.list"))
        _succeeds(config, now)
        assert any(r.status == 404 for r in gmail.fake.requests_for("history.list"))
        assert len(gmail.fake.requests_for("messages.list")) > listed  # listed again from the lookback window

    assert_converged(run_with_fault(gmail, tmp_path, DRAFTING, faulted), expected)


def test_invalid_grant_exits_3_telling_how_to_authorise_again(
    gmail: GmailHarness, expected: Outcome, tmp_path: Path
) -> None:
    def faulted(config: Path, now: str) -> None:
        write_token_file(gmail.token.parent, gmail.server, expired=True)  # the access token must be renewed
        gmail.fake.invalid_grant = True  # and Google refuses: the grant was revoked, or expired after 7 days
        before = gmail.token.read_bytes()
        assert_fails_cleanly(cli(config, "scan", "--now", now), 3, "invalid_grant", "followup-agent auth")
        assert gmail.token.read_bytes() == before  # the token file is left for `auth` to replace
        gmail.fake.invalid_grant = False  # the user ran `followup-agent auth`

    assert_converged(run_with_fault(gmail, tmp_path, DRAFTING, faulted), expected)


def test_a_draft_created_while_its_answer_is_lost_is_not_created_twice(
    gmail: GmailHarness, expected: Outcome, tmp_path: Path
) -> None:
    def faulted(config: Path, now: str) -> None:
        gmail.fake.lose_answers("drafts.create", server_error(503))
        _succeeds(config, now)
        created = [r for r in gmail.fake.requests_for("drafts.create")]
        assert created[0].status == 503  # carried out, answered with an error

    assert_converged(run_with_fault(gmail, tmp_path, DRAFTING, faulted), expected)
