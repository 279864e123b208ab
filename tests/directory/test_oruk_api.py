"""The read-only Open Referral UK 3.0 API at /oruk: every response validated against the
standard's schemas, paging, filters, proximity, CORS, and errors."""
from __future__ import annotations

import json
import uuid

import pytest

from content.directory import STANDARD, importer
from content.directory.search import category_term_ids

from .oruk_schemas import assert_page, assert_valid, errors, response_schema, schema

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)

DEMO_SERVICES = 55
WENDFORD = "QQ6 1AA"


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.get_data(as_text=True)[:300]}"
    assert response.headers.get("Access-Control-Allow-Origin") == "*", url
    assert response.is_json, url
    return response.get_json()


def all_pages(client, url: str, path: str, item_schema: str) -> list[dict]:
    items, page = [], 1
    while True:
        body = get(client, f"{url}{'&' if '?' in url else '?'}page={page}")
        assert_page(body, path, item_schema)
        items += body["contents"]
        if body["last_page"]:
            return items
        page += 1


def test_the_root_describes_the_api_and_serves_its_openapi_document(client):
    body = get(client, "/oruk/")
    assert_valid(body, response_schema("/"))
    assert body["version"] == "3.0" and body["profile"].startswith("https://")
    served = get(client, body["openapi_url"].replace("http://localhost", ""))
    vendored = json.loads((STANDARD / "openapi.json").read_text())
    assert served["servers"] == [{"url": "http://localhost/oruk"}]
    assert {k: v for k, v in served.items() if k != "servers"} == vendored
    assert get(client, "/oruk") == body


def test_services_are_paged_and_page_two_holds_the_rest(client):
    first = get(client, "/oruk/services")
    assert_page(first, "/services", "compiled/service_list.json")
    assert (first["total_items"], first["total_pages"], first["size"]) == (DEMO_SERVICES, 2, 50)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = get(client, "/oruk/services?page=2")
    assert_page(second, "/services", "compiled/service_list.json")
    assert (second["page_number"], second["size"], second["last_page"]) == (2, DEMO_SERVICES - 50, True)
    ids = [s["id"] for s in first["contents"] + second["contents"]]
    assert len(set(ids)) == DEMO_SERVICES
    small = [get(client, f"/oruk/services?per_page=20&page={n}") for n in (1, 2, 3)]
    assert [p["size"] for p in small] == [20, 20, 15] and small[0]["total_pages"] == 3
    assert [s["id"] for p in small for s in p["contents"]] == ids
    beyond = get(client, "/oruk/services?page=9")
    assert_page(beyond, "/services")
    assert beyond["empty"] and beyond["total_items"] == DEMO_SERVICES


def test_per_page_is_bounded(client, session):
    extra = [{"id": str(uuid.uuid4()), "name": f"Extra service {n}", "status": "active"} for n in range(60)]
    importer.import_services(session, extra)
    session.commit()
    body = get(client, "/oruk/services?per_page=1000")
    assert (body["size"], body["total_items"], body["total_pages"]) == (100, DEMO_SERVICES + 60, 2)
    assert get(client, "/oruk/services?per_page=1")["size"] == 1
    for bad in ("per_page=0", "per_page=-5", "per_page=ten", "page=0", "page=abc", "page=1.5"):
        assert "error" in get(client, f"/oruk/services?{bad}", 400)


def test_every_service_by_id_validates_as_a_full_service(client):
    for item in all_pages(client, "/oruk/services?per_page=25", "/services", "compiled/service_list.json"):
        service = get(client, f"/oruk/services/{item['id']}")
        assert_valid(service, response_schema("/services/{id}"))
        assert_valid(service, schema("compiled/service.json"))
        assert service["name"] == item["name"] and service["organization"]["name"].endswith("(fictional)")


