"""The whole journey in a real browser (Debian's Chromium) against the real stack: an editor
changes the respite answer, an approver publishes it, and the assistant says the new words on
the next message. axe-core finds no WCAG 2.2 AA violation on any admin page on the way.

`stack` (tests/conftest.py) is the one running Rasa server, action server and web app of the
test run; its web app has a first admin from FRONTDOOR_ADMIN_EMAIL and FRONTDOOR_ADMIN_PASSWORD."""
from __future__ import annotations

import uuid

import pytest
import requests

from .browser import axe_violations, chromium, readable

pytestmark = pytest.mark.e2e

PASSWORD = "a long browser password"
EDITOR = "editor@frontdoor.test"
APPROVER = "approver@frontdoor.test"


def add_staff(base: str, env: dict) -> None:
    """The bootstrap admin (from FRONTDOOR_ADMIN_EMAIL/PASSWORD) adds the two users via the API."""
    token = requests.post(f"{base}/api/v1/tokens", timeout=10, json={
        "email": env["FRONTDOOR_ADMIN_EMAIL"], "password": env["FRONTDOOR_ADMIN_PASSWORD"]}).json()["token"]
    for email, role in ((EDITOR, "editor"), (APPROVER, "approver")):
        reply = requests.post(f"{base}/api/v1/users", timeout=10, headers={"Authorization": f"Bearer {token}"},
                              json={"email": email, "password": PASSWORD, "role": role})
        assert reply.status_code == 201, reply.text


class Checked:
    """Runs axe on each page visited and keeps what it finds, to assert on at the end."""

    def __init__(self):
        self.found: dict[str, list[dict]] = {}

    def __call__(self, page, name: str) -> None:
        assert page.locator("h1").count() == 1, f"{name}: one h1 per page"
        violations = axe_violations(page)
        if violations:
            print(f"\naxe found {len(violations)} problems on {name} ({page.url}):\n{readable(violations)}")
        self.found[name] = violations


