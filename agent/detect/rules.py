"""The detection rules: small named functions, tried in order, the first verdict wins.

Each rule looks at one `Message` (through `Facts`, which computes the un-quoted text, the calendar event, the
times and the deadline once) and returns a `Verdict` or None. A verdict's `reason` quotes the words that
matched, never the body. Rules read only what the writer wrote (`strip_quoted`), so a phrase the employer
merely quoted from the candidate cannot fire.

Order matters and is deliberate: machine mail first (bounces, auto-replies), then the user's own mail, then
bulk mail, then acknowledgements (which lose to anything more specific in the same message), then the
decisive employer kinds (offer, rejection, cancellation, interview), then any other human reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from functools import cached_property

from agent.detect.addresses import (
    is_ats_domain,
    is_automated_address,
    is_bulk_sender_domain,
    is_free_mail,
    is_human,
    is_job_board,
    is_role_address,
)
from agent.detect.calendar import CalendarEvent, read_calendar
from agent.detect.company import agency_of, clean_subject, find_company, find_role
from agent.detect.context import DetectContext
from agent.detect.dates import find_deadline
from agent.detect.gate import Pattern, gated
from agent.detect.identity import company_key, same_company
from agent.detect.interview_text import (
    ClockTime,
    FoundTime,
    clock_times,
    find_interviewers,
    find_times,
    same_time_next_week,
    same_time_said,
    schedule_end,
)
from agent.detect.lexicon import cue
from agent.models import Address, Deadline, FolderRole, InterviewInfo, Kind, Message, Verdict
from agent.parsing import is_attribution, quoted_messages, strip_quoted

Rule = Callable[[Message, DetectContext], Verdict | None]

# ---------------------------------------------------------------------------------------------------------
# phrases

_BOUNCE_SUBJECT = cue("bounce_subject")
_OOO_SUBJECT = cue("ooo_subject")
_OOO_BODY = cue("ooo_body")
_GONE_BODY = cue("gone_body")
# A helpdesk's receipt for a message: "[Ticket #12345] We received your request", "a ticket has been created".
_TICKET_SUBJECT = gated(
    re.compile(
        r"\[\s*(?:ticket|request|case|incident)\s*#?\s*\d+\s*\]|\b(?:ticket|request|case)\s+(?:received|created|opened)\b"
        r"|\[#\d{3,}\]",
        re.IGNORECASE,
    )
)
_TICKET_BODY = cue("ticket_body")
_OOO_ABSENCE = cue("ooo_absence")

_THANK_YOU = cue("thank_you")
_RECENT = cue("recent")
_FOLLOW_UP = cue("follow_up")

_JOB_ALERT = cue("job_alert")
_MARKETING_SUBJECT = cue("marketing_subject")
_MARKETING_BODY = cue("marketing_body")

_SUBSCRIBED = cue("subscribed")

_ACK = cue("ack")

_OFFER = cue("offer")
_REJECTION = cue("rejection")
_SUBMISSION = cue("submission")
_DISREGARD = cue("disregard")
_WITH_ME = cue("with_me")
_CONDITIONAL = cue("conditional")
_INDIRECT_QUESTION = cue("indirect_question")
_ROUND_PHRASE = cue("round_phrase")
_DECISION_PENDING = cue("decision_pending")
_EVENT_REGISTRATION = cue("event_registration")
_INSTEAD = gated(
    re.compile(r"\b(?:instead|stattdessen|alternativ|plutôt|à\s+la\s+place|en\s+su\s+lugar|en\s+lugar\s+de)\b", re.I)
)

_CANCEL_TEXT = cue("cancel_text")
_CANCEL_SUBJECT = cue("cancel_subject")
_RESCHEDULE = cue("reschedule")
_TIME_MOVE = cue("time_move")
_WITHDRAWAL = cue("withdrawal")
_REQUEST = cue("request")
_APPLYING = cue("applying")
_CONFIRM_SHORT = cue("confirm_short")
# A labelled field of an invitation: "Date:", "Time:", "When:", "Datum:", "Heure :", "Fecha:".
_FIELD_LABEL = gated(
    re.compile(
        r"^\s*(?:date|time|when|datum|uhrzeit|zeit|termin|date\s+et\s+heure|heure|fecha|hora|cu[aá]ndo)\s*:", re.I
    )
)
# A question put to the candidate ("Est-ce que ça vous convient?", "What are your salary expectations?").
_QUESTION = gated(re.compile(r"[^\n?]{12,200}\?(?=\s|$)"))
_GENERIC_APPLY_WORD = re.compile(
    r"(?:applica\w*|applicant\w*|candida\w*|bewerbung|solicitud\w*|demande\w*|termin\w*|cita\w*)", re.IGNORECASE
)
# The candidate's own application named: what separates an agency's answer from its cold pitch.
_YOUR_APPLICATION = gated(
    re.compile(
        r"\b(?:your\s+application|votre\s+candidature|ta\s+candidature|ihre\s+bewerbung|deine\s+bewerbung"
        r"|tu\s+postulaci[oó]n|su\s+postulaci[oó]n|tu\s+candidatura|su\s+candidatura)\b",
        re.IGNORECASE,
    )
)
_OLD_TIME = cue("old_time")

_CONFIRM = cue("confirm")
_INTERVIEW_CONTEXT = cue("interview_context")
_PROPOSAL = cue("proposal")
_INVITE = cue("invite")
_NO_FOLLOW_UP = cue("no_follow_up")
_CAL_RESPONSE_SUBJECT = cue("cal_response_subject")
_CAL_RESPONSE_BODY = cue("cal_response_body")
_PITCH = cue("pitch")
_WE_WILL_REACH = cue("we_will_reach")
_MET_TODAY = cue("met_today")
_YESTERDAY = cue("yesterday")
_JOB_CONTEXT = cue("job_context")
_COACHING = cue("coaching")
_FIX_TIME = cue("fix_time")
_HIRING = cue("hiring")
_MEETING_OFFER = cue("meeting_offer")
# Booking pages a recruiter links to instead of proposing times.
_BOOKING_LINK = gated(
    re.compile(
        r"\b(?:calendly\.com|cal\.com|savvycal\.com|zcal\.co|meetings\.hubspot\.com|goodtime\.io|"
        r"outlook\.office365\.com/(?:owa/calendar|book)|calendar\.app\.google|youcanbook\.me)/\S+"
        # An ATS's own booking page: "nordlicht.teamtailor.com/meetings/…", "app.ashbyhq.com/…/schedule".
        r"|\b[\w.-]+\.(?:teamtailor\.com|ashbyhq\.com|greenhouse\.io|lever\.co|workable\.com|recruitee\.com)"
        r"/\S*(?:meeting|schedul|book|slot|availability)\S*",
        re.IGNORECASE,
    )
)


# ---------------------------------------------------------------------------------------------------------
# facts computed once per message


class Facts:
    """Everything the rules derive from a message, computed lazily and at most once."""

    def __init__(self, message: Message, ctx: DetectContext) -> None:
        self.message = message
        self.ctx = ctx

    @cached_property
    def own(self) -> str:
        """What the sender wrote, without what they quoted."""
        return strip_quoted(self.message.text)

    @cached_property
    def subject(self) -> str:
        return clean_subject(self.message.subject)

    @cached_property
    def both(self) -> str:
        return self.subject + "\n" + self.own

    @cached_property
    def sent_at(self) -> datetime:
        return self.message.date or datetime.now(UTC)

    @cached_property
    def writer_zone(self) -> tzinfo | None:
        """The offset of the writer's own Date header ("-0600" from Chicago), which "my time" means; None for
        "-0000" (RFC 5322: zone unknown) or no date."""
        raw = self.message.header("date") or ""
        if not raw or re.search(r"-0000\b", raw):
            return None
        try:
            written = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if written.tzinfo is not None and written.utcoffset() == written.astimezone(self.ctx.zone).utcoffset():
            # The writer shares the user's clock: the user's zone, which follows daylight saving past a change
            # that a fixed offset would miss.
            return self.ctx.zone
        return written.tzinfo

    @cached_property
    def sender_email(self) -> str:
        return self.message.sender.email if self.message.sender else ""

    @cached_property
    def from_user(self) -> bool:
        return self.message.folder == FolderRole.SENT or self.ctx.is_user(self.sender_email)

    @cached_property
    def auto_submitted(self) -> str:
        return (self.message.header("auto-submitted") or "").strip().lower()

    @cached_property
    def machine_generated(self) -> bool:
        """Headers say no person wrote this."""
        auto = self.auto_submitted
        precedence = (self.message.header("precedence") or "").strip().lower()
        return (bool(auto) and not auto.startswith("no")) or precedence in {"bulk", "junk", "list", "auto_reply"}

    @cached_property
    def listed(self) -> bool:
        """Sent through a mailing list or bulk mailer."""
        m = self.message
        precedence = (m.header("precedence") or "").strip().lower()
        return bool(m.header("list-id") or m.header("list-unsubscribe")) or precedence in {"bulk", "list", "junk"}

    @cached_property
    def human_sender(self) -> bool:
        return bool(self.sender_email) and is_human(self.sender_email) and not self.machine_generated

    @cached_property
    def calendar(self) -> CalendarEvent | None:
        for ics in self.message.calendars:
            event = read_calendar(ics, self.ctx, self.sent_at)
            if event is not None and (event.interview is not None or event.cancelled):
                return event
        return None

    @cached_property
    def times(self) -> list[FoundTime]:
        earliest = self.sent_at - timedelta(hours=1)
        found = find_times(self.own[:20_000], self.sent_at, self.ctx, self.writer_zone)
        if not found and not self.is_reply and self.subject:
            # "Einladung Vorstellungsgespräch – Di, 17.03.2026, 10:00 Uhr", "Chat Thu 3pm?": a new thread whose
            # subject holds the time its body does not repeat. The time stands at the start of the body.
            in_subject = find_times(self.subject, self.sent_at, self.ctx, self.writer_zone)
            found = [replace(f, pos=0) for f in in_subject]
        if not found and same_time_said(self.own) and len(self.message.text) > len(self.own):
            # "Können wir auf morgen, gleiche Uhrzeit, verschieben?": the clock is the quoted message's; only the
            # day said in the writer's own words counts.
            whole = find_times(self.message.text[:20_000], self.sent_at, self.ctx, self.writer_zone)
            found = [f for f in whole if f.pos < len(self.own)]
        if not found:
            return []
        # "Ginge es auch um 11:30 Uhr statt 10 Uhr?": the time named as the one replaced is no interview time.
        old = {(c.at.hour, c.at.minute) for c in self.clocks if self._replaced(c)}
        return [
            f
            for f in found
            if earliest <= f.start <= self.sent_at + timedelta(days=366) and (f.start.hour, f.start.minute) not in old
        ]

    @cached_property
    def clocks(self) -> list[ClockTime]:
        """Every clock time the writer's own text says, with or without a date."""
        return clock_times(self.own[:3000])

    def _replaced(self, clock: ClockTime) -> bool:
        """Whether `clock` is named as the time being replaced ("statt um 10 Uhr", "instead of 10")."""
        return bool(_OLD_TIME.search(self.own, max(0, clock.start - 25), clock.start))

    @cached_property
    def deadline(self) -> Deadline | None:
        return find_deadline(self.own, self.sent_at, self.ctx.zone)

    @cached_property
    def offer(self) -> re.Match[str] | None:
        # A reply's subject names its thread ("Re: Offer of employment" under "sorry you won't be joining us"):
        # only what the writer says now offers or rejects.
        return _unconditional(_OFFER, self.own if self.is_reply else self.both)

    @cached_property
    def rejection(self) -> re.Match[str] | None:
        if _DISREGARD.search(self.own):
            return None  # "bitte ignorieren Sie unsere E-Mail – die Absage wurde irrtümlich zugeschickt"
        return _unconditional(_REJECTION, self.own if self.is_reply else self.both)

    @cached_property
    def is_reply(self) -> bool:
        subject = self.message.subject
        return bool(self.message.in_reply_to) or bool(re.match(r"^\s*(?:re|aw|sv|antw)\s*:", subject, re.I))

    @cached_property
    def invite(self) -> re.Match[str] | None:
        # A reply's subject names its thread ("Re: Platform Engineer - 2nd stage"): only new words invite.
        text = self.own if self.is_reply else self.both
        for m in _unconditional_matches(_INVITE, text):
            if _ROUND_PHRASE.fullmatch(m.group(0)) and _DECISION_PENDING.search(_sentence_at(text, m.start())):
                continue  # "they'll decide on the next round by Friday": a decision to come, not an invitation
            return m
        return None

    @cached_property
    def confirmed_time(self) -> FoundTime | None:
        """A single interview time the text confirms (not one of several proposed slots)."""
        if not self.times:
            return None
        distinct = {f.start for f in self.times}
        cue = _CONFIRM.search(self.both)
        if cue is None or not _INTERVIEW_CONTEXT.search(self.both):
            # No confirming phrase about an interview: a person's plain statement of one time still fixes it.
            return self._time_a_person_fixed(distinct)
        if _PROPOSAL.search(self.own) and (len(distinct) > 1 or "?" in self.own):
            return None
        return self.times[0]

    @cached_property
    def quoted_time_confirmed(self) -> FoundTime | None:
        """ "Perfect, see you then" / "Parfait, à jeudi !" above the quoted thread: a person at the employer confirms
        the one time the message they answer holds (the candidate's proposal, or their own earlier ask)."""
        if self.person is None or self.from_user or not self.is_reply or self.times:
            return None
        if len(self.own.strip()) > 600 or not _CONFIRM_SHORT.search(self.own):
            return None
        blocks = quoted_messages(self.message.text)
        if not blocks:
            return None
        # All of the thread is read (an older message may hold the time "même heure" refers to), but only a time in
        # the newest quoted message is the one confirmed.
        quoted = "\n".join(blocks)[:2500]
        earliest = self.sent_at - timedelta(hours=1)
        found = [f for f in find_times(quoted, self.sent_at, self.ctx) if f.start >= earliest]
        mine = [f for f in found if f.pos < _newest_part(blocks[0])]
        starts = {f.start for f in mine}
        return mine[0] if len(starts) == 1 else None

    @cached_property
    def asked_time(self) -> FoundTime | None:
        """One time a person at the employer asks about ("Could you do a 45-minute call on Thursday, April 23 at
        3:00 PM Pacific?"): the interview stands at that time unless a later message replaces it."""
        return self._asked(require_context=True)

    @cached_property
    def loose_asked_time(self) -> FoundTime | None:
        """The same question with no word about the job ("Can you come by the office Friday at 9:30?")."""
        return self._asked(require_context=False)

    def _asked(self, *, require_context: bool) -> FoundTime | None:
        if self.confirmed_time is not None or self.person is None or self.from_user or not self.times:
            return None
        found = self.times[0]
        if len({f.start for f in self.times}) != 1:
            # "Laura has a clash on Thursday afternoon. Could you do Friday 13th at 9.30am instead?": the time
            # asked for *instead* is the one; otherwise several slots are the candidate's choice, fixed later.
            instead = {f.start: f for f in self.times if _INSTEAD.search(_sentence_at(self.own, f.pos))}
            if len(instead) != 1:
                return None
            found = next(iter(instead.values()))
        sentence = _sentence_at(self.own, found.pos)
        # The question may follow in its own line ("… um 14 Uhr per Zoom.\n\nPasst Ihnen der Termin?").
        after = self.own[found.pos : found.pos + 400]
        if "?" not in after and not _PROPOSAL.search(sentence) and not _INSTEAD.search(sentence):
            # A plain statement is `_time_a_person_fixed`'s; what is left is not about a meeting. A time asked for
            # instead of another is asked even without a question mark ("could you do Tuesday at 4pm instead, …").
            return None
        if _conditional(sentence) or self._names_decision_date(sentence):
            return None
        if require_context and not (self.text_about_hiring or self._job_said_near(found, sentence, self.subject)):
            return None  # "vielen Dank für Ihre Bewerbung … Passt Ihnen Dienstag um 15.30 Uhr?" is about the job
        return found

    @cached_property
    def moved_clock(self) -> time | None:
        """A person's reply that moves the interview to another time of the same day, with no date said ("Deepa
        has a clash - can we do 10:30 instead? Same day and same link", "am gleichen Tag um 14 Uhr statt um 10 Uhr",
        "a las 12:00 en lugar de a las 10:00"): the new clock time. The old time, named after "instead of",
        "statt", "au lieu de", "en lugar de", is not it; two different new times are a choice, not a move."""
        if self.person is None or self.from_user or self.times:
            return None
        if not self.is_reply and not _INTERVIEW_CONTEXT.search(self.subject):
            return None  # a reply, or a note about "notre entretien de mercredi"
        moved: dict[object, time] = {}
        for clock in self.clocks:
            sentence = _sentence_at(self.own, clock.start)
            if not _TIME_MOVE.search(sentence) or _conditional(sentence):
                continue
            if self._replaced(clock):
                continue  # "statt um 10 Uhr": the time it replaces
            moved.setdefault(_instant(clock.at, self.sent_at), clock.at)
        # "5pm SGT / 10am BST": one moment said in two zones is one new time.
        return next(iter(moved.values())) if len(moved) == 1 else None

    def _time_a_person_fixed(self, distinct: set[datetime]) -> FoundTime | None:
        """A person at the employer writing one time as a plain statement ("I'm scheduling a 45-minute interview
        for Wednesday, March 4 at 2:00 PM ET") fixes it: not a question, not one of several, not conditional."""
        if len(distinct) != 1 or self.person is None or self.from_user:
            return None
        found = self.times[0]
        sentence = _sentence_at(self.own, found.pos)
        tail = self.own[found.pos : found.pos + len(sentence) + 120].split("\n\n")[0]
        if "?" in tail or _PROPOSAL.search(sentence) or _conditional(sentence):
            return None
        if self._names_decision_date(sentence):
            return None  # "a final decision on Friday 20 March": the date they answer by, not a meeting
        # The job is said in the sentence, just before it, or by the thread it answers ("Re: … next steps").
        if not self._job_said_near(found, sentence, self.subject if self.is_reply else ""):
            return None
        return found

    def _names_decision_date(self, sentence: str) -> bool:
        return self.deadline is not None and self.deadline.phrase in sentence

    def _job_said_near(self, found: FoundTime, sentence: str, subject: str) -> bool:
        """The interview or the job is named in the time's sentence, in the lines just before it, or in `subject`."""
        invite = self.invite
        if invite is not None and invite.string.endswith(self.own):
            at = invite.start() - (len(invite.string) - len(self.own))  # where it stands in the writer's own text
            if 0 <= at < found.pos and "\n\n" not in self.own[at : found.pos]:
                return True  # "the team would like to meet you for a portfolio review! ... Tuesday 29 at 10"
        paragraphs = self.own[max(0, found.pos - 400) : found.pos].split("\n\n")
        before = paragraphs[-1][-200:]
        if _FIELD_LABEL.match(sentence) and len(paragraphs) > 1:
            # "Date: Tuesday 3 March 2026" under "we'd like to invite you to a second interview": the fields follow
            # the sentence that says what they are for.
            before = paragraphs[-2][-300:] + "\n" + before
        # The sentence after, in the same paragraph: "Tuesday 3pm works for Tom. He'll meet you at the restaurant."
        at = self.own.find(sentence, max(0, found.pos - len(sentence)))
        after = self.own[at + len(sentence) : at + len(sentence) + 200].split("\n\n")[0] if at >= 0 else ""
        after = after.lstrip(" \t.!?;:)")
        after = _sentence_at(after, 0) if after.strip() else ""
        return any(
            _INTERVIEW_CONTEXT.search(c) or _JOB_CONTEXT.search(c) or _FIX_TIME.search(c)
            for c in (sentence, before, after, subject)
        )

    @cached_property
    def personal(self) -> bool:
        """Signs that a message is about this candidate's own process (guards bulk detection)."""
        cal = self.calendar
        if cal is not None and cal.is_invitation:
            return True
        return bool(self.offer or self.rejection or self.confirmed_time is not None)

    @cached_property
    def no_follow_up(self) -> bool:
        if _NO_FOLLOW_UP.search(self.own):
            return True
        for m in _WE_WILL_REACH.finditer(self.own):
            sentence = _sentence_at(self.own, m.start())
            if find_deadline(sentence, self.sent_at, self.ctx.zone) is None:
                return True
        return False

    @cached_property
    def met(self) -> datetime | None:
        """The employer thanks for "your time today" (or yesterday): the interview had ended by then."""
        if self.from_user:
            return None
        m = _unconditional(_MET_TODAY, self.own[:3000])
        if m is None:
            return None
        return self.sent_at - timedelta(days=1) if _YESTERDAY.search(m.group(0)) else self.sent_at

    @cached_property
    def signals(self) -> tuple[str, ...]:
        """The named evidence this verdict rests on: who sent it, how, and every cue the rules looked up."""
        found = [f"sender:{self.sender_kind}"]
        if self.listed:
            found.append("listed")
        if self.machine_generated:
            found.append("machine-generated")
        if self.is_reply:
            found.append("in-a-thread")
        cal = self.calendar
        if cal is not None:
            found.append("calendar:" + ("cancel" if cal.cancelled else (cal.method or "event").lower()))
        for name in ("offer", "rejection", "invite"):
            if self.__dict__.get(name) is not None:
                found.append(f"cue:{name}")
        if self.__dict__.get("confirmed_time") is not None:
            found.append(f"time:{self.__dict__['confirmed_time'].start.isoformat(timespec='minutes')}")
        elif self.__dict__.get("asked_time") is not None:
            found.append(f"asked-time:{self.__dict__['asked_time'].start.isoformat(timespec='minutes')}")
        if self.__dict__.get("deadline") is not None:
            found.append(f"named-date:{self.__dict__['deadline'].day.isoformat()}")
        if self.__dict__.get("met") is not None:
            found.append("cue:thanks-for-your-time")
        if self.__dict__.get("moved_clock") is not None:
            found.append(f"moved-to:{self.__dict__['moved_clock'].isoformat(timespec='minutes')}")
        return tuple(found)

    @cached_property
    def sender_kind(self) -> str:
        """user, bounce, ats (applicant tracking or scheduling tool), bulk, automated, or person."""
        email = self.sender_email
        if self.from_user:
            return "user"
        if re.match(r"^(?:mailer-?daemon|postmaster|mail-?daemon)$", email.partition("@")[0], re.I):
            return "bounce"
        if is_ats_domain(email):
            return "ats"
        if is_job_board(email) or is_bulk_sender_domain(email):
            return "bulk"
        if not is_human(email) or is_automated_address(email):
            return "automated"
        return "person"

    @cached_property
    def person(self) -> Address | None:
        """The human who wrote: the sender, or for an ATS relay or robot the human Reply-To."""
        sender = self.message.sender
        real = [a for a in self.message.reply_to if is_human(a.email) and not is_ats_domain(a.email)]
        if sender is not None and self.human_sender and not is_ats_domain(sender.email):
            return sender
        if real and not self.ctx.is_user(real[0].email):
            return real[0]
        return sender if sender is not None and self.human_sender else None

    @cached_property
    def event_about_hiring(self) -> bool:
        """Whether the calendar event this message carries is about hiring (not a dentist's or a dinner).

        An ATS or scheduling tool's event always is; otherwise a hiring word must be in the event or the mail
        ("Celebrating Kiri's new job" at a family dinner is not), or a job word when the organiser writes from a
        company, not a free-mail address."""
        cal = self.calendar
        if cal is None or self.sender_kind == "ats":
            return True
        texts = " ".join((cal.summary, cal.description[:2000], self.subject, self.own[:3000]))
        if _HIRING.search(texts):
            return True
        organizer = cal.organizer.email if cal.organizer is not None else self.sender_email
        return bool(_JOB_CONTEXT.search(texts)) and not is_free_mail(organizer)

    @cached_property
    def agency(self) -> str | None:
        """The recruitment agency that wrote, by its domain, display name or signature."""
        return agency_of(self.message, self.message.text[:20_000])

    @cached_property
    def text_about_hiring(self) -> bool:
        """Whether the mail itself is about a job: an ATS or scheduling tool wrote it, it names a job title, or a
        hiring or job word is in its subject or its own text (a dentist's reminder or a dinner invitation has none)."""
        if self.sender_kind == "ats" or self.role is not None or self.agency is not None:
            return True  # a scheduling robot, a job title ("Tallow Works - Platform Engineer"), or an agency
        texts = self.subject + "\n" + self.own[:3000]
        if self.sender_kind == "automated":
            # A robot that is no ATS: "application" and "applicant" are a passport's or an ID card's words too
            # ("Application Reference Number", "Smart ID Card Application"); another job word must say hiring.
            return any(
                not _GENERIC_APPLY_WORD.fullmatch(m.group(0))
                for pattern in (_HIRING, _JOB_CONTEXT)
                for m in pattern.finditer(texts)
            )
        return bool(_HIRING.search(texts) or _JOB_CONTEXT.search(texts))

    @cached_property
    def meeting_offer(self) -> re.Match[str] | None:
        """A person offers to talk: a call proposed, a slot asked about, or a booking page linked."""
        if self.person is None or self.from_user:
            return None
        return _unconditional(_MEETING_OFFER, self.own[:3000]) or _BOOKING_LINK.search(self.message.text[:6000])

    def people(self) -> tuple[Address, ...]:
        cal = self.calendar
        people: list[Address] = []
        if cal is not None:
            if cal.interview is not None:
                people.extend(cal.interview.interviewers)
            if cal.organizer is not None:
                people.append(cal.organizer)
        return tuple(people)

    @cached_property
    def company(self) -> str | None:
        summary = self.calendar.summary if self.calendar else ""
        # "an interview with Mark Obi, their Head of Data": a person the text names is not the company.
        known = self.message.recipients + self.message.reply_to
        _, named = find_interviewers(self.own, known, self.ctx.user_names)
        return find_company(self.message, self.own, summary, self.people(), exclude_names=named)

    @cached_property
    def role(self) -> str | None:
        summary = self.calendar.summary if self.calendar else ""
        return find_role(self.message.subject, self.own, summary)

    def verdict(
        self,
        kind: Kind,
        rule: str,
        reason: str,
        interview: InterviewInfo | None = None,
        employer: bool = True,
    ) -> Verdict:
        """A verdict; employer kinds also carry company, role, deadline and the no-follow-up preference."""
        if not employer:
            return Verdict(kind=kind, rule=rule, reason=reason, signals=self.signals)
        company, role, deadline, no_follow_up, met = (
            self.company,
            self.role,
            self.deadline,
            self.no_follow_up,
            self.met,
        )
        agency = self.agency
        if agency is not None and company is not None and same_company(company_key(company), company_key(agency)):
            agency = None  # the agency named only itself
        next_round = 7 if kind is Kind.INTERVIEW and interview is None and same_time_next_week(self.own) else None
        return Verdict(
            next_round_in_days=next_round,
            kind=kind,
            rule=rule,
            reason=reason,
            agency=agency if company else None,
            company=company,
            role=role,
            interview=interview,
            deadline=deadline,
            no_follow_up=no_follow_up,
            met=met,
            signals=self.signals,
        )


