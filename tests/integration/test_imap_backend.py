"""The IMAP backend against a real Dovecot: sync, cursors, fetch, drafts, folders, auth and faults."""

from __future__ import annotations

import email
import shlex
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest

from agent.errors import AuthError, BackendError, ConfigError
from agent.mail.base import KEY_HEADER, SyncBatch
from agent.mail.imap import ImapBackend, _Cursor
from agent.models import FolderRole
from tests.integration.conftest import imap_config
from tests.integration.dovecot import DovecotServer, DovecotUser, TcpProxy, require_dovecot

pytestmark = pytest.mark.dovecot

NOW = datetime.now(UTC)


def simple(n: int, subject: str = "") -> bytes:
    return (
        f"From: Recruiter <r{n}@acme.example>\r\nTo: me@example.org\r\nSubject: {subject or f'message {n}'}\r\n"
        f"Message-ID: <m{n}@acme.example>\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\n\r\nHello {n}\r\n"
    ).encode()


def deliver(user: DovecotUser, folder: str, raws: list[bytes], *, days_ago: float = 0.0) -> None:
    with user.client() as client:
        for raw in raws:
            client.append(folder, raw, msg_time=NOW - timedelta(days=days_ago))


def first(batches: Iterable[SyncBatch]) -> SyncBatch:
    return next(iter(batches))


def refs_and_subjects(batches: list[SyncBatch]) -> list[str]:
    out = []
    for batch in batches:
        for item in batch.items:
            out.append(email.message_from_bytes(item.headers)["Subject"])
    return out


def backend(user: DovecotUser, **overrides: Any) -> ImapBackend:
    return ImapBackend.from_config(imap_config(user, **overrides))


# --------------------------------------------------------------------------------------------------- listing


def test_first_sync_lists_only_mail_since_the_lookback(imap_user: DovecotUser) -> None:
    deliver(imap_user, "INBOX", [simple(1, "old")], days_ago=10)
    deliver(imap_user, "INBOX", [simple(2, "recent"), simple(3, "today")], days_ago=1)
    deliver(imap_user, "Sent", [simple(4, "sent recently")], days_ago=2)
    deliver(imap_user, "Sent", [simple(5, "sent long ago")], days_ago=30)
    with backend(imap_user) as imap:
        inbox = list(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=5)))
        sent = list(imap.list_new(FolderRole.SENT, None, NOW - timedelta(days=5)))
    assert refs_and_subjects(inbox) == ["recent", "today"]
    assert refs_and_subjects(sent) == ["sent recently"]
    # The cursor covers everything below UIDNEXT, the skipped old message included.
    assert _Cursor.decode(inbox[-1].cursor).last_uid == 3  # type: ignore[union-attr]
    item = inbox[0].items[0]
    assert b"Message-ID: <m2@acme.example>" in item.headers
    assert b"Hello" not in item.headers  # headers only
    assert item.thread_id is None  # not Gmail


def test_first_sync_with_no_mail_still_yields_one_batch(imap_user: DovecotUser) -> None:
    with backend(imap_user) as imap:
        batches = list(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=5)))
    assert len(batches) == 1 and batches[0].items == ()
    assert _Cursor.decode(batches[0].cursor) is not None


def test_batches_of_batch_size_each_with_its_own_cursor(imap_user: DovecotUser) -> None:
    deliver(imap_user, "INBOX", [simple(n) for n in range(1, 6)])
    with backend(imap_user, batch_size=2) as imap:
        batches = list(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1)))
    assert [len(b.items) for b in batches] == [2, 2, 1]
    assert [_Cursor.decode(b.cursor).last_uid for b in batches] == [2, 4, 5]  # type: ignore[union-attr]
    assert [i.ref.split(":")[1] for b in batches for i in b.items] == ["1", "2", "3", "4", "5"]


