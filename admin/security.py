"""Browser-facing protections: the secret key, cookies, CSRF, security headers with a strict
Content Security Policy, and the idle session time-out."""
from __future__ import annotations

import secrets
import time

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext, ngettext
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import settings

csrf = CSRFProtect()
LARGEST_ID = 2**31 - 1  # the database's INTEGER; a bigger number in a URL is simply not found

# Pages under these paths get the strict policy. Other people's pages in this app (the demo
# council page, the directory) set their own; every response gets the other headers.
STRICT_PATHS = ("/admin", "/api/")


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure when configured, or in "auto" mode whenever the request
    came over HTTPS (directly, or through a trusted proxy)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        mode = app.config["SECURE_COOKIES"]
        return mode in ("1", "true", "yes") or (mode == "auto" and request.is_secure)


def init_app(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key()
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    app.url_map.converters["id"] = IdConverter
    app.before_request(_refuse_nul_characters)
    app.before_request(_make_nonce)
    app.after_request(_add_headers)
    app.jinja_env.globals["csp_nonce"] = lambda: g.get("csp_nonce", "")


class IdConverter(IntegerConverter):
    """<id:number>: a whole number the database can hold, so no URL can make it overflow."""

    def __init__(self, url_map):
        super().__init__(url_map, min=0, max=LARGEST_ID)


def _refuse_nul_characters():
    # PostgreSQL cannot store or compare text with NUL in it, and no person types one; refuse
    # it at the door (400) rather than let it fail deep inside a query (500).
    if not request.path.startswith(STRICT_PATHS):
        return None
    values = [request.path, *request.args.values(), *(request.form.values() if request.form else ())]
    if any("\x00" in value for value in values):
        abort(400, gettext("The request has a character in it that cannot be used (NUL)."))
    return None


def _make_nonce() -> None:
    # GOV.UK Frontend's page template has one tiny inline script (it marks the page as having
    # JavaScript); a fresh nonce per response lets that one through and nothing else.
    g.csp_nonce = secrets.token_urlsafe(16)


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _add_headers(response):
    headers = response.headers
    if request.path.startswith(STRICT_PATHS):
        headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce", "")))
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cache-Control", "no-store")  # staff pages must not linger in caches
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def enforce_idle_timeout():
    """Signs staff out after IDLE_TIMEOUT without a request. The session cookie carries the
    time of the last request, signed, so the server decides, not the browser."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    timeout = current_app.config["IDLE_TIMEOUT"]
    if now - session.get("last_seen", 0) > timeout.total_seconds():
        from .i18n import clear_session

        logout_user()
        clear_session()
        flash(ngettext("You were signed out because you had not done anything for %(num)s minute.",
                       "You were signed out because you had not done anything for %(num)s minutes.",
                       timeout.seconds // 60), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    session["last_seen"] = now
    session.permanent = True
    return None

