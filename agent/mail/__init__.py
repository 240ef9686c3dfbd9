"""Mailbox backends. Only the modules in this package touch a mailbox."""