def test_empty_incremental_scan_is_one_command_per_folder_and_downloads_nothing(
    imap_user: DovecotUser, proxy: TcpProxy
) -> None:
    deliver(imap_user, "INBOX", [simple(1), simple(2)])
    deliver(imap_user, "Sent", [simple(3)])
    with backend(imap_user, port=proxy.port) as imap:
        since = NOW - timedelta(days=5)
        cursors = {
            role: list(imap.list_new(role, None, since))[-1].cursor for role in (FolderRole.INBOX, FolderRole.SENT)
        }
        proxy.reset_counters()
        again = {role: list(imap.list_new(role, cursors[role], since)) for role in cursors}
        # One LIST-STATUS answers for every folder (Dovecot has LIST-STATUS), except the folder still open on
        # this connection (Sent): a server may answer its STATUS from the session's older view, so EXAMINE it.
        assert proxy.command_names() == ["LIST", "EXAMINE"]
        assert proxy.bytes_down < 2000  # the folders' STATUS, no message data
        assert all(len(batches) == 1 and batches[0].items == () for batches in again.values())
        assert all(again[role][0].cursor == cursors[role] for role in cursors)

        deliver(imap_user, "INBOX", [simple(4, "new one")])
        proxy.reset_counters()
        batches = list(imap.list_new(FolderRole.INBOX, cursors[FolderRole.INBOX], since))
        assert refs_and_subjects(batches) == ["new one"]
        assert proxy.command_names() == ["EXAMINE", "UID SEARCH", "UID FETCH"]
        assert _Cursor.decode(batches[-1].cursor).last_uid == 3  # type: ignore[union-attr]


def test_a_no_change_scan_from_a_fresh_connection_is_one_list_status_plus_the_drafts(
    imap_user: DovecotUser, proxy: TcpProxy
) -> None:
    deliver(imap_user, "INBOX", [simple(1), simple(2)])
    deliver(imap_user, "Sent", [simple(3)])
    since = NOW - timedelta(days=5)
    with backend(imap_user, port=proxy.port) as imap:
        cursors = {
            role: list(imap.list_new(role, None, since))[-1].cursor for role in (FolderRole.INBOX, FolderRole.SENT)
        }
        assert imap.find_drafts() == {}
    # As `followup-agent scan` runs it: a new backend, INBOX and Sent with their cursors, then Drafts.
    proxy.reset_counters()
    with backend(imap_user, port=proxy.port) as imap:
        assert all(not b.items for role in cursors for b in imap.list_new(role, cursors[role], since))
        assert imap.find_drafts() == {}
    after_login = proxy.command_names()[proxy.command_names().index("LOGIN") + 1 :]
    assert [c for c in after_login if c != "LOGOUT"] == ["LIST"]

    draft = EmailMessage()
    draft["To"] = "jane@acme.example"
    draft["Subject"] = "Thank you"
    draft[KEY_HEADER] = "k-1"
    draft.set_content("Thanks.")
    with backend(imap_user) as imap:
        imap.create_draft(draft)
    proxy.reset_counters()
    with backend(imap_user, port=proxy.port) as imap:
        assert all(not b.items for role in cursors for b in imap.list_new(role, cursors[role], since))
        assert list(imap.find_drafts()) == ["k-1"]
    after_login = proxy.command_names()[proxy.command_names().index("LOGIN") + 1 :]
    assert [c for c in after_login if c != "LOGOUT"] == ["LIST", "EXAMINE", "UID FETCH"]  # one per folder


def test_incremental_lists_new_mail_however_old_its_date(imap_user: DovecotUser) -> None:
    with backend(imap_user) as imap:
        cursor = list(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=5)))[-1].cursor
        # Delivered now, but with an old internal date (a slow relay, a moved message): still new to us.
        deliver(imap_user, "INBOX", [simple(1, "late")], days_ago=20)
        batches = list(imap.list_new(FolderRole.INBOX, cursor, NOW - timedelta(days=5)))
    assert refs_and_subjects(batches) == ["late"]


def test_uidvalidity_change_lists_the_folder_again(imap_user: DovecotUser) -> None:
    with imap_user.client() as client:
        client.create_folder("Jobs")
    deliver(imap_user, "Jobs", [simple(1, "a"), simple(2, "b")], days_ago=1)
    with backend(imap_user, inbox="Jobs") as imap:
        first = list(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=5)))
        cursor = first[-1].cursor
        assert refs_and_subjects(list(imap.list_new(FolderRole.INBOX, cursor, NOW))) == []
        # Recreate the folder with the same messages (what a server restore or a client's "repair" does).
        with imap_user.client() as client:
            client.create_folder("JobsNew")
            client.select_folder("Jobs")
            client.copy([1, 2], "JobsNew")
            client.close_folder()
            client.delete_folder("Jobs")
            client.rename_folder("JobsNew", "Jobs")
        again = list(imap.list_new(FolderRole.INBOX, cursor, NOW - timedelta(days=5)))
    assert refs_and_subjects(again) == ["a", "b"]
    old, new = _Cursor.decode(cursor), _Cursor.decode(again[-1].cursor)
    assert old is not None and new is not None and new.uidvalidity != old.uidvalidity
    assert {i.ref for b in again for i in b.items}.isdisjoint({i.ref for b in first for i in b.items})


