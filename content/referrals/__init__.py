"""Referrals into adult social care: stored encrypted, announced through an outbox, never lost.

For the conversation:

    submission = submit(ReferralDetails(...))   # never raises because a database is down
    submission.reference                         # "FD-7KQ3MX", for the resident to quote
    submission.stored                            # False: spooled on disk, the worker stores it

For staff (the admin queue and the staff API, which check roles and audit every view):
get_by_reference, list_referrals, count_by_status, set_status, assign, add_note.

The worker (`python -m content.referrals worker`) imports spooled referrals, delivers the duty
team's e-mail and the optional webhook, and applies retention. See README.md in this folder.
"""
from __future__ import annotations

import datetime as dt
import logging
import time

from sqlalchemy.exc import SQLAlchemyError

from . import intake, spool
from .details import ReferralDetails, Submission, check, new_reference
from .models import utcnow
from .records import add_note, assign, count_by_status, get_by_reference, list_referrals, set_status
from .retention import purge
from .worker import run_once

__all__ = ["ReferralDetails", "ReferralNotSaved", "Submission", "add_note", "assign", "count_by_status",
           "get_by_reference", "list_referrals", "purge", "run_once", "set_status", "submit"]

ATTEMPTS = 3
PAUSE = 0.3  # seconds, growing: 0.3 then 0.6, so about a second before spooling

log = logging.getLogger(__name__)


class ReferralNotSaved(Exception):
    """Neither the database nor the spool folder could take the referral. Only when the disk
    itself fails too; the conversation must then give the phone number instead of a reference."""


def submit(details: ReferralDetails) -> Submission:
    """Stores a referral and queues its announcements in one transaction, and returns its
    reference. If the database cannot be reached after a few quick tries, writes the referral
    to the spool (encrypted) and still returns the reference, with stored=False.

    Raises ValueError if the details are malformed (a bug in the caller), and ReferralNotSaved
    only if the spool cannot be written either."""
    check(details)
    created_at, reference = utcnow(), new_reference()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            reference = intake.store(reference, created_at, details)
            log.info("referral %s stored", reference)
            return Submission(reference=reference, stored=True)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("referral %s: database unavailable (%s), try %d of %d",
                        reference, type(exc).__name__, attempt, ATTEMPTS)
            if attempt < ATTEMPTS:
                time.sleep(PAUSE * attempt)
    return _spool(reference, created_at, details)


def _spool(reference: str, created_at: dt.datetime, details: ReferralDetails) -> Submission:
    try:
        spool.write(reference, created_at, details)
    except (OSError, ValueError) as exc:  # a full or read-only disk; a malformed data key
        log.error("referral %s could not be stored or spooled (%s)", reference, type(exc).__name__)
        raise ReferralNotSaved(reference) from exc
    log.warning("referral %s spooled to %s; the worker will store it when the database is back",
                reference, spool.directory())
    return Submission(reference=reference, stored=False)
