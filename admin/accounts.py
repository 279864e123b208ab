"""Staff accounts: passwords, signing in with lock-out, API tokens and the first admin.

Both the pages and the JSON API sign people in through sign_in(), so the same limits apply:
an account locks for 15 minutes after 5 failed attempts, and an address that fails too often
is refused for a while too. Failures are rows in the database, so every web worker counts the
same attempts.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit
from .models import ADMIN, ROLES, ApiToken, LoginFailure, StaffUser, utcnow

log = logging.getLogger(__name__)
hasher = PasswordHasher()
# Checked against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = hasher.hash(secrets.token_hex(16))

MIN_PASSWORD_LENGTH = 12
# The most common passwords and the words they are built from; a password that is one of
# these words with digits or symbols added ("Password123!") is refused too.
COMMON_PASSWORDS = frozenset("""
password passw0rd qwerty qwertyuiop asdfghjkl zxcvbnm letmein welcome admin administrator
iloveyou changeme football monkey dragon sunshine princess baseball superman trustno1
abc123 123456 1234567890 123456789012 111111111111 000000000000 abcdefghijkl
master shadow starwars whatever freedom computer internet secret council castlebridge
frontdoor socialcare summer winter autumn spring london
""".split())
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password is not good enough, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext("Password must be %(num)s characters or more", num=MIN_PASSWORD_LENGTH)
    lowered = password.lower()
    core = re.sub(r"[^a-z]+$", "", re.sub(r"^[^a-z]+", "", lowered))  # without leading/trailing digits, symbols
    if lowered in COMMON_PASSWORDS or core in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return gettext("Password is too common: choose one that is harder to guess")
    local_part = normalise_email(email).split("@")[0]
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return gettext("Password must not contain the e-mail address")
    return None


def find_user(session: Session, email: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def create_user(session: Session, email: str, password: str, role: str, created_by: str | None) -> StaffUser:
    email = normalise_email(email)
    if not EMAIL.match(email) or len(email) > 320:
        raise AccountError(gettext("Enter an e-mail address in the correct format, like name@example.gov.uk"))
    if role not in ROLES:
        raise AccountError(gettext("Role must be one of: %(roles)s", roles=", ".join(ROLES)))
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    if find_user(session, email) is not None:
        raise AccountError(gettext("A user with this e-mail address already exists"))
    user = StaffUser(email=email, password_hash=hasher.hash(password), role=role, active=True,
                     created_by=created_by)
    session.add(user)
    session.flush()
    return user


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes; everything here is stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None
    outcome: str  # "ok", "failed", "locked" (this account) or "throttled" (this address)

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def _recent_failures(session: Session, since: dt.datetime, **where) -> int:
    query = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    for column, value in where.items():
        query = query.where(getattr(LoginFailure, column) == value)
    return session.scalar(query) or 0


def is_locked(user: StaffUser, now: dt.datetime | None = None) -> bool:
    until = as_utc(user.locked_until)
    return until is not None and until > (now or utcnow())


def sign_in(session: Session, email: str, password: str, ip: str) -> SignIn:
    """Checks a password, counting failures. The caller audits the outcome and commits."""
    config = current_app.config
    now = utcnow()
    window_start = now - config["LOCKOUT_PERIOD"]
    email = normalise_email(email)
    if _recent_failures(session, window_start, ip=ip) >= config["IP_FAILURES"]:
        return SignIn(None, "throttled")
    user = find_user(session, email)
    if user is not None and is_locked(user, now):
        return SignIn(user, "locked")  # not even checked, so guessing while locked learns nothing
    if _password_matches(user, password) and user.active:
        user.last_login_at, user.locked_until = now, None
        _upgrade_hash(user, password)
        return SignIn(user, "ok")
    session.add(LoginFailure(email=email[:320], ip=ip, at=now))
    session.flush()
    if user is not None:
        since = max(window_start, as_utc(user.last_login_at) or window_start)
        if _recent_failures(session, since, email=email) >= config["LOCKOUT_FAILURES"]:
            user.locked_until = now + config["LOCKOUT_PERIOD"]
            return SignIn(user, "locked")
    return SignIn(user, "failed")


def _password_matches(user: StaffUser | None, password: str) -> bool:
    try:
        return hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "") and user is not None
    except (VerificationError, InvalidHashError):
        return False


def _upgrade_hash(user: StaffUser, password: str) -> None:
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)


def _token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough to make a stolen table useless.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: StaffUser) -> tuple[str, dt.datetime]:
    token = secrets.token_urlsafe(32)
    expires = utcnow() + current_app.config["TOKEN_LIFETIME"]
    session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=expires))
    session.flush()
    return token, expires


def user_for_token(session: Session, token: str) -> StaffUser | None:
    """The active user a token belongs to, if it exists and has not expired."""
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if found is None or as_utc(found.expires_at) <= utcnow() or not found.user.active:
        return None
    return found.user


def bootstrap_admin(session: Session, email: str, password: str) -> StaffUser | None:
    """Creates the first admin from FRONTDOOR_ADMIN_EMAIL and FRONTDOOR_ADMIN_PASSWORD, but
    only while there is no staff user at all. There is never a built-in password."""
    if session.scalar(select(func.count()).select_from(StaffUser)):
        return None
    if not email or not password:
        log.warning("No staff user exists. Set FRONTDOOR_ADMIN_EMAIL and FRONTDOOR_ADMIN_PASSWORD "
                    "and restart to create the first admin.")
        return None
    try:
        user = create_user(session, email, password, ADMIN, created_by="FRONTDOOR_ADMIN_EMAIL")
        audit.record(session, "user.add", target=user.email, detail={"role": ADMIN, "bootstrap": True},
                     actor="FRONTDOOR_ADMIN_EMAIL")
        session.commit()
    except AccountError as exc:
        session.rollback()
        log.error("The first admin was not created: %s. Fix FRONTDOOR_ADMIN_EMAIL or "
                  "FRONTDOOR_ADMIN_PASSWORD and restart.", exc)
        return None
    except IntegrityError:
        session.rollback()  # another worker created it at the same moment
        return None
    log.info("Created the first admin, %s", user.email)
    return user


def any_users(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(StaffUser)))
