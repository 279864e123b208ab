"""GET /api/v1/referrals/{reference}: one referral, for approvers and admins. It holds a
resident's personal data, so every read (and every miss) is audited."""
from __future__ import annotations

from content.referrals import get_by_reference
from content.referrals.details import normalise_reference

from .. import audit, database
from ..permissions import PUBLISH
from . import api
from .helpers import ApiError, token_required


@api.get("/referrals/<reference>")
@token_required(*PUBLISH)
def get_referral(reference: str):
    reference = normalise_reference(reference)[:20]
    db = database.session()
    found = get_by_reference(db, reference)
    audit.record(db, "personal_data.read", reference, {"what": "referral", "found": found is not None})
    db.commit()
    if found is None:
        raise ApiError(404, f"There is no referral {reference}")
    return found
