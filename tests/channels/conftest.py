"""The channels' tests use the running stack of tests/conftest.py."""
