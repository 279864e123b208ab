"""Signing in and out of the staff admin."""
from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_user, logout_user

from .. import accounts, audit, database, i18n
from ..forms import LoginForm

auth = Blueprint("auth", __name__, url_prefix="/admin")

REFUSALS = {
    "failed": lazy_gettext("Enter a correct email address and password"),
    "locked": lazy_gettext("This account is locked for 15 minutes after too many failed sign-ins. "
                           "Try again later, or ask an admin for help."),
    "throttled": lazy_gettext("There have been too many failed sign-ins from your network. "
                              "Try again in 15 minutes."),
}


def safe_next(target: str | None) -> str:
    """Only ever back into the admin, never to another site."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("content.topics")


@auth.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("content.topics"))
    form = LoginForm()
    db = database.session()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, page_title=gettext("Sign in"),
                               no_users=not accounts.any_users(db))
    result = accounts.sign_in(db, form.email.data, form.password.data, request.remote_addr or "")
    email = accounts.normalise_email(form.email.data)
    if not result.ok:
        action = "login.locked" if result.outcome in ("locked", "throttled") else "login.failure"
        audit.record(db, action, target=email, actor=email, detail={"outcome": result.outcome})
        db.commit()
        error = {"text": REFUSALS[result.outcome], "href": "#email"}
        status = 429 if result.outcome in ("locked", "throttled") else 200
        return render_template("auth/login.html", form=form, page_title=gettext("Sign in"), sign_in_error=error,
                               no_users=False), status
    i18n.clear_session()  # a new session for the signed-in user: nothing carried over but the language
    login_user(result.user)
    session["last_seen"], session.permanent = time.time(), True
    audit.record(db, "login.success", target=result.user.email, actor=result.user.email)
    db.commit()
    return redirect(safe_next(request.args.get("next")))


@auth.get("/sign-out")
def logout():
    if current_user.is_authenticated:
        db = database.session()
        audit.record(db, "logout", target=current_user.email)
        db.commit()
    logout_user()
    i18n.clear_session()
    flash(gettext("You have signed out."), "success")
    return redirect(url_for("auth.login"))
