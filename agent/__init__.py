"""followup-agent: watches a job seeker's mailbox and leaves well-timed follow-up drafts. It never sends mail."""

__version__ = "0.1.0"
