"""The end-to-end tests use the stack, Chat and chat fixtures of tests/conftest.py."""
from tests.conftest import Chat  # noqa: F401  (tests here import it from this package)
