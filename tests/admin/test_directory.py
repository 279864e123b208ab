"""The service directory pages: staff add, change and remove services through the forms, and
/oruk (validated against the Open Referral UK 3.0 schemas) and the assistant's search show it
at once; bad input is explained on the page; who may do what; the audit log."""
from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import pytest
from sqlalchemy import select

from admin.models import AuditEntry
from content import db
from content.directory import demo, resolve_place, search_services
from content.directory.models import Service
from content.directory.search import category_term_ids

from ..directory.oruk_schemas import assert_page, assert_valid, response_schema, schema

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)

DEMO_SERVICES = 55
WENDFORD = "QQ6 1AA"
COFFEE_MORNING = "606f7065-3c22-5c7e-9fe6-911dcbdf2fc0"  # Carers' Coffee Morning, QQ1 1AD, Tuesdays
CARERS_CENTRE = "9fef24c1-2dc0-5ec9-bf93-31f57ec0a99c"  # the organisation that runs it
SERVICE_URL = re.compile(r"/admin/directory/services/([0-9a-f-]{36})$")
SERVICE_LINK = re.compile(r'href="/admin/directory/services/[0-9a-f-]{36}"')

NEW_SERVICE = {
    "name": "Wendford Tuesday Lunch", "status": "active",
    "description": "A hot two-course lunch for older people in Wendford, with a chat and a quiz.",
    "organisation": "", "new_organisation": "Wendford Village Hall Trust",
    "url": "https://lunch.wendford.example.org/", "email": "lunch@wendford.example.org",
    "phone": "01632 960 555", "fees": "£4 for lunch", "minimum_age": "60", "maximum_age": "",
}
VILLAGE_HALL = {"name": "Wendford Memorial Hall", "address_1": "2 The Green", "address_2": "", "city": "Wendford",
                "county": "Wendshire", "postcode": "qq61aa", "accessibility": "Step-free, with a hearing loop."}


@pytest.fixture
def directory(app):
    """The demo directory and its postcodes in the app's database."""
    with db.session_scope() as session:
        demo.load_demo_if_empty(session, fictional=True)
    return app


def oruk(app, service_id: str, status: int = 200) -> dict:
    reply = app.test_client().get(f"/oruk/services/{service_id}")
    assert reply.status_code == status, reply.get_data(as_text=True)[:300]
    body = reply.get_json()
    if status == 200:
        assert_valid(body, schema("compiled/service.json"))
        assert_valid(body, response_schema("/services/{id}"))
    return body


def near(place: str, *codes: str, **kwargs) -> list:
    with db.session_scope() as session:
        point = resolve_place(session, place)
        return search_services(session, taxonomy_term_ids=category_term_ids(session, *codes) if codes else None,
                               near=point[:2], limit=None, **kwargs)


def added_id(reply) -> str:
    assert reply.status_code == 302, reply.get_data(as_text=True)[-3000:]
    found = SERVICE_URL.search(reply.headers["Location"])
    assert found, reply.headers["Location"]
    return found.group(1)


def text_of(reply) -> str:
    return html.unescape(reply.get_data(as_text=True))


def audit_actions() -> list[tuple[str, dict]]:
    with db.session_scope() as session:
        return [(e.action, e.detail) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
                if e.action.startswith("directory.")]


