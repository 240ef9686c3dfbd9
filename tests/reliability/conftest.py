"""The reliability tests share the integration tests' real Dovecot, and the contract suite's fresh account."""

from tests.contract.imap_harness import imap_harness  # noqa: F401 - pytest fixture
from tests.integration.conftest import dovecot, imap_user  # noqa: F401 - pytest fixtures
