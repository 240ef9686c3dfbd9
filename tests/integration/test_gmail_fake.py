"""The fake Gmail server itself, driven by the real google-api-python-client: the parts the backend barely uses."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from tests.integration import gmail_fixtures
from tests.integration.gmail_fake import QUOTA_UNITS, FakeGmailServer, make_message
from tests.integration.gmail_fixtures import credentials_for

gmail_server = gmail_fixtures.gmail_server
gmail_send_guard = gmail_fixtures.gmail_send_guard


def _service(server: FakeGmailServer) -> Any:
    return build(
        "gmail",
        "v1",
        credentials=credentials_for(server),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": server.url},
    )


def test_threads_follow_references_and_subject(gmail_server: FakeGmailServer) -> None:
    fake = gmail_server.fake
    first = fake.insert(make_message(subject="Interview", message_id="<a@acme.example>"))
    reply = fake.insert(make_message(subject="RE: Interview", message_id="<b@x>", in_reply_to="<a@acme.example>"))
    other_subject = fake.insert(make_message(subject="Lunch?", message_id="<c@x>", references="<a@acme.example>"))
    assert reply.thread_id == first.thread_id
    assert other_subject.thread_id != first.thread_id

    users = _service(gmail_server).users()
    thread = users.threads().get(userId="me", id=first.thread_id, format="minimal").execute()
    assert [m["id"] for m in thread["messages"]] == [first.id, reply.id]
    assert fake.quota["threads.get"] == QUOTA_UNITS["threads.get"] == 10


def test_labels_profile_and_quota(gmail_server: FakeGmailServer) -> None:
    users = _service(gmail_server).users()
    labels = {label["id"] for label in users.labels().list(userId="me").execute()["labels"]}
    assert {"INBOX", "SENT", "DRAFT"} <= labels
    assert users.getProfile(userId="me").execute()["emailAddress"] == "me@example.com"
    assert gmail_server.fake.units == 2


def test_history_404_once_expired(gmail_server: FakeGmailServer) -> None:
    users = _service(gmail_server).users()
    start = users.getProfile(userId="me").execute()["historyId"]
    gmail_server.fake.insert(make_message(subject="x"))
    assert users.history().list(userId="me", startHistoryId=start).execute()["history"]
    gmail_server.fake.expire_history()
    with pytest.raises(HttpError) as info:
        users.history().list(userId="me", startHistoryId=start).execute()
    assert info.value.resp.status == 404


def test_batches_over_100_are_refused(gmail_server: FakeGmailServer) -> None:
    service = _service(gmail_server)
    batch = BatchHttpRequest(batch_uri=gmail_server.url + "batch/gmail/v1")
    for _ in range(101):
        batch.add(service.users().getProfile(userId="me"))
    with pytest.raises(HttpError) as info:
        batch.execute()
    assert info.value.resp.status == 400


def test_full_format_has_parts_and_attachment_ids(gmail_server: FakeGmailServer) -> None:
    stored = gmail_server.fake.insert(make_message(subject="Hi", body="Body text\n"))
    users = _service(gmail_server).users()
    full = users.messages().get(userId="me", id=stored.id, format="full").execute()
    assert full["payload"]["mimeType"] == "text/plain"
    assert full["payload"]["body"]["data"]
    minimal = users.messages().get(userId="me", id=stored.id, format="minimal").execute()
    assert "payload" not in minimal and minimal["sizeEstimate"] == len(stored.raw)