def test_a_service_added_through_the_forms_is_open_data_and_found_near_its_postcode(directory, staff):
    editor = staff("editor")
    service_id = added_id(editor.post("/admin/directory/services/new", NEW_SERVICE))
    base = f"/admin/directory/services/{service_id}"
    with db.session_scope() as session:
        lunch = category_term_ids(session, "lunch-clubs")
    assert editor.post(f"{base}/categories", {"terms": lunch}).status_code == 302
    assert editor.post(f"{base}/places/new", VILLAGE_HALL).status_code == 302
    assert editor.post(f"{base}/schedules/new", {"frequency": "weekly", "days": ["TH", "TU"], "opens_at": "10am",
                                                 "closes_at": "12:00", "description": ""}).status_code == 302
    assert editor.post(f"{base}/contacts/new", {"name": "Jo Fenwick", "title": "Organiser",
                                                "email": "jo@wendford.example.org",
                                                "phone": "0161 496 0000 ext 12"}).status_code == 302

    body = oruk(directory, service_id)
    assert (body["name"], body["status"], body["fees"], body["minimum_age"]) == (
        "Wendford Tuesday Lunch", "active", "£4 for lunch", 60)
    assert body["organization"]["name"] == "Wendford Village Hall Trust"
    assert body["phones"][0]["number"] == "01632 960555"
    assert [(s["freq"], s["interval"], s["byday"], s["opens_at"], s["closes_at"]) for s in body["schedules"]] == [
        ("WEEKLY", 1, "TU,TH", "10:00", "12:00")]
    place = body["service_at_locations"][0]["location"]
    assert place["name"] == "Wendford Memorial Hall"
    assert (place["addresses"][0]["postal_code"], place["addresses"][0]["city"]) == (WENDFORD, "Wendford")
    assert place["accessibility"][0]["description"] == "Step-free, with a hearing loop."
    with db.session_scope() as session:
        centroid = resolve_place(session, WENDFORD)
    assert (place["latitude"], place["longitude"]) == pytest.approx(centroid[:2])  # from the postcode table
    contact = body["contacts"][0]
    assert (contact["name"], contact["phones"][0]["number"], contact["phones"][0]["extension"]) == (
        "Jo Fenwick", "0161 496 0000", "12")
    assert [a["taxonomy_term"]["code"] for a in body["attributes"]] == ["lunch-clubs"]

    # The assistant finds it: a lunch club near Wendford, right there, with its day and number.
    match = next(m for m in near(WENDFORD, "lunch-clubs") if m.service_id == service_id)
    assert (match.distance_m, match.when, match.phone) == (0, "Tuesdays and Thursdays, 10am to midday", "01632 960555")
    assert match.where == "Wendford Memorial Hall, 2 The Green, Wendford QQ6 1AA"
    # ...and so does /oruk's proximity search by postcode.
    listed = directory.test_client().get(f"/oruk/services?postcode={WENDFORD}&proximity=100&per_page=100").get_json()
    assert_page(listed, "/services", "compiled/service_list.json")
    assert service_id in [s["id"] for s in listed["contents"]]

    page = text_of(editor.get(base))
    for shown in ("Wendford Tuesday Lunch", "Lunch clubs", "Wendford Memorial Hall", "2 The Green, Wendford QQ6 1AA",
                  "Tuesdays and Thursdays, 10am to midday", "Jo Fenwick", "60 and over"):
        assert shown in page, shown
    actions = [action for action, _ in audit_actions()]
    assert actions.count("directory.service_added") == 1 and actions.count("directory.organisation_added") == 1
    assert actions.count("directory.service_changed") == 4 and "directory.service_viewed" in actions
    assert "Jo Fenwick" not in str(audit_actions())  # a contact's name is theirs: never in the log


