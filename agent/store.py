"""The SQLite state: recorded facts about applications, and the bookkeeping of scans.

Owns the schema and its migrations (PRAGMA user_version), the process lock that keeps a second agent off the
same state, and every read and write of the database. Facts are only ever added or advanced (a draft goes from
open to sent or discarded); each scan batch is applied in one transaction, so a crash never half-applies one.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from agent.errors import StateError, StateLockedError
from agent.models import (
    Address,
    Application,
    Deadline,
    DraftRecord,
    DraftStatus,
    Event,
    History,
    Interview,
    Kind,
    Override,
    StepKind,
)
from agent.private import private_dir, tighten

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE cursors (
        backend TEXT NOT NULL, folder TEXT NOT NULL, cursor TEXT NOT NULL, updated TEXT NOT NULL,
        PRIMARY KEY (backend, folder)
    );
    CREATE TABLE applications (
        id INTEGER PRIMARY KEY, company TEXT NOT NULL, role TEXT NOT NULL, created TEXT NOT NULL,
        override TEXT, override_until TEXT
    );
    CREATE TABLE app_domains (
        app_id INTEGER NOT NULL REFERENCES applications(id), domain TEXT NOT NULL, PRIMARY KEY (app_id, domain)
    );
    CREATE INDEX app_domains_domain ON app_domains(domain);
    CREATE TABLE contacts (
        app_id INTEGER NOT NULL REFERENCES applications(id), email TEXT NOT NULL, name TEXT NOT NULL,
        PRIMARY KEY (app_id, email)
    );
    CREATE INDEX contacts_email ON contacts(email);
    CREATE TABLE messages (
        message_id TEXT PRIMARY KEY, folder TEXT NOT NULL, app_id INTEGER REFERENCES applications(id),
        at TEXT NOT NULL, kind TEXT NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL,
        sender TEXT, recipients TEXT NOT NULL, subject TEXT NOT NULL, human INTEGER NOT NULL,
        deadline_day TEXT, deadline_phrase TEXT, no_follow_up INTEGER NOT NULL DEFAULT 0,
        conversation TEXT NOT NULL, thread_id TEXT, company TEXT, role TEXT, recorded TEXT NOT NULL
    );
    CREATE INDEX messages_app ON messages(app_id);
    CREATE TABLE conversation_ids (message_id TEXT PRIMARY KEY, app_id INTEGER NOT NULL);
    CREATE TABLE threads (thread_id TEXT PRIMARY KEY, app_id INTEGER NOT NULL);
    CREATE TABLE seen (
        backend TEXT NOT NULL, folder TEXT NOT NULL, ref TEXT NOT NULL, message_id TEXT,
        PRIMARY KEY (backend, folder, ref)
    );
    CREATE TABLE skipped (
        backend TEXT NOT NULL, folder TEXT NOT NULL, ref TEXT NOT NULL, message_id TEXT,
        reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (backend, folder, ref)
    );
    CREATE TABLE interviews (
        id INTEGER PRIMARY KEY, app_id INTEGER NOT NULL REFERENCES applications(id),
        start TEXT NOT NULL, end TEXT NOT NULL, interviewers TEXT NOT NULL, interviewer_names TEXT NOT NULL,
        uid TEXT, sequence INTEGER NOT NULL DEFAULT 0, cancelled INTEGER NOT NULL DEFAULT 0, message_id TEXT NOT NULL
    );
    CREATE INDEX interviews_app ON interviews(app_id);
    CREATE TABLE drafts (
        key TEXT PRIMARY KEY, app_id INTEGER NOT NULL REFERENCES applications(id), kind TEXT NOT NULL,
        to_name TEXT NOT NULL, to_email TEXT NOT NULL, created TEXT NOT NULL, status TEXT NOT NULL,
        backend TEXT NOT NULL, backend_id TEXT NOT NULL, in_reply_to TEXT, conversation TEXT NOT NULL,
        thread_id TEXT, sent_at TEXT, sent_message_id TEXT
    );
    CREATE INDEX drafts_app ON drafts(app_id);
    CREATE TABLE scans (
        id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, messages INTEGER NOT NULL DEFAULT 0,
        drafts INTEGER NOT NULL DEFAULT 0, error TEXT, ok INTEGER
    );
    """,
    # 2: who an answer to a message goes to (a recruiter behind an ATS's no-reply address)
    """
    ALTER TABLE messages ADD COLUMN reply_address TEXT
    """,
    # 3: an interview time the employer asked about rather than confirmed
    """
    ALTER TABLE interviews ADD COLUMN tentative INTEGER NOT NULL DEFAULT 0
    """,
    # 4: the conversations marked for a waiting draft ([drafting] mark_threads), so the mark can come off again
    """
    CREATE TABLE marks (
        draft_key TEXT PRIMARY KEY, backend TEXT NOT NULL, folder TEXT NOT NULL, ref TEXT NOT NULL,
        message_id TEXT NOT NULL, thread_id TEXT, label TEXT NOT NULL, marked TEXT NOT NULL
    )
    """,
    # 5: which program and config skipped a message, so that a new version or config tries it again
    """
    ALTER TABLE skipped ADD COLUMN attempt TEXT NOT NULL DEFAULT ''
    """,
)


