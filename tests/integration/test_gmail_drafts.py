"""Drafts through the Gmail backend, and the contract harness's view of them, against the fake Gmail server."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from agent.mail.base import KEY_HEADER
from agent.models import FolderRole
from tests.contract.gmail_harness import GmailHarness
from tests.integration import gmail_fixtures
from tests.integration.gmail_fake import FakeGmailServer, make_message, server_error, validate
from tests.integration.gmail_fixtures import make_backend

gmail_server = gmail_fixtures.gmail_server
gmail_send_guard = gmail_fixtures.gmail_send_guard

NOW = datetime.now(UTC).replace(microsecond=0)


def _reply_draft(original_id: str, subject: str, key: str) -> EmailMessage:
    draft = EmailMessage()
    draft["From"] = "Me <me@example.com>"
    draft["To"] = "Recruiter <jobs@acme.example>"
    draft["Subject"] = f"Re: {subject}"
    draft["In-Reply-To"] = original_id
    draft["References"] = original_id
    draft[KEY_HEADER] = key
    draft.set_content("Thank you for your time today.\n")
    return draft


def _seed_thread(server: FakeGmailServer) -> tuple[str, str]:
    """An employer message; returns its Message-ID and Gmail thread id."""
    raw = make_message(subject="Interview at Acme", message_id="<first@acme.example>", date=NOW - timedelta(days=1))
    stored = server.fake.insert(raw, ("INBOX",))
    return "<first@acme.example>", stored.thread_id


def test_create_draft_replies_in_the_thread(gmail_server: FakeGmailServer) -> None:
    message_id, thread_id = _seed_thread(gmail_server)
    backend = make_backend(gmail_server)

    draft_id = backend.create_draft(_reply_draft(message_id, "Interview at Acme", "k1"), thread_id)

    fake = gmail_server.fake
    assert draft_id in fake.drafts
    stored = fake.messages[fake.drafts[draft_id]]
    assert stored.thread_id == thread_id  # Gmail accepted it into the thread: headers and subject matched
    assert stored.labels == {"DRAFT"}
    (create,) = fake.requests_for("drafts.create")
    assert create.status == 200
    parsed = email.message_from_bytes(stored.raw, policy=email.policy.default)
    assert parsed["In-Reply-To"] == message_id and parsed["References"] == message_id
    assert parsed["Subject"] == "Re: Interview at Acme"
    assert parsed[KEY_HEADER] == "k1"
    assert fake.quota["drafts.create"] == 10


def test_create_draft_sends_thread_id_only_when_given(gmail_server: FakeGmailServer) -> None:
    bodies: list[dict[str, Any]] = []
    original = gmail_server.fake._api_drafts_create

    def spy(args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        bodies.append(json.loads(body))
        return original(args, query, body)

    gmail_server.fake._api_drafts_create = spy  # type: ignore[method-assign]
    message_id, thread_id = _seed_thread(gmail_server)
    backend = make_backend(gmail_server)
    backend.create_draft(_reply_draft(message_id, "Interview at Acme", "k1"), thread_id)
    backend.create_draft(_reply_draft(message_id, "Interview at Acme", "k2"), None)
    assert bodies[0]["message"] == {"raw": bodies[0]["message"]["raw"], "threadId": thread_id}
    assert set(bodies[1]["message"]) == {"raw"}


def test_find_drafts_and_draft_exists(gmail_server: FakeGmailServer) -> None:
    message_id, thread_id = _seed_thread(gmail_server)
    backend = make_backend(gmail_server)
    first = backend.create_draft(_reply_draft(message_id, "Interview at Acme", "key-1"), thread_id)
    second = backend.create_draft(_reply_draft(message_id, "Interview at Acme", "key-2"), thread_id)
    gmail_server.fake.create_draft_message(make_message(subject="My own draft, no key"))

    assert backend.find_drafts() == {"key-1": first, "key-2": second}
    assert backend.draft_exists(first) and backend.draft_exists(second)

    gmail_server.fake.delete_draft(first)
    assert not backend.draft_exists(first)
    assert backend.find_drafts() == {"key-2": second}


def test_find_drafts_reads_each_unchanged_draft_once(gmail_server: FakeGmailServer) -> None:
    message_id, thread_id = _seed_thread(gmail_server)
    backend = make_backend(gmail_server)
    for n in range(3):
        backend.create_draft(_reply_draft(message_id, "Interview at Acme", f"key-{n}"), thread_id)
    backend.find_drafts()
    gmail_server.fake.reset_counters()
    assert len(backend.find_drafts()) == 3
    assert gmail_server.fake.calls == {"drafts.list": 1}
    gets = [r for r in gmail_server.fake.requests if r.api_method == "drafts.get"]
    assert gets == []


def test_find_drafts_batches_the_metadata_reads(gmail_server: FakeGmailServer) -> None:
    for n in range(7):
        raw = make_message(subject=f"Draft {n}", extra_headers={KEY_HEADER: f"key-{n}"})
        gmail_server.fake.create_draft_message(raw)
    found = make_backend(gmail_server, batch_size=5).find_drafts()
    assert set(found) == {f"key-{n}" for n in range(7)}
    assert gmail_server.fake.batch_sizes == [5, 2]
    assert all(r.query["format"] == ["metadata"] for r in gmail_server.fake.requests_for("drafts.get"))


def test_a_create_that_failed_with_a_server_error_is_not_duplicated(gmail_server: FakeGmailServer) -> None:
    message_id, thread_id = _seed_thread(gmail_server)
    gmail_server.fake.inject("drafts.create", server_error(503))
    backend = make_backend(gmail_server)
    draft_id = backend.create_draft(_reply_draft(message_id, "Interview at Acme", "key-1"), thread_id)
    assert list(gmail_server.fake.drafts) == [draft_id]
    # Before trying again it looked whether the first attempt had created the draft after all.
    assert gmail_server.fake.calls["drafts.list"] == 1


def test_the_fake_rejects_draft_bodies_that_do_not_match_the_schema(gmail_server: FakeGmailServer) -> None:
    assert validate({"message": {"raw": "SGVsbG8", "threadId": "abc"}}, "Draft") == []
    assert validate({"message": {"raw": "SGVs+bG8/"}}, "Draft")  # base64, not base64url
    assert validate({"message": {"raw": "SGVsbG8", "thread": "abc"}}, "Draft")  # unknown property
    assert validate({"message": {"raw": "SGVsbG8", "labelIds": "DRAFT"}}, "Draft")  # not an array
    assert validate({"message": "raw"}, "Draft")

    def post(body: object) -> int:
        request = urllib.request.Request(
            gmail_server.url + "gmail/v1/users/me/drafts",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": "Bearer x"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    good = base64.urlsafe_b64encode(make_message(subject="ok")).decode()
    assert post({"message": {"raw": good}}) == 200
    assert post({"message": {"raw": good, "bogus": 1}}) == 400
    assert post({"message": {"raw": "%%%"}}) == 400
    assert post({"message": {}}) == 400


def test_the_send_endpoints_are_recorded_and_refused(tmp_path: Path) -> None:
    # A private fake (not the guarded fixture): this test calls a send endpoint on purpose.
    with FakeGmailServer() as server:
        request = urllib.request.Request(
            server.url + "gmail/v1/users/me/drafts/send", data=b"{}", headers={"Authorization": "Bearer x"}
        )
        try:
            urllib.request.urlopen(request)
            raise AssertionError("the fake accepted a send")
        except urllib.error.HTTPError as exc:
            assert exc.code == 500
        assert server.fake.send_attempts == ["POST /gmail/v1/users/me/drafts/send"]


def test_the_contract_harness_plays_the_user(tmp_path: Path, gmail_server: FakeGmailServer) -> None:
    harness = GmailHarness(tmp_path, gmail_server)
    tables = harness.config_tables()
    assert tables["mailbox"] == {"backend": "gmail"}
    assert tables["gmail"]["api_endpoint"] == gmail_server.url
    harness.deliver(FolderRole.INBOX, make_message(subject="Interview at Acme", message_id="<first@acme.example>"))
    with harness.backend() as backend:
        inbox = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=2)))
        (item,) = inbox[-1].items
        sent_cursor = list(backend.list_new(FolderRole.SENT, None, NOW - timedelta(days=2)))[-1].cursor
        kept = backend.create_draft(_reply_draft("<first@acme.example>", "Interview at Acme", "k-send"), item.thread_id)
        dropped = backend.create_draft(_reply_draft("<first@acme.example>", "Interview at Acme", "k-drop"), None)
        assert len(harness.draft_messages()) == 2

        harness.delete_draft("k-drop")
        harness.send_draft("k-send", "<sent-1@example.com>", NOW)

        assert not backend.draft_exists(dropped) and not backend.draft_exists(kept)
        assert backend.find_drafts() == {}
        (sent,) = [i for b in backend.list_new(FolderRole.SENT, sent_cursor, NOW) for i in b.items]
        assert sent.thread_id == item.thread_id
        headers = email.message_from_bytes(sent.headers, policy=email.policy.default)
        assert headers["Message-ID"] == "<sent-1@example.com>"
        assert headers[KEY_HEADER] is None
    harness.close()
