"""The audit log: every change staff make, every sign-in, and every read of personal data.

Entries never hold passwords or tokens: details are scrubbed of any key that looks like one.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .models import AuditEntry, utcnow

# Every action the log can hold, as the audit page's filter names it (in the staff member's language).
ACTIONS = {
    "login.success": _l("Signed in"),
    "login.failure": _l("Sign-in failed"),
    "login.locked": _l("Sign-in refused: locked out"),
    "logout": _l("Signed out"),
    "user.add": _l("Added a user"),
    "user.disable": _l("Disabled a user"),
    "user.enable": _l("Enabled a user"),
    "user.role": _l("Changed a user's role"),
    "content.draft": _l("Saved a draft"),
    "content.submit": _l("Sent for review"),
    "content.return": _l("Returned with a comment"),
    "content.publish": _l("Published"),
    "content.rollback": _l("Rolled back"),
    "figure.edit": _l("Changed a figure"),
    "token.issue": _l("API token issued"),
    "token.failure": _l("API token refused"),
    "content.import": _l("Imported content files"),
    "content.export": _l("Downloaded the export"),
    "personal_data.read": _l("Read personal data"),
    "referral.queue_viewed": _l("Viewed the referral queue"),
    "referral.viewed": _l("Viewed a referral"),
    "referral.exported": _l("Exported referrals"),
    "referral.status_changed": _l("Changed a referral's status"),
    "referral.assigned": _l("Assigned a referral"),
    "referral.note_added": _l("Added a note to a referral"),
    "translation.review": _l("Marked a translation reviewed"),
    "translation.export": _l("Downloaded a file for translators"),
    "translation.import": _l("Uploaded a translated file"),
    "directory.viewed": _l("Viewed the service directory"),
    "directory.service_viewed": _l("Viewed a directory service"),
    "directory.service_added": _l("Added a directory service"),
    "directory.service_changed": _l("Changed a directory service"),
    "directory.service_removed": _l("Removed a directory service"),
    "directory.organisation_added": _l("Added a directory organisation"),
    "directory.organisation_changed": _l("Changed a directory organisation"),
}
_SENSITIVE = re.compile(r"password|token|secret|hash|cookie", re.I)


def _scrub(value):
    if isinstance(value, dict):
        return {k: "[removed]" if _SENSITIVE.search(str(k)) else _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def advice_target(topic: str, locale: str) -> str:
    """How entries about an answer name it: "respite/en"."""
    return f"{topic}/{locale}"


def _current_actor() -> str | None:
    if not has_request_context():
        return None
    if g.get("api_user") is not None:  # the API signs in by token, never by the session cookie
        return g.api_user.email
    if request.path.startswith("/api/"):
        return None
    return current_user.email if current_user.is_authenticated else None


def record(session: Session, action: str, target: str = "", detail: dict | None = None,
           actor: str | None = None, channel: str | None = None) -> AuditEntry:
    """Adds an entry to the session; the caller's commit saves it with the change it describes."""
    assert action in ACTIONS, action
    in_request = has_request_context()
    entry = AuditEntry(
        at=utcnow(), actor=(actor or _current_actor() or "")[:320] or None, action=action, target=target[:200],
        detail=_scrub(detail or {}), ip=request.remote_addr if in_request else None,
        channel=channel or ("api" if in_request and request.path.startswith("/api/") else "web"),
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class Filters:
    actor: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _filtered(query: Select, filters: Filters) -> Select:
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEntry.at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < _start_of(filters.date_to + dt.timedelta(days=1)))
    return query


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def search(session: Session, filters: Filters, page: int, per_page: int) -> tuple[list[AuditEntry], int]:
    """One page of matching entries, newest first, and how many match in all."""
    total = session.scalar(_filtered(select(func.count()).select_from(AuditEntry), filters))
    rows = session.scalars(
        _filtered(select(AuditEntry), filters)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    )
    return list(rows), total or 0


def actors(session: Session) -> list[str]:
    return sorted(a for a in session.scalars(select(AuditEntry.actor).distinct()) if a)
