"""Issue 11, IMAP faults: the scenario of scenario.py on a real Dovecot, through a loopback fault proxy (or with
the folders changed under the agent). One scan under each fault exits with the documented code, one
`followup-agent:` line and no traceback; clean scans after it come to the fault-free run's drafts and
`status --json`: no duplicate by key or by recipient, none missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.imap_harness import ImapHarness
from tests.integration.dovecot import require_dovecot
from tests.reliability.imap_proxy import FaultProxy
from tests.reliability.scenario import (
    Outcome,
    Result,
    assert_converged,
    assert_fails_cleanly,
    cli,
    fault_free,
    run_with_fault,
)

pytestmark = pytest.mark.dovecot

SYNC, DRAFTING, FOLLOW_UP = 0, 1, 2  # the moments of scenario.MOMENTS: first sync, thank-yous, follow-ups
TIMEOUT = 2  # imap.timeout_seconds under the proxy: a stall costs this long

# (fault, command it hits, at which moment, exit code, words of the message)
PROXY_FAULTS = [
    ("drop", rb"UID FETCH", SYNC, 4, "broke"),
    ("stall", rb"UID FETCH", SYNC, 4, "did not answer within"),
    ("truncate", rb"UID FETCH", SYNC, 4, "IMAP"),
    ("garbage", rb"UID SEARCH", SYNC, 4, "IMAP"),
    ("no", rb"EXAMINE", SYNC, 4, "refused"),
    ("bad", rb"APPEND", DRAFTING, 4, "refused saving a draft"),
    ("no", rb"LIST", SYNC, 4, "refused listing folders"),
    ("bye", rb"UID FETCH", SYNC, 4, "IMAP"),
    ("drop", rb"APPEND", DRAFTING, 4, "saving a draft"),
    ("lose", rb"APPEND", DRAFTING, 4, "saving a draft"),  # the draft is saved; the agent never hears so
]


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    harness = ImapHarness()
    try:
        yield fault_free(harness, tmp_path_factory.mktemp("fault-free"))
    finally:
        harness.close()


@pytest.mark.parametrize(
    ("kind", "command", "moment", "code", "word"),
    PROXY_FAULTS,
    ids=[f"{kind}-{command.decode().replace(' ', '_')}" for kind, command, *_ in PROXY_FAULTS],
)
def test_proxy_fault_converges(
    imap_harness: ImapHarness,
    expected: Outcome,
    tmp_path: Path,
    kind: str,
    command: bytes,
    moment: int,
    code: int,
    word: str,
) -> None:
    with FaultProxy(imap_harness.user.port) as proxy:
        tables = imap_harness.config_tables()
        tables["imap"].update(port=proxy.port, timeout_seconds=TIMEOUT)

        def faulted(config: Path, now: str) -> None:
            proxy.arm(kind, command)
            try:
                result = cli(config, "scan", "--now", now)
            finally:
                proxy.disarm()
            assert proxy.hits, f"the {kind} fault on {command!r} never fired"
            assert_fails_cleanly(result, code, word)
            # A cut or garbled answer is not quoted to the user: it can hold the headers of someone's mail.
            assert "FETCH (" not in result.err and len(result.message()) < 300, result.message()

        got = run_with_fault(imap_harness, tmp_path, moment, faulted, tables=tables)
    assert_converged(got, expected)


def _recreate(harness: ImapHarness, folder: str) -> None:
    """Delete the folder and make it again with the same messages: a new UIDVALIDITY, new UIDs."""
    client = harness.client
    client.select_folder(folder)
    uids = client.search(["ALL"])
    messages = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"]) if uids else {}
    before = int(client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])
    client.close_folder()
    client.delete_folder(folder)
    client.create_folder(folder)
    for _uid, data in sorted(messages.items()):
        client.append(folder, bytes(data[b"BODY[]"]), flags=tuple(f for f in data[b"FLAGS"] if f != b"\\Recent"))
    assert int(client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"]) != before


def test_drafts_folder_recreated_with_a_new_uidvalidity_converges(
    imap_harness: ImapHarness, expected: Outcome, tmp_path: Path
) -> None:
    def faulted(config: Path, now: str) -> None:
        _recreate(imap_harness, "Drafts")  # the thank-yous of the moment before are in it, under new UIDs
        result = cli(config, "scan", "--now", now)
        assert result.code == 0 and "Traceback" not in result.err, result.err

    assert_converged(run_with_fault(imap_harness, tmp_path, FOLLOW_UP, faulted), expected)


def test_inbox_with_a_new_uidvalidity_converges(imap_harness: ImapHarness, expected: Outcome, tmp_path: Path) -> None:
    def faulted(config: Path, now: str) -> None:
        # INBOX cannot be deleted: Dovecot gives it a new UIDVALIDITY when its UID list and indexes are gone, as
        # after a restore from a backup. Every message is listed again and must be known by its Message-ID.
        imap_harness.close()
        inbox = imap_harness.server.root / "home" / imap_harness.user.name / "Maildir"
        for path in [inbox / "dovecot-uidlist", *inbox.glob("dovecot.index*")]:
            path.unlink(missing_ok=True)
        os.environ[imap_harness.password_env] = imap_harness.user.password
        result = cli(config, "scan", "--now", now)
        assert result.code == 0 and "Traceback" not in result.err, result.err
        assert "was recreated" in result.err

    assert_converged(run_with_fault(imap_harness, tmp_path, FOLLOW_UP, faulted), expected)


@pytest.fixture
def plain_harness() -> Iterator[ImapHarness]:
    """An account on the Dovecot that flags no folder and creates none by itself: a folder renamed or deleted
    stays so (the default server would create Sent and Drafts again at the next login)."""
    imap = ImapHarness(require_dovecot("plain"))
    for folder in ("Sent", "Drafts"):
        imap.client.create_folder(folder)
    try:
        yield imap
    finally:
        imap.close()


def _scan_fails_on_config(config: Path, now: str) -> Result:
    result = cli(config, "scan", "--now", now)
    assert_fails_cleanly(result, 2, "config error")
    return result


def test_drafts_folder_renamed_and_back_converges(
    plain_harness: ImapHarness, expected: Outcome, tmp_path: Path
) -> None:
    def faulted(config: Path, now: str) -> None:
        plain_harness.client.rename_folder("Drafts", "Old stuff")
        assert "Old stuff" in _scan_fails_on_config(config, now).err  # the hint names the folders there are
        plain_harness.client.rename_folder("Old stuff", "Drafts")

    assert_converged(run_with_fault(plain_harness, tmp_path, FOLLOW_UP, faulted), expected)


def test_sent_folder_deleted_and_made_again_converges(
    plain_harness: ImapHarness, expected: Outcome, tmp_path: Path
) -> None:
    def faulted(config: Path, now: str) -> None:
        plain_harness.client.delete_folder("Sent")
        _scan_fails_on_config(config, now)
        plain_harness.client.create_folder("Sent")

    assert_converged(run_with_fault(plain_harness, tmp_path, FOLLOW_UP, faulted), expected)
