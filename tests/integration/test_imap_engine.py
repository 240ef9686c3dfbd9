"""The engine on a real Dovecot: a connection cut mid-scan, and a UIDVALIDITY change, converge without loss or dupes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.config import Config, IdentityConfig, MailboxConfig, PolicyConfig, StateConfig
from agent.engine import Engine
from agent.errors import BackendError
from agent.mail.imap import ImapBackend
from agent.models import FolderRole
from agent.store import Store
from tests import mailgen
from tests.integration.conftest import imap_config
from tests.integration.dovecot import DovecotUser, TcpProxy

pytestmark = pytest.mark.dovecot

NOW = datetime.now(UTC).replace(microsecond=0)
INTERVIEW_END = NOW - timedelta(hours=1)


def world(tmp_path: Path) -> tuple[Config, Store]:
    config = Config(
        identity=IdentityConfig(name="Alex Candidate", email=mailgen.USER[1]),
        mailbox=MailboxConfig(backend="imap", lookback_days=30),
        policy=PolicyConfig(timezone="America/New_York"),
        state=StateConfig(path=tmp_path / "state.db"),
    )
    return config, Store.open(config.state.path)


def fill_inbox(user: DovecotUser, folder: str = "INBOX") -> None:
    """An interview that ended an hour ago, and enough other mail that a scan takes a while to download."""
    invite = mailgen.calendar_invite(
        sent=NOW - timedelta(days=5),
        start=INTERVIEW_END - timedelta(hours=1),
        end=INTERVIEW_END,
        message_id="imap-invite@google.com",
    )
    filler = [
        mailgen.reply(
            sent=NOW - timedelta(days=4, minutes=n),
            message_id=f"note-{n}@friends.example",
            in_reply_to=None,
            sender=(f"Friend {n}", f"friend{n}@gmail.com"),
            subject=f"Photos {n}",
            body=("Here are the photos from the weekend.\n" * 4000),
        )
        for n in range(6)
    ]
    with user.client() as client:
        for raw in (invite, *filler):
            client.append(folder, raw, msg_time=NOW - timedelta(days=4))


def scan(config: Config, store: Store, user: DovecotUser, port: int | None = None, inbox: str = "INBOX") -> None:
    with ImapBackend.from_config(imap_config(user, port=port, timeout_seconds=5, inbox=inbox)) as backend:
        Engine(config, backend, store).scan(NOW)


def drafts_on_server(user: DovecotUser) -> list[int]:
    with user.client() as client:
        client.select_folder("Drafts", readonly=True)
        return list(client.search("ALL"))


def test_a_connection_cut_mid_scan_records_nothing_half_and_the_next_scan_converges(
    tmp_path: Path, imap_user: DovecotUser, proxy: TcpProxy
) -> None:
    fill_inbox(imap_user)
    config, store = world(tmp_path)
    proxy.drop_after(60_000)  # in the middle of downloading the batch's bodies
    proxy.refuse()
    with pytest.raises(BackendError):
        scan(config, store, imap_user, port=proxy.port)
    assert store.message_count() == 0
    assert store.cursor("imap", FolderRole.INBOX.value) is None
    assert drafts_on_server(imap_user) == []

    proxy.refuse(False)
    scan(config, store, imap_user, port=proxy.port)
    assert store.message_count() == 7
    assert len(drafts_on_server(imap_user)) == 2  # one thank-you per interviewer
    scan(config, store, imap_user, port=proxy.port)
    assert store.message_count() == 7
    assert len(drafts_on_server(imap_user)) == 2


def test_a_uidvalidity_change_processes_no_message_twice(tmp_path: Path, imap_user: DovecotUser) -> None:
    with imap_user.client() as client:
        client.create_folder("Jobs")  # a server won't recreate INBOX itself; a filtered folder shows the same
    fill_inbox(imap_user, "Jobs")
    config, store = world(tmp_path)
    scan(config, store, imap_user, inbox="Jobs")
    before = store.message_count()
    seen_before = store.db.execute("SELECT count(*) FROM seen").fetchone()[0]
    with imap_user.client() as client:
        client.create_folder("Restored")
        client.select_folder("Jobs")
        client.copy(client.search("ALL"), "Restored")
        client.close_folder()
        client.delete_folder("Jobs")
        client.rename_folder("Restored", "Jobs")  # same messages, new UIDs, new UIDVALIDITY
    scan(config, store, imap_user, inbox="Jobs")
    assert store.message_count() == before == 7
    seen_after = store.db.execute("SELECT count(*) FROM seen").fetchone()[0]
    assert seen_after == seen_before + 7  # every message listed again under its new UID, recognised by Message-ID
    assert len(drafts_on_server(imap_user)) == 2
    assert len(store.drafts()) == 2


def test_the_bodies_of_a_batch_are_fetched_in_a_few_commands_not_one_each(
    tmp_path: Path, imap_user: DovecotUser, proxy: TcpProxy
) -> None:
    fill_inbox(imap_user)  # 7 messages whose bodies matter: an invitation and six personal letters
    config, store = world(tmp_path)
    proxy.reset_counters()
    scan(config, store, imap_user, port=proxy.port)
    fetches = [name for name in proxy.command_names() if name == "UID FETCH"]
    # The listing, then one FETCH per shape of message (multipart invitation, single-part letters).
    assert len(fetches) <= 3
    assert store.message_count() == 7
    assert len(drafts_on_server(imap_user)) == 2