def _ts(moment: datetime | None) -> str | None:
    """Every moment is stored in UTC, to the second, so SQL can compare and order the text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment is not None else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _addr_json(addresses: Iterable[Address]) -> str:
    return json.dumps([[a.name, a.email] for a in addresses])


def _addr_load(text: str) -> tuple[Address, ...]:
    return tuple(Address(name, email) for name, email in json.loads(text))


@dataclass(frozen=True)
class MarkRecord:
    """A conversation marked because the draft `draft_key` waits in it."""

    draft_key: str
    backend: str
    folder: str
    ref: str
    message_id: str
    thread_id: str | None
    label: str


@dataclass(frozen=True)
class ScanRecord:
    id: int
    started: datetime
    finished: datetime | None
    messages: int
    drafts: int
    error: str | None
    ok: bool | None


@dataclass(frozen=True)
class JoinKeys:
    """The keys of every application's threads and people, for cheap "could this join anything?" checks."""

    conversation_ids: frozenset[str]
    threads: frozenset[str]
    addresses: frozenset[str]
    domains: frozenset[str]


_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def state_failure(exc: sqlite3.Error | OSError, path: Path | None) -> StateError | StateLockedError:
    """What a failing state database or folder means to the user, as one of our errors (exit 5 or 6).

    SQLite's own words are kept in the message; the cases a user can act on get a hint: another program holding
    the database, a full or read-only folder, a damaged file (which is never rewritten: it is left for the user
    to keep or move away).
    """
    what = f"the state database {path}" if path is not None else "the state database"
    where = f"the state folder {path.parent}" if path is not None else "the state folder"
    text = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
    code = exc.errno if isinstance(exc, OSError) else getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return StateLockedError(
            f"{what} is locked by another program ({text})",
            hint="close what has it open (an sqlite3 shell, a backup or sync tool) and scan again",
        )
    primary = code & 0xFF if isinstance(exc, sqlite3.Error) and code is not None else code
    if code in _FULL or primary == sqlite3.SQLITE_FULL or "full" in text:
        return StateError(f"{where} is full: {text}", hint="free some space there; nothing was lost, scan again")
    if primary == sqlite3.SQLITE_IOERR:  # a write refused below SQLite: a full disk or quota, a file size limit
        return StateError(
            f"cannot write {what}: {text} (is {where} full?)",
            hint="free some space there, or check the disk; nothing recorded was lost, scan again",
        )
    if code in _READ_ONLY or code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) or "readonly" in text:
        return StateError(
            f"cannot write {what}: {text}", hint=f"{where} must be writable by the user running followup-agent"
        )
    return StateError(
        f"cannot use {what}: {text}",
        hint="it is left as it is; move it away to start again from the mailbox (the drafts still in your "
        "Drafts folder are found again, not written twice)",
    )


