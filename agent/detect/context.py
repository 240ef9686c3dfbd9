"""The user-specific facts detection needs: who the user is and where they live."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class DetectContext:
    """`user_addresses` are lower-case; `zone` resolves floating times and relative dates.

    `day_first` reads "10/03" as 10 March (set it for European users; the default is the US month-first order).
    """

    user_addresses: frozenset[str]
    zone: ZoneInfo
    day_first: bool = False
    user_names: frozenset[str] = field(default_factory=frozenset)  # lower-case display names of the user

    def is_user(self, email: str | None) -> bool:
        return bool(email) and (email or "").lower() in self.user_addresses