def test_changing_a_service_changes_open_data_and_the_assistant_at_once(directory, staff):
    editor = staff("editor")
    base = f"/admin/directory/services/{COFFEE_MORNING}"
    before = oruk(directory, COFFEE_MORNING)
    form = text_of(editor.get(f"{base}/edit"))
    assert "Carers' Coffee Morning" in form and "01632 960 301" in form  # filled in from the directory
    assert any(m.service_id == COFFEE_MORNING for m in near("QQ1 1AD", "carers-support"))

    changed = {**NEW_SERVICE, "name": "Carers' Coffee and Chat", "organisation": CARERS_CENTRE,
               "new_organisation": "", "status": "temporarily closed", "phone": "07700 900 982", "minimum_age": ""}
    assert editor.post(f"{base}/edit", changed).headers["Location"] == base
    body = oruk(directory, COFFEE_MORNING)
    assert (body["name"], body["status"], body["phones"][0]["number"]) == (
        "Carers' Coffee and Chat", "temporarily closed", "07700 900982")
    assert "minimum_age" not in body and body["organization"]["id"] == CARERS_CENTRE
    assert body["last_modified"] > before["last_modified"]
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = directory.test_client().get(f"/oruk/services?modified_after={since}").get_json()
    assert [s["id"] for s in recent["contents"]] == [COFFEE_MORNING]
    # The assistant only suggests active services.
    assert not any(m.service_id == COFFEE_MORNING for m in near("QQ1 1AD", "carers-support"))
    editor.post(f"{base}/edit", {**changed, "status": "active"})

    # When it runs: the first and third Thursday of the month, in the afternoon.
    schedule_id = body["schedules"][0]["id"]
    page = text_of(editor.get(f"{base}/schedules/{schedule_id}"))
    assert re.search(r'value="TU" checked', page) and re.search(r'value="weekly" checked', page)
    assert editor.post(f"{base}/schedules/{schedule_id}", {
        "frequency": "monthly", "weeks": ["1", "3"], "days": ["TH"], "opens_at": "2pm", "closes_at": "4:30pm",
        "description": "Not in August"}).status_code == 302
    schedule = oruk(directory, COFFEE_MORNING)["schedules"][0]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"], schedule["description"]) == (
        "MONTHLY", "1TH,3TH", "14:00", "16:30", "Not in August")
    match = next(m for m in near("QQ1 1AD", "carers-support") if m.service_id == COFFEE_MORNING)
    assert match.when == "First and third Thursdays of the month, 2pm to 4:30pm"

    # The place moves to Wendford: its coordinates follow the postcode, and so does the distance.
    link_id = body["service_at_locations"][0]["id"]
    assert editor.post(f"{base}/places/{link_id}", {**VILLAGE_HALL, "name": "Castlebridge Carers' Centre"}).status_code == 302
    match = next(m for m in near(WENDFORD, "carers-support") if m.service_id == COFFEE_MORNING)
    assert match.distance_m == 0


def test_removing_parts_and_then_the_service_takes_them_off_open_data_and_search(directory, staff):
    editor, approver = staff("editor"), staff("approver")
    base = f"/admin/directory/services/{COFFEE_MORNING}"
    body = oruk(directory, COFFEE_MORNING)
    link_id, schedule_id = body["service_at_locations"][0]["id"], body["schedules"][0]["id"]
    contact_id = body["contacts"][0]["id"]

    confirm = text_of(editor.get(f"{base}/places/{link_id}/remove"))
    assert "Remove this place from the service?" in confirm and "5 Bridge Street" in confirm
    assert oruk(directory, COFFEE_MORNING)["service_at_locations"]  # asking is not removing
    assert editor.post(f"{base}/places/{link_id}/remove").status_code == 302
    assert editor.post(f"{base}/schedules/{schedule_id}/remove").status_code == 302
    assert editor.post(f"{base}/contacts/{contact_id}/remove").status_code == 302
    body = oruk(directory, COFFEE_MORNING)
    assert (body["service_at_locations"], body["schedules"], body["contacts"]) == ([], [], [])
    match = next(m for m in near("QQ1 1AD", "carers-support") if m.service_id == COFFEE_MORNING)
    assert (match.distance_m, match.when, match.where) == (None, None, None)
    # The place is still there for the other services that meet at it.
    assert "Castlebridge Carers' Centre, 5 Bridge Street, Castlebridge QQ1 1AD" in text_of(editor.get(f"{base}/places/new"))

    # Removing the service: approvers and admins only, after a confirmation page.
    assert editor.get(f"{base}/remove").status_code == 403
    assert editor.post(f"{base}/remove").status_code == 403
    assert "Remove this service" not in text_of(editor.get(base))
    page = text_of(approver.get(f"{base}/remove"))
    assert "Remove this service?" in page and "Yes, remove this service" in page
    assert approver.post(f"{base}/remove").headers["Location"] == "/admin/directory/"
    oruk(directory, COFFEE_MORNING, status=404)
    assert not any(m.service_id == COFFEE_MORNING for m in near("QQ1 1AD"))
    listed = directory.test_client().get("/oruk/services?per_page=100").get_json()
    assert listed["total_items"] == DEMO_SERVICES - 1
    assert approver.get(base).status_code == 404
    assert "Carers' Coffee Morning" not in text_of(approver.get("/admin/directory/?q=coffee"))
    removed = [detail for action, detail in audit_actions() if action == "directory.service_removed"]
    assert removed == [{"service": COFFEE_MORNING}]


