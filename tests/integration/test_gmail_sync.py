"""Listing and fetching through the Gmail backend, against the fake Gmail server."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from agent.errors import MessageGoneError
from agent.mail import gmail as gmail_module
from agent.mail.base import KEY_HEADER, SyncBatch
from agent.models import FolderRole
from tests.integration import gmail_fixtures
from tests.integration.gmail_fake import FakeGmailServer, make_message
from tests.integration.gmail_fixtures import make_backend

# The fixtures live in gmail_fixtures (conftest.py belongs to the IMAP tests); binding them here registers them.
gmail_server = gmail_fixtures.gmail_server
gmail_send_guard = gmail_fixtures.gmail_send_guard

NOW = datetime.now(UTC).replace(microsecond=0)


def _seed(server: FakeGmailServer, days_ago: list[int], label: str = "INBOX") -> list[str]:
    ids = []
    for n, days in enumerate(days_ago):
        raw = make_message(subject=f"Message {n}", date=NOW - timedelta(days=days, minutes=n))
        ids.append(server.fake.insert(raw, (label,)).id)
    return ids


def _refs(batches: list[SyncBatch]) -> list[str]:
    return [item.ref for batch in batches for item in batch.items]


def test_first_sync_lists_only_messages_since_the_lookback(gmail_server: FakeGmailServer) -> None:
    ids = _seed(gmail_server, [1, 5, 20, 59, 61, 90])
    backend = make_backend(gmail_server)

    batches = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=60)))

    assert set(_refs(batches)) == set(ids[:4])
    # Oldest first, so an interrupted first sync can resume after the last batch it finished.
    assert _refs(batches) == list(reversed(ids[:4]))
    assert json.loads(batches[-1].cursor) == {"history_id": str(gmail_server.fake.history_id)}
    listing = gmail_server.fake.requests_for("messages.list")[0]
    assert listing.query["labelIds"] == ["INBOX"]
    assert listing.query["q"] == [f"after:{int((NOW - timedelta(days=60)).timestamp())}"]


def test_first_sync_of_an_empty_folder_still_yields_a_batch(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, [1], label="SENT")
    batches = list(make_backend(gmail_server).list_new(FolderRole.INBOX, None, NOW - timedelta(days=60)))
    assert len(batches) == 1
    assert batches[0].items == ()
    assert json.loads(batches[0].cursor)["history_id"]


def test_the_history_id_is_taken_before_listing(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, [1, 2])
    backend = make_backend(gmail_server)
    profile_at = gmail_server.fake.history_id
    batches = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=60)))
    verbs = [r.api_method for r in gmail_server.fake.requests if not r.batched]
    assert verbs.index("getProfile") < verbs.index("messages.list")
    assert json.loads(batches[-1].cursor) == {"history_id": str(profile_at)}


def test_listing_reads_metadata_only_and_fetch_reads_raw(gmail_server: FakeGmailServer) -> None:
    raw = make_message(
        subject="Interview",
        date=NOW,
        body="Let's talk on Friday.\n",
        extra_headers={"Auto-Submitted": "no", "List-Id": "<jobs.acme.example>"},
    )
    stored = gmail_server.fake.insert(raw, ("INBOX",))
    backend = make_backend(gmail_server)

    (batch,) = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1)))
    (item,) = batch.items

    gets = gmail_server.fake.requests_for("messages.get")
    assert gets and all(r.query["format"] == ["metadata"] for r in gets)
    assert all(r.batched for r in gets)
    asked = set(gets[0].query["metadataHeaders"])
    assert {"From", "Subject", "Message-ID", "References", "In-Reply-To", KEY_HEADER, "List-Id"} <= asked
    assert item.ref == stored.id and item.thread_id == stored.thread_id
    headers = email.message_from_bytes(item.headers, policy=email.policy.default)
    assert headers["Subject"] == "Interview"
    assert headers["List-Id"] == "<jobs.acme.example>"
    assert item.headers.endswith(b"\r\n\r\n")
    assert b"Friday" not in item.headers

    assert backend.fetch(FolderRole.INBOX, item.ref) == raw
    formats = [r.query.get("format", ["full"])[0] for r in gmail_server.fake.requests_for("messages.get")]
    assert formats.count("raw") == 1 and formats.count("full") == 0


def test_metadata_requests_go_in_batches_of_at_most_50(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, [1] * 120)
    batches = list(make_backend(gmail_server).list_new(FolderRole.INBOX, None, NOW - timedelta(days=2)))
    assert len(_refs(batches)) == 120
    assert gmail_server.fake.batch_sizes == [50, 50, 20]
    assert [len(b.items) for b in batches] == [50, 50, 20]
    assert gmail_server.fake.calls["messages.get"] == 120


def test_configured_batch_size_is_respected(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, [1] * 25)
    list(make_backend(gmail_server, batch_size=10).list_new(FolderRole.INBOX, None, NOW - timedelta(days=2)))
    assert gmail_server.fake.batch_sizes == [10, 10, 5]


def test_listing_pages_through_messages_list(gmail_server: FakeGmailServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gmail_module, "LIST_PAGE_SIZE", 7)
    ids = _seed(gmail_server, [1] * 20)
    batches = list(make_backend(gmail_server).list_new(FolderRole.INBOX, None, NOW - timedelta(days=2)))
    assert sorted(_refs(batches)) == sorted(ids)
    assert len(gmail_server.fake.requests_for("messages.list")) == 3


def test_incremental_sync_reads_the_history(gmail_server: FakeGmailServer) -> None:
    _seed(gmail_server, [3, 2])
    backend = make_backend(gmail_server)
    first = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=10)))
    new_inbox = gmail_server.fake.insert(make_message(subject="Reply", date=NOW), ("INBOX",))
    gmail_server.fake.insert(make_message(subject="Mine", date=NOW), ("SENT",))
    gmail_server.fake.reset_counters()

    batches = list(backend.list_new(FolderRole.INBOX, first[-1].cursor, NOW - timedelta(days=10)))

    assert _refs(batches) == [new_inbox.id]
    assert gmail_server.fake.calls["messages.list"] == 0
    (history,) = gmail_server.fake.requests_for("history.list")
    assert history.query["labelId"] == ["INBOX"]
    assert "messageAdded" in history.query["historyTypes"]
    assert json.loads(batches[-1].cursor) == {"history_id": str(gmail_server.fake.history_id)}

    gmail_server.fake.reset_counters()
    again = list(backend.list_new(FolderRole.INBOX, batches[-1].cursor, NOW - timedelta(days=10)))
    assert len(again) == 1 and again[0].items == ()
    assert gmail_server.fake.units == 2  # one history.list, nothing else


def test_a_message_moved_back_into_the_inbox_is_listed(gmail_server: FakeGmailServer) -> None:
    backend = make_backend(gmail_server)
    cursor = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=10)))[-1].cursor
    archived = gmail_server.fake.insert(make_message(subject="Filed away", date=NOW), ())
    gmail_server.fake.add_labels(archived.id, "INBOX")
    assert _refs(list(backend.list_new(FolderRole.INBOX, cursor, NOW - timedelta(days=10)))) == [archived.id]


def test_each_folder_keeps_its_own_cursor(gmail_server: FakeGmailServer) -> None:
    backend = make_backend(gmail_server)
    since = NOW - timedelta(days=10)
    inbox = list(backend.list_new(FolderRole.INBOX, None, since))[-1].cursor
    sent = list(backend.list_new(FolderRole.SENT, None, since))[-1].cursor
    mine = gmail_server.fake.insert(make_message(subject="Thanks", date=NOW), ("SENT",))
    assert _refs(list(backend.list_new(FolderRole.INBOX, inbox, since))) == []
    assert _refs(list(backend.list_new(FolderRole.SENT, sent, since))) == [mine.id]


def test_expired_history_falls_back_to_a_full_listing(gmail_server: FakeGmailServer) -> None:
    old = _seed(gmail_server, [3])
    backend = make_backend(gmail_server)
    cursor = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=10)))[-1].cursor
    gmail_server.fake.expire_history()
    new = gmail_server.fake.insert(make_message(subject="After a week away", date=NOW), ("INBOX",))

    batches = list(backend.list_new(FolderRole.INBOX, cursor, NOW - timedelta(days=10)))

    refs = _refs(batches)
    assert sorted(refs) == sorted([*old, new.id])
    assert len(refs) == len(set(refs))  # each message once; the engine recognises the old one by Message-ID
    assert json.loads(batches[-1].cursor) == {"history_id": str(gmail_server.fake.history_id)}
    # And the new cursor works incrementally again.
    gmail_server.fake.reset_counters()
    assert _refs(list(backend.list_new(FolderRole.INBOX, batches[-1].cursor, NOW))) == []
    assert gmail_server.fake.calls["messages.list"] == 0


def test_a_message_deleted_before_its_metadata_is_read_is_skipped(gmail_server: FakeGmailServer) -> None:
    backend = make_backend(gmail_server)
    cursor = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=10)))[-1].cursor
    gone = gmail_server.fake.insert(make_message(subject="Oops", date=NOW), ("INBOX",))
    kept = gmail_server.fake.insert(make_message(subject="Still here", date=NOW), ("INBOX",))
    gmail_server.fake.delete_message(gone.id)
    batches = list(backend.list_new(FolderRole.INBOX, cursor, NOW))
    assert _refs(batches) == [kept.id]


def test_intermediate_cursors_of_a_first_sync_resume_it(gmail_server: FakeGmailServer) -> None:
    ids = _seed(gmail_server, [9, 8, 7, 6, 5, 4])
    backend = make_backend(gmail_server, batch_size=2)
    batches = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=30)))
    assert len(batches) == 3
    assert "resume_after" in json.loads(batches[0].cursor)

    # The scan died after saving the first batch's cursor: the next one continues from there.
    resumed = _refs(
        list(make_backend(gmail_server).list_new(FolderRole.INBOX, batches[0].cursor, NOW - timedelta(days=30)))
    )
    oldest_first = ids  # seeded oldest first
    assert set(oldest_first[2:]) <= set(resumed)
    assert oldest_first[0] not in resumed


def test_intermediate_cursors_of_an_incremental_sync_keep_the_old_position(gmail_server: FakeGmailServer) -> None:
    backend = make_backend(gmail_server, batch_size=2)
    cursor = list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1)))[-1].cursor
    _seed(gmail_server, [0, 0, 0])
    batches = list(backend.list_new(FolderRole.INBOX, cursor, NOW))
    assert [b.cursor == cursor for b in batches] == [True, False]


def _with_attachments() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Recruiter <jobs@acme.example>"
    msg["To"] = "me@example.com"
    msg["Subject"] = "Interview invitation"
    msg["Message-ID"] = "<big@acme.example>"
    msg.set_content("See you on Friday.")
    msg.add_alternative("<p>See you on <b>Friday</b>.</p>", subtype="html")
    msg.add_attachment("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", subtype="calendar", filename="invite.ics")
    msg.add_attachment(b"%PDF-1.4 " + b"x" * 4000, maintype="application", subtype="pdf", filename="brochure.pdf")
    return msg.as_bytes(policy=email.policy.SMTP)


def test_a_large_message_is_fetched_as_its_text_parts(
    gmail_server: FakeGmailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gmail_module, "LARGE_MESSAGE_BYTES", 1000)
    stored = gmail_server.fake.insert(_with_attachments(), ("INBOX",))
    backend = make_backend(gmail_server)
    list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1)))

    rebuilt = email.message_from_bytes(backend.fetch(FolderRole.INBOX, stored.id), policy=email.policy.default)

    assert rebuilt["Subject"] == "Interview invitation" and rebuilt["Message-ID"] == "<big@acme.example>"
    types = [p.get_content_type() for p in rebuilt.walk() if not p.is_multipart()]
    assert types == ["text/plain", "text/html", "text/calendar"]
    assert "BEGIN:VCALENDAR" in next(p for p in rebuilt.walk() if p.get_content_type() == "text/calendar").get_content()
    formats = [r.query.get("format", ["full"])[0] for r in gmail_server.fake.requests_for("messages.get")]
    assert "raw" not in formats and "full" in formats
    assert len(gmail_server.fake.requests_for("messages.attachments.get")) == 1  # the calendar, not the PDF


def test_fetch_of_a_message_not_listed_in_this_run_checks_its_size_first(gmail_server: FakeGmailServer) -> None:
    raw = make_message(subject="Hello", date=NOW)
    stored = gmail_server.fake.insert(raw, ("INBOX",))
    assert make_backend(gmail_server).fetch(FolderRole.INBOX, stored.id) == raw
    formats = [r.query.get("format", ["full"])[0] for r in gmail_server.fake.requests_for("messages.get")]
    assert formats == ["minimal", "raw"]


def test_fetching_a_message_deleted_after_listing_says_it_is_gone(gmail_server: FakeGmailServer) -> None:
    stored = gmail_server.fake.insert(make_message(subject="Soon gone", date=NOW), ("INBOX",))
    backend = make_backend(gmail_server)
    list(backend.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1)))
    gmail_server.fake.delete_message(stored.id)
    with pytest.raises(MessageGoneError):
        backend.fetch(FolderRole.INBOX, stored.id)
