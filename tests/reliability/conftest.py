"""The reliability tests share the integration tests' real Dovecot."""

from tests.integration.conftest import dovecot, imap_user  # noqa: F401 - pytest fixtures
