"""The referral tables: referrals, staff notes on them, and the outbox of messages announcing
them. Personal data is in EncryptedText columns; everything staff filter or sort on (status,
urgency, dates) stays plain, and says nothing about who the person is."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from content.models import Base

from .crypto import EncryptedDate, EncryptedText

NEW, TRIAGED, IN_PROGRESS, CLOSED = "new", "triaged", "in_progress", "closed"
STATUSES = (NEW, TRIAGED, IN_PROGRESS, CLOSED)
URGENCIES = ("today", "week", "later")
RISKS = ("lives_alone", "falls", "carer_unable")
FOR_WHOM = ("self", "other")
CONSENTS = ("self", "agreed", "safeguarding", "cannot_decide")
CHANNELS = ("web", "sms", "whatsapp")
CONTACT_KINDS = ("phone", "email")
EMAIL, WEBHOOK = "email", "webhook"
OUTBOX_CHANNELS = (EMAIL, WEBHOOK)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UtcDateTime(TypeDecorator):
    """A moment in UTC, always timezone-aware in Python. SQLite keeps no offset, so without
    this a value would come back naive and fail to compare with the worker's clock."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("referral times must be timezone-aware")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Referral(Base):
    """A resident's request for help from adult social care."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(9), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default=NEW)
    # When it was closed: retention counts from here (see _track_closing below).
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    urgency: Mapped[str] = mapped_column(String(8))
    risks: Mapped[list] = mapped_column(JSON, default=list)
    for_whom: Mapped[str] = mapped_column(String(8))
    consent: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(12))
    assigned_to: Mapped[str | None] = mapped_column(String(320))

    # Personal data: encrypted at rest.
    name: Mapped[str] = mapped_column(EncryptedText)
    date_of_birth: Mapped[dt.date | None] = mapped_column(EncryptedDate)
    contact: Mapped[str] = mapped_column(EncryptedText)
    contact_kind: Mapped[str] = mapped_column(EncryptedText)
    postcode: Mapped[str] = mapped_column(EncryptedText)
    needs: Mapped[str] = mapped_column(EncryptedText)
    relationship: Mapped[str | None] = mapped_column(EncryptedText)


class ReferralNote(Base):
    """A staff member's note on a referral."""

    __tablename__ = "referral_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    body: Mapped[str] = mapped_column(EncryptedText)


class OutboxMessage(Base):
    """One announcement of a referral (the duty team's e-mail, the case system's webhook),
    written in the same transaction as the referral and delivered by the worker with retries,
    so that a mail server being down never loses one.

    No ON DELETE CASCADE: the database refuses to delete a referral whose messages are still
    waiting, so a purge cannot silently drop one."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Which worker is sending it and since when; another may take it over once the claim is
    # older than the lease (see outbox.py), so a crashed worker does not strand a message.
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # The error's kind only (e.g. "HTTP 500", "ConnectionRefusedError"), never its text, which
    # could echo personal data back from a server.
    last_error: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(EncryptedText)


@event.listens_for(Referral.status, "set")
def _track_closing(target: Referral, value, oldvalue, _initiator) -> None:
    """Stamps closed_at whenever any code closes a referral through the ORM, so retention does
    not depend on every caller remembering to."""
    if value == CLOSED and oldvalue != CLOSED:
        target.closed_at = utcnow()
    elif value != CLOSED:
        target.closed_at = None