def test_unreadable_cursor_means_first_sync(imap_user: DovecotUser) -> None:
    deliver(imap_user, "INBOX", [simple(1)], days_ago=1)
    with backend(imap_user) as imap:
        batches = list(imap.list_new(FolderRole.INBOX, '{"maildir": 5}', NOW - timedelta(days=5)))
    assert len(refs_and_subjects(batches)) == 1


def test_listing_never_marks_mail_seen(imap_user: DovecotUser) -> None:
    deliver(imap_user, "INBOX", [simple(1)])
    with backend(imap_user) as imap:
        ref = first(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1))).items[0].ref
        imap.fetch(FolderRole.INBOX, ref)
    with imap_user.client() as client:
        client.select_folder("INBOX", readonly=True)
        assert b"\\Seen" not in client.get_flags([1])[1]


# --------------------------------------------------------------------------------------------------- fetching


def invitation_with_pdf(pdf_bytes: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Dana <dana@acme.example>"
    msg["To"] = "me@example.org"
    msg["Subject"] = "Interview invitation – Acme"
    msg["Message-ID"] = "<invite@acme.example>"
    msg.set_content("Grüße! Let's talk on Tuesday.\n", cte="quoted-printable")
    msg.add_alternative("<p>Grüße! Let's talk on <b>Tuesday</b>.</p>", subtype="html")
    msg.make_mixed()
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    msg.add_attachment(ics.encode(), maintype="text", subtype="calendar", filename="invite.ics")
    msg.add_attachment(b"%PDF-1.4\n" + bytes(pdf_bytes), maintype="application", subtype="pdf",
                       filename="job-description.pdf")  # fmt: skip
    return msg.as_bytes()


def parts(raw: bytes) -> dict[str, EmailMessage]:
    parsed = email.message_from_bytes(raw, _class=EmailMessage, policy=default_policy)
    return {part.get_content_type(): part for part in parsed.walk()}


def test_fetch_returns_text_and_calendar_but_not_a_large_attachment(imap_user: DovecotUser, proxy: TcpProxy) -> None:
    deliver(imap_user, "INBOX", [invitation_with_pdf(5 * 1024 * 1024)])
    with backend(imap_user, port=proxy.port) as imap:
        ref = first(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1))).items[0].ref
        proxy.reset_counters()
        raw = imap.fetch(FolderRole.INBOX, ref)
        assert proxy.bytes_down < 20_000
        assert proxy.command_names() == ["UID FETCH"]  # the structure came with the listing
    assert len(raw) < 10_000
    found = parts(raw)
    assert "application/pdf" not in found
    assert set(found) >= {"multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"}
    assert found["text/plain"]["Content-Transfer-Encoding"] == "quoted-printable"
    assert "Grüße" in found["text/plain"].get_content()
    assert "METHOD:REQUEST" in found["text/calendar"].get_content()
    head = email.message_from_bytes(raw, policy=default_policy)
    assert head["Subject"] == "Interview invitation – Acme" and head["Message-ID"] == "<invite@acme.example>"


def test_fetch_of_a_small_single_part_message_is_byte_exact(imap_user: DovecotUser) -> None:
    deliver(imap_user, "INBOX", [simple(1)])
    with backend(imap_user) as imap:
        ref = first(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1))).items[0].ref
        assert imap.fetch(FolderRole.INBOX, ref) == simple(1)
        # A new backend has no cached structure and asks for it first.
        fresh = backend(imap_user)
        assert fresh.fetch(FolderRole.INBOX, ref) == simple(1)
        fresh.close()


