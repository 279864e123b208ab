"""The edit page's live SMS counter (admin/static/admin/sms-counter.js) counts exactly as
content/sms.py does, run in Debian's Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from content import sms

from .browser import chromium

SCRIPT = Path(__file__).resolve().parents[2] / "admin" / "static" / "admin" / "sms-counter.js"
SAMPLES = [
    "",
    "Call us on 01632 960 000.",
    "a" * 160,
    "a" * 161,
    "a" * 306,
    "a" * 307,
    "Price €5 [note] {x} ~ ^ | \\ " * 3,
    "€" * 80,
    "€" * 81,
    "Ffoniwch ni am ŵyl neu seibiant: 01632 960 000",
    "ŵ" * 70,
    "ŵ" * 71,
    "آپ دیکھ بھال کرنے والے کے طور پر وقفہ لے سکتے ہیں۔ ہمیں 01632 960 000 پر کال کریں۔" * 2,
    "Carers’ “break” – with curly quotes",
    "Emoji take two units 😀" * 4,
    "Line one\nline two\r\n@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!¡¿§ÄÖÑÜäöñüà",
]


@pytest.fixture(scope="module")
def page():
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(SCRIPT))
        yield page


@pytest.mark.parametrize("text", SAMPLES)
def test_the_javascript_counter_agrees_with_content_sms(page, text):
    counted = page.evaluate("t => FrontDoorSms.count(t)", text)
    expected = sms.count(text)
    assert (counted["encoding"], counted["units"], counted["segments"], counted["perSegment"]) == (
        expected.encoding, expected.units, expected.segments, expected.per_segment), text


def test_the_counter_fills_placeholders_and_updates_as_staff_type(page):
    page.set_content("""<!doctype html><html><body>
      <textarea id="sms_body"></textarea>
      <p id="sms-count" data-sms-counter="sms_body" data-placeholders='{"phone.general": "01632 960 100"}'></p>
      <div id="sms-count-announcement" aria-live="polite"></div></body></html>""")
    page.add_script_tag(path=str(SCRIPT))
    page.evaluate("document.dispatchEvent(new Event('DOMContentLoaded'))")
    page.fill("#sms_body", "Ring   {{phone.general}} ŵ")
    filled = "Ring 01632 960 100 ŵ"
    expected = sms.count(filled)
    assert page.inner_text("#sms-count") == (
        f"Once filled in: {expected.units} characters, 1 text message (Unicode: 70 characters per message)")
    page.wait_for_function("document.getElementById('sms-count-announcement').textContent.length > 0")
