"""The HTML report renderer, on hand-built histories: escaping, filters and counts, the timezone, the policy."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from agent.config import PolicyConfig
from agent.models import (
    Address,
    Application,
    AppState,
    Deadline,
    DraftRecord,
    DraftStatus,
    Event,
    History,
    Interview,
    Kind,
    StepKind,
)
from agent.policy import Policy
from agent.report import AppFacts, ReportInput, render_report

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
ME = Address("Alex Candidate", "alex@example.com")
HOSTILE_SUBJECT = '<script>document.title="pwned"</script><img src=x onerror="alert(1)">'
HOSTILE_NAME = 'Eve "><svg onload=alert(2)>'


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def _history(app_id: int, company: str, *, subject: str = "Interview", sender_name: str = "Priya Shah") -> History:
    recruiter = Address(sender_name, f"priya@{company.lower().replace(' ', '')}.com")
    invite = Event(
        message_id=f"invite-{app_id}@x",
        at=at("2026-02-20T10:00"),
        kind=Kind.INTERVIEW,
        rule="calendar_invitation",
        sender=recruiter,
        recipients=(ME,),
        subject=subject,
        human=True,
        reply_address=recruiter,
    )
    interview = Interview(
        app_id, at("2026-03-02T10:00"), at("2026-03-02T11:00"), (recruiter,), message_id=invite.message_id
    )
    return History(Application(app_id, company, "Engineer", (f"{company.lower()}.com",)), (invite,), (interview,))


def _facts(history: History, now: datetime, policy: Policy) -> AppFacts:
    return AppFacts(history, policy.decide(history, now), {e.message_id: "a reason" for e in history.events})


def _render(histories: list[History], now: datetime, zone: ZoneInfo = NY) -> BeautifulSoup:
    policy = Policy.from_config(PolicyConfig(timezone=str(zone)))
    report = ReportInput(tuple(_facts(h, now, policy) for h in histories), now, zone, str(zone))
    return BeautifulSoup(render_report(report), "lxml")


def test_subjects_and_names_from_mail_are_text_never_markup() -> None:
    history = _history(1, "Acme", subject=HOSTILE_SUBJECT, sender_name=HOSTILE_NAME)
    policy = Policy.from_config(PolicyConfig(timezone="America/New_York"))
    html = render_report(
        ReportInput((_facts(history, at("2026-03-04T09:00"), policy),), at("2026-03-04T09:00"), NY, "NY")
    )
    page = BeautifulSoup(html, "lxml")
    assert page.find_all("script") == []
    assert page.find_all("img") == []
    assert [t for t in page.find_all(True) if any(a.lower().startswith("on") for a in t.attrs)] == []
    assert "<script>" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
    # The words themselves are shown, in the explain table and in the marker's tooltip.
    assert HOSTILE_SUBJECT in page.select_one("#app-1 td.subject").get_text()
    assert any(HOSTILE_SUBJECT in t.get_text() for t in page.select("#app-1 svg title"))
    assert HOSTILE_NAME in page.select_one("#app-1 .explain").get_text()


def test_the_policy_forbids_scripts_and_loads_and_allows_only_its_own_style() -> None:
    html = render_report(ReportInput((), at("2026-03-04T09:00"), NY, "America/New_York"))
    page = BeautifulSoup(html, "lxml")
    csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    style = page.find("style").string
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp
    assert "No applications yet" in page.get_text()
    assert not re.search(r"(src|href)=\"(?!#)", html)  # nothing to fetch, not even from this machine


def test_one_filter_and_count_per_state_present() -> None:
    now = at("2026-03-04T09:00")
    first, second = _history(1, "Acme"), _history(2, "Globex")
    offer = Event("offer@x", at("2026-03-03T12:00"), Kind.OFFER, "offer", second.events[0].sender, (ME,), "Offer", True)
    second = History(second.application, (*second.events, offer), second.interviews)
    scheduled = _history(3, "Hooli")
    scheduled = History(
        scheduled.application,
        scheduled.events,
        (Interview(3, at("2026-03-10T10:00"), at("2026-03-10T11:00"), (), message_id="invite-3@x"),),
    )
    page = _render([first, second, scheduled], now)
    counts = {b["data-state"]: b.get_text() for b in page.select("nav.filters b.count")}
    assert counts == {"all": "3", "scheduled": "1", "interviewed": "1", "offer": "1"}
    assert [d["data-state"] for d in page.select("details.app")] == ["interviewed", "offer", "scheduled"]
    # Each state's radio hides every other row: pure CSS, no script.
    style = page.find("style").string
    for state in ("scheduled", "interviewed", "offer"):
        assert page.find("input", id=f"f-{state}") is not None
        assert f"#f-{state}:checked ~ main .app:not(.s-{state}){{display:none}}" in style


def test_explain_shows_verdicts_rules_named_dates_drafts_and_the_next_step() -> None:
    history = _history(1, "Acme")
    recruiter = history.events[0].sender
    named = Event(
        "named@x",
        at("2026-03-04T11:00"),
        Kind.REPLY,
        "human_reply",
        recruiter,
        (ME,),
        "Re: Interview",
        True,
        deadline=Deadline(date(2026, 3, 13), "by Friday, March 13"),
        reply_address=recruiter,
    )
    assert recruiter is not None
    draft = DraftRecord("1/thank_you/1/priya@acme.com", StepKind.THANK_YOU, recruiter, at("2026-03-02T11:05"),
                        DraftStatus.DISCARDED)  # fmt: skip
    history = History(history.application, (*history.events, named), history.interviews, (draft,))
    row = _render([history], at("2026-03-05T09:00")).select_one("#app-1")
    text = row.get_text(" ")
    assert row["data-state"] == AppState.WAITING.value
    assert "calendar_invitation" in text and "human_reply" in text and "a reason" in text
    assert "2026-03-13" in text and "by Friday, March 13" in text
    assert "thank you to Priya Shah <priya@acme.com>, created Mon 2026-03-02 11:05: discarded" in text
    assert "follow up after date due Mon 2026-03-16 08:00" in row.select_one("summary .next").get_text()
    assert row.select(".mk-named") and row.select(".mk-draft-discarded") and row.select(".mk-next")


def test_times_are_shown_in_the_users_timezone() -> None:
    history = _history(1, "Acme")
    page = _render([history], at("2026-03-04T09:00"), zone=TOKYO)
    text = page.get_text(" ")
    assert "Times are in Asia/Tokyo" in text
    assert "Sat 2026-02-21 00:00" in text  # 10:00 in New York is midnight the next day in Tokyo
    assert "Wed 2026-03-04 23:00" in page.select_one("#report-now").get_text()


def test_markers_sit_on_one_shared_axis() -> None:
    early, late = _history(1, "Acme"), _history(2, "Globex")
    shifted = Event(
        "late@x", at("2026-03-20T10:00"), Kind.REPLY, "human_reply", late.events[0].sender, (ME,), "Hi", True
    )
    late = History(late.application, (*late.events, shifted), late.interviews)
    page = _render([early, late], at("2026-03-21T09:00") + timedelta(hours=1))

    def xs(app: int) -> list[float]:
        return [float(s["x"].rstrip("%")) for s in page.select(f"#app-{app} svg.mk-in")]

    assert xs(1)[0] == xs(2)[0]  # the same moment is at the same place in every row
    assert xs(2)[-1] > 90.0 > xs(1)[0]


def test_the_axis_is_labelled_by_day_week_or_month_as_the_search_grows() -> None:
    def labels(now: datetime) -> list[str]:
        return [t.get_text() for t in _render([_history(1, "Acme")], now).select("svg.ticks text")]

    days = labels(at("2026-02-25T09:00"))  # the invitation (Feb 20) to the interview (Mar 2), a day each side
    assert days[0] == "Feb 19" and days[-1] == "Mar 3" and len(days) == 13
    weeks = labels(at("2026-03-20T09:00"))  # a month: Mondays
    assert weeks == ["Feb 23", "Mar 2", "Mar 9", "Mar 16"]
    months = labels(at("2026-09-01T09:00"))  # half a year: months
    assert months == ["Mar 2026", "Apr 2026", "May 2026", "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026"]
