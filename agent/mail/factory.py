"""Choosing and opening the backend the config names."""

from __future__ import annotations

from agent.config import Config
from agent.mail.base import MailBackend


def open_backend(config: Config) -> MailBackend:
    backend = config.mailbox.backend
    if backend == "maildir":
        from agent.mail.maildir import MaildirBackend

        return MaildirBackend.from_config(config.maildir)
    if backend == "imap":
        from agent.mail.imap import ImapBackend

        return ImapBackend.from_config(config.imap)
    if backend == "gmail":
        from agent.mail.gmail import GmailBackend

        return GmailBackend.from_config(config.gmail)
    raise AssertionError(f"unknown backend {backend!r}; the config schema should have refused it")
