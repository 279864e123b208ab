"""The outbox: nothing lost while the mail server or the case system is down, delivered once
when it is back, with exponential backoff, a signed webhook, and no double sending."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select, update

from content.referrals import outbox, run_once, submit, webhook
from content.referrals.models import OutboxMessage

from .conftest import PERSONAL, both, details, free_port, utcnow

MINUTE = dt.timedelta(minutes=1)


def rows(sessions, channel: str = "email") -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.channel == channel)
                                    .order_by(OutboxMessage.id)))


@both
def test_the_email_survives_a_dead_mail_server_and_is_sent_once_when_it_returns(referral_db, sessions, start_smtp):
    reference = submit(details()).reference
    now = utcnow()

    # Nothing listens on the mail port: each due attempt fails, and the message waits.
    for minutes in (0, 2, 5):
        stats = run_once(sessions, now=now + minutes * MINUTE)
        assert stats["failed"] == 1 and stats["delivered"] == 0
    [row] = rows(sessions)
    assert row.attempts == 3 and row.delivered_at is None and row.claimed_at is None
    assert row.last_error == "ConnectionRefusedError"

    inbox = start_smtp()
    later = now + dt.timedelta(hours=2)
    assert run_once(sessions, now=later)["delivered"] == 1
    assert run_once(sessions, now=later + dt.timedelta(hours=2))["delivered"] == 0

    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["asc.duty@castlebridge.example.gov.uk"]
    assert envelope.mail_from == "frontdoor@castlebridge.example.gov.uk"
    email = message_from_bytes(envelope.content)
    assert email["Subject"] == f"New referral {reference} (urgency: today)"
    body = email.get_payload(decode=True).decode()
    assert reference in body and f"http://localhost:8000/admin/referrals/{reference}" in body
    assert "lives alone" in body and "falls" in body and "web chat" in body
    everything = envelope.content.decode(errors="replace")
    for value in (*PERSONAL.values(), "Margaret", "7911123456", "washed"):
        assert str(value) not in everything
    [row] = rows(sessions)
    assert row.delivered_at == later and row.attempts == 4 and row.last_error is None


@both
def test_failures_back_off_exponentially_up_to_an_hour(referral_db, sessions):
    submit(details())
    now = utcnow()
    waits = []
    for _ in range(8):
        assert run_once(sessions, now=now)["failed"] == 1
        [row] = rows(sessions)
        waits.append(row.next_attempt_at - now)
        assert run_once(sessions, now=now)["failed"] == 0  # not due again yet: not attempted
        now = row.next_attempt_at
    assert waits == [m * MINUTE for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert rows(sessions)[0].attempts == 8


def test_backoff_is_capped_even_after_very_many_failures():
    assert outbox.backoff(1) == MINUTE
    assert outbox.backoff(10_000) == dt.timedelta(hours=1)


@both
def test_the_email_says_so_when_it_is_a_safeguarding_concern(referral_db, sessions, start_smtp, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_ADMIN_URL", "https://frontdoor.castlebridge.example.gov.uk/admin/")
    inbox = start_smtp()
    reference = submit(details(consent="safeguarding", urgency="week", risks=[], channel="whatsapp")).reference
    run_once(sessions)
    body = message_from_bytes(inbox.messages[0].content).get_payload(decode=True).decode()
    assert "Safeguarding concern: yes" in body and "Risks: none flagged" in body and "WhatsApp" in body
    assert f"https://frontdoor.castlebridge.example.gov.uk/admin/referrals/{reference}" in body


class CaseSystem:
    """A case management system's endpoint: answers with the given statuses in turn."""

    def __init__(self, statuses: list[int]):
        self.statuses, self.received = list(statuses), []
        system = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                system.received.append((dict(self.headers), body))
                self.send_response(system.statuses.pop(0) if len(system.statuses) > 1 else system.statuses[0])
                self.end_headers()

            def log_message(self, *_):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/referrals"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def case_system():
    systems = []

    def start(statuses):
        systems.append(CaseSystem(statuses))
        return systems[-1]

    yield start
    for system in systems:
        system.close()


