"""One scan: sync the mailbox, detect, update the state, decide, draft and record.

The engine is the only place where the pure core (parsing, detection, policy, drafting) meets the backend and
the store. Each batch of messages a backend lists is downloaded first and then applied in one transaction with
its cursor, so a fault in the middle of a batch records nothing of it and the next scan picks it up again.
Drafts are found by their key header before one is created, so a crash can never duplicate one.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from agent import __version__
from agent.bounds import bound_verdict
from agent.config import Config
from agent.detect import DetectContext, bulk_evidence, detect, might_matter
from agent.detect.addresses import (
    company_from_domain,
    employer_domain,
    is_automated_address,
    is_human,
    is_role_address,
)
from agent.detect.identity import company_key, domain_key, fold_variants, named_company, same_company, same_employer
from agent.detect.reschedule import moves_earlier_slot
from agent.drafting import build_email, render
from agent.errors import MalformedMessageError, MessageGoneError
from agent.logs import describe_failure
from agent.mail.base import Listing, MailBackend
from agent.marks import sync_marks
from agent.models import (
    KEY_HEADER,
    Address,
    Application,
    DraftContent,
    DraftRecord,
    DraftStatus,
    Event,
    FolderRole,
    Interview,
    Kind,
    Message,
    Override,
    Step,
    StepKind,
    Verdict,
)
from agent.parsing import parse_headers, parse_message
from agent.policy import Policy
from agent.progress import ScanProgress
from agent.store import JoinKeys, Store
from agent.triage import settle

log = logging.getLogger(__name__)

_SENIORITY = frozenset({"senior", "sr", "junior", "jr", "lead", "staff", "principal", "i", "ii", "iii", "iv", "the"})
_FILLER = frozenset({"of", "and", "for", "in", "a", "an", "at", "to", "with", "on"})
_ABBREVIATIONS = {
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "mgr": "manager",
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "swe": "software engineer",
    "sde": "software development engineer",
    "sre": "site reliability engineer",
    "pm": "product manager",
    "qa": "quality assurance",
}


def same_role(first: str, second: str) -> bool:
    """Whether two job titles name the same job ("Senior Backend Engineer" and "Backend Engineer" do, and so do
    "Front-End Developer" and "Frontend Developer"); when in doubt, they do."""

    def tokens(title: str) -> list[str]:
        return re.findall(r"[a-z0-9+#]+", re.sub(r"(?<=\w)[-.](?=\w)", "", title.lower()))

    def words(title: str, other_title: str) -> set[str]:
        other = tokens(other_title)
        # Only a word written in capitals is an acronym: "FIG", "HR"; not "web" or "sales".
        capitals = {w.lower() for w in re.findall(r"\b[A-Z]{2,5}\b", title)}
        found, listed = [], tokens(title)
        i = 0
        while i < len(listed):
            if i + 1 < len(listed) and listed[i] + listed[i + 1] in other:  # "full stack" and "fullstack"
                found.append(listed[i] + listed[i + 1])
                i += 2
                continue
            found.append(listed[i])
            i += 1
        expanded = {
            part for w in found for part in _ABBREVIATIONS.get(w, acronym(w, other) if w in capitals else w).split()
        }
        return {w for w in expanded if w not in _SENIORITY and w not in _FILLER}

    def acronym(token: str, other: list[str]) -> str:
        """ "fig" for "Financial Institutions Group" when the other title spells it out, else the token."""
        if not 2 <= len(token) <= 5 or not token.isalpha():
            return token
        spelled = [w for w in other if w not in _FILLER]
        for start in range(len(spelled) - len(token) + 1):
            run = spelled[start : start + len(token)]
            if "".join(w[0] for w in run) == token and all(len(w) > 1 for w in run):
                return " ".join(run)
        return token

    a = words(first, second)
    b = words(second, first)
    if not a or not b or a <= b or b <= a:  # one title only narrows the other down
        return True
    return len(a & b) / len(a | b) >= 0.5


# Folders are read inbox first, so an application exists before the user's own messages about it arrive.
SYNC_ORDER = (FolderRole.INBOX, FolderRole.SENT)
# An acknowledgement starts an application too: it is the employer's first word, and later mail from the company's
# people joins by its domain or name. It never makes anything due (state `applied`).
CREATES_APPLICATION = frozenset({Kind.INTERVIEW, Kind.REJECTION, Kind.OFFER, Kind.ACKNOWLEDGEMENT})
JOINABLE_LATER = (
    Kind.REPLY,
    Kind.INTERVIEW,
    Kind.REJECTION,
    Kind.OFFER,
    Kind.CANCELLATION,
    Kind.ACKNOWLEDGEMENT,
    Kind.SENT_THANK_YOU,
    Kind.SENT_FOLLOW_UP,
    Kind.SENT_OTHER,
    Kind.SENT_WITHDRAWAL,
    Kind.SENT_APPLICATION,
)
# Machine answers to the user's own mail (an interviewer's out-of-office, a bounce) belong to the application too,
# for its timeline; the policy never counts them as answers. They join by thread, contact or the company's domain.
ANSWERS_TO_MINE = (Kind.AUTO_REPLY, Kind.BOUNCE)
THANK_YOU_STEPS = frozenset({StepKind.THANK_YOU})


# Kept per process: the same few names (the user's employers, their domains) are compared for every message a
# scan joins, and each comparison normalises both names again.
_company_key = functools.lru_cache(maxsize=4096)(company_key)
_domain_key = functools.lru_cache(maxsize=4096)(domain_key)
_same_employer = functools.lru_cache(maxsize=16384)(same_employer)


def _app_for_company(
    applications: list[Application], company: str, role: str | None, *, receipt: bool = False
) -> int | None:
    """The user's newest application at `company` (a name or a domain key), preferring the same role.

    A `receipt` (an acknowledgement) starts an application of its own unless it names the same company by its
    key: two receipts from "Northstar Health" and "Northstar Freight Systems" are two applications, though a
    recruiter's "Brightline Freight" mail joins the "Brightline Logistics" receipt's."""
    same = (lambda name, other: same_company(_company_key(name), _company_key(other))) if receipt else _same_employer
    matches = [
        a
        for a in applications
        if same(company, a.company) or any(same_company(_company_key(company), _domain_key(d)) for d in a.domains)
    ]
    if role:
        same_job = [a for a in matches if a.role and same_role(a.role, role)]
        matches = same_job or matches
    return matches[-1].id if matches else None


# What `named_company` lets stand between a company's words ("Quarry-Labs", "Quarry  Labs"): dropped before the
# substring test below.
_NAME_GAPS = re.compile(r"[\s-]+")


def _mentionable(texts: list[str], companies: list[str]) -> list[str]:
    """The companies whose name `named_company` could find in `texts`: those whose key (its name's words run
    together) is a substring of the texts accent-stripped, lower-cased and without whitespace or hyphens. A
    necessary condition only, as cheap as one pass over the texts; `named_company` normalises the texts again for
    every company it tries, which made it the largest cost of a first scan (issue 10)."""
    folded = [_NAME_GAPS.sub("", variant.lower()) for text in texts for variant in fold_variants(text)]
    return [c for c in companies if any(_company_key(c) in f for f in folded)]


def _belongs_when_joined(kind: Kind, how: str) -> bool:
    """Whether a message of `kind` joined in the way `how` belongs to that application."""
    if kind in JOINABLE_LATER or how in {"thread", "participant"}:
        return True
    return kind in ANSWERS_TO_MINE and how == "domain"


@dataclass(frozen=True)
class DraftNote:
    app_id: int
    company: str
    key: str
    kind: StepKind
    to: Address
    subject: str
    body: str


@dataclass
class ScanReport:
    messages_seen: int = 0
    messages_recorded: int = 0
    skipped: int = 0
    drafts: list[DraftNote] = field(default_factory=list)
    recovered: int = 0
    discarded: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: bool = False  # a stop was requested and the scan ended early, between batches


@dataclass(frozen=True)
class _Prepared:
    folder: FolderRole
    ref: str
    message: Message | None = None
    verdict: Verdict | None = None
    skip_reason: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class _Wanted:
    """A listed message whose body the headers say is worth downloading."""

    listing: Listing
    head: Message
    effective: FolderRole


class Engine:
    def __init__(self, config: Config, backend: MailBackend, store: Store) -> None:
        self.config = config
        self.backend = backend
        self.store = store
        self.policy = Policy.from_config(config.policy)
        self.me = config.identity.addresses
        self.context = DetectContext(
            user_addresses=self.me,
            zone=config.policy.zone,
            day_first=config.detection.day_first(config.policy.timezone),
            user_names=frozenset({config.identity.name.lower()} - {""}),
        )
        self._new_applications = False
        self._should_stop: Callable[[], bool] = lambda: False
        # The messages in no application that a later one may still explain, loaded once per scan and kept up
        # to date as messages are recorded and joined: re-reading them all after every batch that created an
        # application made a first scan quadratic in the mailbox (issue 10).
        self._orphans: dict[str, tuple[Event, str, str | None]] | None = None
        self._progress = ScanProgress()

    # ------------------------------------------------------------------------------------------ a scan

    def scan(
        self,
        now: datetime,
        *,
        dry_run: bool = False,
        should_stop: Callable[[], bool] | None = None,
        progress: ScanProgress | None = None,
    ) -> ScanReport:
        """`should_stop`: the daemon's stop flag, checked between batches and before each draft. `progress`:
        told how far the listing of each folder has got (a bar, log lines, or nothing)."""
        if should_stop is not None:
            self._should_stop = should_stop
        self._progress = progress or ScanProgress()
        report = ScanReport()
        self._orphans = None
        scan_id = self.store.start_scan(now)
        error: str | None = None
        if self.store.retry_skipped_unless(self.attempt):
            # A message another version or config gave up on may read fine now: list the folders again once.
            self.store.forget_cursors()
            log.info("a new version or config: the messages skipped before are read again")
        try:
            for folder in SYNC_ORDER:
                self._sync_folder(folder, now, report)
            if self._should_stop():
                report.stopped = True
                return report
            existing = self.backend.find_drafts()
            self._reconcile_drafts(existing, report)
            self._write_due_drafts(existing, now, report, dry_run=dry_run)
            if self.config.drafting.mark_threads and not dry_run:
                # After drafting and after the employer's answers were read: marks follow the waiting drafts.
                report.errors += sync_marks(self.store, self.backend, self.config.drafting.mark_label, now).errors
        except Exception as exc:
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise
        finally:
            self._progress.finish()
            self.store.finish_scan(
                scan_id, now, messages=report.messages_recorded, drafts=len(report.drafts), error=error
            )
        return report

    @property
    def attempt(self) -> str:
        """The program version and the config that read mail: a skip made under another one is tried again."""
        cfg = self.config
        reading = (sorted(cfg.identity.addresses), cfg.identity.name, cfg.policy, cfg.detection)
        return f"{__version__}/{hashlib.sha256(repr(reading).encode()).hexdigest()[:16]}"

    # ------------------------------------------------------------------------------------------ sync

    def _sync_folder(self, folder: FolderRole, now: datetime, report: ScanReport) -> None:
        name = self.backend.name
        since = now - timedelta(days=self.config.mailbox.lookback_days)
        cursor = self.store.cursor(name, folder.value)
        started = False
        for batch in self.backend.list_new(folder, cursor, since):
            if self._should_stop():
                return  # stopping: this batch and later ones are read again by the next scan
            if not started and batch.items:
                self._progress.start(folder.value, batch.total)
                started = True
            triaged: list[_Prepared | _Wanted] = []
            for listing in batch.items:
                report.messages_seen += 1
                if self.store.is_seen(name, folder.value, listing.ref):
                    continue
                triaged.append(self._triage(folder, listing))
            wanted = [t for t in triaged if isinstance(t, _Wanted)]
            if wanted:
                # One round trip (or a few) for the batch's bodies instead of one each.
                self.backend.prefetch(folder, [w.listing.ref for w in wanted])
            prepared = [t if isinstance(t, _Prepared) else self._prepare(folder, t) for t in triaged]
            with self.store.transaction():
                for item in prepared:
                    self._apply_one(item, now, report)
                if self._new_applications:
                    # In the same transaction: an application and the earlier mail it explains land together.
                    self._rejoin_orphans()
                    self._new_applications = False
                self.store.set_cursor(name, folder.value, batch.cursor, now)
            self._progress.advance(len(batch.items))
            if self._should_stop():
                return

    def _triage(self, folder: FolderRole, listing: Listing) -> _Prepared | _Wanted:
        """Decide from the headers alone: a message settled without its body, or one whose body is wanted."""
        try:
            head = parse_headers(listing.headers, folder, listing.ref, listing.thread_id)
        except MalformedMessageError as exc:
            return _Prepared(folder, listing.ref, skip_reason=exc.message)
        if self.store.has_message(head.message_id):
            return _Prepared(folder, listing.ref, message_id=head.message_id)
        effective = self._effective_folder(folder, head)
        if not might_matter(head, self.context) and not self._joins(head, effective):
            if head.date is None:
                return _Prepared(folder, listing.ref, skip_reason="no Date header", message_id=head.message_id)
            verdict = Verdict(Kind.BULK, "header_prefilter", "bulk mail by its headers; body not downloaded")
            return _Prepared(folder, listing.ref, message=head, verdict=verdict)
        settled = settle(head, effective, self.context)  # a notification from a robot, no job word
        if settled is not None and head.date is not None and not self._joins(head, effective):
            return _Prepared(folder, listing.ref, message=head, verdict=settled)
        return _Wanted(listing, head, effective)

    def _prepare(self, folder: FolderRole, wanted: _Wanted) -> _Prepared:
        """Everything that needs the network or may fail, done before the batch's transaction."""
        listing, head, effective = wanted.listing, wanted.head, wanted.effective
        try:
            raw = self.backend.fetch(folder, listing.ref)
        except MessageGoneError as exc:
            return _Prepared(folder, listing.ref, skip_reason=exc.message, message_id=head.message_id)
        try:
            message = parse_message(raw, effective, listing.ref, listing.thread_id)
        except MalformedMessageError as exc:
            return _Prepared(folder, listing.ref, skip_reason=exc.message, message_id=head.message_id)
        try:
            verdict = detect(message, self.context)
        except Exception as exc:  # a bug in one rule must not stop the scan for every other message
            log.error("detection failed on message %s: %s", message.message_id, describe_failure(exc))
            return _Prepared(
                folder,
                listing.ref,
                skip_reason=f"detection failed: {type(exc).__name__}",
                message_id=message.message_id,
            )
        verdict, dropped = bound_verdict(verdict)
        if dropped:
            log.warning("message %s: ignored %s (outside 1990..2100)", message.message_id, ", ".join(dropped))
        return _Prepared(folder, listing.ref, message=message, verdict=verdict)

    def _effective_folder(self, folder: FolderRole, head: Message) -> FolderRole:
        """A message the user wrote is the user's, whichever folder it sits in (a Cc to self, Gmail labels)."""
        if head.sender is not None and head.sender.email in self.me:
            return FolderRole.SENT
        return folder

    def _apply_one(self, item: _Prepared, now: datetime, report: ScanReport) -> None:
        """Apply one message; if that fails, undo only its writes and record it as skipped, once."""
        try:
            with self.store.savepoint():
                self._apply(item, now, report)
        except Exception as exc:  # a bug met by one stranger's message must not stop every later scan
            message_id = item.message_id or (item.message.message_id if item.message is not None else None)
            log.error("recording message %s failed: %s", message_id or "?", describe_failure(exc))
            failed = replace(item, skip_reason=f"recording failed: {type(exc).__name__}", message_id=message_id)
            self._skip(failed, now, report)

    def _skip(self, item: _Prepared, now: datetime, report: ScanReport) -> None:
        name = self.backend.name
        assert item.skip_reason is not None
        if not self.store.is_seen(name, item.folder.value, item.ref):
            log.warning("skipped message %s (%s): %s", item.message_id or "?", item.ref, item.skip_reason)
            self.store.record_skip(
                name, item.folder.value, item.ref, item.message_id, item.skip_reason, now, attempt=self.attempt
            )
            report.skipped += 1

    def _apply(self, item: _Prepared, now: datetime, report: ScanReport) -> None:
        name = self.backend.name
        if item.skip_reason is not None:
            self._skip(item, now, report)
            return
        if item.message is None or item.verdict is None:
            self.store.mark_seen(name, item.folder.value, item.ref, item.message_id)
            return
        message, verdict = item.message, item.verdict
        self.store.mark_seen(name, item.folder.value, item.ref, message.message_id)
        if self.store.has_message(message.message_id) or message.date is None:
            return
        is_mine = message.folder is FolderRole.SENT
        app_id, how = self._join_how(message, is_mine, verdict)
        if app_id is not None and not _belongs_when_joined(verdict.kind, how):
            # A newsletter or an alert from the employer's domain, outside its threads, is no part of the process.
            app_id = None
        if app_id is not None and verdict.kind is Kind.BULK and how != "thread":
            # The ATS address that sent the receipt also sends the talent-community mailing: marketing joins an
            # application only inside one of its threads.
            app_id = None
        # Only a join by the company's domain may hide a second job: a person already in this application who
        # writes about a role worded differently is far more likely arranging its next round.
        robot = message.sender is not None and is_automated_address(message.sender.email)
        if verdict.joins_only and (
            how not in {"thread", "participant", "domain", "company"} or (robot and how in {"domain", "company"})
        ):
            # A robot at the employer's domain that says nothing about hiring is the organisation's other business:
            # the city that employs you also books your ID-card appointment.
            # A calendar invitation that says nothing about hiring, from no one the user's applications know. A
            # person's note stays a reply that may still join later (Marco's "want to hop on a call?" before the
            # Calendly booking that starts his application); a robot's is unrelated.
            kind = Kind.REPLY if message.sender is not None and is_human(message.sender.email) else Kind.UNRELATED
            verdict = replace(verdict, kind=kind, interview=None, reason=verdict.reason + " (it did not)")
            app_id = None
        if app_id is not None and how in {"domain", "company"} and self._another_job(app_id, verdict):
            # A second application at the same company gets its own timeline, and its later rounds join it.
            app_id = self._same_job_at_company(app_id, verdict)
        elif app_id is not None and how == "participant" and self._another_job(app_id, verdict):
            # The same recruiter handles both of the user's roles there: the role the mail names decides, when
            # the user has an application for it (otherwise the recruiter's application it is).
            app_id = self._same_job_at_company(app_id, verdict) or app_id
        if app_id is None and is_mine and verdict.kind is Kind.SENT_APPLICATION and self._to_an_employer(message):
            # The user applied by writing to the employer: that is an application, with nothing due until they answer.
            app_id = self._create_application(message, verdict, now)
        if app_id is None and not is_mine and (verdict.kind in CREATES_APPLICATION or verdict.starts_application):
            veto = bulk_evidence(message, verdict.kind)
            if veto is None:
                app_id = self._create_application(message, verdict, now)
            else:
                # Creating an application needs a real relationship: bulk mail only joins one that exists.
                log.info("message %s starts no application: %s", message.message_id, veto)
        event = self._event(message, verdict)
        self.store.record_message(
            event,
            folder=item.folder.value,
            app_id=app_id,
            # `explain` and `messages` print the reason: the evidence behind the verdict goes with it.
            reason=f"{verdict.reason} [{', '.join(verdict.signals)}]" if verdict.signals else verdict.reason,
            company=verdict.company,
            role=verdict.role,
            now=now,
        )
        report.messages_recorded += 1
        if app_id is not None:
            self._attach(app_id, message, verdict, event)
            if how != "thread":
                # A thread, contact or domain new to the application: mail read before it may join now (an
                # out-of-office answering the user's follow-up that synced first).
                self._new_applications = True
        elif self._orphans is not None and verdict.kind in (*JOINABLE_LATER, *ANSWERS_TO_MINE):
            self._orphans[message.message_id] = (event, item.folder.value, verdict.company)
        log.debug("message %s: %s (%s) -> application %s", message.message_id, verdict.kind, verdict.rule, app_id)

    def _event(self, message: Message, verdict: Verdict) -> Event:
        assert message.date is not None
        return Event(
            message_id=message.message_id,
            at=message.date,
            kind=verdict.kind,
            rule=verdict.rule,
            sender=message.sender,
            # A bounce is addressed to the user; what it is about is the address that failed, which lets a bounce
            # read before the mail it returns (a first scan reads the inbox first) join that mail's application.
            recipients=tuple(Address("", a) for a in message.returned_to)
            if verdict.kind is Kind.BOUNCE and message.returned_to
            else message.recipients,
            subject=message.subject,
            human=message.sender is not None
            and is_human(message.sender.email)
            and message.folder is not FolderRole.SENT,
            deadline=verdict.deadline,
            no_follow_up=verdict.no_follow_up,
            conversation=message.conversation_ids,
            thread_id=message.thread_id,
            reply_address=self._reply_address(message),
        )

    def _reply_address(self, message: Message) -> Address | None:
        """A person first; a team mailbox (recruiting@) only when no person can be written to."""
        if message.folder is FolderRole.SENT:
            return None
        candidates = [message.sender] if message.sender is not None else []
        candidates += list(message.reply_to)
        humans = [p for p in candidates if is_human(p.email) and p.email not in self.me]
        people = [p for p in humans if not is_role_address(p.email)]
        chosen = people or humans
        return chosen[0] if chosen else None

    @staticmethod
    def _to_an_employer(message: Message) -> bool:
        """The user's mail goes to a person or a hiring mailbox at a company's domain (not free mail, no ATS)."""
        return any(employer_domain(r.email) for r in message.recipients if is_human(r.email))

    def _create_application(self, message: Message, verdict: Verdict, now: datetime) -> int:
        company = verdict.company or ""
        people = list(message.recipients) if message.folder is FolderRole.SENT else [message.sender]
        for person in people:
            if company or person is None:
                break
            domain = employer_domain(person.email)
            company = company_from_domain(domain) if domain else ""
        self._new_applications = True
        app_id = self.store.create_application(company, verdict.role or "", now)
        log.info("new application %d: %s %s", app_id, company or "(company unknown)", verdict.role or "")
        return app_id

    # ------------------------------------------------------------------------------------------ joining

    def _participants(self, message: Message, is_mine: bool) -> list[Address]:
        if is_mine:
            return list(message.recipients)
        people = [message.sender] if message.sender is not None else []
        return [*people, *message.reply_to]

    def _join(self, message: Message, is_mine: bool) -> int | None:
        return self._join_how(message, is_mine)[0]

    def _join_how(self, message: Message, is_mine: bool, verdict: Verdict | None = None) -> tuple[int | None, str]:
        """Thread first, then a known participant, then the company's domain (never a free-mail one), then the
        company the message names (an ATS or a scheduling tool writing from its own domain)."""
        app_id = self.store.app_for_conversation(message.conversation_ids) or self.store.app_for_thread(
            message.thread_id
        )
        if app_id is not None:
            return app_id, "thread"
        participants = [p for p in self._participants(message, is_mine) if p.email not in self.me]
        if not is_mine and verdict is not None and verdict.interview is not None:
            # A booking sent by Cal.com or Calendly names its host in the calendar file: a contact already known.
            participants += [p for p in verdict.interview.interviewers if p.email not in self.me]
        for person in participants:
            app_id = self.store.app_for_address(person.email)
            if app_id is not None:
                return app_id, "participant"
        for failed in message.returned_to:
            # A bounce with no Message-ID of the mail it returns: the address that failed was the user's recipient.
            app_id = self.store.app_for_sent_to(failed)
            if app_id is not None:
                return app_id, "participant"
        for person in participants:
            domain = employer_domain(person.email)
            if domain:
                app_id = self.store.app_for_domain(domain)
                if app_id is not None:
                    return app_id, "domain"
        if verdict is None or verdict.kind not in JOINABLE_LATER:
            return None, ""
        # A company already among the user's applications wins over a fresh guess: by the name the verdict read,
        # by the sender's own domain ("olivofoods.es" for "Olivo Foods International"), then, for mail from an
        # ATS or a scheduling tool, by a known company's name anywhere in what it says.
        names = [verdict.company] if verdict.company and not is_mine else []
        # The user's own mail to careers@loomwell.co.uk belongs to the application a Personio receipt from
        # "Loomwell Ltd" started: by the recipients' domains, never by what the user wrote.
        names += [_domain_key(d) for p in participants if (d := employer_domain(p.email) or "")]
        applications = self.store.applications()
        if is_mine:
            for name in names:
                app_id = _app_for_company(applications, name, None)
                if app_id is not None:
                    return app_id, "company"
            return None, ""
        receipt = verdict.kind is Kind.ACKNOWLEDGEMENT
        for name in names:
            app_id = _app_for_company(applications, name, verdict.role, receipt=receipt)
            if app_id is not None:
                return app_id, "company"
        # Then a known company's name anywhere in what the message says: from an ATS or a scheduling tool, or from
        # a person at a domain no application knows yet ("KIELWASSER – Einladung" from kw-logistics.com).
        texts = [message.sender.name if message.sender else "", message.subject, message.text[:4000]]
        known = _mentionable(texts, [a.company for a in applications if a.company])
        mentioned = named_company(texts, known) if known else None
        app_id = _app_for_company(applications, mentioned, verdict.role) if mentioned else None
        if app_id is not None:
            return app_id, "company"
        return None, ""

    def _another_job(self, app_id: int, verdict: Verdict) -> bool:
        """An interview outside the application's threads for a clearly different role at the same company."""
        if verdict.kind not in (Kind.INTERVIEW, Kind.ACKNOWLEDGEMENT) or not verdict.role:
            return False
        application = self.store.application(app_id)
        return application is not None and bool(application.role) and not same_role(application.role, verdict.role)

    def _same_job_at_company(self, app_id: int, verdict: Verdict) -> int | None:
        """The newest other application at `app_id`'s company for the verdict's role, or None."""
        joined = self.store.application(app_id)
        if joined is None or not verdict.role:
            return None
        domains, company = set(joined.domains), (joined.company or "").casefold()
        for other in reversed(self.store.applications()):
            same_company = bool(set(other.domains) & domains) or bool(company and other.company.casefold() == company)
            if other.id != app_id and other.role and same_company and same_role(other.role, verdict.role):
                return other.id
        return None

    def _learn_client(self, app_id: int, agency: str, client: str) -> None:
        """An application named after the agency that wrote first takes its client's name once the agency tells
        it ("I can now share that the company is LoonieLedger"), so the client's own mail joins it."""
        application = self.store.application(app_id)
        if application is None or not application.company or not same_employer(application.company, agency):
            return
        if same_employer(application.company, client):
            return
        self.store.rename_company(app_id, client)
        log.info("application %d: the agency %s writes for %s", app_id, agency, client)

    def _joins(self, head: Message, folder: FolderRole) -> bool:
        return self._join(head, folder is FolderRole.SENT) is not None

    def _attach(self, app_id: int, message: Message, verdict: Verdict, event: Event) -> None:
        store = self.store
        store.link_conversation(app_id, message.conversation_ids, message.thread_id)
        store.improve_application(app_id, verdict.company, verdict.role)
        if verdict.agency and verdict.company:
            self._learn_client(app_id, verdict.agency, verdict.company)
        if message.folder is FolderRole.SENT:
            self._match_sent_draft(app_id, message, event)
            return
        people = [p for p in self._participants(message, False) if is_human(p.email) and p.email not in self.me]
        if verdict.interview is not None:
            people.extend(p for p in verdict.interview.interviewers if p.email not in self.me)
        for person in people:
            store.add_contact(app_id, person)
            domain = employer_domain(person.email)
            if domain:
                store.add_domain(app_id, domain)
        if verdict.kind is Kind.INTERVIEW and verdict.interview is not None:
            info = verdict.interview
            default = timedelta(minutes=self.config.policy.thank_you.default_interview_minutes)
            end = info.end if info.end is not None and info.end > info.start else info.start + default
            interview = Interview(
                id=0,
                start=info.start,
                end=end,
                # Thank-you notes thank people: a team mailbox (interviews@) is no interviewer.
                interviewers=tuple(
                    p for p in info.interviewers if p.email not in self.me and not is_role_address(p.email)
                ),
                interviewer_names=info.interviewer_names,
                uid=info.uid,
                message_id=message.message_id,
                tentative=info.tentative,
            )
            assert message.date is not None
            store.drop_tentative(app_id, after=message.date, start=interview.start, end=interview.end)
            if info.uid is None and message.date is not None and moves_earlier_slot(message):
                # "Your interview has been rescheduled" without a calendar UID: the old slot is gone.
                store.cancel_interview(app_id, uid=None, after=message.date, conversation=message.conversation_ids[1:])
            store.add_interview(app_id, interview, sequence=info.sequence)
        elif verdict.kind is Kind.INTERVIEW and verdict.moved_to is not None:
            self._move_interview(app_id, message, verdict.moved_to)
        elif verdict.kind is Kind.INTERVIEW and verdict.next_round_in_days is not None:
            if verdict.met is not None:
                self._date_interview_by_thanks(app_id, message, verdict.met)
            self._add_next_round(app_id, message, verdict.next_round_in_days)
        elif verdict.met is not None and verdict.kind.from_employer:
            self._date_interview_by_thanks(app_id, message, verdict.met)
        elif verdict.kind is Kind.CANCELLATION:
            uid = verdict.interview.uid if verdict.interview is not None else None
            assert message.date is not None
            store.cancel_interview(
                app_id, uid=uid, after=message.date - timedelta(hours=1), conversation=message.conversation_ids[1:]
            )

    def _move_interview(self, app_id: int, message: Message, moved_to: time) -> None:
        """ "Can we do 10:30 instead? Same day": the application's next interview (the one this thread set, else the
        earliest ahead) starts at that time of its own day and keeps its length."""
        assert message.date is not None
        upcoming = self.store.upcoming_interview(
            app_id, after=message.date - timedelta(hours=1), conversation=message.conversation_ids[1:]
        )
        if upcoming is None:
            log.info("application %d: a move to %s, but no interview ahead to move", app_id, moved_to)
            return
        zone = moved_to.tzinfo or self.context.zone
        day = upcoming.start.astimezone(zone).date()
        start = datetime.combine(day, moved_to.replace(tzinfo=None), tzinfo=zone)
        if start == upcoming.start:
            return
        self.store.move_interview(
            upcoming.id, start=start, end=start + (upcoming.end - upcoming.start), message_id=message.message_id
        )
        log.info("application %d: interview %d moved to %s", app_id, upcoming.id, start.isoformat(timespec="minutes"))

    def _add_next_round(self, app_id: int, message: Message, days: int) -> None:
        """ "Let's do the second round same time next week": a round `days` after the latest one held by the
        message's date, at its clock and with its length."""
        assert message.date is not None
        held = [i for i in self.store.interviews(app_id) if not i.cancelled and i.start <= message.date]
        if not held:
            log.info("application %d: a next round %d days on, but no round held to count from", app_id, days)
            return
        last = held[-1]
        # The same clock on the user's wall, across a change of daylight saving time in between.
        start = last.start.astimezone(self.context.zone) + timedelta(days=days)
        interview = Interview(
            id=0, start=start, end=start + (last.end - last.start), interviewers=(), message_id=message.message_id
        )
        self.store.add_interview(app_id, interview)
        log.info("application %d: a next round at %s", app_id, start.isoformat(timespec="minutes"))

    def _date_interview_by_thanks(self, app_id: int, message: Message, ended: datetime) -> None:
        """ "Thanks for your time today" with no interview time read: the interview happened, and ended by then."""
        recent = [i for i in self.store.interviews(app_id) if not i.cancelled and i.start <= ended]
        if any(ended - i.start < timedelta(days=3) for i in recent):
            return  # the round they thank for is already known
        default = timedelta(minutes=self.config.policy.thank_you.default_interview_minutes)
        interview = Interview(id=0, start=ended - default, end=ended, interviewers=(), message_id=message.message_id)
        self.store.add_interview(app_id, interview)
        log.info("application %d: the employer's thanks date an interview that ended by %s", app_id, ended)

    def _match_sent_draft(self, app_id: int, message: Message, event: Event) -> None:
        """Recognise a draft of ours that the user sent, even if their client dropped our header."""
        candidates = [r for r in self.store.draft_rows(app_id=app_id) if r["status"] != DraftStatus.SENT.value]
        if not candidates:
            return
        key = (message.header(KEY_HEADER) or "").strip()
        chosen = next((r for r in candidates if key and r["key"] == key), None)
        if key and chosen is None:
            return  # our header names a draft already recorded as sent (or not ours): guess nothing
        if chosen is None:
            recipients = {r.email for r in message.recipients}
            conversation = set(message.conversation_ids)
            to_them = [r for r in candidates if r["to_email"] in recipients]
            assert message.date is not None
            to_them = [r for r in to_them if datetime.fromisoformat(r["created"]) <= message.date + timedelta(hours=1)]
            in_thread = [
                r
                for r in to_them
                if conversation & set(r["conversation"]) or (r["thread_id"] and r["thread_id"] == message.thread_id)
            ]
            pool = in_thread or to_them
            chosen = pool[-1] if pool else None
        if chosen is None:
            return
        assert message.date is not None
        self.store.mark_draft_sent(chosen["key"], message.date, message.message_id)
        kind = Kind.SENT_THANK_YOU if chosen["kind"] in {k.value for k in THANK_YOU_STEPS} else Kind.SENT_FOLLOW_UP
        self.store.set_message_kind(
            message.message_id, kind, "sent_draft", f"you sent the {chosen['kind'].replace('_', ' ')} draft"
        )
        log.info("application %d: you sent the draft %s", app_id, chosen["key"])

    def _rejoin_orphans(self) -> None:
        """Messages read before their application existed (a Sent message synced before the invitation)."""
        if self._orphans is None:
            self._orphans = {
                e.message_id: (e, f, c) for e, f, c in self.store.orphans((*JOINABLE_LATER, *ANSWERS_TO_MINE))
            }
        keys = self.store.join_keys()
        for event, folder, company in list(self._orphans.values()):
            is_mine = folder == FolderRole.SENT.value or event.kind.from_user
            if not company and not self._may_join(event, is_mine, keys):
                continue  # nothing it could join by exists: skip the lookups
            probe = Message(
                message_id=event.message_id,
                folder=FolderRole.SENT if is_mine else FolderRole.INBOX,
                date=event.at,
                sender=event.sender,
                to=event.recipients,
                subject=event.subject,
                references=tuple(c for c in event.conversation if c != event.message_id),
                thread_id=event.thread_id,
                returned_to=tuple(p.email for p in event.recipients) if event.kind is Kind.BOUNCE else (),
            )
            named = Verdict(kind=event.kind, rule=event.rule, reason="", company=company)
            app_id, how = self._join_how(probe, is_mine, named)
            if app_id is None or not _belongs_when_joined(event.kind, how):
                continue
            self.store.assign_message(event.message_id, app_id)
            del self._orphans[event.message_id]
            self.store.link_conversation(app_id, event.conversation, event.thread_id)
            if is_mine:
                self._match_sent_draft(app_id, probe, event)

    def _may_join(self, event: Event, is_mine: bool, keys: JoinKeys) -> bool:
        """Whether `_join_how` could find an application for this event, by set lookups alone (no company)."""
        if not keys.conversation_ids.isdisjoint(event.conversation) or event.thread_id in keys.threads:
            return True
        if event.kind is Kind.BOUNCE:
            return bool(event.recipients)  # the addresses that failed: the user may have written to them since
        # The same participants as the probe `_rejoin_orphans` builds (no Reply-To).
        people = list(event.recipients) if is_mine else ([event.sender] if event.sender is not None else [])
        return any(p.email in keys.addresses or employer_domain(p.email) in keys.domains for p in people)

    # ------------------------------------------------------------------------------------------ drafts

    def _reconcile_drafts(self, existing: dict[str, str], report: ScanReport) -> None:
        """An open draft that left the Drafts folder without showing up in Sent was deleted: never recreate it."""
        open_rows = self.store.draft_rows(status=DraftStatus.OPEN)
        gone = [r for r in open_rows if r["key"] not in existing and r["backend"] == self.backend.name]
        if not gone:
            return
        with self.store.transaction():
            for row in gone:
                self.store.mark_draft_discarded(row["key"])
                report.discarded += 1
                log.info(
                    "application %d: the draft %s was deleted without being sent; it will not be recreated",
                    row["app_id"],
                    row["key"],
                )

    def _write_due_drafts(self, existing: dict[str, str], now: datetime, report: ScanReport, *, dry_run: bool) -> None:
        identity = self.config.identity
        zone_now = now.astimezone(self.config.policy.zone)
        for application in self.store.applications():
            if application.override is Override.CLOSED:
                continue
            history = self.store.history(application.id)
            try:
                decision = self.policy.decide(history, now)
            except Exception as exc:  # one application's odd facts must not keep the others' drafts back
                log.error("deciding application %d failed: %s", application.id, describe_failure(exc))
                report.errors.append(f"application {application.id}: {type(exc).__name__}")
                continue
            for step in decision.due:
                if self._should_stop():
                    return  # stopping: the step stays due and is drafted by the next scan
                assert step.to is not None
                content = render(step, history, identity, self.config.drafting, zone_now)
                if step.key in existing:
                    # Created by an earlier scan that stopped before recording it: record, don't duplicate.
                    if not dry_run:
                        self._record_draft(application.id, step, content, existing[step.key], now)
                    report.recovered += 1
                    log.info("application %d: found the draft %s already in Drafts", application.id, step.key)
                    continue
                note = DraftNote(
                    application.id, application.company, step.key, step.kind, step.to, content.subject, content.body
                )
                if dry_run:
                    report.drafts.append(note)
                    continue
                backend_id = self.backend.create_draft(build_email(content, identity, now), content.thread_id)
                existing[step.key] = backend_id
                self._record_draft(application.id, step, content, backend_id, now)
                report.drafts.append(note)
                log.info("application %d: drafted %s to %s", application.id, step.kind.value, step.to.email)

    def _record_draft(self, app_id: int, step: Step, content: DraftContent, backend_id: str, now: datetime) -> None:
        assert step.to is not None
        record = DraftRecord(step.key, step.kind, step.to, now, DraftStatus.OPEN, backend_id, content.in_reply_to)
        with self.store.transaction():
            self.store.record_draft(
                app_id, record, backend=self.backend.name, conversation=content.references, thread_id=content.thread_id
            )
