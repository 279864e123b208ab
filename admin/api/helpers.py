"""Shared by the API's routes: bearer-token sign-in, roles, and reading JSON safely."""
from __future__ import annotations

import datetime as dt
from functools import wraps

from flask import g, request

from .. import accounts, database
from ..models import StaffUser
from ..security import LARGEST_ID


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.message, self.headers, self.extra = status, message, headers or {}, extra


def caller() -> StaffUser:
    return g.api_user


def token_required(*roles: str):
    """Needs a valid bearer token (401 without one) from a user with one of these roles (403)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(401, "Send a token: Authorization: Bearer <token> (get one from POST /api/v1/tokens)",
                               {"WWW-Authenticate": 'Bearer realm="frontdoor"'})
            user = accounts.user_for_token(database.session(), token.strip())
            if user is None:
                raise ApiError(401, "The token is not valid or has expired: get a new one from POST /api/v1/tokens",
                               {"WWW-Authenticate": 'Bearer realm="frontdoor", error="invalid_token"'})
            if roles and user.role not in roles:
                raise ApiError(403, f"Your role ({user.role}) does not allow this; it needs {' or '.join(roles)}")
            g.api_user = user
            return view(*args, **kwargs)
        return wrapper
    return decorate


def json_object() -> dict:
    if not request.is_json:
        raise ApiError(400, "Send a JSON object with Content-Type: application/json")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object")
    return data


def text(data: dict, name: str, required: bool = True, max_length: int | None = None) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"'{name}' is missing")
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"'{name}' must be a string")
    if "\x00" in value:
        raise ApiError(400, f"'{name}' has a character that cannot be used (NUL)")
    if required and not value.strip():
        raise ApiError(400, f"'{name}' must not be empty")
    if max_length and len(value) > max_length:
        raise ApiError(400, f"'{name}' must be {max_length} characters or fewer")
    return value


def whole_number(data: dict, name: str, required: bool = True) -> int | None:
    value = data.get(name)
    if value is None and not required:
        return None
    # bool is an int in Python; true is not a version number.
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= LARGEST_ID:
        raise ApiError(400, f"'{name}' must be a whole number" if value is not None else f"'{name}' is missing")
    return value


def date(data: dict, name: str) -> dt.date | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"'{name}' must be a date like \"2026-11-20\" or null")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"'{name}' must be a date like \"2026-11-20\" or null") from None
