"""The demo council page at ``/``: an adult social care page with the Front Door chat on it."""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Response, make_response, render_template

from content.council import current as council

DEFAULT_RASA_URL = "http://localhost:5005"


def rasa_url() -> str:
    """Where the widget finds the Rasa server: FRONTDOOR_RASA_URL, set by scripts/services.py."""
    return os.environ.get("FRONTDOOR_RASA_URL", DEFAULT_RASA_URL).rstrip("/")


def content_security_policy(rasa: str) -> str:
    """Scripts and styles from this site only; the chat may talk to the Rasa server and nothing else."""
    parts = urlsplit(rasa)
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' {parts.scheme}://{parts.netloc}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def page() -> Response:
    rasa = rasa_url()
    response = make_response(render_template("demo/index.html", council=council(), rasa_url=rasa))
    response.headers["Content-Security-Policy"] = content_security_policy(rasa)
    return response
