"""The outbox: messages announcing a referral, written in the referral's own transaction and
delivered afterwards by the worker, so a mail server or case system being down delays a
message but never loses it.

Delivery takes one message at a time: it claims the row (a short transaction), sends it with
no transaction open, then records the outcome. A claim is a lease: if a worker dies while
sending, another takes the message over once the lease has run out. Two workers never hold
the same claim: PostgreSQL hands each a different row (FOR UPDATE SKIP LOCKED), and on both
databases the claim is a compare-and-set that only succeeds on an unclaimed row.

Failures back off exponentially (1, 2, 4 ... minutes, at most an hour) and are retried for ever;
staff see how often a message has failed in `attempts` and `last_error`.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from . import mail, webhook
from .models import EMAIL, WEBHOOK, OutboxMessage, Referral, utcnow
from .records import to_dict

LEASE = dt.timedelta(minutes=5)  # longer than the slowest send (SMTP's 30 s timeout)
FIRST_DELAY = dt.timedelta(minutes=1)
MAX_DELAY = dt.timedelta(hours=1)
WORKER_ID = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    attempts: int
    reference: str
    payload: dict


def queue(session: Session, referral: Referral, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Adds the messages that announce a new referral, in the caller's transaction."""
    now = now or utcnow()
    payloads = {EMAIL: mail.summary(referral)}
    if webhook.configured():
        payloads[WEBHOOK] = webhook.event(to_dict(referral))
    messages = [OutboxMessage(referral_id=referral.id, channel=channel, created_at=now, attempts=0,
                              next_attempt_at=now, payload=json.dumps(payload))
                for channel, payload in payloads.items()]
    session.add_all(messages)
    return messages


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the attempts-th failure."""
    return min(FIRST_DELAY * 2 ** min(attempts - 1, 16), MAX_DELAY)


def deliver_due(session_factory: Callable[[], Session], now: dt.datetime | None = None,
                worker_id: str = WORKER_ID, limit: int = 500) -> dict[str, int]:
    """Sends every message that is due now. Returns how many were delivered and how many failed."""
    now = now or utcnow()
    stats = {"delivered": 0, "failed": 0}
    for _ in range(limit):
        message = claim_next(session_factory, now, worker_id)
        if message is None:
            break
        error = attempt(message)
        record(session_factory, message, now, error)
        stats["failed" if error else "delivered"] += 1
    return stats


def _due(now: dt.datetime):
    unclaimed = or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - LEASE)
    return and_(OutboxMessage.delivered_at.is_(None), OutboxMessage.next_attempt_at <= now, unclaimed)


def claim_next(session_factory: Callable[[], Session], now: dt.datetime, worker_id: str) -> Claimed | None:
    with session_factory() as session:
        pick = (select(OutboxMessage.id).where(_due(now))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1))
        if session.get_bind().dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        # One statement: SQLite runs it under its write lock, PostgreSQL under the row lock;
        # repeating _due() makes it a compare-and-set either way.
        claim = (update(OutboxMessage).where(OutboxMessage.id == pick.scalar_subquery(), _due(now))
                 .values(claimed_at=now, claimed_by=worker_id).returning(OutboxMessage.id)
                 .execution_options(synchronize_session=False))
        claimed_id = session.execute(claim).scalar()
        session.commit()
        if claimed_id is None:
            return None
        row = session.get(OutboxMessage, claimed_id)
        reference = session.scalar(select(Referral.reference).where(Referral.id == row.referral_id))
        return Claimed(row.id, row.channel, row.attempts, reference, json.loads(row.payload))


def attempt(message: Claimed) -> str | None:
    """Sends one message. Returns None, or what went wrong in words safe to store."""
    try:
        if message.channel == EMAIL:
            mail.send(message.payload)
        elif message.channel == WEBHOOK:
            webhook.post(message.payload, delivery_id=message.id)
        else:
            raise ValueError(f"unknown outbox channel {message.channel!r}")
    except (mail.MailError, webhook.WebhookError) as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001  a network failure of any kind: retried later
        error = type(exc).__name__  # the class only: texts can quote data back
    else:
        log.info("delivered the %s for referral %s", message.channel, message.reference)
        return None
    log.warning("could not deliver the %s for referral %s (attempt %d): %s",
                message.channel, message.reference, message.attempts + 1, error)
    return error[:200]


def record(session_factory: Callable[[], Session], message: Claimed, now: dt.datetime, error: str | None) -> None:
    attempts = message.attempts + 1
    values = {"attempts": attempts, "claimed_at": None, "claimed_by": None, "last_error": error}
    if error is None:
        values["delivered_at"] = now
    else:
        values["next_attempt_at"] = now + backoff(attempts)
    with session_factory() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values)
                        .execution_options(synchronize_session=False))
        session.commit()


def waiting(session: Session) -> int:
    """How many messages are not delivered yet."""
    return session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.delivered_at.is_(None)))
