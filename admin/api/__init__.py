"""The JSON API, /api/v1, for scripts and other council systems (see /work/shared/interfaces.md
in the project's brief, and README.md for examples).

Bearer tokens from POST /api/v1/tokens; the same roles and rules as the pages. Every bad
request gets a 4xx status with {"error": "..."}, never a 500.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify

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


@api.errorhandler(Exception)
def _unexpected(error: Exception):
    # HTTP errors (404, 405...) are answered as JSON by the app's handler; this is the rest.
    log.exception("API request failed")
    return jsonify(error="Something went wrong on our side. Try again later."), 500


from . import content, referrals, tokens, users  # noqa: E402,F401  (the routes register on `api`)