def test_the_list_searches_filters_and_pages(directory, staff):
    editor = staff("editor")
    assert 'href="/admin/directory/"' in text_of(editor.get("/admin/")).split("<main")[0]  # in the navigation
    first = text_of(editor.get("/admin/directory/"))
    assert "1 to 25 of 55 services" in first and len(SERVICE_LINK.findall(first)) == 25
    last = text_of(editor.get("/admin/directory/?page=3"))
    assert "51 to 55 of 55 services" in last
    found = text_of(editor.get("/admin/directory/?q=coffee+morning"))
    assert "Carers' Coffee Morning" in found and re.search(r"1 to 1 of 1 service\b", found)
    with db.session_scope() as session:
        dementia = category_term_ids(session, "dementia")[0]
        cafes = category_term_ids(session, "dementia-cafes")[0]
        expected = len(search_services(session, taxonomy_term_ids=[dementia], limit=None))
    page = text_of(editor.get(f"/admin/directory/?category={dementia}"))
    assert f"1 to {expected} of {expected} services" in page  # a category finds the ones below it too
    assert f'<option value="{cafes}">Dementia: Dementia cafes</option>' in page
    closed = text_of(editor.get("/admin/directory/?status=inactive")), text_of(
        editor.get("/admin/directory/?status=temporarily+closed"))
    assert "No services match your search." in closed[0] and "Stoke Wend Luncheon Club" in closed[1]
    for bad in ("page=0", "page=lots", f"category={uuid.uuid4()}", "status=gone"):
        reply = editor.get(f"/admin/directory/?{bad}")
        assert reply.status_code == 200 and "There is a problem" in text_of(reply), bad
    views = [detail for action, detail in audit_actions() if action == "directory.viewed"]
    assert {"text": "coffee morning", "term_id": None, "status": None, "page": 1, "count": 1} in views


def test_bad_input_is_explained_on_the_page_and_changes_nothing(directory, staff):
    editor = staff("editor")
    base = f"/admin/directory/services/{COFFEE_MORNING}"
    before = oruk(directory, COFFEE_MORNING)
    reply = editor.post(f"{base}/edit", {**NEW_SERVICE, "name": " ", "email": "lunch at wendford", "url": "javascript:alert(1)",
                                         "phone": "12345", "organisation": CARERS_CENTRE, "minimum_age": "sixty",
                                         "status": "open"})
    page = text_of(reply)
    assert reply.status_code == 200 and "<title>Error:" in page and "govuk-error-summary" in page
    for message, field in (("Enter the name of the service", "name"), ("Enter an email address in the correct format", "email"),
                           ("Enter a web address starting https://", "url"), ("Enter a UK phone number", "phone"),
                           ("Choose an organisation from the list or add a new one, not both", "organisation"),
                           ("Enter the youngest age as a whole number", "minimum_age"), ("Choose a status", "status")):
        assert message in page and f'href="#{field}"' in page, message
        assert page.count(message) == 2, message  # in the summary and by the field
    page = text_of(editor.post(f"{base}/edit", {**NEW_SERVICE, "new_organisation": "", "minimum_age": "70",
                                                "maximum_age": "65", "phone": "+33 1 23 45 67 89"}))
    assert "Choose the organisation that runs the service, or add a new one" in page
    assert "The oldest age must be the same as or more than the youngest age" in page
    assert "Enter a UK phone number" in page  # a French number is not a UK one

    page = text_of(editor.post(f"{base}/places/new", {**VILLAGE_HALL, "postcode": "not a postcode", "name": ""}))
    assert "Enter a full UK postcode, like QQ6 1AA" in page and "Enter the name of the place" in page
    page = text_of(editor.post(f"{base}/places/new", {**VILLAGE_HALL, "postcode": "qq9 9zz"}))
    assert "QQ9 9ZZ is not in the postcode list" in page and 'href="#postcode"' in page
    page = text_of(editor.post(f"{base}/places/existing", {"location": str(uuid.uuid4())}))
    assert "Choose a place from the list" in page and 'href="#location"' in page

    page = text_of(editor.post(f"{base}/schedules/new", {"frequency": "weekly", "opens_at": "25:00", "closes_at": "9am"}))
    assert "Choose the days it runs" in page and "Enter the start time like 10:00 or 2:30pm" in page
    page = text_of(editor.post(f"{base}/schedules/new", {"frequency": "monthly", "days": ["MO"], "opens_at": "2pm",
                                                         "closes_at": "11am"}))
    assert "Choose which weeks of the month it runs" in page and "The end time must be after the start time" in page
    page = text_of(editor.post(f"{base}/schedules/new", {"frequency": "other"}))
    assert "Describe when it runs" in page
    page = text_of(editor.post(f"{base}/categories", {"terms": [str(uuid.uuid4())]}))
    assert "Choose categories from the list" in page
    page = text_of(editor.post(f"{base}/contacts/new", {"name": "", "email": "nobody", "phone": "999"}))
    for message in ("Enter the contact's name", "Enter an email address in the correct format", "Enter a UK phone number"):
        assert message in page, message
    page = text_of(editor.post("/admin/directory/organisations/new", {"name": "", "website": "www.example.org"}))
    assert "Enter the organisation's name" in page and "Enter a web address starting https://" in page

    after = oruk(directory, COFFEE_MORNING)
    assert after == before
    for path in (f"/admin/directory/services/{uuid.uuid4()}", "/admin/directory/services/not-a-uuid",
                 f"{base}/places/{uuid.uuid4()}", f"{base}/schedules/nope", f"{base}/contacts/{uuid.uuid4()}/remove",
                 f"/admin/directory/organisations/{uuid.uuid4()}"):
        assert editor.get(path).status_code == 404, path


