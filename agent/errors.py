"""The one exception hierarchy of followup-agent.

`FollowupError` is the root. Its subclasses are *user-facing*: the CLI prints their message and exits with
`exit_code`, never a traceback. Anything else that escapes is a bug and is shown as one.
"""

from __future__ import annotations


class FollowupError(Exception):
    """Root of every error the program expects and explains to the user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ConfigError(FollowupError):
    """The config file is missing, unreadable or invalid; `problems` lists every one found."""

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None, *, hint: str = "") -> None:
        self.problems = list(problems or [])
        full = message if not self.problems else message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(full, hint=hint)


class AuthError(FollowupError):
    """The mail provider refused our credentials; a person has to act (new password, `followup-agent auth`)."""

    exit_code = 3


class BackendError(FollowupError):
    """A transient fault talking to the mailbox (network, server error, rate limit); the next scan retries."""

    exit_code = 4


class MessageGoneError(BackendError):
    """A listed message disappeared before it could be downloaded (deleted or moved); it is skipped."""


class StateLockedError(FollowupError):
    """Another followup-agent process holds the state database."""

    exit_code = 5


class StateError(FollowupError):
    """The state database is unusable (corrupt, or written by a newer version)."""

    exit_code = 6


class MalformedMessageError(FollowupError):
    """One message could not be parsed; it is logged once and skipped."""


class NotFoundError(FollowupError):
    """The user named something (an application id) that does not exist."""
