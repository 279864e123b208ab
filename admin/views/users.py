"""Managing staff users (admins only): add, change role, disable and enable."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from .. import accounts, audit, database
from ..forms import ROLE_NAMES, ROLE_TITLES, NewUserForm, RoleForm
from ..models import ADMIN, StaffUser
from ..permissions import MANAGE, roles, staff_only

users_pages = Blueprint("users", __name__, url_prefix="/admin/users")
staff_only(users_pages)


def _user_or_404(user_id: int) -> StaffUser:
    user = database.session().get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


def _active_admins() -> int:
    return database.session().scalar(
        select(func.count()).select_from(StaffUser).where(StaffUser.role == ADMIN, StaffUser.active)) or 0


def _last_admin(user: StaffUser) -> bool:
    """The service must always keep at least one active admin."""
    return user.role == ADMIN and user.active and _active_admins() <= 1


@users_pages.get("/")
@roles(*MANAGE)
def index():
    db = database.session()
    users = list(db.scalars(select(StaffUser).order_by(StaffUser.email)))
    # Staff e-mail addresses and sign-in times are personal data: reading them is audited.
    audit.record(db, "personal_data.read", "staff users", {"count": len(users)})
    db.commit()
    return render_template("users/index.html", page_title=gettext("Users"), users=users, role_titles=ROLE_TITLES)


@users_pages.route("/new", methods=["GET", "POST"])
@roles(*MANAGE)
def new():
    form = NewUserForm()
    if not form.validate_on_submit():
        return render_template("users/new.html", page_title=gettext("Add a user"), form=form)
    db = database.session()
    try:
        user = accounts.create_user(db, form.email.data, form.password.data, form.role.data, current_user.email)
    except accounts.AccountError as problem:
        form.email.errors.append(str(problem))
        return render_template("users/new.html", page_title=gettext("Add a user"), form=form)
    audit.record(db, "user.add", user.email, {"role": user.role})
    db.commit()
    flash(gettext("%(email)s can now sign in as %(role)s.", email=user.email, role=ROLE_NAMES[user.role]), "success")
    return redirect(url_for("users.index"))


@users_pages.route("/<id:user_id>", methods=["GET", "POST"])
@roles(*MANAGE)
def change(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm(obj=user)
    if not form.validate_on_submit():
        return render_template("users/change.html", page_title=gettext("Change %(email)s", email=user.email),
                               form=form, user=user)
    if form.role.data != user.role:
        if _last_admin(user):
            form.role.errors.append(gettext("This is the only admin. Make someone else an admin first."))
            return render_template("users/change.html", page_title=gettext("Change %(email)s", email=user.email),
                                   form=form, user=user)
        db = database.session()
        audit.record(db, "user.role", user.email, {"from": user.role, "to": form.role.data})
        user.role = form.role.data
        db.commit()
        flash(gettext("%(email)s is now %(role)s.", email=user.email, role=ROLE_NAMES[user.role]), "success")
    return redirect(url_for("users.index"))


@users_pages.post("/<id:user_id>/disable")
@roles(*MANAGE)
def disable(user_id: int):
    user = _user_or_404(user_id)
    if user.id == current_user.id or _last_admin(user):
        flash(gettext("You cannot disable your own account or the only admin."), "info")
        return redirect(url_for("users.change", user_id=user.id))
    db = database.session()
    user.active = False
    audit.record(db, "user.disable", user.email)
    db.commit()
    flash(gettext("%(email)s can no longer sign in or use the API.", email=user.email), "success")
    return redirect(url_for("users.index"))


@users_pages.post("/<id:user_id>/enable")
@roles(*MANAGE)
def enable(user_id: int):
    user = _user_or_404(user_id)
    db = database.session()
    user.active, user.locked_until = True, None
    audit.record(db, "user.enable", user.email)
    db.commit()
    flash(gettext("%(email)s can sign in again.", email=user.email), "success")
    return redirect(url_for("users.index"))