def _instant(clock: time, day: datetime) -> object:
    """A comparable key for a time of day on `day`: the UTC moment when it names a zone, else the clock itself."""
    if clock.tzinfo is None:
        return clock
    local = datetime.combine(day.date(), clock.replace(tzinfo=None), tzinfo=clock.tzinfo)
    return local.astimezone(UTC).replace(tzinfo=None)


def _unconditional(pattern: Pattern, text: str, stops: str = ".!?\n") -> re.Match[str] | None:
    """The first match not introduced by "if", "unless", "before", … in the few words before it (back to one of
    `stops`)."""
    return next(_unconditional_matches(pattern, text, stops), None)


def _unconditional_matches(pattern: Pattern, text: str, stops: str = ".!?\n") -> Iterator[re.Match[str]]:
    for m in pattern.finditer(text):
        window = text[max(0, m.start() - 120) : m.start()]
        window = re.split(f"[{re.escape(stops)}]", window)[-1]
        if not _conditional(window):
            yield m


def _conditional(text: str) -> bool:
    """Whether `text` says "if", "unless", "falls", "si", … as a condition. "They asked if you could do Tuesday",
    "wissen, ob", "demandent si", "preguntan si" ask a question instead."""
    return any(
        not _INDIRECT_QUESTION.search(text, max(0, m.start() - 40), m.start()) or _OTHERWISE.search(text, m.end())
        for m in _CONDITIONAL.finditer(text)
    )


