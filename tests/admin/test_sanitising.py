"""No script reaches a resident: hostile Markdown is harmless in the admin's previews, in the
API's rendered HTML and after publishing."""
from __future__ import annotations

import re

import pytest

from content import council, db, markdown, store

from .conftest import save_draft
from .test_units import HOSTILE

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
FORBIDDEN = ("<script", "onerror", "onclick", "onmouseover", "onload", "javascript:", "<iframe", "<img", "<svg")


def previews(page: str) -> str:
    """The preview cards of an admin page (the form above them holds the typed text, escaped)."""
    return " ".join(re.findall(r'<div class="app-preview"[^>]*>(.*?)</div>', page, re.S))


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    assert not [bad for bad in FORBIDDEN if bad in lowered], html


def test_the_edit_preview_is_sanitised(staff):
    page = save_draft(staff("editor"), action="preview", body=HOSTILE).get_data(as_text=True)
    shown = previews(page)
    assert "hover" in shown and 'href="https://www.gov.uk"' in shown
    assert_harmless(shown)
    # What was typed is shown back escaped, never as markup, with a warning.
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "The answer has HTML in it" in page


def test_a_saved_version_and_the_api_html_are_sanitised(client_and_headers):
    client, headers = client_and_headers
    saved = client.put("/api/v1/content/respite/en", json={"title": "T", "body": HOSTILE}, headers=headers)
    assert saved.status_code == 200
    assert_harmless(saved.get_json()["draft"]["html"])


def test_the_version_page_and_what_the_bot_sends_are_sanitised(staff):
    editor, approver = staff("editor"), staff("approver")
    save_draft(editor, body=HOSTILE)
    assert_harmless(previews(editor.get("/admin/content/respite/en/versions/2").get_data(as_text=True)))
    approver.post("/admin/content/respite/en/publish")
    with db.session_scope() as session:
        body = store.answer(session, "respite", "en", council.current()).body
    # The store keeps what staff typed, as text; rendered by content.markdown it is harmless (the
    # web chat builds its elements with DOM calls, never innerHTML).
    assert_harmless(markdown.to_html(body))
    assert "<script" not in markdown.to_whatsapp(body)


@pytest.fixture
def client_and_headers(app, api):
    return app.test_client(), api("editor")
