"""The service directory (all staff): find, add, change and remove services, their categories,
contacts, places and "when it runs", and the organisations that run them.

Changes are written straight into the Open Referral UK tables (content/directory/editing.py),
so /oruk and the assistant's searches show them on their next request: there is no draft and no
review, as a service's details are facts to keep right rather than advice to word. Editors,
approvers and admins edit; removing a service, which cannot be undone, is for approvers and
admins. Every change is in the audit log with the change it describes, and so is every view of
the list and of a service (a service's page names its contacts).
"""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from content.directory import editing, schedules
from content.directory.models import Contact, Location, Organization, Schedule, Service, ServiceAtLocation

from .. import audit, database
from ..directory_forms import (
    STATUS_NAMES,
    CategoriesForm,
    ContactForm,
    DirectoryFilterForm,
    ExistingPlaceForm,
    OrganisationForm,
    PlaceForm,
    ScheduleForm,
    ServiceForm,
    phone_of,
)
from ..forms import ActionForm, choices
from ..permissions import EDIT, PUBLISH, roles, staff_only

directory_pages = Blueprint("directory", __name__, url_prefix="/admin/directory")
staff_only(directory_pages)

LIST = "service directory"  # the audit target of the list
ORGANISATIONS = "directory organisations"


# --- looking things up ----------------------------------------------------------------

