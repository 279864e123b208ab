"""Starts the real Rasa server, action server and web app on free ports, once per test run."""
from __future__ import annotations

import socket
import sys
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import services  # noqa: E402

from content import db, store  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    home = tmp_path_factory.mktemp("stack")
    url = f"sqlite:///{home / 'frontdoor.db'}"
    db.migrate(url)
    with db.session_scope(db.engine_for(url)) as session:
        store.load_if_empty(session)
    ports = services.Ports(rasa=free_port(), actions=free_port(), web=free_port(), worker=free_port())
    # Its own spool folder: the test stack's worker must not import the developer's referrals.
    env = services.environment(ports, {"DATABASE_URL": url, "RASA_TRACKER_DB": str(home / "conversations.db"),
                                       "FRONTDOOR_SPOOL_DIR": str(home / "spool"),
                                       # SMS and WhatsApp (tests/channels sign requests with this token)
                                       "TWILIO_AUTH_TOKEN": "test-twilio-auth-token",
                                       "FRONTDOOR_HASH_KEY": "test-phone-hash-key",
                                       "FRONTDOOR_CHANNEL_DB": str(home / "channels.db")})
    # The staff admin: its first admin (tests/admin/test_browser.py signs in as it) and session key.
    env.update({"FRONTDOOR_ADMIN_EMAIL": "admin@frontdoor.test", "FRONTDOOR_ADMIN_PASSWORD": f"e2e-{uuid.uuid4().hex}",
                "FRONTDOOR_SECRET_KEY": uuid.uuid4().hex})
    running = services.Stack(ports, env, log_dir=home / "logs").start()
    running.database_url = url
    yield running
    running.stop()


class Chat:
    """One resident's conversation through the REST channel."""

    def __init__(self, base: str, locale: str | None = None):
        self.url = f"{base}/webhooks/rest/webhook"
        self.sender = uuid.uuid4().hex
        self.locale = locale

    def say(self, text: str, **metadata) -> list[dict]:
        if self.locale:
            metadata.setdefault("locale", self.locale)
        body = {"sender": self.sender, "message": text, "metadata": metadata}
        reply = requests.post(self.url, json=body, timeout=30)
        assert reply.status_code == 200, reply.text
        return reply.json()


@pytest.fixture
def chat(stack):
    return Chat(f"http://localhost:{stack.ports.rasa}")