# "It would be good if you could send the form by Friday, otherwise …": a suggestion with a threat is a condition.
_OTHERWISE = re.compile(
    r"\b(?:otherwise|or\s+else|sonst|andernfalls|ansonsten|sinon|faute\s+de\s+quoi|de\s+lo\s+contrario"
    r"|en\s+caso\s+contrario)\b",
    re.IGNORECASE,
)


# Where a sentence ends: a line break, "!", or a full stop that is not an ordinal ("den 14. Oktober"), a time
# ("14.30"), or an abbreviation ("Dr.", "z.B.", "Mme.", "approx.").
_SENTENCE_END = gated(
    re.compile(
        r"\n|!|\?|(?<!\d)(?<!\b[A-Za-z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)(?<!\bSt)(?<!\bca)(?<!\bNr)"
        r"(?<!\bNo)(?<!\bMme)(?<!\bSra)(?<!\bSr)(?<!\bvs)(?<!\bbzw)(?<!\bapprox)(?<!\betc)\.(?!\d)"
    )
)


def _newest_part(block: str) -> int:
    """How much of a quoted block its own writer wrote: an Outlook block ("Von: … Gesendet: …") may end with the
    message it answered, quoted with "> " (the candidate's choice of slot above the recruiter's list of slots)."""
    seen_text, at = False, 0
    for line in block.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith(">") and seen_text:
            return at
        # The "On … wrote:" line that opens a Gmail quote is not what the block's writer wrote.
        seen_text = seen_text or bool(stripped and not stripped.startswith(">") and not is_attribution(stripped))
        at += len(line)
    return len(block)


