"""Retention: closed referrals are deleted once the council's retention period has passed.

The period is `privacy: referral_retention_days` in council.yml (365 if missing), counted from
when the referral was closed. Front Door is the front door, not the case record: the case
management system keeps what the council must keep for longer.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from content import council

from . import spool
from .intake import remove_imported
from .models import CLOSED, OutboxMessage, Referral, ReferralNote, utcnow

DEFAULT_DAYS = 365
BATCH = 500  # ids per DELETE, well under SQLite's limit on parameters


def retention_days() -> int:
    path = Path(os.environ.get("FRONTDOOR_COUNCIL_CONFIG") or council.DEFAULT_PATH)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    days = (raw.get("privacy") or {}).get("referral_retention_days", DEFAULT_DAYS)
    if not isinstance(days, int) or days < 1:
        raise council.ConfigError("privacy.referral_retention_days must be a whole number of days, 1 or more")
    return days


def purge(session: Session, now: dt.datetime | None = None, days: int | None = None) -> dict[str, int]:
    """Deletes closed referrals past retention, with their notes and delivered messages, and
    spooled files already imported. A referral with a message still waiting is kept until it
    is delivered: deleting it would lose the message. Runs in the caller's transaction."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=days or retention_days())
    expired = (select(Referral.id).where(Referral.status == CLOSED,
                                         func.coalesce(Referral.closed_at, Referral.created_at) < cutoff))
    waiting = select(OutboxMessage.referral_id).where(OutboxMessage.delivered_at.is_(None))
    ids = list(session.scalars(expired.where(Referral.id.not_in(waiting))))
    held = session.scalar(select(func.count()).select_from(expired.where(Referral.id.in_(waiting)).subquery()))
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        session.execute(delete(ReferralNote).where(ReferralNote.referral_id.in_(batch)))
        session.execute(delete(OutboxMessage).where(OutboxMessage.referral_id.in_(batch)))
        session.execute(delete(Referral).where(Referral.id.in_(batch)))
    return {"purged": len(ids), "held": held, "spool_removed": remove_imported(session) + spool.remove_abandoned()}