class StateLock:
    """An exclusive lock beside the database file, held for as long as a scan or the daemon runs."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            private_dir(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.fchmod(fd, 0o600)
        except OSError as exc:
            raise state_failure(exc, self.path.with_suffix("")) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.read(fd, 64).decode(errors="replace").strip()
            finally:
                os.close(fd)
            raise StateLockedError(
                f"another followup-agent (pid {holder or 'unknown'}) is using the state {self.path.with_suffix('')}",
                hint="stop the running daemon (systemctl --user stop followup-agent) or wait for its scan to end",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> StateLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Store:
    """One connection to the state database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    # ----------------------------------------------------------------------------------------- lifecycle

    @classmethod
    def open(cls, path: Path) -> Store:
        try:
            private_dir(path.parent)
            # SQLite creates the database under the umask, and its -wal and -shm with the database's own mode.
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            for own in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                tighten(own)
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            try:
                db.row_factory = sqlite3.Row
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("PRAGMA foreign_keys=ON")
                store = cls(db, path)
                store._migrate()
            except BaseException:
                # Not left for the garbage collector: the daemon retries every interval, and each open file of
                # a failed attempt would stay (and keep a full or unmounted disk busy) until a collection.
                db.close()
                raise
        except (sqlite3.Error, OSError) as exc:
            raise state_failure(exc, path) from None
        return store

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StateError(
                f"the state database {self.path} was written by a newer followup-agent (schema {version})",
                hint="upgrade followup-agent",
            )
        for number in range(version, len(MIGRATIONS)):
            # executescript would commit on its own; statements one by one keep the migration atomic.
            with self.transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: undo only what this block wrote if it raises (one bad message of a batch)."""
        self.db.execute("SAVEPOINT one_message")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK TO one_message")
            self.db.execute("RELEASE one_message")
            raise
        self.db.execute("RELEASE one_message")

    # ----------------------------------------------------------------------------------------- cursors

    def cursor(self, backend: str, folder: str) -> str | None:
        row = self.db.execute("SELECT cursor FROM cursors WHERE backend=? AND folder=?", (backend, folder)).fetchone()
        return str(row[0]) if row else None

    def forget_cursors(self) -> None:
        """The next sync lists every folder again from the lookback window (seen messages are not re-read)."""
        with self.transaction():
            self.db.execute("DELETE FROM cursors")

    def set_cursor(self, backend: str, folder: str, cursor: str, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO cursors VALUES (?,?,?,?) ON CONFLICT(backend, folder) DO UPDATE SET cursor=excluded.cursor,"
            " updated=excluded.updated",
            (backend, folder, cursor, _ts(now)),
        )

    # ----------------------------------------------------------------------------------------- seen refs

    def is_seen(self, backend: str, folder: str, ref: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM seen WHERE backend=? AND folder=? AND ref=? UNION ALL "
            "SELECT 1 FROM skipped WHERE backend=? AND folder=? AND ref=?",
            (backend, folder, ref, backend, folder, ref),
        ).fetchone()
        return row is not None

    def mark_seen(self, backend: str, folder: str, ref: str, message_id: str | None) -> None:
        self.db.execute("INSERT OR IGNORE INTO seen VALUES (?,?,?,?)", (backend, folder, ref, message_id))

    def record_skip(
        self,
        backend: str,
        folder: str,
        ref: str,
        message_id: str | None,
        reason: str,
        now: datetime,
        *,
        attempt: str = "",
    ) -> None:
        """`attempt`: the program version and config that gave up on it (see `retry_skipped_unless`)."""
        self.db.execute(
            "INSERT OR IGNORE INTO skipped VALUES (?,?,?,?,?,?,?)",
            (backend, folder, ref, message_id, reason, _ts(now), attempt),
        )

    def retry_skipped_unless(self, attempt: str) -> int:
        """Forget the skips another version or config made, so the next sync reads those messages again."""
        with self.transaction():
            return self.db.execute("DELETE FROM skipped WHERE attempt != ?", (attempt,)).rowcount

    def skips(self) -> list[tuple[str, str | None, str]]:
        """(ref, message_id, reason) of every skipped message."""
        rows = self.db.execute("SELECT ref, message_id, reason FROM skipped ORDER BY at, ref").fetchall()
        return [(str(r[0]), r[1], str(r[2])) for r in rows]

    def skipped_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM skipped").fetchone()[0])

    # ----------------------------------------------------------------------------------------- applications

    def create_application(self, company: str, role: str, now: datetime) -> int:
        cur = self.db.execute(
            "INSERT INTO applications (company, role, created) VALUES (?,?,?)", (company, role, _ts(now))
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def improve_application(self, app_id: int, company: str | None, role: str | None) -> None:
        """Fill in a company or role that was unknown; never overwrite what is known."""
        if company:
            self.db.execute("UPDATE applications SET company=? WHERE id=? AND company=''", (company, app_id))
        if role:
            self.db.execute("UPDATE applications SET role=? WHERE id=? AND role=''", (role, app_id))

    def rename_company(self, app_id: int, company: str) -> None:
        """The employer's real name, learnt later (an agency's client): the only time a known company changes."""
        self.db.execute("UPDATE applications SET company=? WHERE id=?", (company, app_id))

    def set_override(self, app_id: int, override: Override | None, until: datetime | None = None) -> None:
        self.db.execute(
            "UPDATE applications SET override=?, override_until=? WHERE id=?",
            (override.value if override else None, _ts(until), app_id),
        )

    def add_domain(self, app_id: int, domain: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO app_domains VALUES (?,?)", (app_id, domain))

    def add_contact(self, app_id: int, address: Address) -> None:
        self.db.execute(
            "INSERT INTO contacts VALUES (?,?,?) ON CONFLICT(app_id, email) DO UPDATE SET "
            "name=CASE WHEN excluded.name != '' THEN excluded.name ELSE contacts.name END",
            (app_id, address.email, address.name),
        )

    def application(self, app_id: int) -> Application | None:
        row = self.db.execute("SELECT * FROM applications WHERE id=?", (app_id,)).fetchone()
        return self._application(row) if row else None

    def applications(self) -> list[Application]:
        return [self._application(r) for r in self.db.execute("SELECT * FROM applications ORDER BY id")]

    def _application(self, row: sqlite3.Row) -> Application:
        domains = tuple(
            r[0] for r in self.db.execute("SELECT domain FROM app_domains WHERE app_id=? ORDER BY domain", (row["id"],))
        )
        return Application(
            id=row["id"],
            company=row["company"],
            role=row["role"],
            domains=domains,
            override=Override(row["override"]) if row["override"] else None,
            override_until=_dt(row["override_until"]),
        )

    # ----------------------------------------------------------------------------------------- joining

    def join_keys(self) -> JoinKeys:
        """Everything a message can join an application by, except the company it names."""
        return JoinKeys(
            conversation_ids=frozenset(r[0] for r in self.db.execute("SELECT message_id FROM conversation_ids")),
            threads=frozenset(r[0] for r in self.db.execute("SELECT thread_id FROM threads")),
            addresses=frozenset(r[0] for r in self.db.execute("SELECT email FROM contacts")),
            domains=frozenset(r[0] for r in self.db.execute("SELECT domain FROM app_domains")),
        )

    def app_for_conversation(self, ids: Iterable[str]) -> int | None:
        for message_id in ids:
            row = self.db.execute("SELECT app_id FROM conversation_ids WHERE message_id=?", (message_id,)).fetchone()
            if row:
                return int(row[0])
        return None

    def app_for_thread(self, thread_id: str | None) -> int | None:
        if not thread_id:
            return None
        row = self.db.execute("SELECT app_id FROM threads WHERE thread_id=?", (thread_id,)).fetchone()
        return int(row[0]) if row else None

    def app_for_address(self, email: str) -> int | None:
        row = self.db.execute(
            "SELECT app_id FROM contacts WHERE email=? ORDER BY app_id DESC LIMIT 1", (email,)
        ).fetchone()
        return int(row[0]) if row else None

    def app_for_sent_to(self, email: str) -> int | None:
        """The application of the user's latest mail to `email` (a bounce names the address that failed)."""
        needle = json.dumps(email.lower())
        row = self.db.execute(
            "SELECT app_id FROM messages WHERE folder='sent' AND app_id IS NOT NULL AND instr(lower(recipients), ?) > 0"
            " ORDER BY at DESC LIMIT 1",
            (needle,),
        ).fetchone()
        return int(row[0]) if row else None

    def app_for_domain(self, domain: str) -> int | None:
        row = self.db.execute(
            "SELECT app_id FROM app_domains WHERE domain=? ORDER BY app_id DESC LIMIT 1", (domain,)
        ).fetchone()
        return int(row[0]) if row else None

    def link_conversation(self, app_id: int, ids: Iterable[str], thread_id: str | None) -> None:
        self.db.executemany("INSERT OR IGNORE INTO conversation_ids VALUES (?,?)", [(i, app_id) for i in ids if i])
        if thread_id:
            self.db.execute("INSERT OR IGNORE INTO threads VALUES (?,?)", (thread_id, app_id))

    # ----------------------------------------------------------------------------------------- messages

    def has_message(self, message_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM messages WHERE message_id=?", (message_id,)).fetchone() is not None

    def record_message(
        self,
        event: Event,
        *,
        folder: str,
        app_id: int | None,
        reason: str,
        company: str | None,
        role: str | None,
        now: datetime,
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO messages (message_id, folder, app_id, at, kind, rule, reason, sender, recipients,"
            " subject, human, deadline_day, deadline_phrase, no_follow_up, conversation, thread_id, company, role,"
            " recorded, reply_address) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                event.message_id,
                folder,
                app_id,
                _ts(event.at),
                event.kind.value,
                event.rule,
                reason,
                _addr_json([event.sender]) if event.sender else None,
                _addr_json(event.recipients),
                event.subject,
                int(event.human),
                event.deadline.day.isoformat() if event.deadline else None,
                event.deadline.phrase if event.deadline else None,
                int(event.no_follow_up),
                json.dumps(list(event.conversation)),
                event.thread_id,
                company,
                role,
                _ts(now),
                _addr_json([event.reply_address]) if event.reply_address else None,
            ),
        )

    def assign_message(self, message_id: str, app_id: int) -> None:
        self.db.execute("UPDATE messages SET app_id=? WHERE message_id=? AND app_id IS NULL", (app_id, message_id))

    def set_message_kind(self, message_id: str, kind: Kind, rule: str, reason: str) -> None:
        self.db.execute(
            "UPDATE messages SET kind=?, rule=?, reason=? WHERE message_id=?", (kind.value, rule, reason, message_id)
        )

    def orphans(self, kinds: Iterable[Kind]) -> list[tuple[Event, str, str | None]]:
        """Messages of these kinds in no application: (event, folder, the company its verdict named)."""
        wanted = [k.value for k in kinds]
        marks = ",".join("?" for _ in wanted)
        rows = self.db.execute(
            f"SELECT * FROM messages WHERE app_id IS NULL AND kind IN ({marks}) ORDER BY at", wanted
        ).fetchall()
        return [(self._event(r), r["folder"], r["company"]) for r in rows]

    def events(self, app_id: int) -> list[Event]:
        rows = self.db.execute("SELECT * FROM messages WHERE app_id=? ORDER BY at, message_id", (app_id,))
        return [self._event(r) for r in rows]

    def message_reasons(self, app_id: int) -> dict[str, str]:
        rows = self.db.execute("SELECT message_id, reason FROM messages WHERE app_id=?", (app_id,))
        return {r[0]: r[1] for r in rows}

    def find_messages(self, search: str = "", limit: int = 50) -> list[tuple[Event, int | None, str]]:
        """Recorded messages, newest first, whose subject, sender, recipients or Message-ID contain `search`:
        (event, application id or None, the verdict's reason)."""
        like = f"%{search}%"
        rows = self.db.execute(
            "SELECT * FROM messages WHERE subject LIKE ? OR sender LIKE ? OR recipients LIKE ? OR message_id LIKE ?"
            " ORDER BY at DESC LIMIT ?",
            (like, like, like, like, limit),
        )
        return [(self._event(r), r["app_id"], r["reason"]) for r in rows]

    def message_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM messages").fetchone()[0])

    @staticmethod
    def _event(row: sqlite3.Row) -> Event:
        sender = _addr_load(row["sender"])[0] if row["sender"] else None
        deadline = (
            Deadline(date.fromisoformat(row["deadline_day"]), row["deadline_phrase"] or "")
            if row["deadline_day"]
            else None
        )
        at = _dt(row["at"])
        assert at is not None
        return Event(
            message_id=row["message_id"],
            at=at,
            kind=Kind(row["kind"]),
            rule=row["rule"],
            sender=sender,
            recipients=_addr_load(row["recipients"]),
            subject=row["subject"],
            human=bool(row["human"]),
            deadline=deadline,
            no_follow_up=bool(row["no_follow_up"]),
            conversation=tuple(json.loads(row["conversation"])),
            thread_id=row["thread_id"],
            reply_address=_addr_load(row["reply_address"])[0] if row["reply_address"] else None,
        )

    # ----------------------------------------------------------------------------------------- interviews

    def add_interview(self, app_id: int, interview: Interview, *, sequence: int = 0) -> int:
        """Record an interview; one with the same calendar UID, or overlapping in time, updates the earlier one."""
        existing = None
        if interview.uid:
            existing = self.db.execute(
                "SELECT id, sequence FROM interviews WHERE app_id=? AND uid=?", (app_id, interview.uid)
            ).fetchone()
        if existing is None:
            # The same slot described twice (an ATS confirmation and a calendar invitation) is one interview.
            existing = self.db.execute(
                "SELECT id, sequence FROM interviews WHERE app_id=? AND cancelled=0 AND start<? AND end>?"
                " ORDER BY id LIMIT 1",
                (app_id, _ts(interview.end), _ts(interview.start)),
            ).fetchone()
        values = (
            _ts(interview.start),
            _ts(interview.end),
            _addr_json(interview.interviewers),
            json.dumps(list(interview.interviewer_names)),
            interview.uid,
            sequence,
            int(interview.cancelled),
            interview.message_id,
            int(interview.tentative),
        )
        if existing is not None:
            if sequence < existing["sequence"]:
                return int(existing["id"])
            old = self.interview(int(existing["id"]))
            merged_people = tuple(
                {a.email: a for a in (*(old.interviewers if old else ()), *interview.interviewers)}.values()
            )
            known = {a.name.casefold() for a in merged_people if a.name}
            # "with Victor and Mei" in a recruiter's note names the attendees the calendar lists in full.
            first_names = {name.split()[0] for name in known}
            merged_names = [
                n
                for n in dict.fromkeys((*(old.interviewer_names if old else ()), *interview.interviewer_names))
                if n.casefold() not in known and not (" " not in n.strip() and n.casefold() in first_names)
            ]
            self.db.execute(
                "UPDATE interviews SET start=?, end=?, interviewers=?, interviewer_names=?, uid=coalesce(?, uid),"
                " sequence=?, cancelled=?, message_id=?, tentative=tentative AND ? WHERE id=?",
                (
                    values[0],
                    values[1],
                    _addr_json(merged_people),
                    json.dumps(merged_names),
                    *values[4:],
                    existing["id"],
                ),
            )
            return int(existing["id"])
        cur = self.db.execute(
            "INSERT INTO interviews (app_id, start, end, interviewers, interviewer_names, uid, sequence, cancelled,"
            " message_id, tentative) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (app_id, *values),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def drop_tentative(self, app_id: int, *, after: datetime, start: datetime, end: datetime) -> int:
        """Cancel the upcoming asked-about times that the interview at `start`..`end` (written at `after`) replaces."""
        cur = self.db.execute(
            "UPDATE interviews SET cancelled=1 WHERE app_id=? AND tentative=1 AND cancelled=0 AND start>=?"
            " AND NOT (start<? AND end>?)",
            (app_id, _ts(after), _ts(end), _ts(start)),
        )
        return cur.rowcount

    def cancel_interview(
        self, app_id: int, *, uid: str | None, after: datetime, conversation: tuple[str, ...] = ()
    ) -> bool:
        """Cancel by calendar UID, else the upcoming interview confirmed in `conversation`, else the next one."""
        if uid:
            known = self.db.execute("SELECT 1 FROM interviews WHERE app_id=? AND uid=?", (app_id, uid)).fetchone()
            if known is not None:
                # A cancel for a past event (a recruiter tidying their calendar) does not undo the interview.
                cur = self.db.execute(
                    "UPDATE interviews SET cancelled=1 WHERE app_id=? AND uid=? AND start>=?", (app_id, uid, _ts(after))
                )
                return cur.rowcount > 0
        upcoming = self.upcoming_interview(app_id, after=after, conversation=conversation)
        if upcoming is None:
            return False
        self.db.execute("UPDATE interviews SET cancelled=1 WHERE id=?", (upcoming.id,))
        return True

    def upcoming_interview(
        self, app_id: int, *, after: datetime, conversation: tuple[str, ...] = ()
    ) -> Interview | None:
        """The next live interview from `after`: the one confirmed in `conversation` first, else the earliest."""
        row = None
        if conversation:
            marks = ",".join("?" for _ in conversation)
            row = self.db.execute(
                f"SELECT * FROM interviews WHERE app_id=? AND cancelled=0 AND start>=? AND message_id IN ({marks})"
                " ORDER BY start LIMIT 1",
                (app_id, _ts(after), *conversation),
            ).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT * FROM interviews WHERE app_id=? AND cancelled=0 AND start>=? ORDER BY start LIMIT 1",
                (app_id, _ts(after)),
            ).fetchone()
        return self._interview(row) if row is not None else None

    def move_interview(self, interview_id: int, *, start: datetime, end: datetime, message_id: str) -> None:
        """The interview now takes place at `start`..`end`, as the message `message_id` says (its earlier time stays
        on record in the message that set it)."""
        self.db.execute(
            "UPDATE interviews SET start=?, end=?, message_id=? WHERE id=?",
            (_ts(start), _ts(end), message_id, interview_id),
        )

    def interview(self, interview_id: int) -> Interview | None:
        row = self.db.execute("SELECT * FROM interviews WHERE id=?", (interview_id,)).fetchone()
        return self._interview(row) if row else None

    def interviews(self, app_id: int) -> list[Interview]:
        rows = self.db.execute("SELECT * FROM interviews WHERE app_id=? ORDER BY start", (app_id,))
        return [self._interview(r) for r in rows]

    @staticmethod
    def _interview(row: sqlite3.Row) -> Interview:
        start, end = _dt(row["start"]), _dt(row["end"])
        assert start is not None and end is not None
        return Interview(
            id=row["id"],
            start=start,
            end=end,
            interviewers=_addr_load(row["interviewers"]),
            interviewer_names=tuple(json.loads(row["interviewer_names"])),
            uid=row["uid"],
            cancelled=bool(row["cancelled"]),
            message_id=row["message_id"],
            tentative=bool(row["tentative"]),
        )

    # ----------------------------------------------------------------------------------------- drafts

    def record_draft(
        self, app_id: int, record: DraftRecord, *, backend: str, conversation: Iterable[str], thread_id: str | None
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO drafts (key, app_id, kind, to_name, to_email, created, status, backend, backend_id,"
            " in_reply_to, conversation, thread_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                record.key,
                app_id,
                record.kind.value,
                record.to.name,
                record.to.email,
                _ts(record.created),
                record.status.value,
                backend,
                record.backend_id,
                record.in_reply_to,
                json.dumps(list(conversation)),
                thread_id,
            ),
        )

    def mark_draft_sent(self, key: str, at: datetime, message_id: str) -> None:
        self.db.execute(
            "UPDATE drafts SET status='sent', sent_at=?, sent_message_id=? WHERE key=? AND status != 'sent'",
            (_ts(at), message_id, key),
        )

    def mark_draft_discarded(self, key: str) -> None:
        self.db.execute("UPDATE drafts SET status='discarded' WHERE key=? AND status='open'", (key,))

    def drafts(self, app_id: int | None = None) -> list[DraftRecord]:
        if app_id is None:
            rows = self.db.execute("SELECT * FROM drafts ORDER BY created")
        else:
            rows = self.db.execute("SELECT * FROM drafts WHERE app_id=? ORDER BY created", (app_id,))
        return [self._draft(r) for r in rows]

    def draft_rows(self, *, status: DraftStatus | None = None, app_id: int | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM drafts WHERE 1=1"
        params: list[Any] = []
        if status is not None:
            query += " AND status=?"
            params.append(status.value)
        if app_id is not None:
            query += " AND app_id=?"
            params.append(app_id)
        rows = [dict(r) for r in self.db.execute(query + " ORDER BY created", params)]
        for row in rows:
            row["conversation"] = json.loads(row["conversation"])
        return rows

    @staticmethod
    def _draft(row: sqlite3.Row) -> DraftRecord:
        created = _dt(row["created"])
        assert created is not None
        return DraftRecord(
            key=row["key"],
            kind=StepKind(row["kind"]),
            to=Address(row["to_name"], row["to_email"]),
            created=created,
            status=DraftStatus(row["status"]),
            backend_id=row["backend_id"],
            in_reply_to=row["in_reply_to"],
            sent_at=_dt(row["sent_at"]),
        )

    # ----------------------------------------------------------------------------------------- marks

    def message_location(self, backend: str, message_id: str) -> tuple[str, str, str | None] | None:
        """Where `backend` listed the message: (folder, ref, thread id), or None if it never did."""
        row = self.db.execute(
            "SELECT s.folder, s.ref, m.thread_id FROM seen s LEFT JOIN messages m ON m.message_id = s.message_id"
            " WHERE s.backend=? AND s.message_id=? ORDER BY s.folder LIMIT 1",
            (backend, message_id),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def marks(self, backend: str) -> list[MarkRecord]:
        rows = self.db.execute("SELECT * FROM marks WHERE backend=? ORDER BY marked, draft_key", (backend,))
        return [
            MarkRecord(r["draft_key"], r["backend"], r["folder"], r["ref"], r["message_id"], r["thread_id"], r["label"])
            for r in rows
        ]

    def record_mark(self, mark: MarkRecord, now: datetime) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO marks VALUES (?,?,?,?,?,?,?,?)",
            (mark.draft_key, mark.backend, mark.folder, mark.ref, mark.message_id, mark.thread_id, mark.label,
             _ts(now)),
        )  # fmt: skip

    def forget_mark(self, draft_key: str) -> None:
        self.db.execute("DELETE FROM marks WHERE draft_key=?", (draft_key,))

    # ----------------------------------------------------------------------------------------- history

    def history(self, app_id: int) -> History:
        application = self.application(app_id)
        if application is None:
            raise KeyError(app_id)
        return History(
            application=application,
            events=tuple(self.events(app_id)),
            interviews=tuple(self.interviews(app_id)),
            drafts=tuple(self.drafts(app_id)),
        )

    # ----------------------------------------------------------------------------------------- scans

    def start_scan(self, now: datetime) -> int:
        cur = self.db.execute("INSERT INTO scans (started) VALUES (?)", (_ts(now),))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_scan(self, scan_id: int, now: datetime, *, messages: int, drafts: int, error: str | None) -> None:
        self.db.execute(
            "UPDATE scans SET finished=?, messages=?, drafts=?, error=?, ok=? WHERE id=?",
            (_ts(now), messages, drafts, error, int(error is None), scan_id),
        )

    def last_scan(self, *, ok: bool | None = None) -> ScanRecord | None:
        query = "SELECT * FROM scans"
        if ok is not None:
            query += f" WHERE ok={int(ok)}"
        row = self.db.execute(query + " ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        started = _dt(row["started"])
        assert started is not None
        return ScanRecord(
            id=row["id"],
            started=started,
            finished=_dt(row["finished"]),
            messages=row["messages"],
            drafts=row["drafts"],
            error=row["error"],
            ok=None if row["ok"] is None else bool(row["ok"]),
        )