def test_search_finds_services_by_words_in_any_order(client):
    body = get(client, "/oruk/services?search=memory+cafe")
    assert_page(body, "/services", "compiled/service_list.json")
    assert sorted(s["name"] for s in body["contents"]) == [
        "Castlebridge Memory Cafe", "Millbrook Memory Cafe", "Thornley St Mary Memory Cafe"]
    assert get(client, "/oruk/services?search=CAFE%20memory")["total_items"] == 3
    nothing = get(client, "/oruk/services?search=submarine")
    assert_page(nothing, "/services")
    assert nothing["empty"] and nothing["total_items"] == 0 and nothing["total_pages"] == 0


def test_taxonomy_filters(client, session):
    lunch, = category_term_ids(session, "lunch-clubs")
    body = get(client, f"/oruk/services?taxonomy_term_id={lunch}")
    assert_page(body, "/services", "compiled/service_list.json")
    assert {s["name"] for s in body["contents"]} == {
        "Eastfield Lunch Club", "Fenby Village Lunch Club", "Wendford Friday Lunch",
        "Northgate Community Lunch", "Stoke Wend Luncheon Club"}
    # A parent term finds the services filed under the terms below it.
    dementia, = category_term_ids(session, "dementia")
    names = {s["name"] for s in get(client, f"/oruk/services?taxonomy_term_id={dementia}")["contents"]}
    assert {"Castlebridge Memory Cafe", "Dementia Carers' Support Group", "Dementia Adviser Service"} <= names
    assert "Eastfield Lunch Club" not in names
    both = get(client, f"/oruk/services?taxonomy_term_id={dementia}&search=memory")
    assert both["total_items"] == 3
    taxonomies = get(client, "/oruk/taxonomies")["contents"]
    esd = next(t for t in taxonomies if t["name"] == "esdServiceTypes")
    via_esd = get(client, f"/oruk/services?taxonomy_id={esd['id']}")
    assert "Home from Hospital" in {s["name"] for s in via_esd["contents"]} and via_esd["total_items"] < DEMO_SERVICES
    unknown = get(client, f"/oruk/services?taxonomy_term_id={uuid.uuid4()}")
    assert unknown["empty"]


def test_organization_and_modified_after_filters(client):
    orgs = get(client, "/oruk/organizations?per_page=100")["contents"]
    transport = next(o for o in orgs if o["name"].startswith("Wend Valley Community Transport"))
    body = get(client, f"/oruk/services?organization_id={transport['id']}")
    assert {s["name"] for s in body["contents"]} == {
        "Wend Valley Dial-a-Ride", "Volunteer Car Scheme", "Village Shopping Bus"}
    assert get(client, "/oruk/services?modified_after=2026-10-01")["total_items"] == DEMO_SERVICES
    assert get(client, "/oruk/services?modified_after=2026-11-01T09:00:00Z")["total_items"] == DEMO_SERVICES
    assert get(client, "/oruk/services?modified_after=2026-11-01T09:00:01%2B00:00")["total_items"] == 0
    assert get(client, "/oruk/services?modified_after=2030-01-01")["empty"]


def test_postcode_and_proximity_rank_services_nearest_first(client):
    ranked = get(client, f"/oruk/services?postcode={WENDFORD}&per_page=100")
    assert_page(ranked, "/services", "compiled/service_list.json")
    assert ranked["total_items"] == DEMO_SERVICES  # no proximity: everything, nearest first
    distances = [s["distance"] for s in ranked["contents"] if "distance" in s]
    assert distances == sorted(distances) and distances[0] < 200
    assert ranked["contents"][0]["name"] in {"Wendford Carers' Support Group", "Wendford Friday Lunch",
                                             "Wendford Seated Exercise"}
    # Services without a place (phone lines, home visits) come after those with one.
    located = [("distance" in s) for s in ranked["contents"]]
    assert located == sorted(located, reverse=True)

    near = get(client, f"/oruk/services?postcode=qq61aa&proximity=2000")
    assert_page(near, "/services", "compiled/service_list.json")
    names = {s["name"] for s in near["contents"]}
    assert names == {"Wendford Carers' Support Group", "Wendford Friday Lunch", "Wendford Seated Exercise"}
    assert all(s["distance"] <= 2000 for s in near["contents"])
    wider = get(client, f"/oruk/services?postcode={WENDFORD}&proximity=6000&per_page=2")
    assert wider["total_items"] > near["total_items"] and wider["size"] == 2
    page2 = get(client, f"/oruk/services?postcode={WENDFORD}&proximity=6000&per_page=2&page=2")
    assert page2["contents"][0]["distance"] >= wider["contents"][-1]["distance"]
    district = get(client, "/oruk/services?postcode=QQ10&proximity=1500")
    assert "Thornley St Mary Memory Cafe" in {s["name"] for s in district["contents"]}


