"""Business days in the user's timezone: Monday to Friday, minus public holidays and the user's own days off.

The policy counts follow-ups in business days and lets them fall due at the start of the user's working day;
this module owns that arithmetic, including daylight-saving changes (wall-clock times are built in the zone).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays


class BusinessCalendar:
    def __init__(
        self,
        zone: ZoneInfo,
        *,
        country: str = "",
        subdivision: str = "",
        extra_days_off: Iterable[date] = (),
        workday_start: time = time(8, 0),
    ) -> None:
        self.zone = zone
        self.workday_start = workday_start
        self._extra = frozenset(extra_days_off)
        self._public: holidays.HolidayBase | None = (
            holidays.country_holidays(country, subdiv=subdivision or None) if country else None
        )

    def holiday_name(self, day: date) -> str | None:
        if day in self._extra:
            return "day off"
        if self._public is not None and day in self._public:
            return str(self._public.get(day))
        return None

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_business_days(self, day: date, count: int) -> date:
        """The date `count` business days after `day` (`day` itself never counts)."""
        current = day
        remaining = count
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_business_day(current):
                remaining -= 1
        return current

    def next_business_day_after(self, day: date) -> date:
        return self.add_business_days(day, 1)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def start_of_workday(self, day: date) -> datetime:
        """The start of the user's working day on `day`, as an aware datetime in their zone."""
        return datetime.combine(day, self.workday_start, tzinfo=self.zone)
