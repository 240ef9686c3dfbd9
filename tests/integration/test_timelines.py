"""Whole application timelines through the real CLI, checkpoint by checkpoint.

Each folder under `fixtures/timelines/` is a small Maildir (INBOX, Sent, Drafts) and a `scenario.json`. The
messages arrive when their Date says: before each checkpoint, every fixture message dated up to `now` is delivered
into a fresh Maildir; the test may first play the user (send a draft: it moves from Drafts to Sent with a new
Message-ID and Date and without the agent's key header, as a mail client does; or delete it). Then it runs
`scan --now` and `status --json --now` and compares the application's state, next action, named date, follow-ups
sent and the exact drafts sitting in the Drafts folder.

Most checkpoints drive `agent.cli.main` in-process (fast); those marked `"subprocess": true` run
`python -m agent` exactly as a user would.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import io
import json
import mailbox
import os
import subprocess
import sys
from datetime import datetime
from email.utils import format_datetime, getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.cli import main as cli_main
from agent.models import KEY_HEADER
from tests.tomlgen import dumps

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "timelines"
USER = ("Alex Candidate", "alex.candidate@gmail.com")
FOLDERS = ("INBOX", "Sent", "Drafts")
TIMELINES = sorted(p.name for p in FIXTURES.iterdir() if (p / "scenario.json").is_file())


def _cli(args: list[str], *, subprocess_run: bool) -> str:
    if subprocess_run:
        env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_AGENT_CONFIG"}
        done = subprocess.run(
            [sys.executable, "-m", "agent", *args], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stderr}"
        return done.stdout
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli_main(["-q", *args])
    assert code == 0, f"{args}: exit {code}"
    return out.getvalue()


class Timeline:
    def __init__(self, name: str, tmp: Path) -> None:
        self.spec: dict[str, Any] = json.loads((FIXTURES / name / "scenario.json").read_text())
        settings = self.spec.get("config", {})
        self.zone = ZoneInfo(settings.get("timezone", "America/New_York"))
        self.root = tmp / "Mail"
        self.root.mkdir()
        self.boxes = {f: mailbox.Maildir(str(self.root / f), create=True) for f in FOLDERS}
        self.pending: list[tuple[datetime, str, bytes]] = []
        for folder in FOLDERS:
            for sub in ("new", "cur"):
                for path in sorted((FIXTURES / name / folder / sub).iterdir()):
                    if path.name.startswith("."):
                        continue
                    raw = path.read_bytes()
                    parsed = email.message_from_bytes(raw)
                    self.pending.append((parsedate_to_datetime(str(parsed["Date"])), folder, raw))
        self.pending.sort(key=lambda item: item[0])
        self.config = tmp / "config.toml"
        self.config.write_text(
            dumps(
                {
                    "identity": {"name": USER[0], "email": USER[1]},
                    "mailbox": {"backend": "maildir", "lookback_days": 400},
                    "maildir": {"path": str(self.root)},
                    "policy": {
                        "timezone": settings.get("timezone", "America/New_York"),
                        "holidays": settings.get("holidays", "US"),
                    },
                    "state": {"path": str(tmp / "state.db")},
                }
            )
        )

    def moment(self, text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)

    def deliver_until(self, now: datetime) -> None:
        while self.pending and self.pending[0][0] <= now:
            _, folder, raw = self.pending.pop(0)
            message = mailbox.MaildirMessage(raw)
            message.set_subdir("new")
            self.boxes[folder].add(message)

    def drafts(self) -> list[tuple[str, str, str]]:
        """(kind, to, box key) of every message in Drafts."""
        box = self.boxes["Drafts"]
        found = []
        for key in box.keys():
            parsed = email.message_from_bytes(box.get_bytes(key))
            agent_key = str(parsed.get(KEY_HEADER, "")).strip()
            kind = agent_key.split("/")[1] if agent_key.count("/") >= 2 else "(not ours)"
            to = ",".join(addr.lower() for _, addr in getaddresses([str(parsed.get("To", ""))]))
            found.append((kind, to, key))
        return found

    def _find_draft(self, action: dict[str, Any]) -> str:
        kind = action.get("send") or action.get("delete")
        matches = [k for d_kind, to, k in self.drafts() if d_kind == kind and action.get("to", to) == to]
        assert len(matches) == 1, f"expected one {kind} draft to {action.get('to', 'anyone')}, found {self.drafts()}"
        return matches[0]

    def act(self, action: dict[str, Any]) -> None:
        key = self._find_draft(action)
        drafts = self.boxes["Drafts"]
        if "delete" in action:
            drafts.remove(key)
            return
        message = email.message_from_bytes(drafts.get_bytes(key), policy=email.policy.SMTP)
        del message[KEY_HEADER]
        del message["Message-ID"]
        del message["Date"]
        stamp = self.moment(action["at"])
        message["Message-ID"] = "<{}>".format(
            action.get("message_id") or f"sent-{stamp:%Y%m%d%H%M%S}-{len(self.boxes['Sent'])}@mail.gmail.com"
        )
        message["Date"] = format_datetime(stamp)
        drafts.remove(key)
        sent = mailbox.MaildirMessage(message.as_bytes())
        sent.set_subdir("new")
        self.boxes["Sent"].add(sent)

    def checkpoint(self, point: dict[str, Any]) -> list[str]:
        now_text = point["now"]
        for action in point.get("before", []):
            self.act(action)
        self.deliver_until(self.moment(now_text))
        as_user = bool(point.get("subprocess"))
        config = ["--config", str(self.config)]
        _cli([*config, "scan", "--now", now_text], subprocess_run=as_user)
        status = json.loads(_cli([*config, "status", "--json", "--now", now_text], subprocess_run=as_user))
        return self.compare(now_text, point["expect"], status)

    def compare(self, now: str, expect: dict[str, Any], status: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        apps = status["applications"]

        def check(what: str, want: Any, got: Any) -> None:
            if want != got:
                problems.append(f"at {now}: {what}: expected {want!r}, got {got!r}")

        check("applications", expect.get("apps", 1), len(apps))
        got_drafts = sorted([kind, to] for kind, to, _ in self.drafts())
        check("drafts in the Drafts folder", sorted(expect.get("drafts", [])), got_drafts)
        if not apps:
            return problems
        app = apps[0]
        step = app["next_action"]
        if "state" in expect:
            check("state", expect["state"], app["state"])
        if "next" in expect:
            check("next_action.kind", expect["next"], step["kind"] if step else None)
        if "next_due" in expect:
            check("next_action.due", expect["next_due"], step["due"] if step else None)
        if "next_to" in expect:
            check("next_action.to", expect["next_to"], step["to"] if step else None)
        if "deadline" in expect:
            check("deadline", expect["deadline"], app["deadline"])
        if "follow_ups_sent" in expect:
            check("follow_ups_sent", expect["follow_ups_sent"], app["follow_ups_sent"])
        if "company" in expect:
            check("company", expect["company"], app["company"])
        if "role" in expect:
            check("role", expect["role"], app["role"])
        if "active_interviews" in expect:
            check("active interviews", expect["active_interviews"], sum(not i["cancelled"] for i in app["interviews"]))
        for phrase in expect.get("notes_absent", []):
            if any(phrase in note for note in app["notes"]):
                problems.append(f"at {now}: a note says {phrase!r}: {app['notes']}")
        if problems:
            problems.append(f"    (reason: {app['reason']}; notes: {app['notes']})")
        return problems


@pytest.mark.parametrize("name", TIMELINES)
def test_timeline(name: str, tmp_path: Path) -> None:
    timeline = Timeline(name, tmp_path)
    problems: list[str] = []
    for point in timeline.spec["checkpoints"]:
        problems += timeline.checkpoint(point)
    last = timeline.spec["checkpoints"][-1]["now"]
    explained = _cli(["--config", str(timeline.config), "explain", "1", "--now", last], subprocess_run=False)
    assert "State:" in explained
    assert not problems, f"{name}: {timeline.spec['title']}\n" + "\n".join(problems)


def test_at_least_fourteen_timelines() -> None:
    assert len(TIMELINES) >= 14
