"""The referral queue (approvers and admins): residents' requests for help, newest first, with
filters, paging and a CSV export; one referral with its notes, its status, who has it, and
forms to change them. Every page and every export shows personal data, so each is audited,
with the reference (never a name) as the target."""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from content.referrals import add_note, assign, count_by_status, get_by_reference, list_referrals, set_status
from content.referrals.details import normalise_reference

from .. import audit, database
from ..forms import (
    REFERRAL_STATUSES,
    REFERRAL_URGENCIES,
    ReferralAssignForm,
    ReferralFilterForm,
    ReferralNoteForm,
    ReferralStatusForm,
    choices,
)
from ..models import StaffUser
from ..permissions import PUBLISH, roles, staff_only

referrals_pages = Blueprint("referrals", __name__, url_prefix="/admin")
staff_only(referrals_pages)

RISKS = {"lives_alone": lazy_gettext("Lives alone"), "falls": lazy_gettext("Falls"),
         "carer_unable": lazy_gettext("Carer unable to cope")}
QUEUE = "referral queue"  # the audit target of the queue and the export
EXPORT_BATCH = 500
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The export's column headings, in the language of whoever downloads it (the values are codes).
CSV_COLUMNS = [
    ("reference", lazy_gettext("Reference")), ("created_at", lazy_gettext("Received")),
    ("status", lazy_gettext("Status")), ("closed_at", lazy_gettext("Closed")), ("urgency", lazy_gettext("Urgency")),
    ("risks", lazy_gettext("Risks")), ("for_whom", lazy_gettext("For whom")),
    ("relationship", lazy_gettext("Relationship")), ("consent", lazy_gettext("Consent")),
    ("name", lazy_gettext("Name")), ("date_of_birth", lazy_gettext("Date of birth")),
    ("contact", lazy_gettext("Contact")), ("contact_kind", lazy_gettext("Contact kind")),
    ("postcode", lazy_gettext("Postcode")), ("needs", lazy_gettext("Needs")), ("locale", lazy_gettext("Language")),
    ("channel", lazy_gettext("Channel")), ("assigned_to", lazy_gettext("Assigned to")),
]
CHANNELS = {"web": lazy_gettext("Web chat"), "sms": lazy_gettext("SMS"), "whatsapp": lazy_gettext("WhatsApp")}
CONTACT_KINDS = {"phone": lazy_gettext("phone"), "email": lazy_gettext("email")}
# What the page says after a status change; a whole sentence each, as languages word them differently.
STATUS_CHANGED = {
    "new": lazy_gettext("%(reference)s is now new."),
    "triaged": lazy_gettext("%(reference)s is now triaged."),
    "in_progress": lazy_gettext("%(reference)s is now in progress."),
    "closed": lazy_gettext("%(reference)s is now closed."),
}


def moment(value: str | None) -> dt.datetime | None:
    """The referral functions give times as ISO strings; the date filters want datetimes."""
    return dt.datetime.fromisoformat(value) if value else None


def _filters() -> tuple[ReferralFilterForm, dict, int]:
    """The queue's filters from the query string: the form, list_referrals' arguments, the page."""
    form = ReferralFilterForm(request.args)
    if not form.validate():
        return form, {}, 1
    filters = {"status": form.status.data or None, "urgency": form.urgency.data or None,
               "assigned_to": current_user.email if form.mine.data else None}
    return form, filters, form.page.data or 1


def _audit_filters(filters: dict) -> dict:
    return {"status": filters.get("status"), "urgency": filters.get("urgency"),
            "mine": filters.get("assigned_to") is not None}


@referrals_pages.get("/referrals")
@roles(*PUBLISH)
def queue():
    db = database.session()
    form, filters, page = _filters()
    per_page = current_app.config.get("REFERRALS_PAGE_SIZE", 50)
    rows = list_referrals(db, **filters, limit=per_page + 1, offset=(page - 1) * per_page)
    has_next, rows = len(rows) > per_page, rows[:per_page]
    counts = count_by_status(db)
    audit.record(db, "referral.queue_viewed", QUEUE,
                 {**_audit_filters(filters), "page": page, "references": [r["reference"] for r in rows]})
    db.commit()
    return render_template("referrals/queue.html", page_title=gettext("Referrals"), form=form, referrals=rows,
                           counts=counts, page=page, has_next=has_next, page_url=_page_url,
                           status_url=_status_url, export_url=_export_url(), statuses=REFERRAL_STATUSES,
                           urgencies=REFERRAL_URGENCIES, risks=RISKS, moment=moment,
                           current_status=filters.get("status"), show_errors=bool(form.errors))


