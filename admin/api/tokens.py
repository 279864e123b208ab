"""POST /api/v1/tokens: a bearer token for a member of staff. Failures count towards the same
lock-out as the sign-in page, are refused with 429 once over the limit, and are audited."""
from __future__ import annotations

from flask import request

from .. import accounts, audit, database
from . import api
from .helpers import ApiError, json_object, text


@api.post("/tokens")
def issue_token():
    data = json_object()
    email, password = text(data, "email"), text(data, "password")
    db = database.session()
    result = accounts.sign_in(db, email, password, request.remote_addr or "")
    if not result.ok:
        audit.record(db, "token.failure", accounts.normalise_email(email), {"outcome": result.outcome},
                     actor=accounts.normalise_email(email)[:320])
        db.commit()
        if result.outcome in ("locked", "throttled"):
            raise ApiError(429, "Too many failed attempts. Try again in 15 minutes.", {"Retry-After": "900"})
        raise ApiError(401, "Wrong email or password")
    token, expires = accounts.issue_token(db, result.user)
    audit.record(db, "token.issue", result.user.email, {"expires_at": expires.isoformat()}, actor=result.user.email)
    db.commit()
    return {"token": token, "token_type": "Bearer", "expires_at": expires.isoformat()}