def test_taxonomies_and_terms_validate(client, session):
    body = get(client, "/oruk/taxonomies")
    assert_page(body, "/taxonomies", "taxonomy.json")
    assert {t["name"] for t in body["contents"]} == {"frontdoor", "esdServiceTypes"}
    for item in body["contents"]:
        full = get(client, f"/oruk/taxonomies/{item['id']}")
        assert_valid(full, response_schema("/taxonomies/{id}"))
        assert full["taxonomy_terms"] and all(t["taxonomy_id"] == item["id"] for t in full["taxonomy_terms"])
    terms = all_pages(client, "/oruk/taxonomy_terms?per_page=10", "/taxonomy_terms", "taxonomy_term.json")
    assert len(terms) == len({t["id"] for t in terms}) >= 20
    for term in terms:
        assert_valid(get(client, f"/oruk/taxonomy_terms/{term['id']}"), response_schema("/taxonomy_terms/{id}"))
    dementia, = category_term_ids(session, "dementia")
    children = get(client, f"/oruk/taxonomy_terms?parent_id={dementia}")["contents"]
    assert {t["name"] for t in children} == {"Dementia cafes", "Dementia support groups"}
    top = get(client, "/oruk/taxonomy_terms?top_only=true&vocabulary=frontdoor&per_page=100")["contents"]
    assert all("parent_id" not in t for t in top) and "Dementia" in {t["name"] for t in top}


def test_service_at_locations_validate_and_rank_by_distance(client):
    links = all_pages(client, "/oruk/service_at_locations?per_page=20", "/service_at_locations",
                      "compiled/service_at_location_list.json")
    assert len(links) == len({link["id"] for link in links}) >= 40
    for link in links[:15]:
        full = get(client, f"/oruk/service_at_locations/{link['id']}")
        assert_valid(full, schema("compiled/service_at_location.json"))
        assert_valid(full, response_schema("/service_at_locations/{id}"))  # which names the service schema
        assert full["location"]["addresses"] and full["service"]["id"] == link["service_id"]
    near = get(client, "/oruk/service_at_locations?postcode=QQ7%202AA&proximity=500")
    assert_page(near, "/service_at_locations", "compiled/service_at_location_list.json")
    assert {link["location"]["name"] for link in near["contents"]} == {"Ashby Wend Parish Rooms"}
    # One service, two venues: only the venue nearby is listed.
    assert "Hearing Aid Maintenance Drop-in" in {link["service"]["name"] for link in near["contents"]}
    ranked = get(client, "/oruk/service_at_locations?postcode=QQ9%201AA&per_page=100")["contents"]
    distances = [link["distance"] for link in ranked]
    assert distances == sorted(distances)
    searched = get(client, "/oruk/service_at_locations?search=village+money")
    assert {link["location"]["name"] for link in searched["contents"]} == {
        "Millbrook Memorial Hall", "Thornley St Mary Community Room"}