def test_fetch_keeps_bounce_report_and_quoted_headers(imap_user: DovecotUser) -> None:
    original = simple(9, "Follow-up")
    bounce = (
        b"From: MAILER-DAEMON@mx.example\r\nTo: me@example.org\r\nSubject: Undelivered Mail\r\n"
        b"Message-ID: <b1@mx.example>\r\nContent-Type: multipart/report; report-type=delivery-status;"
        b' boundary="BB"\r\nMIME-Version: 1.0\r\n\r\n'
        b"--BB\r\nContent-Type: text/plain\r\n\r\nI could not deliver your message.\r\n"
        b"--BB\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
        b"Final-Recipient: rfc822; gone@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--BB\r\nContent-Type: message/rfc822\r\n\r\n" + original + b"\r\n--BB--\r\n"
    )
    deliver(imap_user, "INBOX", [bounce])
    with backend(imap_user) as imap:
        ref = first(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1))).items[0].ref
        raw = imap.fetch(FolderRole.INBOX, ref)
    parsed = email.message_from_bytes(raw, policy=default_policy)
    assert parsed.get_content_type() == "multipart/report"
    found = parts(raw)
    assert "Status: 5.1.1" in found["message/delivery-status"].as_string()
    enclosed = found["message/rfc822"].get_content()
    assert enclosed["Message-ID"] == "<m9@acme.example>"


def test_fetch_of_an_unknown_ref_is_a_backend_error(imap_user: DovecotUser) -> None:
    with backend(imap_user) as imap:
        cursor = _Cursor.decode(first(imap.list_new(FolderRole.INBOX, None, NOW)).cursor)
        assert cursor is not None
        uidvalidity = cursor.uidvalidity
        with pytest.raises(BackendError, match="no longer"):
            imap.fetch(FolderRole.INBOX, f"{uidvalidity}:42")
        with pytest.raises(BackendError, match="recreated"):
            imap.fetch(FolderRole.INBOX, f"{uidvalidity + 1}:1")
        with pytest.raises(BackendError, match="not an IMAP message reference"):
            imap.fetch(FolderRole.INBOX, "abc")


# ----------------------------------------------------------------------------------------------------- drafts


def draft(key: str, subject: str = "Thank you") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "me@example.org"
    msg["To"] = "dana@acme.example"
    msg["Subject"] = subject
    msg[KEY_HEADER] = key
    msg.set_content("Thank you for your time today.\n")
    return msg


def test_drafts_are_created_found_and_noticed_when_gone(imap_user: DovecotUser) -> None:
    with backend(imap_user) as imap:
        first = imap.create_draft(draft("app1:thank_you"))
        second = imap.create_draft(draft("app1:follow_up:1", "Following up"))
        assert imap.find_drafts() == {"app1:thank_you": first, "app1:follow_up:1": second}
        assert imap.draft_exists(first) and imap.draft_exists(second)
        with imap_user.client() as client:
            client.select_folder("Drafts")
            uid = int(first.split(":")[1])
            flags = set(client.get_flags([uid])[uid]) - {b"\\Recent"}
            assert flags == {b"\\Draft", b"\\Seen"}
            client.add_flags([uid], [b"\\Deleted"])  # deleted but not yet expunged: already gone for us
            assert not imap.draft_exists(first)
            assert imap.find_drafts() == {"app1:follow_up:1": second}
            client.expunge()
        assert not imap.draft_exists(first)
        assert imap.draft_exists(second)


def test_draft_found_by_key_after_the_drafts_folder_was_recreated(imap_user: DovecotUser) -> None:
    with backend(imap_user) as imap:
        draft_id = imap.create_draft(draft("app7:thank_you"))
        uidvalidity = int(draft_id.split(":")[0])
        moved = f"{uidvalidity - 1}:1:app7:thank_you"  # as if the id came from before a UIDVALIDITY change
        assert imap.draft_exists(moved)
        assert not imap.draft_exists(f"{uidvalidity - 1}:1:app7:other")


def test_drafts_in_an_empty_folder(imap_user: DovecotUser) -> None:
    with backend(imap_user) as imap:
        assert imap.find_drafts() == {}


# ---------------------------------------------------------------------------------------------------- folders


