"""The channels' tests use the end-to-end suite's stack: the real Rasa server, action server
and web app on free ports (tests/e2e/conftest.py)."""
from tests.e2e.conftest import stack  # noqa: F401  (a fixture, found by name)