def _sentence_at(text: str, pos: int) -> str:
    """The sentence around `pos`, cut at line breaks and at real sentence ends."""
    window_start = max(0, pos - 600)
    starts = [m.end() for m in _SENTENCE_END.finditer(text, window_start, pos)]
    start = starts[-1] if starts else window_start if window_start else 0
    end_match = _SENTENCE_END.search(text, pos, pos + 600)
    return text[start : end_match.start() if end_match else min(len(text), pos + 600)]


def _quote(m: re.Match[str] | str) -> str:
    words = " ".join((m.group(0) if isinstance(m, re.Match) else m).split())
    return f'"{words[:80]}"'


# A tiny cache: the rules of one `detect` call share one Facts object.
_current: dict[tuple[int, int], Facts] = {}


def facts(message: Message, ctx: DetectContext) -> Facts:
    key = (id(message), id(ctx))
    found = _current.get(key)
    if found is None or found.message is not message or found.ctx is not ctx:
        _current.clear()
        found = Facts(message, ctx)
        _current[key] = found
    return found


# ---------------------------------------------------------------------------------------------------------
# the rules


def bounce(message: Message, ctx: DetectContext) -> Verdict | None:
    """Delivery failures: multipart/report, mailer-daemon/postmaster senders, "Undeliverable" subjects."""
    f = facts(message, ctx)
    local = f.sender_email.partition("@")[0]
    if message.is_report:
        return f.verdict(Kind.BOUNCE, "bounce", "the message is a delivery report", employer=False)
    if re.match(r"^(?:mailer-?daemon|postmaster|mail-?daemon)$", local, re.I):
        return f.verdict(Kind.BOUNCE, "bounce", f"sent by {f.sender_email}", employer=False)
    if m := _BOUNCE_SUBJECT.search(message.subject):
        return f.verdict(Kind.BOUNCE, "bounce", f"the subject says {_quote(m)}", employer=False)
    return None


