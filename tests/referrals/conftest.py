"""Fixtures for the referral tests: a migrated database on each backend, a data key and spool
folder of the test's own, a mail server address where nothing listens, and a real one."""
from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from content import db
from content.referrals import ReferralDetails
from tests.conftest import BACKENDS

# Use as @both on a test that takes `referral_db`: it runs on SQLite and on PostgreSQL.
both = pytest.mark.parametrize("fresh_database", BACKENDS, indirect=True)

PERSONAL = {"name": "Margaret Jones", "contact": "+447911123456", "postcode": "CB1 2AB",
            "needs": "Needs help getting washed since her hip operation", "relationship": "daughter-in-law",
            "date_of_birth": dt.date(1941, 3, 17)}


def details(**changes) -> ReferralDetails:
    values = dict(PERSONAL, contact_kind="phone", urgency="today", for_whom="other", consent="agreed",
                  risks=["lives_alone", "falls"], locale="en", channel="web")
    values.update(changes)
    return ReferralDetails(**values)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@pytest.fixture(autouse=True)
def referral_env(tmp_path, monkeypatch):
    """A key and spool of this test's own; mail goes to a port where nothing listens."""
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("FRONTDOOR_DATA_KEY", key)
    monkeypatch.setenv("FRONTDOOR_DATA_KEY_FILE", str(tmp_path / "data_key"))
    monkeypatch.setenv("FRONTDOOR_SPOOL_DIR", str(tmp_path / "spool"))
    monkeypatch.setenv("FRONTDOOR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FRONTDOOR_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("FRONTDOOR_MAIL_FROM", "frontdoor@castlebridge.example.gov.uk")
    for name in ("FRONTDOOR_REFERRAL_WEBHOOK_URL", "FRONTDOOR_REFERRAL_WEBHOOK_SECRET", "FRONTDOOR_ADMIN_URL",
                 "FRONTDOOR_SMTP_USER", "FRONTDOOR_SMTP_PASSWORD", "FRONTDOOR_SMTP_STARTTLS",
                 "FRONTDOOR_COUNCIL_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return key


@pytest.fixture
def referral_db(fresh_database, monkeypatch):
    """A migrated database, set as the app's DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", fresh_database)
    db.migrate(fresh_database)
    yield fresh_database
    db.engine_for(fresh_database).dispose()


@pytest.fixture
def sessions(referral_db):
    """A session factory on the test database, as the worker uses."""
    return sessionmaker(bind=db.engine_for(referral_db), expire_on_commit=False)


@pytest.fixture
def raw(referral_db):
    """Runs plain SQL against the test database, past the ORM and its decryption."""
    engine = create_engine(referral_db)

    def run(sql: str, **params):
        with engine.connect() as connection:
            return connection.execute(text(sql), params).all()

    yield run
    engine.dispose()


class Inbox:
    """What a real SMTP server (aiosmtpd) received."""

    def __init__(self, delay: float = 0):
        self.messages: list = []
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's naming)
        if self.delay:
            import asyncio
            await asyncio.sleep(self.delay)
        with self.lock:
            self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def start_smtp(monkeypatch):
    """Starts a real local SMTP server when the test says so, and points the app at it."""
    controllers = []

    def start(delay: float = 0) -> Inbox:
        inbox = Inbox(delay)
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        monkeypatch.setenv("FRONTDOOR_SMTP_PORT", str(port))
        return inbox

    yield start
    for controller in controllers:
        controller.stop()