def test_every_form_needs_its_csrf_token(directory, staff):
    editor = staff("editor")
    base = f"/admin/directory/services/{COFFEE_MORNING}"
    for path, data in ((f"{base}/edit", {**NEW_SERVICE, "name": "Forged"}), ("/admin/directory/services/new", NEW_SERVICE),
                       (f"{base}/remove", {}), (f"{base}/places/new", VILLAGE_HALL)):
        assert editor.client.post(path, data=data).status_code == 400, path
        assert editor.client.post(path, data={**data, "csrf_token": "forged"}).status_code == 400, path
    staff("approver").client.post(f"{base}/remove", data={})
    assert oruk(directory, COFFEE_MORNING)["name"] == "Carers' Coffee Morning"
    with db.session_scope() as session:
        assert session.scalar(select(Service).where(Service.name == "Wendford Tuesday Lunch")) is None


def test_organisations_are_added_and_changed_and_every_service_shows_it(directory, staff):
    editor = staff("editor")
    listing = text_of(editor.get("/admin/directory/organisations"))
    assert "Castlebridge Carers' Centre (fictional)" in listing
    page = text_of(editor.get(f"/admin/directory/organisations/{CARERS_CENTRE}"))
    assert "Carers' Coffee Morning" in page  # the services it runs
    reply = editor.post(f"/admin/directory/organisations/{CARERS_CENTRE}", {
        "name": "Castlebridge Carers Trust", "description": "Supports unpaid carers.",
        "email": "hello@carers.castlebridge.example.org", "website": "https://carers.castlebridge.example.org/"})
    assert reply.headers["Location"] == "/admin/directory/organisations"
    org = oruk(directory, COFFEE_MORNING)["organization"]
    assert (org["name"], org["description"]) == ("Castlebridge Carers Trust", "Supports unpaid carers.")
    assert next(m for m in near("QQ1 1AD", "carers-support")
                if m.service_id == COFFEE_MORNING).organization_name == "Castlebridge Carers Trust"
    assert editor.post("/admin/directory/organisations/new", {"name": "Ashby Wend Good Neighbours"}).status_code == 302
    assert "Ashby Wend Good Neighbours" in text_of(editor.get("/admin/directory/services/new"))  # to choose from
    changes = [(action, detail.get("changed")) for action, detail in audit_actions() if "organisation" in action]
    assert changes == [("directory.organisation_changed", ["name", "description"]),
                       ("directory.organisation_added", ["name"])]