def auto_reply(message: Message, ctx: DetectContext) -> Verdict | None:
    """Out-of-office and other automatic replies (RFC 3834 headers, "Automatic reply:" subjects, OOO wording)."""
    f = facts(message, ctx)
    if f.from_user:
        return None
    auto = f.auto_submitted
    if auto.startswith("auto-replied"):
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", "Auto-Submitted: auto-replied", employer=False)
    for header in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if message.header(header):
            return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"it has an {header} header", employer=False)
    if (message.header("precedence") or "").strip().lower() == "auto_reply":
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", "Precedence: auto_reply", employer=False)
    if m := _OOO_SUBJECT.search(message.subject):
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"the subject says {_quote(m)}", employer=False)
    # Mail that is short and says nothing about the application: a ticket receipt, or a mailbox nobody reads.
    quiet = len(f.own) < 1500 and not (f.offer or f.rejection or f.invite or f.times)
    ticket = _TICKET_SUBJECT.search(message.subject) or _TICKET_BODY.search(f.own[:800])
    if ticket and quiet:
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"a helpdesk receipt: {_quote(ticket)}", employer=False)
    if (gone := _GONE_BODY.search(f.own[:600])) and quiet:
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"the writer is gone: {_quote(gone)}", employer=False)
    head = f.own[:600]
    m_body = _OOO_BODY.search(head)
    if m_body is None:
        return None
    generated = bool(auto and not auto.startswith("no")) or bool(
        message.header("x-auto-response-suppress") or message.header("x-ms-exchange-generated-message-source")
    )
    if generated:
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"automatic mail saying {_quote(m_body)}", employer=False)
    # No header says so: only a short note that is about being away, and says nothing about the application.
    if (
        len(f.own) < 1500
        and _OOO_ABSENCE.search(f.own[:800])
        and f.deadline is None
        and not (f.offer or f.rejection or f.invite or f.times)
    ):
        return f.verdict(Kind.AUTO_REPLY, "auto_reply", f"an away notice: {_quote(m_body)}", employer=False)
    return None


def calendar_response(message: Message, ctx: DetectContext) -> Verdict | None:
    """An attendee's calendar answer ("Accepted: Interview …", METHOD:REPLY): the calendar wrote it, not a reply."""
    f = facts(message, ctx)
    if f.from_user:
        return None
    if f.calendar is not None and f.calendar.method == "REPLY":
        return f.verdict(Kind.AUTO_REPLY, "calendar_response", "a calendar reply (METHOD:REPLY)", employer=False)
    m = _CAL_RESPONSE_SUBJECT.match(message.subject)
    if m is None:
        return None
    body = _CAL_RESPONSE_BODY.search(f.own)
    # Outlook sends these with an empty body, or with a one-line comment of the attendee's.
    if body or len(f.own) < 300 or any(re.search(r"^METHOD:\s*REPLY", c, re.M | re.I) for c in message.calendars):
        return f.verdict(
            Kind.AUTO_REPLY, "calendar_response", f"a calendar response: the subject says {_quote(m)}", employer=False
        )
    return None


def sent_agent_draft(message: Message, ctx: DetectContext) -> Verdict | None:
    """A sent message that started as one of our drafts: its X-Followup-Agent-Key names the step."""
    f = facts(message, ctx)
    key = (message.header("x-followup-agent-key") or "").strip()
    if not key or not f.from_user:
        return None
    if "thank_you" in key:
        return f.verdict(Kind.SENT_THANK_YOU, "sent_agent_draft", f"our thank-you draft {key}", employer=False)
    if "follow_up" in key:
        return f.verdict(Kind.SENT_FOLLOW_UP, "sent_agent_draft", f"our follow-up draft {key}", employer=False)
    return None