def _uuid_or_404(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        abort(404)


def _service_or_404(service_id: str) -> Service:
    found = editing.full_service(database.session(), _uuid_or_404(service_id))
    if found is None:
        abort(404)
    return found


def _part_or_404(items, part_id: str):
    part_id = _uuid_or_404(part_id)
    found = next((item for item in items if item.id == part_id), None)
    if found is None:
        abort(404)
    return found


def _record(action: str, service: Service, **detail) -> None:
    audit.record(database.session(), action, service.name, {"service": service.id, **detail})


def _done(service: Service, message: str):
    database.session().commit()
    flash(message, "success")
    return redirect(url_for("directory.service", service_id=service.id))


def _form(form_class, **saved):
    """On GET, the form filled in from what is saved; on POST, what the person sent."""
    return form_class(formdata=None, **saved) if request.method == "GET" else form_class()


def _category_choices(db) -> list:
    items = [("", _("Any category"))]
    for _taxonomy, terms in editing.terms_by_taxonomy(db):
        names = {t.id: t.name for t in terms}
        items += [(t.id, f"{names[t.parent_id]}: {t.name}" if t.parent_id in names else t.name) for t in terms]
    return choices(items)


# --- the list -----------------------------------------------------------------------------

@directory_pages.get("/")
@roles(*EDIT)
def index():
    db = database.session()
    form = DirectoryFilterForm(request.args)
    form.category.choices = _category_choices(db)
    valid = form.validate()
    per_page = current_app.config.get("DIRECTORY_PAGE_SIZE", 25)
    page = (form.page.data or 1) if valid else 1
    filters = {"text": form.q.data, "term_id": form.category.data or None,
               "status": form.status.data or None} if valid else {}
    rows, total = editing.list_services(db, **filters, page=page, per_page=per_page)
    pages = max(1, -(-total // per_page))
    audit.record(db, "directory.viewed", LIST, {**filters, "page": page, "count": len(rows)})
    db.commit()
    return render_template("directory/index.html", page_title=_("Service directory"), form=form,
                           services=rows, total=total, page=page, pages=pages, per_page=per_page,
                           page_url=_page_url, statuses=STATUS_NAMES)


def _page_url(number: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for("directory.index", **args)


# --- a service ----------------------------------------------------------------------------

@directory_pages.get("/services/<service_id>")
@roles(*EDIT)
def service(service_id: str):
    found = _service_or_404(service_id)
    db = database.session()
    term_ids = editing.category_ids(db, found.id)
    categories = [term for _taxonomy, terms in editing.terms_by_taxonomy(db) for term in terms if term.id in term_ids]
    shared = {link.id: [s for s in editing.services_at(db, link.location_id) if s.id != found.id]
              for link in found.service_at_locations}
    _record("directory.service_viewed", found)
    db.commit()
    return render_template("directory/service.html", page_title=found.name, service=found, categories=categories,
                           shared=shared, statuses=STATUS_NAMES, describe=_describe,
                           can_remove=_can_remove())


def _describe(schedule) -> str:
    """When a schedule runs, in the English staff enter and check it in (the bot says it in the
    resident's language)."""
    return schedules.describe(schedule, "en")


def _can_remove() -> bool:
    return current_user.role in PUBLISH


def _organisation_choices(db) -> list:
    return choices([("", _("Choose an organisation"))] + [(org.id, org.name) for org, _count in editing.organisations(db)])


def _organisation_id(db, form: ServiceForm) -> tuple[str, bool]:
    """The chosen organisation, or a new one made from the name typed; and whether it is new."""
    if form.organisation.data:
        return form.organisation.data, False
    org, _changed = editing.set_organisation(db, None, name=form.new_organisation.data)
    return org.id, True


def _service_fields(form: ServiceForm) -> dict:
    return {"name": form.name.data, "description": form.description.data, "status": form.status.data,
            "url": form.url.data, "email": form.email.data, "fees": form.fees.data,
            "minimum_age": form.minimum_age.data, "maximum_age": form.maximum_age.data}


@directory_pages.route("/services/new", methods=["GET", "POST"])
@roles(*EDIT)
def new_service():
    db = database.session()
    form = _form(ServiceForm, data={"status": "active"})
    form.organisation.choices = _organisation_choices(db)
    if not form.validate_on_submit():
        return render_template("directory/service_form.html", page_title=_("Add a service"), form=form, service=None)
    org_id, new_org = _organisation_id(db, form)
    added = editing.add_service(db, organization_id=org_id, **_service_fields(form))
    editing.set_service_phone(added, phone_of(form.phone))
    if new_org:
        audit.record(db, "directory.organisation_added", form.new_organisation.data, {"organisation": org_id})
    _record("directory.service_added", added, status=added.status)
    return _done(added, _("%(name)s is in the directory. Add its categories, places and when it runs below.",
                          name=added.name))


@directory_pages.route("/services/<service_id>/edit", methods=["GET", "POST"])
@roles(*EDIT)
def edit_service(service_id: str):
    found = _service_or_404(service_id)
    db = database.session()
    form = _form(ServiceForm, obj=found, data={"organisation": found.organization_id or "",
                                              "phone": _phone_text(found.phones)})
    form.organisation.choices = _organisation_choices(db)
    if not form.validate_on_submit():
        return render_template("directory/service_form.html", page_title=_("Change %(name)s", name=found.name),
                               form=form, service=found)
    before = found.status
    org_id, new_org = _organisation_id(db, form)
    changed = editing.change_service(found, organization_id=org_id, **_service_fields(form))
    if editing.set_service_phone(found, phone_of(form.phone)):
        changed.append("phone")
    if new_org:
        audit.record(db, "directory.organisation_added", form.new_organisation.data, {"organisation": org_id})
    detail = {"changed": changed}
    if "status" in changed:
        detail.update({"from": before, "to": found.status})
    _record("directory.service_changed", found, part="details", **detail)
    return _done(found, _("Your changes to %(name)s are saved.", name=found.name) if changed
                 else _("Nothing was changed."))


@directory_pages.route("/services/<service_id>/categories", methods=["GET", "POST"])
@roles(*EDIT)
def categories(service_id: str):
    found = _service_or_404(service_id)
    db = database.session()
    groups = editing.terms_by_taxonomy(db)
    form = _form(CategoriesForm, data={"terms": sorted(editing.category_ids(db, found.id))})
    form.terms.choices = [(term.id, term.name) for _taxonomy, terms in groups for term in terms]
    if not form.validate_on_submit():
        return render_template("directory/categories.html", page_title=_("Categories of %(name)s", name=found.name),
                               form=form, service=found, groups=groups, chosen=set(form.terms.data or []))
    added, removed = editing.set_categories(db, found, form.terms.data or [])
    _record("directory.service_changed", found, part="categories", added=sorted(added), removed=sorted(removed))
    return _done(found, _("The categories of %(name)s are saved.", name=found.name))


# --- contacts -------------------------------------------------------------------------------

def _phone_text(phones) -> str | None:
    phone = phones[0] if phones else None
    return (phone.number + (f" ext {phone.extension}" if phone.extension else "")) if phone else None


@directory_pages.route("/services/<service_id>/contacts/new", methods=["GET", "POST"])
@directory_pages.route("/services/<service_id>/contacts/<contact_id>", methods=["GET", "POST"])
@roles(*EDIT)
def contact(service_id: str, contact_id: str | None = None):
    found = _service_or_404(service_id)
    existing: Contact | None = _part_or_404(found.contacts, contact_id) if contact_id else None
    form = _form(ContactForm, obj=existing, data={"phone": _phone_text(existing.phones) if existing else None})
    title = _("Change a contact") if existing else _("Add a contact")
    if not form.validate_on_submit():
        return render_template("directory/contact.html", page_title=title, form=form, service=found, contact=existing)
    db = database.session()
    saved = editing.set_contact(db, found, existing, name=form.name.data, title=form.title.data,
                                email=form.email.data, phone=phone_of(form.phone))
    # Never the contact's name or details in the log: they are a person's.
    _record("directory.service_changed", found, part="contact", contact=saved.id,
            change="changed" if existing else "added")
    return _done(found, _("The contact is saved.") if existing else _("The contact is added."))


@directory_pages.route("/services/<service_id>/contacts/<contact_id>/remove", methods=["GET", "POST"])
@roles(*EDIT)
def remove_contact(service_id: str, contact_id: str):
    found = _service_or_404(service_id)
    existing = _part_or_404(found.contacts, contact_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _confirm(found, _("Remove this contact?"), existing.name or _("This contact"),
                        _("Yes, remove this contact"), form)
    editing.remove_contact(database.session(), found, existing)
    _record("directory.service_changed", found, part="contact", contact=existing.id, change="removed")
    return _done(found, _("The contact is removed."))


def _confirm(found: Service, title: str, what: str, button: str, form: ActionForm, warning: str | None = None):
    return render_template("directory/confirm.html", page_title=title, service=found, what=what, button=button,
                           form=form, warning=warning)


# --- places ---------------------------------------------------------------------------------

def _place_label(location: Location) -> str:
    address = location.addresses[0] if location.addresses else None
    parts = [location.name, address.address_1 if address else None,
             f"{address.city} {address.postal_code}".strip() if address else None]
    return ", ".join(p for p in parts if p)


def _existing_place_choices(db, found: Service) -> list:
    used = {link.location_id for link in found.service_at_locations}
    return choices([("", _("Choose a place"))] + [(loc.id, _place_label(loc)) for loc in editing.places(db)
                                                   if loc.id not in used])


def _new_place_page(found: Service, form: PlaceForm, existing_form: ExistingPlaceForm):
    return render_template("directory/place_new.html", page_title=_("Add a place"), form=form,
                           existing_form=existing_form, service=found,
                           show_errors=bool(form.errors or existing_form.errors),
                           error_form=existing_form if existing_form.errors else form)


@directory_pages.route("/services/<service_id>/places/new", methods=["GET", "POST"])
@roles(*EDIT)
def new_place(service_id: str):
    found = _service_or_404(service_id)
    db = database.session()
    form = _form(PlaceForm)
    form.find_postcode = lambda text: editing.postcode_point(db, text)
    existing_form = ExistingPlaceForm(formdata=None)
    existing_form.location.choices = _existing_place_choices(db, found)
    if not form.validate_on_submit():
        return _new_place_page(found, form, existing_form)
    location = editing.set_place(db, None, form.details())
    link = editing.link_place(db, found, location)
    _record("directory.service_changed", found, part="place", place=location.id, link=link.id, change="added new",
            postcode=location.addresses[0].postal_code)
    return _done(found, _("%(place)s is added.", place=location.name))


@directory_pages.post("/services/<service_id>/places/existing")
@roles(*EDIT)
def existing_place(service_id: str):
    found = _service_or_404(service_id)
    db = database.session()
    existing_form = ExistingPlaceForm()
    existing_form.location.choices = _existing_place_choices(db, found)
    if not existing_form.validate_on_submit():
        form = PlaceForm(formdata=None)
        return _new_place_page(found, form, existing_form)
    location = db.get(Location, existing_form.location.data)
    link = editing.link_place(db, found, location)
    _record("directory.service_changed", found, part="place", place=location.id, link=link.id, change="added")
    return _done(found, _("%(place)s is added.", place=location.name))


def _place_data(location: Location) -> dict:
    address = location.addresses[0] if location.addresses else None
    access = location.accessibility[0] if location.accessibility else None
    return {"name": location.name, "address_1": address.address_1 if address else None,
            "address_2": address.address_2 if address else None, "city": address.city if address else None,
            "county": address.state_province if address else None,
            "postcode": address.postal_code if address else None,
            "accessibility": access.description if access else None}


@directory_pages.route("/services/<service_id>/places/<link_id>", methods=["GET", "POST"])
@roles(*EDIT)
def place(service_id: str, link_id: str):
    found = _service_or_404(service_id)
    link: ServiceAtLocation = _part_or_404(found.service_at_locations, link_id)
    location = link.location
    db = database.session()
    form = _form(PlaceForm, data=_place_data(location))
    form.find_postcode = lambda text: editing.postcode_point(db, text)
    others = [s for s in editing.services_at(db, location.id) if s.id != found.id]
    if not form.validate_on_submit():
        return render_template("directory/place.html", page_title=_("Change a place"), form=form, service=found,
                               link=link, others=others)
    editing.set_place(db, location, form.details())
    _record("directory.service_changed", found, part="place", place=location.id, change="changed",
            postcode=form.point.postcode, also_used_by=[s.id for s in others])
    return _done(found, _("%(place)s is saved.", place=location.name))


@directory_pages.route("/services/<service_id>/places/<link_id>/remove", methods=["GET", "POST"])
@roles(*EDIT)
def remove_place(service_id: str, link_id: str):
    found = _service_or_404(service_id)
    link = _part_or_404(found.service_at_locations, link_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _confirm(found, _("Remove this place from the service?"), _place_label(link.location),
                        _("Yes, remove this place"), form,
                        _("The service will no longer be found near this place. The place stays in the directory "
                          "for other services."))
    location_id = link.location_id
    editing.unlink_place(database.session(), found, link)
    _record("directory.service_changed", found, part="place", place=location_id, link=link.id, change="removed")
    return _done(found, _("The place is removed from %(name)s.", name=found.name))


# --- when it runs ----------------------------------------------------------------------------

@directory_pages.route("/services/<service_id>/schedules/new", methods=["GET", "POST"])
@directory_pages.route("/services/<service_id>/schedules/<schedule_id>", methods=["GET", "POST"])
@roles(*EDIT)
def schedule(service_id: str, schedule_id: str | None = None):
    found = _service_or_404(service_id)
    existing: Schedule | None = _part_or_404(found.schedules, schedule_id) if schedule_id else None
    data = editing.schedule_choices(existing) if existing else {"frequency": "weekly"}
    form = _form(ScheduleForm, data={**data, "weeks": [str(w) for w in data.get("weeks", [])]})
    title = _("Change when it runs") if existing else _("Add when it runs")
    if not form.validate_on_submit():
        return render_template("directory/schedule.html", page_title=title, form=form, service=found,
                               schedule=existing)
    saved = editing.set_schedule(database.session(), found, existing, form.details())
    _record("directory.service_changed", found, part="schedule", schedule=saved.id,
            change="changed" if existing else "added", when=_describe(saved))
    return _done(found, _("When it runs is saved: %(when)s.", when=_describe(saved) or saved.description))


@directory_pages.route("/services/<service_id>/schedules/<schedule_id>/remove", methods=["GET", "POST"])
@roles(*EDIT)
def remove_schedule(service_id: str, schedule_id: str):
    found = _service_or_404(service_id)
    existing = _part_or_404(found.schedules, schedule_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _confirm(found, _("Remove this time?"), _describe(existing) or _("This time"),
                        _("Yes, remove this time"), form)
    editing.remove_schedule(database.session(), found, existing)
    _record("directory.service_changed", found, part="schedule", schedule=existing.id, change="removed")
    return _done(found, _("The time is removed."))


# --- removing a service ----------------------------------------------------------------------

@directory_pages.route("/services/<service_id>/remove", methods=["GET", "POST"])
@roles(*PUBLISH)
def remove_service(service_id: str):
    found = _service_or_404(service_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _confirm(found, _("Remove this service?"), found.name, _("Yes, remove this service"), form,
                        _("It goes from the directory, the open data at /oruk and the assistant's answers at once, "
                          "and cannot be brought back. To take it out of the assistant's answers for a while, "
                          "change its status instead."))
    db = database.session()
    name = found.name
    _record("directory.service_removed", found)
    editing.remove_service(db, found)
    db.commit()
    flash(_("%(name)s is removed from the directory.", name=name), "success")
    return redirect(url_for("directory.index"))


# --- organisations ---------------------------------------------------------------------------

@directory_pages.get("/organisations")
@roles(*EDIT)
def organisations():
    db = database.session()
    rows = editing.organisations(db)
    audit.record(db, "directory.viewed", ORGANISATIONS, {"count": len(rows)})
    db.commit()
    return render_template("directory/organisations.html", page_title=_("Organisations"), organisations=rows)


@directory_pages.route("/organisations/new", methods=["GET", "POST"])
@directory_pages.route("/organisations/<organisation_id>", methods=["GET", "POST"])
@roles(*EDIT)
def organisation(organisation_id: str | None = None):
    db = database.session()
    existing = db.get(Organization, _uuid_or_404(organisation_id)) if organisation_id else None
    if organisation_id and existing is None:
        abort(404)
    form = _form(OrganisationForm, obj=existing)
    runs = list(db.scalars(select(Service).where(Service.organization_id == existing.id).order_by(Service.name))) \
        if existing else []
    if not form.validate_on_submit():
        title = _("Change %(name)s", name=existing.name) if existing else _("Add an organisation")
        return render_template("directory/organisation.html", page_title=title, form=form, organisation=existing,
                               runs=runs)
    org, changed = editing.set_organisation(db, existing, name=form.name.data, description=form.description.data,
                                            email=form.email.data, website=form.website.data)
    action = "directory.organisation_changed" if existing else "directory.organisation_added"
    audit.record(db, action, org.name, {"organisation": org.id, "changed": changed})
    db.commit()
    flash(_("%(name)s is saved.", name=org.name), "success")
    return redirect(url_for("directory.organisations"))

