"""The JSON API, /api/v1, for scripts and other council systems (README.md's "Staff admin"
section lists the calls, with examples).

Bearer tokens from POST /api/v1/tokens; the same roles and rules as the pages. Every bad
request gets a 4xx status with {"error": "..."}, never a 500.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

from .helpers import ApiError

api = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger(__name__)


@api.errorhandler(ApiError)
def _api_error(error: ApiError):
    response = jsonify(error=error.message, **error.extra)
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    # Raised inside the API (413 too large, 400 from a guard...). Errors before routing, like an
    # unknown path, never reach the blueprint: the app's handler answers those as JSON.
    return jsonify(error=error.description or error.name), error.code


@api.errorhandler(Exception)
def _unexpected(error: Exception):
    log.exception("API request failed")
    return jsonify(error="Something went wrong on our side. Try again later."), 500


from . import content, referrals, tokens, users  # noqa: E402,F401  (the routes register on `api`)
