"""The directory pages in a real browser (Debian's Chromium): axe-core finds no WCAG 2.2 AA
violation on the list, a service, and every form (with and without errors); the list is
searched with the keyboard alone; no page scrolls sideways at 400% zoom; and the service added
on the way is at /oruk.

Only the web app is needed, so it runs here in a thread on its own database rather than in the
whole stack (tests/conftest.py's ``stack``)."""
from __future__ import annotations

import threading

import pytest
import requests
from werkzeug.serving import make_server

from content import db, store
from content.directory import demo

from .browser import chromium, readable
from .conftest import ADMIN_EMAIL, PASSWORD, make_app
from .test_browser import Checked, follow, no_sideways_scrolling_at_400_percent, press

COFFEE_MORNING = "606f7065-3c22-5c7e-9fe6-911dcbdf2fc0"


@pytest.fixture
def web(tmp_path, monkeypatch):
    """The web app on a free port, with the advice, the demo directory and a first admin."""
    url = f"sqlite:///{tmp_path / 'frontdoor.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.migrate(url)
    with db.session_scope(db.engine_for(url)) as session:
        store.load_if_empty(session)
        demo.load_demo_if_empty(session, fictional=True)
    server = make_server("127.0.0.1", 0, make_app(url), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    db.engine_for(url).dispose()


def search_with_the_keyboard(page, words: str) -> None:
    """Tab from the top of the page to the search box, type, and press Enter."""
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q", "Tab never reached the search box"
    page.keyboard.type(words)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_directory_pages_are_accessible_and_work_with_a_keyboard(web):
    axe = Checked()
    with chromium() as browser:
        # axe is injected as a script, which the admin's CSP blocks, so the context bypasses it.
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"{web}/admin/login")
        page.get_by_label("Email address").fill(ADMIN_EMAIL)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        press(page, "Sign in")

        follow(page, "Directory")
        axe(page, "directory list")
        search_with_the_keyboard(page, "coffee morning")
        assert page.get_by_role("link", name="Carers' Coffee Morning").count() == 1
        assert page.locator("caption").inner_text().strip() == "1 to 1 of 1 service"
        axe(page, "directory search")

        page.goto(f"{web}/admin/directory/")
        press(page, "Add a service")
        axe(page, "add a service")
        press(page, "Add service")
        assert page.locator(".govuk-error-summary").is_visible()
        axe(page, "add a service with errors")
        page.get_by_label("Name of the service").fill("Ashby Wend Thursday Walk")
        page.get_by_label("Description").fill("A gentle hour's walk round the village for anyone who wants company.")
        page.get_by_label("Organisation that runs it").select_option(label="Active Wend Valley (fictional)")
        page.get_by_label("Phone number (optional)").fill("01632 960 777")
        press(page, "Add service")
        assert page.locator("h1").inner_text() == "Ashby Wend Thursday Walk"
        axe(page, "a service")
        service_url = page.url

        follow(page, "Add a place (Places)")
        axe(page, "add a place")
        page.get_by_label("Name of the place").fill("Ashby Wend Green")
        page.get_by_label("Address line 1").fill("The Green")
        page.get_by_label("Town or city").fill("Ashby Wend")
        page.get_by_label("Postcode").fill("QQ9 9ZZ")
        press(page, "Add new place")
        assert "not in the postcode list" in page.locator(".govuk-error-summary").inner_text()
        axe(page, "add a place with an error")
        page.get_by_label("Postcode").fill("QQ6 1AA")
        press(page, "Add new place")
        assert page.url == service_url

        follow(page, "Add a time (When it runs)")
        axe(page, "when it runs")
        page.get_by_label("Thursday").check()
        page.get_by_label("Starts at (optional)").fill("10am")
        page.get_by_label("Ends at (optional)").fill("11am")
        press(page, "Save")
        assert "Thursdays, 10am to 11am" in page.locator(".govuk-notification-banner").inner_text()

        follow(page, "Change (Categories)")
        axe(page, "categories")
        page.get_by_label("Walking groups").check()
        press(page, "Save categories")

        follow(page, "Change (Details)")
        axe(page, "change a service")
        page.goto(f"{web}/admin/directory/services/{COFFEE_MORNING}/contacts/new")
        press(page, "Save contact")
        axe(page, "add a contact with an error")
        page.goto(service_url + "/remove")
        axe(page, "remove a service")
        page.goto(f"{web}/admin/directory/organisations")
        axe(page, "organisations")
        press(page, "Add an organisation")
        axe(page, "add an organisation")

        service_id = service_url.rsplit("/", 1)[1]
        service = requests.get(f"{web}/oruk/services/{service_id}", timeout=10).json()
        assert service["name"] == "Ashby Wend Thursday Walk"
        assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "QQ6 1AA"
        assert [a["taxonomy_term"]["code"] for a in service["attributes"]] == ["walking-groups"]

        base = f"{web}/admin/directory"
        link_id = service["service_at_locations"][0]["id"]
        assert no_sideways_scrolling_at_400_percent(page, base, [
            "/", "/?q=lunch&status=active", "/services/new", f"/services/{service_id}",
            f"/services/{service_id}/edit", f"/services/{service_id}/categories",
            f"/services/{service_id}/places/new", f"/services/{service_id}/places/{link_id}",
            f"/services/{service_id}/schedules/new", f"/services/{service_id}/contacts/new",
            f"/services/{service_id}/remove", "/organisations", "/organisations/new"]) == {}

    assert {name: v for name, v in axe.found.items() if v} == {}, readable(
        [{"page": name, "violations": v} for name, v in axe.found.items() if v])
