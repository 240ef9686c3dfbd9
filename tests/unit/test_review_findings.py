"""Regression tests for bugs found in review: each test names the rule it protects."""

from __future__ import annotations

import mailbox
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from agent import cli
from agent.config import Config, MaildirConfig, load_config
from agent.errors import AuthError
from agent.mail import maildir as maildir_module
from agent.mail.maildir import MaildirBackend
from agent.models import AppState, Deadline, FolderRole, Interview, Kind, StepKind
from agent.service import AUTH_BACKOFF_MAX, Daemon
from agent.store import Store
from tests.unit.test_policy import ROUND, at, history, inbound, interview, policy


def maildir_message(subject: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    msg["Message-ID"] = f"<{subject}@example.com>"
    msg.set_content("hello")
    return msg.as_bytes()


def test_a_rejection_before_a_scheduled_interview_closes_the_application() -> None:
    # Invited on Feb 20 for Mar 2; on Feb 25 the employer withdraws: "we have decided not to move forward".
    rejection = inbound("2026-02-25T10:00", Kind.REJECTION)
    hist = history(rejection, interviews=ROUND)
    before = policy().decide(hist, at("2026-02-26T09:00"))
    assert before.state is AppState.REJECTED
    after = policy().decide(hist, at("2026-03-02T11:00"))
    assert after.state is AppState.REJECTED and after.due == ()  # no thank-you for an interview that never happened


def test_an_offer_then_a_newly_confirmed_interview_reopens_the_application() -> None:
    offer = inbound("2026-03-05T10:00", Kind.OFFER)
    round_two = interview("2026-03-12T10:00", iid=2, message_id="round2@acme.com")
    invite2 = inbound("2026-03-06T10:00", Kind.INTERVIEW, mid="round2@acme.com")
    hist = history(offer, invite2, interviews=(*ROUND, round_two))
    assert policy().decide(hist, at("2026-03-10T09:00")).state is AppState.SCHEDULED


def test_a_date_named_before_the_interview_does_not_make_a_follow_up_due_at_once() -> None:
    # The invitation (Feb 20) says "we will get back to you within a week": resolved to Feb 27, before the
    # Mar 2 interview. It cannot be the decision date of that interview: the usual 5 business days apply.
    invite = inbound("2026-02-20T11:00", Kind.INTERVIEW, deadline=Deadline(date(2026, 2, 27), "within a week"))
    hist = history(invite, interviews=ROUND)
    decision = policy().decide(hist, at("2026-03-02T11:00"))
    assert [s.kind for s in decision.due] == [StepKind.THANK_YOU, StepKind.THANK_YOU]
    later = policy().decide(hist, at("2026-03-09T08:00"))
    assert [s.kind for s in later.due if s.kind is not StepKind.THANK_YOU] == [StepKind.FOLLOW_UP]
    assert policy().decide(hist, at("2026-03-06T17:00")).due == ()


def test_an_unreadable_maildir_file_is_skipped_not_a_scan_that_fails_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # One file the agent cannot read (root-owned after a restore, mode 000) made every scan raise PermissionError
    # before the cursor moved: nothing newer was ever read and no draft was ever written again.
    inbox = mailbox.Maildir(str(tmp_path / "INBOX"), create=True)
    bad = inbox.add(maildir_message("bad"))
    good = inbox.add(maildir_message("good"))
    drafts = mailbox.Maildir(str(tmp_path / "Drafts"), create=True)
    drafts.add(maildir_message("draft"))
    real = maildir_module._read_header_block

    def unreadable(path: Path) -> bytes:
        if path.name.startswith(bad) or "Drafts" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(maildir_module, "_read_header_block", unreadable)
    backend = MaildirBackend(MaildirConfig(path=tmp_path))
    refs = [i.ref for b in backend.list_new(FolderRole.INBOX, None, datetime(2020, 1, 1, tzinfo=UTC)) for i in b.items]
    assert refs == [good]
    assert backend.find_drafts() == {}
    assert "Permission denied" in caplog.text


def _cli_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[identity]\nname = "A"\nemail = "a@example.com"\n[maildir]\npath = "{tmp_path / "Mail"}"\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    store = Store.open(tmp_path / "state.db")
    with store.transaction():
        store.create_application("Acme", "Engineer", datetime(2026, 3, 1, tzinfo=UTC))
    store.close()
    return config


@pytest.mark.parametrize(
    "args",
    [
        ["snooze", "1", "--days", "99999999"],
        ["snooze", "1", "--days", "-3"],
        ["explain", "99999999999999999999"],
        ["close", "99999999999999999999"],
    ],
)
def test_an_out_of_range_number_on_the_command_line_is_a_clear_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    config = _cli_config(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.main(["--config", str(config), *args])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "must be" in err


def test_a_calendar_cancel_sent_after_the_interview_took_place_does_not_erase_it(tmp_path: Path) -> None:
    # Recruiters clean up their calendars: deleting a past event mails a METHOD:CANCEL with the same UID. The
    # interview happened all the same; its thank-you notes and follow-ups must not vanish.
    store = Store.open(tmp_path / "state.db")
    start = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    with store.transaction():
        app = store.create_application("Acme", "Engineer", start)
        store.add_interview(
            app, Interview(0, start, start + timedelta(hours=1), (), uid="u1@google.com", message_id="i@x")
        )
        cancelled = store.cancel_interview(app, uid="u1@google.com", after=datetime(2026, 3, 3, 9, tzinfo=UTC))
    assert not cancelled
    assert [i.cancelled for i in store.interviews(app)] == [False]
    with store.transaction():  # a cancel before the interview still cancels it
        assert store.cancel_interview(app, uid="u1@google.com", after=datetime(2026, 3, 1, 9, tzinfo=UTC))
    assert [i.cancelled for i in store.interviews(app)] == [True]


def test_the_daemon_backs_off_from_a_long_authentication_failure_without_overflowing(tmp_path: Path) -> None:
    # interval * 2 ** (failures - 1) overflowed timedelta at the 38th failure (about 8 days of a wrong password):
    # from then on every tick raised OverflowError, retried at once and logged a traceback every 15 minutes.
    config = cli_config_object(tmp_path)
    daemon = Daemon(tmp_path / "config.toml", config)
    for _ in range(80):
        daemon._auth_failed(AuthError("the server refused the password"), config)
    assert daemon._auth_retry_at <= time.time() + AUTH_BACKOFF_MAX.total_seconds()
    assert daemon._auth_retry_at > time.time() + AUTH_BACKOFF_MAX.total_seconds() / 2


def cli_config_object(tmp_path: Path) -> Config:
    path = _cli_config(tmp_path)
    return load_config(path)