def test_organizations_validate(client):
    orgs = all_pages(client, "/oruk/organizations?per_page=5", None, "compiled/organization_list.json")
    assert len(orgs) == 14
    for org in orgs:
        full = get(client, f"/oruk/organizations/{org['id']}")
        assert_valid(full, schema("compiled/organization.json"))
        assert full["services"] and all(s["organization_id"] == org["id"] for s in full["services"])
    found = get(client, "/oruk/organizations?search=mobility")["contents"]
    assert [o["name"] for o in found] == ["Castlebridge Mobility Hub (fictional)"]


def test_errors_are_json_with_cors_and_never_500(client):
    missing = str(uuid.uuid4())
    cases = {
        "/oruk/services?page=abc": 400, "/oruk/services?per_page=0": 400,
        "/oruk/services?proximity=-5&postcode=QQ1%201AA": 400, "/oruk/services?proximity=abc&postcode=QQ1%201AA": 400,
        "/oruk/services?proximity=nan&postcode=QQ1%201AA": 400, "/oruk/services?proximity=1000": 400,
        "/oruk/services?postcode=not-a-postcode": 400, "/oruk/services?postcode=SW1A%201AA": 400,
        "/oruk/services?taxonomy_term_id=dementia": 400, "/oruk/services?taxonomy_id=1": 400,
        "/oruk/services?organization_id=x": 400, "/oruk/services?modified_after=yesterday": 400,
        "/oruk/service_at_locations?page=-1": 400, "/oruk/service_at_locations?postcode=ZZ": 400,
        "/oruk/taxonomy_terms?top_only=perhaps": 400, "/oruk/taxonomy_terms?parent_id=1": 400,
        f"/oruk/services/{missing}": 404, "/oruk/services/not-a-uuid": 400, "/oruk/services/": 404,
        f"/oruk/taxonomies/{missing}": 404, "/oruk/taxonomies/123": 400,
        f"/oruk/taxonomy_terms/{missing}": 404, "/oruk/taxonomy_terms/abc": 400,
        f"/oruk/service_at_locations/{missing}": 404, "/oruk/service_at_locations/abc": 400,
        f"/oruk/organizations/{missing}": 404, "/oruk/organizations/abc": 400,
        "/oruk/no-such-endpoint": 404, "/oruk/services?page=99999999999999999999": 400,
        "/oruk/service_at_locations?per_page=99999999999999999999": 400, "/oruk/services?search=%00": 400,
        "/oruk/taxonomy_terms?vocabulary=%00": 400, "/oruk/organizations?search=a%00b": 400,
    }
    for url, status in cases.items():
        body = get(client, url, status)
        assert body["status"] == status and body["error"], url
    posted = client.post("/oruk/services", json={})
    assert posted.status_code == 405 and posted.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/oruk/services")
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_the_standards_own_example_service_imports_and_is_served(client, session):
    example = json.loads((STANDARD / "example_service_full.json").read_text())
    importer.import_services(session, example)
    session.commit()
    served = get(client, f"/oruk/services/{example['id']}")
    assert_valid(served, response_schema("/services/{id}"))
    assert served["name"] == example["name"] == "Community Counselling"
    assert served["organization"]["name"] == example["organization"]["name"]
    assert served["schedules"][0]["byday"] == "TH,FR" and served["cost_options"][0]["amount"] == 35
    listed = get(client, "/oruk/services?search=counselling")
    assert [s["id"] for s in listed["contents"]] == [example["id"]]
    assert_page(listed, "/services", "compiled/service_list.json")
    term_id = example["attributes"][0]["taxonomy_term"]["id"]
    assert get(client, f"/oruk/services?taxonomy_term_id={term_id}")["total_items"] == 1


def test_the_schema_check_is_not_vacuous(client):
    # Guards the guard: a broken response must fail the same validation the tests rely on.
    body = get(client, "/oruk/services?per_page=1")
    body["contents"][0]["id"] = "not-a-uuid"
    del body["contents"][0]["status"]
    body["total_items"] = "lots"
    found = errors(body, response_schema("/services"))
    assert len(found) == 3, found
