"""Taking a referral in: storing it with its outbox messages in one transaction, and moving
spooled referrals into the database once it is back."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content import db

from . import outbox, spool
from .crypto import InvalidToken
from .details import ReferralDetails, new_reference
from .models import Referral, ReferralNote
from .records import add_referral

log = logging.getLogger(__name__)


def save(session: Session, reference: str, created_at: dt.datetime, details: ReferralDetails) -> Referral:
    """The referral and the messages announcing it, in the caller's transaction."""
    referral = add_referral(session, reference, created_at, details)
    outbox.queue(session, referral)
    return referral


def same_referral(session: Session, reference: str, created_at: dt.datetime) -> bool | None:
    """None if nobody has this reference; True if it is this referral (same moment of
    creation), stored already; False if another referral drew the same reference."""
    stored = session.scalar(select(Referral.created_at).where(Referral.reference == reference))
    return None if stored is None else stored == created_at


def store(reference: str, created_at: dt.datetime, details: ReferralDetails) -> str:
    """Stores a new referral in the application database and returns its reference (a new one
    if another referral already had it). Database errors propagate for submit() to handle."""
    for _ in range(5):
        try:
            with db.session_scope() as session:
                save(session, reference, created_at, details)
            return reference
        except IntegrityError:
            with db.session_scope() as session:
                if same_referral(session, reference, created_at):
                    return reference  # an earlier try committed although its reply was lost
            reference = new_reference()
    raise RuntimeError("could not find a free referral reference")


def import_spooled(session_factory: Callable[[], Session]) -> int:
    """Moves every spooled referral into the database; returns how many it added. Idempotent:
    a file is deleted only after its referral is committed, and one already there is skipped."""
    imported = 0
    for path in spool.pending():
        try:
            spooled = spool.read(path)
        except (InvalidToken, ValueError, KeyError, TypeError, OSError) as exc:
            # Kept for a person to look at (often a data key that was changed too early).
            log.error("cannot read spooled referral file %s (%s); it is kept", path.name, type(exc).__name__)
            continue
        try:
            imported += _import(session_factory, spooled)
        except IntegrityError:
            continue  # another worker imported it this moment; the next pass tidies the file
        spool.remove(path)
    if imported:
        log.info("imported %d spooled referral(s) into the database", imported)
    return imported


def _import(session_factory: Callable[[], Session], spooled: spool.Spooled) -> int:
    with session_factory() as session:
        known = same_referral(session, spooled.reference, spooled.created_at)
        if known:
            return 0
        reference = spooled.reference if known is None else _free_reference(session)
        referral = save(session, reference, spooled.created_at, spooled.details)
        if reference != spooled.reference:
            # The resident was told the old reference; staff must be able to match it up.
            session.add(ReferralNote(referral_id=referral.id, author="Front Door", created_at=spooled.created_at,
                                     body=f"The resident was given reference {spooled.reference}, which another "
                                          f"referral already had, so this one was renumbered."))
            log.warning("spooled referral %s renumbered %s: its reference was taken", spooled.reference, reference)
        session.commit()
        return 1


def _free_reference(session: Session) -> str:
    while True:
        reference = new_reference()
        if session.scalar(select(Referral.id).where(Referral.reference == reference)) is None:
            return reference


def remove_imported(session: Session) -> int:
    """Deletes spooled files whose referral is already in the database (a worker that died
    between committing and deleting leaves one behind); returns how many."""
    removed = 0
    for path in spool.pending():
        try:
            spooled = spool.read(path)
        except (InvalidToken, ValueError, KeyError, TypeError, OSError):
            continue
        if same_referral(session, spooled.reference, spooled.created_at):
            spool.remove(path)
            removed += 1
    return removed