def test_special_use_flags_win_over_usual_names() -> None:
    server: DovecotServer = require_dovecot("custom")
    user = server.new_user()
    with user.client() as client:  # decoys with the usual names but no flags
        client.create_folder("Sent")
        client.create_folder("Drafts")
    with backend(user) as imap:
        assert imap.folder_name(FolderRole.SENT) == "Sent Items"
        assert imap.folder_name(FolderRole.DRAFTS) == "Brouillons"
        draft_id = imap.create_draft(draft("k"))
        assert imap.find_drafts() == {"k": draft_id}
    with user.client() as client:
        assert client.select_folder("Brouillons", readonly=True)[b"EXISTS"] == 1
        assert client.select_folder("Drafts", readonly=True)[b"EXISTS"] == 0


def test_usual_localised_names_without_special_use() -> None:
    server: DovecotServer = require_dovecot("plain")
    user = server.new_user()
    with user.client() as client:
        for name in ("Gesendet", "Entwürfe", "Archiv"):
            client.create_folder(name)
    deliver(user, "Gesendet", [simple(1, "sent")])
    with backend(user) as imap:
        assert imap.folder_name(FolderRole.SENT) == "Gesendet"
        assert imap.folder_name(FolderRole.DRAFTS) == "Entwürfe"
        assert refs_and_subjects(list(imap.list_new(FolderRole.SENT, None, NOW - timedelta(days=1)))) == ["sent"]
        imap.create_draft(draft("k"))
        assert list(imap.find_drafts()) == ["k"]


def test_configured_folder_names_override_and_are_checked(imap_user: DovecotUser) -> None:
    with imap_user.client() as client:
        client.create_folder("Outbox/Done")
    with backend(imap_user, sent="Outbox/Done") as imap:
        assert imap.folder_name(FolderRole.SENT) == "Outbox/Done"
        assert imap.folder_name(FolderRole.DRAFTS) == "Drafts"
    with backend(imap_user, drafts="Nope") as imap, pytest.raises(ConfigError, match=r"imap\.drafts") as caught:
        imap.folder_name(FolderRole.DRAFTS)
    assert "Outbox/Done" in str(caught.value)  # the hint lists what exists


def test_no_sent_folder_at_all_is_a_config_error() -> None:
    user = require_dovecot("plain").new_user()
    with backend(user) as imap, pytest.raises(ConfigError, match=r"imap\.sent"):
        list(imap.list_new(FolderRole.SENT, None, NOW))


# ------------------------------------------------------------------------------------------------------- auth


def test_wrong_password_is_an_auth_error_without_the_password(imap_user: DovecotUser) -> None:
    wrong = "Tr0ub4dor&3-wrong"
    with (
        TcpProxy(imap_user.port, source_host="127.0.0.2") as other_ip,
        backend(imap_user, port=other_ip.port, password_env="", password=wrong) as imap,
        pytest.raises(AuthError) as caught,
    ):
        imap.connect()
    text = str(caught.value)
    assert wrong not in text and imap_user.password not in text
    assert f"IMAP login to 127.0.0.1 as {imap_user.name} was refused" in text
    assert "app password" in text


def test_password_from_a_command(imap_user: DovecotUser) -> None:
    command = f"printf '%s\\n' {shlex.quote(imap_user.password)}"
    with backend(imap_user, password_env="", password_command=command) as imap:
        assert first(imap.list_new(FolderRole.INBOX, None, NOW)).items == ()


@pytest.mark.parametrize(
    ("command", "message"),
    [("false", "exited with status 1"), ("/nonexistent/pass-helper", "not found"), ("true", "printed nothing")],
)
def test_failing_password_command_is_an_auth_error(imap_user: DovecotUser, command: str, message: str) -> None:
    with backend(imap_user, password_env="", password_command=command) as imap, pytest.raises(AuthError, match=message):
        imap.connect()


def test_missing_password_env_is_an_auth_error(imap_user: DovecotUser) -> None:
    with (
        backend(imap_user, password_env="FOLLOWUP_TEST_UNSET_VARIABLE") as imap,
        pytest.raises(AuthError, match="FOLLOWUP_TEST_UNSET_VARIABLE"),
    ):
        imap.connect()


# ------------------------------------------------------------------------------------------------------- TLS


