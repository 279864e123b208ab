"""POST /api/v1/users: admins add staff users."""
from __future__ import annotations

from .. import accounts, audit, database
from ..models import ADMIN
from . import api
from .helpers import ApiError, caller, json_object, text, token_required


@api.post("/users")
@token_required(ADMIN)
def add_user():
    data = json_object()
    email, password, role = text(data, "email"), text(data, "password"), text(data, "role")
    db = database.session()
    try:
        user = accounts.create_user(db, email, password, role, created_by=caller().email)
    except accounts.AccountError as problem:
        raise ApiError(409 if "already exists" in str(problem) else 400, str(problem)) from None
    audit.record(db, "user.add", user.email, {"role": user.role}, actor=caller().email)
    db.commit()
    return {"id": user.id, "email": user.email, "role": user.role, "active": user.active}, 201
