"""The web app's settings, from the environment. Tests pass overrides to create_app()."""
from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from pathlib import Path

from content import db

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = ROOT / "var" / "secret_key"


def from_environment() -> dict:
    env = os.environ
    return {
        "DATABASE_URL": db.database_url(),
        "SECRET_KEY": env.get("FRONTDOOR_SECRET_KEY") or None,  # None: read or make var/secret_key
        "ADMIN_EMAIL": env.get("FRONTDOOR_ADMIN_EMAIL", ""),
        "ADMIN_PASSWORD": env.get("FRONTDOOR_ADMIN_PASSWORD", ""),
        # "auto" marks cookies Secure whenever the request came over HTTPS; "true" always.
        "SECURE_COOKIES": env.get("FRONTDOOR_SECURE_COOKIES", "auto").lower(),
        # How many reverse proxies in front of the app set X-Forwarded-For and -Proto. Needed
        # behind a proxy, or every sign-in appears to come from the proxy's address.
        "TRUSTED_PROXIES": int(env.get("FRONTDOOR_TRUSTED_PROXIES", "0") or 0),
        "SESSION_COOKIE_NAME": "frontdoor_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(minutes=30),
        "IDLE_TIMEOUT": dt.timedelta(minutes=30),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session, which times out
        "LOCKOUT_FAILURES": 5,  # failed sign-ins to one account ...
        "LOCKOUT_PERIOD": dt.timedelta(minutes=15),  # ... within this time lock it for this long
        "IP_FAILURES": 20,  # failed sign-ins from one address within LOCKOUT_PERIOD
        "TOKEN_LIFETIME": dt.timedelta(hours=12),
        "AUDIT_PAGE_SIZE": 50,
        "MAX_CONTENT_LENGTH": 1024 * 1024,  # no advice needs more; refuses huge bodies early
    }


def secret_key(path: Path = SECRET_KEY_FILE) -> str:
    """FRONTDOOR_SECRET_KEY, or a key made once and kept in var/secret_key (mode 600) so that
    sessions survive restarts and every worker signs cookies alike."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        # O_EXCL: when several workers start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_when_written(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _read_when_written(path: Path) -> str:
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.05)
    raise RuntimeError(f"{path} is empty; delete it and start again")
