"""Rate limits, server errors, refused credentials and network faults, against the fake Gmail server."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from agent.errors import AuthError, BackendError
from agent.mail.gmail import GmailBackend, RetryPolicy
from agent.models import FolderRole
from tests.integration import gmail_fixtures
from tests.integration.gmail_fake import FakeGmailServer, _error, make_message, rate_limited, server_error
from tests.integration.gmail_fixtures import RecordingSleep, credentials_for, make_backend

gmail_server = gmail_fixtures.gmail_server
gmail_send_guard = gmail_fixtures.gmail_send_guard

NOW = datetime.now(UTC).replace(microsecond=0)
SINCE = NOW - timedelta(days=5)


def _seed(server: FakeGmailServer, n: int) -> list[str]:
    return [server.fake.insert(make_message(subject=f"M{i}", date=NOW - timedelta(hours=i))).id for i in range(n)]


def test_429_waits_at_least_retry_after(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, 2)
    gmail_server.fake.inject("messages.list", rate_limited(retry_after=3), rate_limited(retry_after=1))
    sleep = RecordingSleep()
    batches = list(make_backend(gmail_server, sleep=sleep).list_new(FolderRole.INBOX, None, SINCE))
    assert len(batches[-1].items) == 2
    assert len(sleep.delays) == 2
    assert sleep.delays[0] >= 3 and sleep.delays[1] >= 1


def test_429_with_retry_after_really_waits(gmail_server: FakeGmailServer) -> None:
    # The one test that sleeps for real: time.sleep is the default and Retry-After is honoured end to end.
    gmail_server.fake.inject("getProfile", rate_limited(retry_after=1))
    backend = GmailBackend(credentials_for(gmail_server), api_endpoint=gmail_server.url, jitter=lambda: 0.0)
    started = time.monotonic()
    list(backend.list_new(FolderRole.INBOX, None, SINCE))
    assert time.monotonic() - started >= 1.0


def test_403_rate_limit_reasons_are_retried(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.inject("history.list", rate_limited(None, status=403))
    backend = make_backend(gmail_server)
    cursor = list(backend.list_new(FolderRole.INBOX, None, SINCE))[-1].cursor
    assert list(backend.list_new(FolderRole.INBOX, cursor, SINCE))[-1].cursor == cursor


def test_a_burst_of_server_errors_inside_a_batch_is_retried_for_the_failed_ids(gmail_server: FakeGmailServer) -> None:
    ids = _seed(gmail_server, 10)
    gmail_server.fake.inject(
        "messages.get", server_error(500), server_error(503), rate_limited(retry_after=2), server_error(500)
    )
    sleep = RecordingSleep()
    batches = list(make_backend(gmail_server, sleep=sleep).list_new(FolderRole.INBOX, None, SINCE))
    assert sorted(i.ref for b in batches for i in b.items) == sorted(ids)
    # 10 in the first batch, 4 failed and were asked again together, once.
    assert gmail_server.fake.batch_sizes == [10, 4]
    assert sleep.delays and sleep.delays[0] >= 2  # the slowest sub-response's Retry-After wins


def test_a_failed_batch_request_is_retried_as_a_whole(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, 3)
    gmail_server.fake.inject("batch", server_error(502), server_error(503))
    batches = list(make_backend(gmail_server).list_new(FolderRole.INBOX, None, SINCE))
    assert len(batches[-1].items) == 3


def test_giving_up_after_the_attempts_raises_backend_error(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.inject("getProfile", *[server_error(500)] * 5)
    sleep = RecordingSleep()
    with pytest.raises(BackendError, match="failed 5 times"):
        list(make_backend(gmail_server, sleep=sleep).list_new(FolderRole.INBOX, None, SINCE))
    assert len(sleep.delays) == 4
    assert gmail_server.fake.requests_for("getProfile")[-1].status == 500


def test_waiting_is_bounded_in_total(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.inject("getProfile", rate_limited(retry_after=50), rate_limited(retry_after=50))
    sleep = RecordingSleep()
    backend = make_backend(gmail_server, sleep=sleep, retry=RetryPolicy(max_total_wait=60))
    with pytest.raises(BackendError, match="still failing"):
        list(backend.list_new(FolderRole.INBOX, None, SINCE))
    assert sum(sleep.delays) <= 60


def test_exhausted_sub_requests_raise_backend_error(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, 1)
    gmail_server.fake.inject("messages.get", *[server_error(500)] * 5)
    with pytest.raises(BackendError):
        list(make_backend(gmail_server).list_new(FolderRole.INBOX, None, SINCE))


def test_401_is_an_auth_error(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.check_tokens = True
    backend = make_backend(gmail_server)
    gmail_server.fake.accepted_tokens.clear()  # the token was revoked, and the refresh gives a new one...
    gmail_server.fake.refresh_tokens.clear()  # ...except the refresh token is gone too
    with pytest.raises(AuthError, match="followup-agent auth"):
        list(backend.list_new(FolderRole.INBOX, None, SINCE))


def test_401_then_a_successful_refresh_carries_on(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.check_tokens = True
    backend = make_backend(gmail_server)
    gmail_server.fake.accepted_tokens.clear()  # the access token expired early; the refresh token still works
    batches = list(backend.list_new(FolderRole.INBOX, None, SINCE))
    assert batches and len(gmail_server.fake.token_requests) == 1


def test_403_insufficient_permissions_is_an_auth_error(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.inject(
        "drafts.list", _error(403, "Request had insufficient authentication scopes.", "insufficientPermissions")
    )
    with pytest.raises(AuthError):
        make_backend(gmail_server).find_drafts()


def test_other_client_errors_are_backend_errors_without_retry(gmail_server: FakeGmailServer) -> None:
    gmail_server.fake.inject("drafts.list", _error(400, "Invalid pageToken", "invalidArgument"))
    sleep = RecordingSleep()
    with pytest.raises(BackendError, match="400"):
        make_backend(gmail_server, sleep=sleep).find_drafts()
    assert sleep.delays == []


def test_network_errors_become_backend_errors(gmail_server: FakeGmailServer) -> None:
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleep = RecordingSleep()
    backend = GmailBackend(
        credentials_for(gmail_server), api_endpoint=f"http://127.0.0.1:{port}/", sleep=sleep, jitter=lambda: 0.0
    )
    with pytest.raises(BackendError, match="network error"):
        backend.find_drafts()
    assert len(sleep.delays) == 4
    # Exponential backoff with jitter between half and all of 1, 2, 4, 8 seconds.
    assert sleep.delays == [0.5, 1.0, 2.0, 4.0]


def test_batches_are_paced_to_the_per_user_quota_rate(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, 120)
    sleep = RecordingSleep()
    backend = GmailBackend(
        credentials_for(gmail_server),
        api_endpoint=gmail_server.url,
        sleep=sleep,
        clock=lambda: 0.0,  # time stands still: only the sleeps can make room
    )
    list(backend.list_new(FolderRole.INBOX, None, SINCE))
    # 50 gets = 250 units fit the bucket; the next 50 wait for 250 units to refill, the last 20 for 100.
    rate = (15_000 * 0.99 - 250) / 60  # what keeps any sliding minute under Gmail's 15,000 units per user
    assert sleep.delays == pytest.approx([250 / rate, 100 / rate])
