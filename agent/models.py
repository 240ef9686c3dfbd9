"""The value types every layer shares: messages, verdicts, applications, interviews, decisions and drafts.

All of them are frozen dataclasses with no behaviour beyond small derived properties, so the pure core
(detection, policy, drafting) can be tested without a mailbox, a database or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

# Every draft the agent writes carries this header, so it can find its own drafts again after a crash.
KEY_HEADER = "X-Followup-Agent-Key"


class FolderRole(StrEnum):
    """What a mailbox folder is for; backends map roles to their own folder names."""

    INBOX = "inbox"
    SENT = "sent"
    DRAFTS = "drafts"


@dataclass(frozen=True)
class Address:
    """One mailbox address; `email` is always lower case so it can be compared."""

    name: str
    email: str

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]

    @property
    def local_part(self) -> str:
        return self.email.rpartition("@")[0]

    def display(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True)
class Message:
    """A parsed email, reduced to what detection and the engine need.

    `text` is the readable body (HTML already turned into text), `calendars` the raw text/calendar parts.
    `ref` is the backend's own handle for the message (a Maildir key, an IMAP UID, a Gmail id).
    """

    message_id: str
    folder: FolderRole
    date: datetime | None
    sender: Address | None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    subject: str = ""
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    text: str = ""
    calendars: tuple[str, ...] = ()
    is_report: bool = False
    thread_id: str | None = None
    ref: str = ""
    # A delivery failure's failed recipients ("Final-Recipient: rfc822; a@b", "<a@b>: host not found").
    returned_to: tuple[str, ...] = ()

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key == wanted:
                return value
        return None

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc

    @property
    def conversation_ids(self) -> tuple[str, ...]:
        """Every Message-ID this message names as part of its conversation, itself included."""
        ids = [self.message_id, *self.references]
        if self.in_reply_to:
            ids.append(self.in_reply_to)
        return tuple(dict.fromkeys(i for i in ids if i))


class Kind(StrEnum):
    """What detection decided a message is."""

    INTERVIEW = "interview"  # an invitation to, or confirmation of, an interview
    CANCELLATION = "cancellation"  # an interview was cancelled
    REPLY = "reply"  # a message from a person; a reply if it joins an application
    REJECTION = "rejection"
    OFFER = "offer"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    ACKNOWLEDGEMENT = "acknowledgement"  # "we received your application"
    BULK = "bulk"  # job alerts, newsletters, marketing, webinars
    SENT_THANK_YOU = "sent_thank_you"
    SENT_FOLLOW_UP = "sent_follow_up"
    SENT_OTHER = "sent_other"
    SENT_WITHDRAWAL = "sent_withdrawal"  # the user withdrew their application, or declined the offer
    SENT_APPLICATION = "sent_application"  # the user applied by writing to the employer themselves
    UNRELATED = "unrelated"

    @property
    def from_employer(self) -> bool:
        """Kinds that, coming from a person at the employer, count as an answer."""
        return self in {Kind.INTERVIEW, Kind.REPLY, Kind.REJECTION, Kind.OFFER, Kind.CANCELLATION}

    @property
    def from_user(self) -> bool:
        return self in {
            Kind.SENT_THANK_YOU,
            Kind.SENT_FOLLOW_UP,
            Kind.SENT_OTHER,
            Kind.SENT_WITHDRAWAL,
            Kind.SENT_APPLICATION,
        }


@dataclass(frozen=True)
class InterviewInfo:
    """An interview as a message describes it. `end` is None when the message gave no duration."""

    start: datetime
    end: datetime | None
    interviewers: tuple[Address, ...] = ()
    interviewer_names: tuple[str, ...] = ()  # people named without an address
    uid: str | None = None  # the calendar UID, so a reschedule replaces the earlier time
    sequence: int = 0
    location: str = ""
    # One time the employer asked about ("Could you do Thursday at 3pm?"): it stands unless a later time replaces it.
    tentative: bool = False


@dataclass(frozen=True)
class Deadline:
    """A date by which the employer said they would answer, and the words they used."""

    day: date
    phrase: str


@dataclass(frozen=True)
class Verdict:
    """Detection's answer for one message, with the rule that fired and a human-readable reason."""

    kind: Kind
    rule: str
    reason: str
    company: str | None = None
    role: str | None = None
    interview: InterviewInfo | None = None
    deadline: Deadline | None = None
    no_follow_up: bool = False  # the employer asked not to follow up, or to use another channel
    # When the employer thanks for "your time today": the moment the interview is known to have ended by.
    met: datetime | None = None
    # The evidence behind the verdict, by name ("sender:person", "listed", "calendar:invitation", "cue:rejection").
    signals: tuple[str, ...] = ()
    # The verdict holds only for a message that joins an application the user already has (its thread, a known
    # contact or the company's domain): a calendar invitation that says nothing about hiring.
    joins_only: bool = False
    # The recruitment agency that wrote for `company`, its client: an application first named after the agency
    # takes the client's name once the agency tells it.
    agency: str | None = None
    # A reply that moves the known interview to another time of the same day ("can we do 10:30 instead? Same day"):
    # the new clock time, with its zone when the message names one. The engine moves the interview.
    moved_to: time | None = None
    # A person's reply that begins an application on its own: an agency telling that it put the user forward to a
    # named client ("I've shared your CV with Fenwick & Cole", "unserem Mandanten … vorgestellt").
    starts_application: bool = False
    # A next round "at the same time next week" (gleiche Uhrzeit nächste Woche, même heure la semaine prochaine):
    # that many days after the round just held, at its clock. The engine knows that round.
    next_round_in_days: int | None = None