def _page_url(number: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for("referrals.queue", **args)


def _status_url(status: str | None) -> str:
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    args["status"] = [status or ""]
    return url_for("referrals.queue", **args)


def _export_url() -> str:
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    return url_for("referrals.export", **args)


@referrals_pages.get("/referrals.csv")
@roles(*PUBLISH)
def export():
    """Every referral the queue's filters match (all pages), with every personal field."""
    db = database.session()
    form, filters, _page = _filters()
    if form.errors:
        abort(400)
    rows: list[dict] = []
    while True:
        batch = list_referrals(db, **filters, limit=EXPORT_BATCH, offset=len(rows))
        rows += batch
        if len(batch) < EXPORT_BATCH:
            break
    audit.record(db, "referral.exported", QUEUE,
                 {**_audit_filters(filters), "count": len(rows), "references": [r["reference"] for r in rows]})
    db.commit()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(title) for _key, title in CSV_COLUMNS])
    for row in rows:
        writer.writerow([safe_cell(_csv_value(row, key)) for key, _title in CSV_COLUMNS])
    name = f"frontdoor-referrals-{dt.date.today().isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def _csv_value(row: dict, key: str) -> str:
    value = row.get(key)
    if key == "risks":
        return "; ".join(value or [])
    return "" if value is None else str(value)


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: one that could start a formula gets a
    leading single quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _staff_choices() -> list:
    """Who a referral can be assigned to: active staff who may read referrals."""
    users = database.session().scalars(
        select(StaffUser).where(StaffUser.active, StaffUser.role.in_(PUBLISH)).order_by(StaffUser.email))
    return choices([("", gettext("Nobody"))] + [(user.email, user.email) for user in users])


def _reference(reference: str) -> str:
    return normalise_reference(reference)[:20]


def _show(reference: str, status_form=None, assign_form=None, note_form=None):
    """The referral page, audited as a view (including a miss, which is a 404)."""
    db = database.session()
    found = get_by_reference(db, reference)
    audit.record(db, "referral.viewed", reference, {"found": found is not None})
    db.commit()
    if found is None:
        abort(404)
    status_form = status_form or ReferralStatusForm(formdata=None, data={"status": found["status"]})
    assign_form = assign_form or ReferralAssignForm(formdata=None, data={"assigned_to": found["assigned_to"] or ""})
    assign_form.assigned_to.choices = _staff_choices()
    note_form = note_form or ReferralNoteForm(formdata=None)
    forms = (status_form, assign_form, note_form)
    return render_template("referrals/referral.html", page_title=gettext("Referral %(reference)s", reference=found["reference"]),
                           referral=found, status_form=status_form, assign_form=assign_form, note_form=note_form,
                           error_form=next((f for f in forms if f.errors), None),
                           show_errors=any(f.errors for f in forms), statuses=REFERRAL_STATUSES,
                           urgencies=REFERRAL_URGENCIES, risks=RISKS, moment=moment, channels=CHANNELS,
                           contact_kinds=CONTACT_KINDS)


@referrals_pages.get("/referrals/<reference>")
@roles(*PUBLISH)
def referral(reference: str):
    return _show(_reference(reference))


def _found_or_404(reference: str) -> dict:
    found = get_by_reference(database.session(), reference)
    if found is None:
        abort(404)
    return found


@referrals_pages.post("/referrals/<reference>/status")
@roles(*PUBLISH)
def change_status(reference: str):
    reference = _reference(reference)
    before = _found_or_404(reference)["status"]
    form = ReferralStatusForm()
    if not form.validate_on_submit():
        return _show(reference, status_form=form)
    db = database.session()
    set_status(db, reference, form.status.data)
    audit.record(db, "referral.status_changed", reference, {"from": before, "to": form.status.data})
    db.commit()
    flash(str(STATUS_CHANGED[form.status.data]) % {"reference": reference}, "success")
    return redirect(url_for("referrals.referral", reference=reference))


@referrals_pages.post("/referrals/<reference>/assign")
@roles(*PUBLISH)
def change_assignee(reference: str):
    reference = _reference(reference)
    before = _found_or_404(reference)["assigned_to"]
    form = ReferralAssignForm()
    form.assigned_to.choices = _staff_choices()
    if not form.validate_on_submit():
        return _show(reference, assign_form=form)
    db = database.session()
    assign(db, reference, form.assigned_to.data or None)
    audit.record(db, "referral.assigned", reference, {"from": before, "to": form.assigned_to.data or None})
    db.commit()
    if form.assigned_to.data:
        flash(gettext("%(reference)s is now assigned to %(who)s.", reference=reference, who=form.assigned_to.data),
              "success")
    else:
        flash(gettext("%(reference)s is now assigned to nobody.", reference=reference), "success")
    return redirect(url_for("referrals.referral", reference=reference))


@referrals_pages.post("/referrals/<reference>/notes")
@roles(*PUBLISH)
def new_note(reference: str):
    reference = _reference(reference)
    _found_or_404(reference)
    form = ReferralNoteForm()
    if not form.validate_on_submit():  # DataRequired also refuses a note of only spaces
        return _show(reference, note_form=form)
    db = database.session()
    add_note(db, reference, current_user.email, form.body.data)
    audit.record(db, "referral.note_added", reference)  # never the note itself: it may name people
    db.commit()
    flash(gettext("Your note on %(reference)s is saved.", reference=reference), "success")
    return redirect(url_for("referrals.referral", reference=reference))