@both
def test_the_webhook_is_signed_retried_after_a_500_and_delivered_once(referral_db, sessions, case_system, monkeypatch):
    system = case_system([500, 200])
    secret = "shared-secret-from-the-case-system"
    monkeypatch.setenv("FRONTDOOR_REFERRAL_WEBHOOK_URL", system.url)
    monkeypatch.setenv("FRONTDOOR_REFERRAL_WEBHOOK_SECRET", secret)
    reference = submit(details()).reference
    now = utcnow()

    run_once(sessions, now=now)
    [row] = rows(sessions, "webhook")
    assert row.delivered_at is None and row.attempts == 1 and row.last_error == "HTTP 500"
    run_once(sessions, now=now + 2 * MINUTE)
    run_once(sessions, now=now + 10 * MINUTE)
    [row] = rows(sessions, "webhook")
    assert row.delivered_at == now + 2 * MINUTE and row.attempts == 2

    assert len(system.received) == 2
    headers, body = system.received[-1]
    timestamp, signature = headers["X-FrontDoor-Timestamp"], headers["X-FrontDoor-Signature"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, f"sha256={expected}")
    assert abs(int(timestamp) - utcnow().timestamp()) < 60
    assert headers["X-FrontDoor-Delivery"] == str(row.id)
    event = json.loads(body)
    assert event["event"] == "referral.created"
    referral = event["referral"]
    assert referral["reference"] == reference and referral["name"] == "Margaret Jones"
    assert referral["contact"] == "+447911123456" and referral["date_of_birth"] == "1941-03-17"
    # A signature over another timestamp (a replay with a fresh date) does not match.
    replay = hmac.new(secret.encode(), str(int(timestamp) + 600).encode() + b"." + body, hashlib.sha256).hexdigest()
    assert f"sha256={replay}" != signature


@pytest.mark.parametrize("url, secret, error", [
    ("http://cms.castlebridge.example.gov.uk/referrals", "s", "must use https"),
    ("https://cms.castlebridge.example.gov.uk/referrals", "", "SECRET is not set"),
])
def test_the_webhook_refuses_to_send_personal_data_unsafely(url, secret, error, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_REFERRAL_WEBHOOK_URL", url)
    monkeypatch.setenv("FRONTDOOR_REFERRAL_WEBHOOK_SECRET", secret)
    with pytest.raises(webhook.WebhookError, match=error):
        webhook.post({"event": "referral.created"}, delivery_id=1)


@both
def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(referral_db, sessions, start_smtp):
    inbox = start_smtp()
    submit(details())
    now = utcnow()
    with sessions.begin() as session:
        session.execute(update(OutboxMessage).values(claimed_at=now, claimed_by="dead-worker"))

    assert run_once(sessions, now=now + MINUTE)["delivered"] == 0  # still within its lease
    assert run_once(sessions, now=now + outbox.LEASE + MINUTE)["delivered"] == 1
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("fresh_database", ["postgresql"], indirect=True)
def test_two_workers_at_once_never_send_the_same_message_twice(referral_db, sessions, start_smtp):
    inbox = start_smtp(delay=0.05)  # a slowish server, so the two workers overlap
    references = {submit(details()).reference for _ in range(30)}
    now = utcnow()
    start = threading.Barrier(2)
    results = []

    def worker():
        start.wait()
        results.append(run_once(sessions, now=now))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    sent = [message_from_bytes(m.content)["Subject"].split()[2] for m in inbox.messages]
    assert sorted(sent) == sorted(references)  # each exactly once
    assert sum(r["delivered"] for r in results) == 30
    assert all(r["delivered"] > 0 for r in results)  # both really worked
    assert all(row.delivered_at is not None for row in rows(sessions))