class AppState(StrEnum):
    APPLIED = "applied"  # the employer acknowledged the application; no interview yet, nothing to chase
    SCHEDULED = "scheduled"
    INTERVIEWED = "interviewed"
    WAITING = "waiting"
    FOLLOWED_UP = "followed_up"
    RESPONDED = "responded"
    REJECTED = "rejected"
    OFFER = "offer"
    NO_RESPONSE = "no_response"
    WITHDRAWN = "withdrawn"  # the user withdrew (or declined the offer) in a message of their own
    CLOSED = "closed"


class StepKind(StrEnum):
    THANK_YOU = "thank_you"
    FOLLOW_UP = "follow_up"
    SECOND_FOLLOW_UP = "second_follow_up"
    FOLLOW_UP_AFTER_DATE = "follow_up_after_date"


class DraftStatus(StrEnum):
    OPEN = "open"
    SENT = "sent"
    DISCARDED = "discarded"


class Override(StrEnum):
    """What the user set by hand on an application."""

    CLOSED = "closed"
    MUTED = "muted"
    SNOOZED = "snoozed"


@dataclass(frozen=True)
class Interview:
    """A recorded interview round of an application."""

    id: int
    start: datetime
    end: datetime
    interviewers: tuple[Address, ...]
    interviewer_names: tuple[str, ...] = ()
    uid: str | None = None
    cancelled: bool = False
    message_id: str = ""
    tentative: bool = False  # asked, not confirmed: any later interview time in the application replaces it

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Event:
    """One message in an application's history, with its verdict, in the order things happened."""

    message_id: str
    at: datetime
    kind: Kind
    rule: str
    sender: Address | None
    recipients: tuple[Address, ...]
    subject: str
    human: bool  # written by a person (not a no-reply or automatic address)
    deadline: Deadline | None = None
    no_follow_up: bool = False
    conversation: tuple[str, ...] = ()  # Message-IDs of its conversation
    thread_id: str | None = None
    # The person an answer goes to: the sender if a person, else a person in Reply-To (an ATS sending from a
    # no-reply address on a recruiter's behalf). None when nobody human can be written to.
    reply_address: Address | None = None


@dataclass(frozen=True)
class DraftRecord:
    """A draft the agent left in the mailbox, and what became of it."""

    key: str
    kind: StepKind
    to: Address
    created: datetime
    status: DraftStatus
    backend_id: str = ""
    in_reply_to: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Application:
    id: int
    company: str
    role: str
    domains: tuple[str, ...] = ()
    override: Override | None = None
    override_until: datetime | None = None


@dataclass(frozen=True)
class History:
    """Everything known about one application: the input of the policy."""

    application: Application
    events: tuple[Event, ...]
    interviews: tuple[Interview, ...]
    drafts: tuple[DraftRecord, ...] = ()


@dataclass(frozen=True)
class Step:
    """A draft the policy wants to exist: its key makes creating it idempotent."""

    key: str
    kind: StepKind
    due: datetime
    reason: str
    to: Address | None  # None when no human address is known: then no draft, and `reason` says why
    interview: Interview | None = None
    reply_to_event: Event | None = None  # the employer message a follow-up answers
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Decision:
    """The policy's answer for one application at one moment."""

    state: AppState
    reason: str
    due: tuple[Step, ...] = ()  # steps due now whose draft does not exist yet
    next_step: Step | None = None  # the next step in the future, or a due one that is blocked
    notes: tuple[str, ...] = field(default_factory=tuple)  # skipped steps and why
    follow_ups_sent: int = 0
    deadline: Deadline | None = None


@dataclass(frozen=True)
class DraftContent:
    """A rendered draft, before a backend stores it."""

    key: str
    kind: StepKind
    to: Address
    subject: str
    body: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_id: str | None = None