def press(page, button: str) -> None:
    """Clicks a button that submits a form, and waits for the page that comes back."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def follow(page, link: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link).click()


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/admin/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    press(page, "Sign in")
    assert page.url == f"{base}/admin/"


def sign_in_with_the_keyboard(page, base: str, email: str) -> None:
    """Only Tab, typing and Enter: the first Tab reaches the skip link."""
    page.goto(f"{base}/admin/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    for field, text in (("email", email), ("password", PASSWORD)):
        for _ in range(10):
            if page.evaluate("document.activeElement.id") == field:
                break
            page.keyboard.press("Tab")
        page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}/admin/"


def no_sideways_scrolling_at_400_percent(page, base: str, paths: list[str]) -> dict[str, int]:
    """At 400% zoom a 1280 pixel wide window is 320 CSS pixels wide (WCAG 1.4.10, reflow).
    Wide tables scroll inside their own region; the page itself must not."""
    page.set_viewport_size({"width": 320, "height": 256})
    too_wide = {}
    for path in paths:
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    return too_wide


def add_referral(stack, monkeypatch) -> str:
    """A referral in the stack's database, with the stack's data key (the same environment)."""
    from content.referrals import ReferralDetails, submit

    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    return submit(ReferralDetails(
        name="Margaret Jones", contact="+447911123456", contact_kind="phone", postcode="QQ1 2AB",
        needs="Help getting washed", urgency="today", for_whom="self", consent="self",
        risks=["lives_alone"])).reference


def test_edit_review_publish_and_the_bot_says_it(stack, monkeypatch):
    base = f"http://localhost:{stack.ports.web}"
    add_staff(base, stack.env)
    reference = add_referral(stack, monkeypatch)
    marker = f"Breaks are for you {uuid.uuid4().hex[:8]}"
    new_body = f"{marker}. You can rest while someone looks after them. Call {{{{phone.adult_social_care}}}}."
    axe = Checked()
    with chromium() as browser:
        # axe is injected as a script, which the admin's CSP blocks, so these contexts bypass it.
        editor = browser.new_context(bypass_csp=True).new_page()
        editor.goto(f"{base}/admin/login")
        axe(editor, "sign in")
        editor.get_by_label("Email address").fill(EDITOR)
        editor.get_by_label("Password", exact=True).fill("not the password at all")
        press(editor, "Sign in")
        axe(editor, "sign in with an error")
        sign_in(editor, base, EDITOR)
        axe(editor, "topic list")

        follow(editor, "Breaks for carers")
        axe(editor, "edit")
        editor.get_by_label("Answer").fill(new_body)
        press(editor, "Preview changes")
        assert marker in editor.locator(".app-preview").first.inner_text()
        press(editor, "Save draft")
        assert editor.url.endswith("/admin/content/respite/en/versions/2")
        axe(editor, "preview of version 2")
        press(editor, "Send for review")
        assert "waiting for review" in editor.locator(".govuk-notification-banner").inner_text()
        assert editor.get_by_role("button", name="Approve and publish").count() == 0
        editor.goto(f"{base}/admin/content/respite/en/history")
        axe(editor, "history")
        editor.goto(f"{base}/admin/content/respite/en/diff?from=1&to=2")
        assert editor.locator("ins").count() and editor.locator("del").count()
        axe(editor, "diff")
        editor.goto(f"{base}/admin/figures/")
        axe(editor, "figures")

        approver = browser.new_context(bypass_csp=True).new_page()
        sign_in_with_the_keyboard(approver, base, APPROVER)
        follow(approver, "Breaks for carers")
        follow(approver, "version 2 by editor@frontdoor.test")
        press(approver, "Approve and publish")
        assert "is published" in approver.locator(".govuk-notification-banner").inner_text()
        approver.goto(f"{base}/admin/figures/carers_allowance_weekly")
        axe(approver, "change a figure")
        follow(approver, "Referrals")
        axe(approver, "referral queue")
        follow(approver, reference)
        axe(approver, "a referral")
        press(approver, "Save note")
        axe(approver, "a referral with an error")
        approver.get_by_label("Add a note").fill("Left a voicemail")
        press(approver, "Save note")
        assert "note" in approver.locator(".govuk-notification-banner").inner_text()
        axe(approver, "a referral with a note")

        admin = browser.new_context(bypass_csp=True).new_page()
        sign_in(admin, base, stack.env["FRONTDOOR_ADMIN_EMAIL"], stack.env["FRONTDOOR_ADMIN_PASSWORD"])
        for name, path in (("users", "/admin/users/"), ("add a user", "/admin/users/new"),
                           ("change a user", "/admin/users/2"), ("audit log", "/admin/audit/"),
                           ("import and export", "/admin/import-export/"), ("not found", "/admin/nothing")):
            admin.goto(base + path)
            axe(admin, name)
        admin.goto(f"{base}/admin/users/new")
        press(admin, "Add user")
        axe(admin, "add a user with errors")
        assert no_sideways_scrolling_at_400_percent(admin, base, [
            "/admin/", "/admin/content/respite/en", "/admin/content/respite/en/versions/2",
            "/admin/content/respite/en/history", "/admin/content/respite/en/diff?from=1&to=3",
            "/admin/users/", "/admin/users/new", "/admin/audit/", "/admin/figures/",
            "/admin/figures/carers_allowance_weekly", "/admin/import-export/", "/admin/referrals",
            f"/admin/referrals/{reference}"]) == {}

    reply = requests.post(f"http://localhost:{stack.ports.rasa}/webhooks/rest/webhook", timeout=30,
                          json={"sender": uuid.uuid4().hex, "message": "I need a break from caring"})
    texts = " ".join(message.get("text", "") for message in reply.json())
    assert marker in texts and "01632 960 000" in texts, texts
    assert {name: v for name, v in axe.found.items() if v} == {}, readable(
        [{"page": name, "violations": v} for name, v in axe.found.items() if v])