def sent_mail(message: Message, ctx: DetectContext) -> Verdict | None:
    """Mail the user sent: a thank-you note, a follow-up, or something else."""
    f = facts(message, ctx)
    if not f.from_user:
        return None
    # A colon ends the clause a condition belongs to ("… bevor ihr Zeit investiert: Ich ziehe meine Bewerbung zurück").
    withdrawal = _unconditional(_WITHDRAWAL, f.own[:3000], stops=".!?\n:;")
    if withdrawal is not None:
        # "I'd like to withdraw my application", "ziehe meine Bewerbung zurück", "je retire ma candidature",
        # "decline the offer": nothing more may be drafted for it.
        return f.verdict(Kind.SENT_WITHDRAWAL, "sent_mail", f"the user wrote {_quote(withdrawal)}", employer=False)
    # A reply's subject is its thread's ("RE: Agradecimiento por la entrevista"): what the user wrote decides.
    said = f.own if f.is_reply else f.both
    thanks = _THANK_YOU.search(said)
    follow = _FOLLOW_UP.search(said)
    applying = _APPLYING.search(f.own[:3000])
    # "Thanks for your time and consideration" closes an application; only thanks for a meeting just held outweigh it.
    recent_thanks = thanks is not None and _RECENT.search(said, max(0, thanks.start() - 80), thanks.end() + 80)
    if applying is not None and not follow and not f.is_reply and not recent_thanks:
        # "I would like to be considered … my resume is attached", "je vous adresse ma candidature", "adjunto mi CV".
        return f.verdict(Kind.SENT_APPLICATION, "sent_mail", f"the user wrote {_quote(applying)}", employer=False)
    # A follow-up usually thanks again too; a thank-you is about a conversation that just happened.
    if follow and not (thanks and _RECENT.search(f.own)):
        return f.verdict(Kind.SENT_FOLLOW_UP, "sent_mail", f"the user wrote {_quote(follow)}", employer=False)
    if thanks:
        return f.verdict(Kind.SENT_THANK_YOU, "sent_mail", f"the user wrote {_quote(thanks)}", employer=False)
    return f.verdict(Kind.SENT_OTHER, "sent_mail", "the user sent it", employer=False)


def bulk(message: Message, ctx: DetectContext) -> Verdict | None:
    """Job alerts, newsletters, webinars and marketing; never a message about the user's own process."""
    f = facts(message, ctx)
    cal = f.calendar
    invited = cal is not None and cal.is_invitation
    board = is_job_board(f.sender_email)
    alert = _JOB_ALERT.search(f.subject) or (_JOB_ALERT.search(f.own[:3000]) if board or f.listed else None)
    if board and alert and not invited and not (f.offer or f.rejection):
        return f.verdict(Kind.BULK, "bulk", f"a job-board alert: {_quote(alert)}", employer=False)
    coaching = _COACHING.search(f.subject) or _COACHING.search(f.own[:2000])
    if coaching and (f.listed or f.sender_kind != "person" or _COACHING.search(f.subject)) and not f.offer:
        return f.verdict(Kind.BULK, "bulk", f"interview-prep marketing: {_quote(coaching)}", employer=False)
    # A marketing subject sent in bulk is marketing even if the body says "your interview" to sound personal.
    subject_hit = _MARKETING_SUBJECT.search(f.subject)
    if subject_hit and _ACK.search(f.own[:1500]) and not f.listed:
        subject_hit = None  # "Hemos recibido tu solicitud – Productor/a de podcast": the job's title, not marketing
    if (
        subject_hit
        and (f.listed or not f.human_sender or f.sender_kind == "ats")
        and not (invited or f.offer or f.rejection)
    ):
        return f.verdict(Kind.BULK, "bulk", f"marketing: the subject says {_quote(subject_hit)}", employer=False)
    registered = _EVENT_REGISTRATION.search(f.subject + "\n" + f.own[:3000] + "\n" + (cal.summary if cal else ""))
    if registered and (f.listed or not f.human_sender) and not (f.offer or f.rejection or f.is_reply):
        # "You're registered for DataCamp Live: Cracking the SQL Interview" with its Zoom invite: an audience of
        # hundreds, not an interview, whoever sends it.
        return f.verdict(Kind.BULK, "bulk", f"a registration for an event: {_quote(registered)}", employer=False)
    if f.personal:
        return None  # a real confirmation may carry List-Unsubscribe and an "ace your interview" tips link
    if f.invite and not (f.listed and _SUBSCRIBED.search(f.own)):
        return None  # but "5 tips for your next technical interview" in a newsletter is no invitation
    # An application sent through the board ("Votre candidature chez Maison Vireo a bien été envoyée", "Your
    # application was sent to X") is the board's receipt, not its marketing: the acknowledgement rule reads it.
    receipt = not f.listed and (_ACK.search(f.subject) or _ACK.search(f.own[:1500]))
    if board and (f.listed or is_automated_address(f.sender_email)) and not receipt:
        return f.verdict(Kind.BULK, "bulk", f"an automated job-board mail from {f.sender_email}", employer=False)
    if alert and (f.listed or not f.human_sender):
        return f.verdict(Kind.BULK, "bulk", f"a job alert: {_quote(alert)}", employer=False)
    if message.header("list-id") or message.header("list-post"):
        return f.verdict(Kind.BULK, "bulk", "mailing-list mail (List-Id)", employer=False)
    if f.listed or is_bulk_sender_domain(f.sender_email):
        if is_bulk_sender_domain(f.sender_email) and not f.human_sender:
            return f.verdict(Kind.BULK, "bulk", f"sent by a bulk mailer ({f.sender_email})", employer=False)
        hits = {h.lower() for h in _MARKETING_BODY.findall(f.own)}
        strong = sorted(h for h in hits if not h.startswith(("unsubscribe", "subscribe")))
        if (len(hits) >= 2 and strong) or (strong and not f.human_sender):
            return f.verdict(Kind.BULK, "bulk", f"bulk mail mentioning {_quote(strong[0])}", employer=False)
    return None


def acknowledgement(message: Message, ctx: DetectContext) -> Verdict | None:
    """ "We received your application" (unless the same message also invites, schedules, offers or rejects)."""
    f = facts(message, ctx)
    m = _ACK.search(f.both)
    if m is None or f.offer or f.rejection or f.invite or f.confirmed_time is not None or f.asked_time is not None:
        return None
    if f.calendar is not None and (f.calendar.is_invitation or f.calendar.cancelled):
        return None
    if f.sender_kind == "person" and f.meeting_offer is not None:
        # "Thanks for applying! I'd love to do a quick intro call - are you free tomorrow?"
        return f.verdict(
            Kind.INTERVIEW,
            "interview_invitation",
            f"it thanks for applying and offers to talk: {_quote(f.meeting_offer)}",
        )
    if f.sender_kind == "person" and f.deadline is not None and not is_role_address(f.sender_email):
        # "Gracias por su interés … comunicará a los seleccionados a más tardar el 15 de mayo": a person's answer
        # with the date they will decide by.
        return f.verdict(Kind.REPLY, "acknowledgement", f"a person thanks for applying and names {f.deadline.day}")
    if f.sender_kind == "person" and (asked := _REQUEST.search(f.own[:3000]) or _QUESTION.search(f.own[:3000])):
        # "Thanks for applying … before I put you forward could you send over your CV": a recruiter answering, not
        # a receipt (and an agency's answer starts no application of its own).
        return f.verdict(Kind.REPLY, "acknowledgement", f"a person thanks for applying and asks: {_quote(asked)}")
    return f.verdict(Kind.ACKNOWLEDGEMENT, "acknowledgement", f"it says {_quote(m)}")


