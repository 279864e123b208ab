"""Who may do what. Roles: editors edit and send for review; approvers also publish other
people's drafts, return drafts, roll back and change figures; admins also manage users, read
the audit log and import or export content."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, abort
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user

from . import database, security
from .models import ADMIN, APPROVER, EDITOR, StaffUser

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Sign in to use the Front Door admin.")
login_manager.localize_callback = str  # the lazy message in the language of the request, as the session can store it
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

EDIT = (EDITOR, APPROVER, ADMIN)
PUBLISH = (APPROVER, ADMIN)
MANAGE = (ADMIN,)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    # Loaded on every request, so disabling a user or changing a role applies at once.
    user = database.session().get(StaffUser, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def staff_only(blueprint: Blueprint) -> None:
    """Every page of this blueprint needs a signed-in member of staff (and times out)."""
    @blueprint.before_request
    def _require_login():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return security.enforce_idle_timeout()


def roles(*allowed: str):
    """Refuses (403) anyone whose role is not one of these."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate
