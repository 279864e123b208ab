"""Key rotation: re-encrypts every stored referral, note, outbox message and spooled file with
the first key in FRONTDOOR_DATA_KEY, so that older keys can then be removed.

    1. FRONTDOOR_DATA_KEY=new,old   restart everything (new data uses the new key)
    2. python -m content.referrals rotate-key
    3. FRONTDOOR_DATA_KEY=new       restart everything
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from . import spool
from .crypto import EncryptedText
from .models import OutboxMessage, Referral, ReferralNote

BATCH = 200


def encrypted_columns(model) -> list[str]:
    return [c.key for c in model.__table__.columns if isinstance(c.type, EncryptedText)]


def reencrypt(session: Session) -> int:
    """Rewrites every encrypted value in the caller's transaction; returns how many rows."""
    rows = 0
    for model in (Referral, ReferralNote, OutboxMessage):
        columns = encrypted_columns(model)
        for row in session.scalars(select(model).execution_options(yield_per=BATCH)):
            for column in columns:
                flag_modified(row, column)  # loaded with any key, written with the first
            rows += 1
        session.flush()
    return rows


def reencrypt_spool() -> int:
    files = 0
    for path in spool.pending():
        spooled = spool.read(path)
        spool.write(spooled.reference, spooled.created_at, spooled.details)
        spool.remove(path)
        files += 1
    return files