def offer(message: Message, ctx: DetectContext) -> Verdict | None:
    """A job offer: "pleased to offer you", "offer letter", "extend an offer", "offer of employment"."""
    f = facts(message, ctx)
    if f.offer is None:
        return None
    if f.rejection is not None and re.search(r"offer", f.rejection.group(0), re.I):
        return None  # "we have extended an offer to another candidate"
    return f.verdict(Kind.OFFER, "offer", f"it says {_quote(f.offer)}")


def rejection(message: Message, ctx: DetectContext) -> Verdict | None:
    """A rejection, soft ones included: "not moving forward", "other candidates", "position has been filled"."""
    f = facts(message, ctx)
    if f.rejection is None:
        return None
    if len(f.rejection.group(0).split()) == 1 and (
        _CANCEL_TEXT.search(f.both) or _CANCEL_SUBJECT.search(message.subject)
    ):
        # "Lamentablemente debemos cancelar la entrevista": the regret is about the interview, not the candidate.
        return None
    return f.verdict(Kind.REJECTION, "rejection", f"it says {_quote(f.rejection)}")


def cancellation(message: Message, ctx: DetectContext) -> Verdict | None:
    """An interview was cancelled: a calendar CANCEL, or "your interview has been cancelled"."""
    f = facts(message, ctx)
    cal = f.calendar
    if cal is not None and cal.cancelled:
        what = "METHOD:CANCEL" if cal.method == "CANCEL" else "STATUS:CANCELLED"
        return f.verdict(Kind.CANCELLATION, "cancellation", f"the calendar invite says {what}", cal.interview)
    if cal is not None and cal.is_invitation:
        return None  # a new invitation in the same message wins over words about the old one
    m = _CANCEL_TEXT.search(f.both) or _CANCEL_SUBJECT.search(message.subject)
    if m is None:
        return None
    if _RESCHEDULE.search(f.own) and f.confirmed_time is not None:
        return None  # moved, not cancelled: the interview rule picks up the new time
    return f.verdict(Kind.CANCELLATION, "cancellation", f"it says {_quote(m)}")


def interview_calendar(message: Message, ctx: DetectContext) -> Verdict | None:
    """A calendar invitation (text/calendar or .ics) for a timed event."""
    f = facts(message, ctx)
    cal = f.calendar
    if cal is None or not cal.is_invitation or cal.interview is None:
        return None
    info = cal.interview
    if not info.interviewers:
        # Invites sent by a robot (GoodTime, Calendly) name the people in the description or the mail.
        addrs, names = find_interviewers(
            cal.description + "\n" + f.own, message.recipients + message.reply_to, ctx.user_names
        )
        info = InterviewInfo(
            start=info.start,
            end=info.end,
            interviewers=tuple(a for a in addrs if not ctx.is_user(a.email)),
            interviewer_names=names,
            uid=info.uid,
            sequence=info.sequence,
            location=info.location,
        )
    title = f'"{cal.summary[:60]}"' if cal.summary else "an event"
    verdict = f.verdict(
        Kind.INTERVIEW,
        "interview_calendar",
        f"a calendar invitation for {title} at {info.start.isoformat(timespec='minutes')}",
        info,
    )
    if f.event_about_hiring:
        return verdict
    # "Portfolio review" from the hiring manager is an interview; a dentist's appointment is not. Only the
    # application (a known thread, contact or domain) tells them apart, so the engine decides.
    return replace(
        verdict, reason=verdict.reason + "; nothing says hiring: an interview only if it joins", joins_only=True
    )


def interview_text(message: Message, ctx: DetectContext) -> Verdict | None:
    """A confirmation in words: a confirming phrase and one date with a time ("Tuesday, March 10 at 2pm ET")."""
    f = facts(message, ctx)
    found = f.confirmed_time or f.asked_time or f.quoted_time_confirmed
    # Without a word about the job, a person's question about one time is an interview only from someone an
    # application already knows (the engine checks): "Can you come by the office Friday at 9:30?"
    joins_only = False
    if found is None and f.sender_kind == "person" and not is_free_mail(f.sender_email):
        found, joins_only = f.loose_asked_time, True
    if found is None:
        return None
    if f.calendar is not None and f.calendar.is_invitation and not f.event_about_hiring:
        return None  # the words describe the same dentist's appointment the calendar file does
    known = message.recipients + message.reply_to + ((message.sender,) if message.sender else ())
    addrs, names = find_interviewers(f.own, known, ctx.user_names)
    addrs = tuple(a for a in addrs if not ctx.is_user(a.email))
    company = (f.company or "").lower()
    names = tuple(n for n in names if n.lower() != company)
    if f.person is not None and f.person not in addrs and _WITH_ME.search(f.own):
        addrs = (*addrs, f.person)  # "with Lena Vogel (Head of Engineering) and me": the writer interviews too
    if not addrs:
        # A recruiter confirming "our call" is the person the candidate will talk to, and an agency's recruiter who
        # only names the client's interviewer ("with Mark Obi, their Head of Data") is who a thank-you can reach;
        # a scheduling robot's Reply-To (Calendly, an ATS) is the human behind the booking.
        if f.person is not None and (not names or f.agency is not None):
            addrs = (f.person,)
        elif not names:
            addrs = tuple(a for a in message.reply_to if is_human(a.email) and not ctx.is_user(a.email))[:1]
    end = found.end
    loop_end = schedule_end(f.own, found)
    if loop_end is not None and (end is None or loop_end > end):
        end = loop_end
    tentative = f.confirmed_time is None
    info = InterviewInfo(start=found.start, end=end, interviewers=addrs, interviewer_names=names, tentative=tentative)
    if not f.text_about_hiring:
        # "Your appointment with Dr. Wong, Tuesday at 8:15. Reply C to confirm": a time confirmed with no word
        # about a job is an interview only in an application's thread or from its people (the engine checks).
        joins_only = True
    if tentative:
        verdict = f.verdict(
            Kind.INTERVIEW,
            "interview_text",
            f"it asks about {found.start.isoformat(timespec='minutes')} (one time, unless a later message moves it)",
            info,
        )
        return replace(verdict, joins_only=joins_only)
    cue = _CONFIRM.search(f.both)
    verdict = f.verdict(
        Kind.INTERVIEW,
        "interview_text",
        f"it confirms {found.start.isoformat(timespec='minutes')} ({_quote(cue) if cue else 'a time'})",
        info,
    )
    return replace(verdict, joins_only=joins_only)


def interview_moved(message: Message, ctx: DetectContext) -> Verdict | None:
    """A reply in the interview's thread that moves it to another time of the same day, and says no date."""
    f = facts(message, ctx)
    if f.moved_clock is None or f.offer or f.rejection:
        return None
    if f.calendar is not None and f.calendar.is_invitation:
        return None  # the updated invitation carries the whole new time itself
    clock = f.moved_clock.isoformat(timespec="minutes")
    verdict = f.verdict(Kind.INTERVIEW, "interview_moved", f"it moves the interview to {clock} the same day")
    # Only the interview of a known application can move: the engine checks that it joins one.
    return replace(verdict, moved_to=f.moved_clock, joins_only=True)