def test_tls_with_ca_file_verifies_the_server(dovecot: DovecotServer, imap_user: DovecotUser) -> None:
    if not dovecot.tls:
        pytest.skip("openssl is not installed: no TLS server")
    with backend(imap_user, port=dovecot.tls_port, security="tls", ca_file=dovecot.ca_file) as imap:
        assert first(imap.list_new(FolderRole.INBOX, None, NOW)).items == ()
    with backend(imap_user, port=dovecot.port, security="starttls", ca_file=dovecot.ca_file) as imap:
        assert first(imap.list_new(FolderRole.INBOX, None, NOW)).items == ()
    with (
        backend(imap_user, port=dovecot.tls_port, security="tls") as imap,
        pytest.raises(BackendError, match=r"certificate .* could not be verified"),
    ):
        imap.connect()


# ----------------------------------------------------------------------------------------------------- faults


def test_connection_dropped_mid_fetch_is_a_backend_error_and_the_next_call_reconnects(
    imap_user: DovecotUser, proxy: TcpProxy
) -> None:
    body = (b"y" * 76 + b"\r\n") * 20_000  # ~1.5 MB of text
    big = simple(1).split(b"\r\n\r\n")[0] + b"\r\n\r\n" + body
    deliver(imap_user, "INBOX", [big])
    with backend(imap_user, port=proxy.port) as imap:
        ref = first(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1))).items[0].ref
        # Cut mid-response, and the server stays unreachable, so the one retry on a new connection fails too.
        proxy.drop_after(100_000)
        proxy.refuse()
        with pytest.raises(BackendError, match=r"broke|failed"):
            imap.fetch(FolderRole.INBOX, ref)
        proxy.refuse(False)
        assert len(imap.fetch(FolderRole.INBOX, ref)) == len(big)


def test_a_read_on_a_connection_the_server_closed_meanwhile_reconnects_once(
    imap_user: DovecotUser, proxy: TcpProxy
) -> None:
    deliver(imap_user, "INBOX", [simple(1)])
    with backend(imap_user, port=proxy.port) as imap:
        ref = first(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1))).items[0].ref
        proxy.drop()  # e.g. the server's idle logout between two scans
        assert imap.fetch(FolderRole.INBOX, ref) == simple(1)


def test_server_that_stops_answering_times_out(imap_user: DovecotUser, proxy: TcpProxy) -> None:
    with backend(imap_user, port=proxy.port, timeout_seconds=1) as imap:
        cursor = list(imap.list_new(FolderRole.INBOX, None, NOW))[-1].cursor
        proxy.stall()
        started = time.monotonic()
        with pytest.raises(BackendError, match="did not answer within 1 s"):
            list(imap.list_new(FolderRole.INBOX, cursor, NOW))
        assert time.monotonic() - started < 3
        proxy.resume()
        assert first(imap.list_new(FolderRole.INBOX, cursor, NOW)).items == ()


def test_unreachable_server_is_a_backend_error(imap_user: DovecotUser) -> None:
    with (
        socket_closed_port() as port,
        backend(imap_user, port=port) as imap,
        pytest.raises(BackendError, match=r"IMAP connection to 127\.0\.0\.1"),
    ):
        imap.connect()


def test_close_logs_out_and_tolerates_a_dead_connection(imap_user: DovecotUser, proxy: TcpProxy) -> None:
    imap = backend(imap_user, port=proxy.port)
    imap.connect()
    proxy.drop()
    imap.close()  # no exception
    imap.close()


class socket_closed_port:
    """A loopback port nobody listens on."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        return None


def test_engine_may_use_the_backend_between_batches(imap_user: DovecotUser, proxy: TcpProxy) -> None:
    deliver(imap_user, "INBOX", [simple(n) for n in range(1, 4)])
    seen = []
    with backend(imap_user, port=proxy.port, batch_size=1) as imap:
        for n, batch in enumerate(imap.list_new(FolderRole.INBOX, None, NOW - timedelta(days=1))):
            seen += [item.ref for item in batch.items]
            imap.fetch(FolderRole.INBOX, batch.items[0].ref)
            if n == 0:
                imap.create_draft(draft("between"))
                assert list(imap.find_drafts()) == ["between"]  # selects Drafts on the same connection
            if n == 1:
                proxy.drop()  # and the connection breaks between two batches
    assert [ref.split(":")[1] for ref in seen] == ["1", "2", "3"]
