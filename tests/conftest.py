"""Shared fixtures: a real database (SQLite, and PostgreSQL where TEST_POSTGRES_URL is set)
loaded with the content files, and the paths of the two environments."""
from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bot"))  # the crisis detector is importable from both environments

import socket  # noqa: E402  (the stack fixtures below)

import requests  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import services  # noqa: E402

from content import db, store  # noqa: E402
from content.first_start import first_start  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


def postgres_url_or_skip() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("CI must run the suite against PostgreSQL: .ci/run sets TEST_POSTGRES_URL")
    pytest.skip("PostgreSQL is not running here; .ci/run starts one and sets TEST_POSTGRES_URL")


@pytest.fixture
def fresh_database(request, tmp_path):
    """The URL of a new, empty database on the backend named by the test's parameter."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'frontdoor.db'}"
        return
    server = make_url(postgres_url_or_skip())
    name = f"frontdoor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    db.engine_for.cache_clear()
    drop_database(admin, name)
    admin.dispose()


def drop_database(admin, name: str, tries: int = 5) -> None:
    """Drops a test database; PostgreSQL's autovacuum may still be connected for a moment."""
    for attempt in range(tries):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except Exception:
            if attempt == tries - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


@pytest.fixture
def content_db(fresh_database, monkeypatch):
    """A migrated database holding the content files, set as the app's DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", fresh_database)
    db.migrate(fresh_database)
    with db.session_scope() as session:
        store.load_if_empty(session)
    yield fresh_database
    db.engine().dispose()


# --- the running services, for end-to-end tests (one stack per test run, shared by every
# folder: tests/e2e, tests/channels, tests/admin's browser test) ----------------------------

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
        first_start(session)
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