def cold_outreach(message: Message, ctx: DetectContext) -> Verdict | None:
    """A recruiter's pitch ("I came across your profile", "my client"): a person wrote it, but it starts nothing.

    It is a reply (a person), so it must not reach the invitation rule, whose verdict creates an application.
    """
    f = facts(message, ctx)
    if not f.human_sender:
        return None
    hits = {" ".join(m.group(0).lower().split()) for m in _PITCH.finditer(f.own)}
    if len(hits) < 2:
        return None
    if f.invite is not None and re.search(
        r"\b(?:interview|round|stage|entretien|vorstellungsgespräch|entrevista)\b",
        _sentence_at(f.invite.string, f.invite.start()),
        re.I,
    ):
        return None  # an agency inviting to its client's interview ("my client would like to invite you to …")
    return f.verdict(Kind.REPLY, "cold_outreach", f"a recruiter's pitch: {', '.join(sorted(hits))[:120]}")


def interview_invitation(message: Message, ctx: DetectContext) -> Verdict | None:
    """An invitation to interview, or to a further round, without a fixed time yet ("schedule a time")."""
    f = facts(message, ctx)
    if f.invite is not None:
        return f.verdict(Kind.INTERVIEW, "interview_invitation", f"it says {_quote(f.invite)}")
    if f.is_reply and f.sender_kind == "person" and f.meeting_offer is not None and _JOB_CONTEXT.search(f.both):
        # In a thread about the job, an offer to talk is the next step.
        return f.verdict(Kind.INTERVIEW, "interview_invitation", f"it offers to talk: {_quote(f.meeting_offer)}")
    proposal = _PROPOSAL.search(f.own)
    if proposal and f.times and f.agency is not None and _YOUR_APPLICATION.search(f.both):
        # An agency answering the candidate's application with slots for a screening call ("Je vous remercie pour
        # votre candidature … Seriez-vous disponible ? Je vous propose : jeudi 26/02 à 11h …") arranges an interview.
        return f.verdict(Kind.INTERVIEW, "interview_invitation", f"it proposes times: {_quote(proposal)}")
    if f.sender_kind == "person" and f.meeting_offer is not None and not is_free_mail(f.sender_email):
        # A new thread: an offer to talk is an invitation from someone an application knows, else nothing.
        verdict = f.verdict(Kind.INTERVIEW, "interview_invitation", f"it offers to talk: {_quote(f.meeting_offer)}")
        # "I look after recruiting at Rheinwerk … pick a slot" says what the talk is about; a bare "want to hop on
        # a call?" from a stranger's company does not.
        # An agency's offer to talk is its pitch until the user's own application knows it.
        return verdict if f.text_about_hiring and f.agency is None else replace(verdict, joins_only=True)
    # Several proposed slots ("do any of these times work for you?"): scheduling is under way.
    if proposal and f.times and _INTERVIEW_CONTEXT.search(f.both):
        return f.verdict(
            Kind.INTERVIEW, "interview_invitation", f"it proposes times for an interview: {_quote(proposal)}"
        )
    return None


def status_update(message: Message, ctx: DetectContext) -> Verdict | None:
    """An applicant-tracking system's interim notice with the date they will answer by ("Zwischenbescheid … bis zum
    15. April eine Rückmeldung", "we expect to update you by March 20"): the employer's word, though no person's."""
    f = facts(message, ctx)
    if f.sender_kind != "ats" or f.from_user or f.deadline is None or not f.text_about_hiring:
        return None
    return f.verdict(Kind.REPLY, "status_update", f"an update that names {f.deadline.day}")


def agency_submission(message: Message, ctx: DetectContext) -> Verdict | None:
    """An agency's recruiter telling they put the user forward to a client they name ("I've shared your CV with
    Fenwick & Cole", "Ihr Profil unserem Mandanten, der Isarwerk AG, vorgestellt"): a reply that starts the
    application with that client, as the user's own application would."""
    f = facts(message, ctx)
    if not f.human_sender or f.agency is None or f.company is None or not _SUBMISSION.search(f.own):
        return None
    verdict = f.verdict(Kind.REPLY, "agency_submission", f"{f.agency} put the user forward to {f.company}")
    if verdict.agency is None:
        return None  # `verdict` drops an agency that named only itself: no client
    return replace(verdict, starts_application=True)


def reply(message: Message, ctx: DetectContext) -> Verdict | None:
    """Any other message written by a person."""
    f = facts(message, ctx)
    if not f.human_sender:
        return None
    return f.verdict(Kind.REPLY, "reply", f"written by a person ({f.sender_email})")


def unrelated(message: Message, ctx: DetectContext) -> Verdict | None:
    """Everything else: automated mail with nothing specific in it."""
    f = facts(message, ctx)
    who = f.sender_email or "an unknown sender"
    why = "machine-generated" if f.machine_generated or not is_human(who) else "nothing matched"
    return f.verdict(Kind.UNRELATED, "unrelated", f"{why} mail from {who}", employer=False)


# The cues whose match could make a rule before `reply` fire for a person's mail from a free-mail address with no
# list or robot headers and no calendar. The rest need what such mail lacks: `confirm`, `proposal` and
# `meeting_offer` count only beside `interview_context` or `job_context`; the bulk cues only with list headers or
# a robot sender; an offer to talk only from a company's domain.
_DECIDING_CUES: tuple[Pattern, ...] = tuple(
    cue(name)
    for name in (
        "bounce_subject", "ooo_subject", "ooo_body", "gone_body", "ticket_body", "ooo_absence",
        "cal_response_subject", "cal_response_body", "coaching", "ack", "offer", "rejection", "cancel_text",
        "cancel_subject", "reschedule", "time_move", "interview_context", "invite", "pitch", "hiring",
        "job_context", "fix_time", "round_phrase",
    )
)  # fmt: skip


def plainly_personal(message: Message, ctx: DetectContext) -> bool:
    """A friend's letter: a person at a free-mail address, no list or robot headers, no calendar, no job title,
    and no deciding cue in what they wrote. The rule chain would call it a reply, and `detect` says so without
    running it (most of a first scan's bodies are such letters; a test holds the two to the same verdict)."""
    f = facts(message, ctx)
    if message.is_report or message.calendars or f.from_user or f.listed or f.machine_generated:
        return False
    if f.sender_kind != "person" or not is_free_mail(f.sender_email):
        return False
    if message.header("list-id") or message.header("list-post"):
        return False
    if any(pattern.search(text) for pattern in _DECIDING_CUES for text in (message.subject, f.both)):
        return False
    return f.role is None


RULES: tuple[tuple[str, Rule], ...] = (
    ("bounce", bounce),
    ("auto_reply", auto_reply),
    ("calendar_response", calendar_response),
    ("sent_agent_draft", sent_agent_draft),
    ("sent_mail", sent_mail),
    ("bulk", bulk),
    ("acknowledgement", acknowledgement),
    ("offer", offer),
    ("rejection", rejection),
    ("cancellation", cancellation),
    ("interview_calendar", interview_calendar),
    ("interview_text", interview_text),
    ("interview_moved", interview_moved),
    ("cold_outreach", cold_outreach),
    ("interview_invitation", interview_invitation),
    ("status_update", status_update),
    ("agency_submission", agency_submission),
    ("reply", reply),
    ("unrelated", unrelated),
)
