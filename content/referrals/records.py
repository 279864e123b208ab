"""Stored referrals: adding one, and reading, listing and updating them for staff.

Everything here returns plain dicts with the personal data decrypted, for the staff queue and
the staff API; those callers decide who may see them and audit every view.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .details import ReferralDetails, normalise_reference
from .models import NEW, STATUSES, Referral, ReferralNote, utcnow


def add_referral(session: Session, reference: str, created_at: dt.datetime,
                 details: ReferralDetails) -> Referral:
    referral = Referral(
        reference=reference, created_at=created_at, status=NEW,
        urgency=details.urgency, risks=list(details.risks), for_whom=details.for_whom,
        consent=details.consent, locale=details.locale, channel=details.channel,
        name=details.name.strip(), date_of_birth=details.date_of_birth, contact=details.contact.strip(),
        contact_kind=details.contact_kind, postcode=details.postcode.strip().upper(),
        needs=details.needs.strip(), relationship=(details.relationship or "").strip() or None,
    )
    session.add(referral)
    session.flush()  # the outbox rows need its id
    return referral


def find(session: Session, reference: str) -> Referral | None:
    return session.scalar(select(Referral).where(Referral.reference == normalise_reference(reference)))


def to_dict(referral: Referral) -> dict:
    return {
        "reference": referral.reference,
        "created_at": referral.created_at.isoformat(),
        "status": referral.status,
        "closed_at": referral.closed_at.isoformat() if referral.closed_at else None,
        "urgency": referral.urgency,
        "risks": list(referral.risks or []),
        "for_whom": referral.for_whom,
        "relationship": referral.relationship,
        "consent": referral.consent,
        "name": referral.name,
        "date_of_birth": referral.date_of_birth.isoformat() if referral.date_of_birth else None,
        "contact": referral.contact,
        "contact_kind": referral.contact_kind,
        "postcode": referral.postcode,
        "needs": referral.needs,
        "locale": referral.locale,
        "channel": referral.channel,
        "assigned_to": referral.assigned_to,
    }


def note_to_dict(note: ReferralNote) -> dict:
    return {"author": note.author, "created_at": note.created_at.isoformat(), "body": note.body}


def get_by_reference(session: Session, reference: str) -> dict | None:
    """The whole referral with its notes (oldest first), or None."""
    referral = find(session, reference)
    if referral is None:
        return None
    notes = session.scalars(select(ReferralNote).where(ReferralNote.referral_id == referral.id)
                            .order_by(ReferralNote.created_at, ReferralNote.id))
    return {**to_dict(referral), "notes": [note_to_dict(note) for note in notes]}


def list_referrals(session: Session, status: str | None = None, urgency: str | None = None,
                   assigned_to: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    """The queue, newest first, filtered by any of status, urgency and assignee. Each dict is
    to_dict() of one referral (no notes)."""
    query = select(Referral).order_by(Referral.created_at.desc(), Referral.id.desc())
    if status is not None:
        query = query.where(Referral.status == status)
    if urgency is not None:
        query = query.where(Referral.urgency == urgency)
    if assigned_to is not None:
        query = query.where(Referral.assigned_to == assigned_to.lower())
    return [to_dict(r) for r in session.scalars(query.limit(limit).offset(offset))]


def count_by_status(session: Session) -> dict[str, int]:
    """How many referrals are in each status, every status present (for the queue's tabs)."""
    counts = dict(session.execute(select(Referral.status, func.count()).group_by(Referral.status)).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def set_status(session: Session, reference: str, status: str) -> bool:
    """False if there is no such referral. Closing stamps closed_at, from which retention counts."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    referral = find(session, reference)
    if referral is None:
        return False
    referral.status = status
    return True


def assign(session: Session, reference: str, staff_email: str | None) -> bool:
    referral = find(session, reference)
    if referral is None:
        return False
    referral.assigned_to = staff_email.strip().lower() if staff_email else None
    return True


def add_note(session: Session, reference: str, author: str, body: str) -> dict | None:
    referral = find(session, reference)
    if referral is None:
        return None
    if not body.strip():
        raise ValueError("a note cannot be empty")
    note = ReferralNote(referral_id=referral.id, author=author, body=body.strip(), created_at=utcnow())
    session.add(note)
    session.flush()
    return note_to_dict(note)
