"""Scores detection against the labelled corpus (fixtures/corpus/README.md) through the real engine.

Each corpus mailbox is copied into a fresh Maildir (INBOX, Sent, Drafts), scanned once at its `now` by
`agent.engine.Engine` with a real SQLite store, and every message's recorded verdict and application is compared
with its label. Times, named dates and interviewers come from the verdict of `agent.detect.detect` itself, except
for a reply that moves the interview's time only ("10:30 instead, same day"): its time is the interview it moved.

    python bench/detect_score.py [--split dev|held|held2|all] [--show] [--only MAILBOX]

Metrics (the last line):
- reply P/R: an employer answer is a message labelled interview, reply, rejection, offer or cancellation that
  belongs to an application; the agent counts one when the verdict is an employer kind and it joined an application;
- interview R: labelled `interview` messages given an interview verdict; time: labelled interview starts read to
  the minute; date: labelled named dates read exactly;
- grouping F1: pairwise, over which messages share an application (per mailbox, summed);
- traps: trap messages that ended up in an application (the target is 0).
The lines before it count whole histories (applications whose messages are grouped exactly and whose state at
`now` is the labelled one) and the user's own mail read as its class (a thank-you read as "other" lets a second
thank-you be drafted).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import logging
import mailbox
import shutil
import sys
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.config import (  # noqa: E402
    Config,
    IdentityConfig,
    MailboxConfig,
    MaildirConfig,
    PolicyConfig,
    StateConfig,
)
from agent.detect import detect  # noqa: E402
from agent.engine import Engine  # noqa: E402
from agent.mail.maildir import MaildirBackend  # noqa: E402
from agent.models import AppState, FolderRole, Kind  # noqa: E402
from agent.parsing import parse_message  # noqa: E402
from agent.policy import Policy  # noqa: E402
from agent.store import Store  # noqa: E402

CORPUS = ROOT / "fixtures" / "corpus"
ANSWERS = frozenset({"interview", "reply", "rejection", "offer", "cancellation"})
FOLDERS = {"inbox": "INBOX", "sent": "Sent"}


@dataclass
class Tally:
    answer_tp: int = 0
    answer_fp: int = 0
    answer_fn: int = 0
    interviews: int = 0
    interviews_found: int = 0
    times: int = 0
    times_right: int = 0
    dates: int = 0
    dates_right: int = 0
    pairs_tp: int = 0
    pairs_fp: int = 0
    pairs_fn: int = 0
    traps: int = 0
    trap_messages: int = 0
    histories: int = 0
    histories_right: int = 0
    messages: int = 0
    # The user's own mail by class (sent_thank_you, sent_follow_up, …): labelled, and read as that class.
    sent: dict[str, list[int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _label_state(state: AppState) -> str:
    """The engine's state in the labels' words: `applied` (acknowledged, no person has answered) is what a person
    reading the mailbox calls `no_response`."""
    return "no_response" if state is AppState.APPLIED else state.value


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "n/a"


def _holidays(country: str) -> str:
    import holidays

    try:
        holidays.country_holidays(country)
    except (NotImplementedError, KeyError):
        return ""
    return country


def score_mailbox(folder: Path, tally: Tally, show: bool, trace: bool = False) -> None:
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    user = labels["mailbox"]
    zone = ZoneInfo(user["timezone"])
    now = datetime.fromisoformat(user["now"])
    now = now if now.tzinfo else now.replace(tzinfo=zone)
    work = Path(tempfile.mkdtemp(prefix="detect-score-"))
    try:
        live = work / "Mail"
        live.mkdir()
        boxes = {name: mailbox.Maildir(str(live / name), create=True) for name in ("INBOX", "Sent", "Drafts")}
        ids: dict[str, str] = {}
        raws: dict[str, bytes] = {}
        for item in labels["message"]:
            raw = (folder / item["file"]).read_bytes()
            raws[item["file"]] = raw
            parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
            ids[item["file"]] = str(parsed["Message-ID"] or "").strip().strip("<>")
            boxes[FOLDERS[item["folder"]]].add(mailbox.MaildirMessage(raw))
        config = Config(
            identity=IdentityConfig(name=user["user_name"], email=user["user_email"]),
            mailbox=MailboxConfig(backend="maildir", lookback_days=3650),
            maildir=MaildirConfig(path=live),
            policy=PolicyConfig(timezone=user["timezone"], holidays=_holidays(user.get("country", ""))),
            state=StateConfig(path=work / "state.db"),
        )
        store = Store.open(config.state.path)
        engine = Engine(config, MaildirBackend(config.maildir), store)
        engine.scan(now)
        rows = {
            r["message_id"]: r
            for r in store.db.execute("SELECT message_id, app_id, kind, rule, reason, company FROM messages")
        }
        # A reply that moves the interview's time only ("10:30 instead, same day") carries no date of its own: its
        # time is the interview it moved, as the engine recorded it.
        moved = [
            (r["message_id"], r["app_id"], datetime.fromisoformat(r["start"]))
            for r in store.db.execute("SELECT message_id, app_id, start FROM interviews WHERE cancelled=0")
        ]
        if trace:
            _trace(folder.name, labels, ids, rows)
            for a in store.applications():
                print(f"  application {a.id}: {a.company!r} role={a.role!r} domains={list(a.domains)}")
        policy = Policy.from_config(config.policy)
        states = {a.id: _label_state(policy.decide(store.history(a.id), now).state) for a in store.applications()}
        _compare(folder.name, labels, ids, raws, rows, states, engine, tally, show, moved)
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _trace(name: str, labels: dict, ids: dict[str, str], rows: dict) -> None:  # type: ignore[type-arg]
    """One line per message: the label, then what the engine recorded (for studying the dev split only)."""
    for item in labels["message"]:
        row = rows.get(ids[item["file"]])
        got = f"{row['kind']} app={row['app_id']} [{row['company']}] {row['reason']}" if row else "(not recorded)"
        print(f"{name}/{item['file']}: want {item['class']} app={item.get('application') or '-'} | got {got}")


def _compare(name, labels, ids, raws, rows, states, engine, tally: Tally, show: bool, moved) -> None:  # type: ignore[no-untyped-def]
    predicted_app: dict[str, int | None] = {}
    for item in labels["message"]:
        file, cls = item["file"], item["class"]
        tally.messages += 1
        row = rows.get(ids[file])
        kind = row["kind"] if row is not None else "(not recorded)"
        app_id = row["app_id"] if row is not None else None
        predicted_app[file] = app_id
        where = f"{name}/{file}"
        want_answer = cls in ANSWERS and bool(item.get("application")) and item["folder"] == "inbox"
        got_answer = row is not None and Kind(kind).from_employer and app_id is not None and item["folder"] == "inbox"
        if want_answer and got_answer:
            tally.answer_tp += 1
        elif got_answer:
            tally.answer_fp += 1
            tally.problems.append(f"{where}: counted as an employer answer ({kind}/{row['rule']}), labelled {cls}")
        elif want_answer:
            tally.answer_fn += 1
            rule = row["rule"] if row is not None else "-"
            tally.problems.append(f"{where}: employer {cls} missed: got {kind}/{rule}, application {app_id}")
        if cls.startswith("sent_") and cls != "sent_other":
            counts = tally.sent.setdefault(cls, [0, 0])
            counts[0] += 1
            if kind == cls:
                counts[1] += 1
            else:
                tally.problems.append(f"{where}: the user's {cls} read as {kind}")
        if item.get("trap"):
            tally.trap_messages += 1
            if app_id is not None:
                tally.traps += 1
                tally.problems.append(f"{where}: trap joined application {app_id} as {kind}")
        needs_verdict = cls == "interview" or "interview_start" in item or "named_date" in item
        verdict = None
        if needs_verdict:
            role = FolderRole.SENT if item["folder"] == "sent" else FolderRole.INBOX
            verdict = detect(parse_message(raws[file], role, file, None), engine.context)
        if cls == "interview":
            tally.interviews += 1
            if kind == Kind.INTERVIEW.value and app_id is not None:
                tally.interviews_found += 1
            else:
                tally.problems.append(f"{where}: interview missed: got {kind}, application {app_id}")
        if "interview_start" in item:
            tally.times += 1
            want = datetime.fromisoformat(item["interview_start"]).replace(tzinfo=ZoneInfo(item["interview_zone"]))
            got = verdict.interview.start if verdict is not None and verdict.interview is not None else None
            if got is None and verdict is not None and verdict.next_round_in_days is not None and app_id is not None:
                # "Same time next week": the round the engine recorded, a week after the last one held by then (a
                # calendar invitation for it may have taken it over since).
                sent = parse_message(raws[file], role, file, None).date
                held = sorted(start for _, app, start in moved if app == app_id and sent and start <= sent)
                later = {start for _, app, start in moved if app == app_id}
                local = held[-1].astimezone(engine.context.zone) if held else None
                due = local + timedelta(days=verdict.next_round_in_days) if local else None
                got = due if due in later else None
            if got is None and verdict is not None and verdict.moved_to is not None:
                # The interview it moved, recorded by this message (a later calendar update may have taken it
                # over since): the one now at the new clock time.
                clock = verdict.moved_to.replace(tzinfo=None)
                mine = [(mid, start) for mid, app, start in moved if app is not None and app == app_id]
                got = next((start for mid, start in mine if mid == ids[file]), None) or next(
                    (start for _, start in mine if start.astimezone(want.tzinfo).time() == clock), None
                )
            if got is not None and got == want:
                tally.times_right += 1
            else:
                tally.problems.append(f"{where}: interview time {got} != {want.isoformat()}")
        if "named_date" in item:
            tally.dates += 1
            got_day = verdict.deadline.day.isoformat() if verdict is not None and verdict.deadline else None
            if got_day == item["named_date"]:
                tally.dates_right += 1
            else:
                tally.problems.append(f"{where}: named date {got_day} != {item['named_date']}")
    for a, b in combinations(labels["message"], 2):
        same_label = bool(a.get("application")) and a.get("application") == b.get("application")
        pa, pb = predicted_app[a["file"]], predicted_app[b["file"]]
        same_pred = pa is not None and pa == pb
        tally.pairs_tp += same_label and same_pred
        tally.pairs_fp += same_pred and not same_label
        tally.pairs_fn += same_label and not same_pred
    for application in labels.get("application", []):
        tally.histories += 1
        members = [m["file"] for m in labels["message"] if m.get("application") == application["id"]]
        got = Counter(predicted_app[f] for f in members).most_common(1)
        app_id = got[0][0] if got else None
        exact = app_id is not None and all(predicted_app[f] == app_id for f in members)
        exact = exact and all(predicted_app[m["file"]] != app_id for m in labels["message"] if m["file"] not in members)
        state = states.get(app_id) if app_id is not None else None
        if exact and state == application.get("final_state"):
            tally.histories_right += 1
        else:
            tally.problems.append(
                f"{name}: history {application['id']}: state {state} (want {application.get('final_state')}),"
                f" grouped {'exactly' if exact else 'wrongly'}"
            )


def splits() -> list[str]:
    """Every split folder under the corpus: dev, held, and any later held set (held2, ...)."""
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def mailboxes(split: str, only: str | None) -> list[Path]:
    chosen = splits() if split == "all" else [split]
    found = [p for s in chosen for p in sorted((CORPUS / s).glob("*/labels.toml"))]
    wanted = [part for part in (only or "").split(",") if part]
    return [p.parent for p in found if not wanted or any(part in p.parent.name for part in wanted)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=(*splits(), "all"), default="dev")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    parser.add_argument("--only", help="score only mailboxes whose name contains this (several, comma-separated)")
    parser.add_argument("--trace", action="store_true", help="print every message's label and recorded verdict")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    tally = Tally()
    folders = mailboxes(args.split, args.only)
    if not folders:
        print(f"no corpus mailboxes for split {args.split}", file=sys.stderr)
        return 1
    for folder in folders:
        score_mailbox(folder, tally, args.show, args.trace)
    if args.show:
        for problem in tally.problems:
            print(problem)
    pair_p = tally.pairs_tp / (tally.pairs_tp + tally.pairs_fp) if tally.pairs_tp + tally.pairs_fp else 0.0
    pair_r = tally.pairs_tp / (tally.pairs_tp + tally.pairs_fn) if tally.pairs_tp + tally.pairs_fn else 0.0
    f1 = 2 * pair_p * pair_r / (pair_p + pair_r) if pair_p + pair_r else 0.0
    print(
        f"{args.split}: {len(folders)} mailboxes, {tally.messages} messages, {tally.trap_messages} traps;"
        f" histories {tally.histories_right}/{tally.histories} right (grouping and final state)"
    )
    sent = " ".join(f"{cls.removeprefix('sent_')}={_ratio(right, n)}" for cls, (n, right) in sorted(tally.sent.items()))
    print(f"sent mail read as its class: {sent or 'n/a'}")
    print(
        f"detect: reply P={_ratio(tally.answer_tp, tally.answer_tp + tally.answer_fp)}"
        f" R={_ratio(tally.answer_tp, tally.answer_tp + tally.answer_fn)}"
        f" interview R={_ratio(tally.interviews_found, tally.interviews)}"
        f" time={_ratio(tally.times_right, tally.times)} date={_ratio(tally.dates_right, tally.dates)}"
        f" grouping F1={f1:.3f} traps={tally.traps}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
