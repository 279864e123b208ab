"""The audit log page (admins only): filter by user, action and dates, a page at a time."""
from __future__ import annotations

import math

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext

from .. import audit as audit_log
from .. import database
from ..forms import AuditFilterForm, choices
from ..permissions import MANAGE, roles, staff_only

audit_pages = Blueprint("audit", __name__, url_prefix="/admin/audit")
staff_only(audit_pages)


@audit_pages.get("/")
@roles(*MANAGE)
def index():
    db = database.session()
    form = AuditFilterForm(request.args)
    form.actor.choices = choices([("", gettext("Anyone"))] + [(a, a) for a in audit_log.actors(db)])
    valid = form.validate()
    filters = audit_log.Filters()
    if valid:
        filters = audit_log.Filters(actor=form.actor.data or "", action=form.action.data or "",
                                    date_from=form.date_from.data, date_to=form.date_to.data)
    per_page = current_app.config["AUDIT_PAGE_SIZE"]
    page = (form.page.data or 1) if valid else 1
    entries, total = audit_log.search(db, filters, page, per_page)
    pages = max(1, math.ceil(total / per_page))
    # The log names staff and their addresses: reading it is itself audited.
    audit_log.record(db, "personal_data.read", "audit log", {"page": page, "actor": filters.actor,
                                                             "action": filters.action})
    db.commit()
    return render_template("audit/index.html", page_title=gettext("Audit log"), form=form, entries=entries, total=total,
                           page=page, pages=pages, page_url=_page_url, actions=audit_log.ACTIONS,
                           show_errors=not valid)


def _page_url(number: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for("audit.index", **args)
