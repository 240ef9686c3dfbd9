"""Business-day arithmetic: weekends, public holidays, the user's days off, and the start of the workday."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from agent.businessdays import BusinessCalendar

NY = ZoneInfo("America/New_York")


def test_weekends_are_skipped() -> None:
    cal = BusinessCalendar(NY)
    assert cal.add_business_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday
    assert cal.add_business_days(date(2026, 3, 2), 5) == date(2026, 3, 9)


def test_public_holidays_of_the_configured_country_are_skipped() -> None:
    us = BusinessCalendar(NY, country="US")
    assert us.holiday_name(date(2026, 7, 3)) is not None  # Independence Day observed (July 4 is a Saturday)
    assert us.add_business_days(date(2026, 7, 2), 1) == date(2026, 7, 6)
    de = BusinessCalendar(ZoneInfo("Europe/Berlin"), country="DE")
    assert de.is_business_day(date(2026, 7, 3))
    assert not de.is_business_day(date(2026, 4, 6))  # Easter Monday


def test_subdivision_holidays() -> None:
    bavaria = BusinessCalendar(ZoneInfo("Europe/Berlin"), country="DE", subdivision="BY")
    berlin = BusinessCalendar(ZoneInfo("Europe/Berlin"), country="DE", subdivision="BE")
    assert not bavaria.is_business_day(date(2026, 1, 6))  # Epiphany in Bavaria only
    assert berlin.is_business_day(date(2026, 1, 6))


def test_extra_days_off() -> None:
    cal = BusinessCalendar(NY, extra_days_off=[date(2026, 3, 10)])
    assert cal.add_business_days(date(2026, 3, 9), 1) == date(2026, 3, 11)


def test_start_of_workday_keeps_local_time_across_daylight_saving() -> None:
    cal = BusinessCalendar(NY, workday_start=time(8, 30))
    before = cal.start_of_workday(date(2026, 3, 6))
    after = cal.start_of_workday(date(2026, 3, 9))
    assert (before.hour, before.minute, after.hour, after.minute) == (8, 30, 8, 30)
    assert before.utcoffset() == timedelta(hours=-5) and after.utcoffset() == timedelta(hours=-4)
