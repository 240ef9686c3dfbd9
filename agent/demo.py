"""`followup-agent demo`: the whole loop on a bundled sample mailbox, offline, over simulated days.

The sample mail (fixtures/demo-mailbox) is delivered into a temporary Maildir as its Date comes due, the
engine scans twice a simulated day, and a simulated user sends most drafts the day they appear, so every
state shows up: follow-ups, a named date, an answer, a rejection, an offer, and noise that must not count.
"""

from __future__ import annotations

import email
import email.policy
import logging
import mailbox
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email.utils import format_datetime, make_msgid, parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.config import (
    Config,
    IdentityConfig,
    MailboxConfig,
    MaildirConfig,
    PolicyConfig,
    StateConfig,
)
from agent.engine import DraftNote, Engine
from agent.errors import FollowupError
from agent.mail.maildir import MaildirBackend
from agent.models import KEY_HEADER, StepKind
from agent.policy import Policy
from agent.report_data import default_report_path, write_report
from agent.store import Store
from agent.views import status_text

ZONE = ZoneInfo("America/New_York")
FIRST_DAY = datetime(2026, 3, 1, tzinfo=ZONE)
DAYS = 17
TICKS = (time(8, 5), time(12, 30))


def find_demo_mailbox() -> Path:
    """The sample mailbox: shipped inside the package (fixtures/demo-mailbox in a checkout points at it)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / "demo-mailbox", here.parent / "fixtures" / "demo-mailbox"):
        if (candidate / "INBOX" / "cur").is_dir():
            return candidate
    raise FollowupError("the sample mailbox is missing from this installation", hint="reinstall followup-agent")


@dataclass
class _Staged:
    when: datetime
    folder: str
    data: bytes


def _staged_mail(source: Path) -> list[_Staged]:
    staged = []
    for folder in ("INBOX", "Sent"):
        for sub in ("cur", "new"):
            directory = source / folder / sub
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                data = path.read_bytes()
                parsed = email.message_from_bytes(data)
                staged.append(_Staged(parsedate_to_datetime(parsed["Date"]), folder, data))
    return sorted(staged, key=lambda s: s.when)


def _user_sends(drafts: mailbox.Maildir, sent: mailbox.Maildir, now: datetime) -> list[str]:
    """The simulated user sends every draft but second follow-ups, as a mail client would: new Message-ID."""
    done = []
    for key in list(drafts.keys()):
        message = email.message_from_bytes(drafts.get_bytes(key), policy=email.policy.SMTP)
        agent_key = str(message.get(KEY_HEADER, ""))
        if "/second_follow_up/" in agent_key:
            continue
        del message[KEY_HEADER]
        del message["Message-ID"]
        del message["Date"]
        message["Message-ID"] = make_msgid(domain="mail.gmail.com")
        message["Date"] = format_datetime(now)
        sent.add(mailbox.MaildirMessage(message.as_bytes()))
        drafts.remove(key)
        done.append(f"{message['Subject']} -> {message['To']}")
    return done


def run_demo(*, keep: bool = False, report_path: Path | None = None, open_report: bool = False) -> int:
    """`report_path`: where to write the HTML report of the simulated weeks (default: the XDG data folder)."""
    source = find_demo_mailbox()
    # The demo prints its own story; the engine's routine log lines would only interleave with it.
    engine_log = logging.getLogger("agent.engine")
    if engine_log.getEffectiveLevel() > logging.DEBUG:
        engine_log.setLevel(logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="followup-agent-demo-"))
    try:
        live = workdir / "Mail"
        live.mkdir()
        for folder in ("INBOX", "Sent", "Drafts"):
            mailbox.Maildir(str(live / folder), create=True)
        config = Config(
            identity=IdentityConfig(name="Alex Candidate", email="alex.candidate@gmail.com"),
            mailbox=MailboxConfig(backend="maildir", lookback_days=30),
            maildir=MaildirConfig(path=live),
            policy=PolicyConfig(timezone="America/New_York", holidays="US"),
            state=StateConfig(path=workdir / "state.db"),
        )
        staged = _staged_mail(source)
        inbox = mailbox.Maildir(str(live / "INBOX"))
        sent = mailbox.Maildir(str(live / "Sent"))
        drafts = mailbox.Maildir(str(live / "Drafts"))
        store = Store.open(config.state.path)
        backend = MaildirBackend(config.maildir)
        engine = Engine(config, backend, store)
        print(f"Demo mailbox: {len(staged)} messages for Alex Candidate, delivered as simulated days pass.")
        print(
            f"Simulating {FIRST_DAY:%a %b %d} to {FIRST_DAY + timedelta(days=DAYS - 1):%a %b %d %Y} "
            "(America/New_York), two scans a day.\n"
        )
        written = []
        now = FIRST_DAY
        for day in range(DAYS):
            for tick in TICKS:
                now = datetime.combine((FIRST_DAY + timedelta(days=day)).date(), tick, tzinfo=ZONE)
                while staged and staged[0].when <= now:
                    item = staged.pop(0)
                    (inbox if item.folder == "INBOX" else sent).add(mailbox.MaildirMessage(item.data))
                report = engine.scan(now)
                for note in report.drafts:
                    written.append(note)
                    print(
                        f"{now:%a %b %d %H:%M}  drafted {note.kind.value.replace('_', ' '):<20} "
                        f"to {note.to.display()}  [{note.company}]"
                    )
                if tick == TICKS[-1]:
                    for line in _user_sends(drafts, sent, now + timedelta(minutes=5)):
                        print(f"{now:%a %b %d %H:%M}  (you send)  {line}")
        print("\nStatus at the end of the simulation:\n")
        policy = Policy.from_config(config.policy)
        print(status_text(store, policy, now))
        shown: dict[StepKind, DraftNote] = {}
        for note in written:
            shown.setdefault(note.kind, note)
        print("\nOne draft of each kind it wrote (you review, edit and send them; the agent never sends):")
        for note in shown.values():
            print(f"\n--- {note.kind.value.replace('_', ' ')} ---\nTo: {note.to.display()}\nSubject: {note.subject}\n")
            print(note.body.rstrip())
        target = write_report(store, policy, now, report_path or default_report_path("demo-report.html"))
        store.close()
        print(f"\nThe report of these weeks: {target}")
        if open_report:
            from agent.cli import open_in_browser

            open_in_browser(target)
        if keep:
            print(f"\nThe demo mailbox and state are kept in {workdir}")
        return 0
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
