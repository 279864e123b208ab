"""The web chat widget on the demo council page, in Debian's Chromium (Playwright), talking to
the real Rasa server across origins, as a council website would."""
from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect, sync_playwright

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
EXIT_URL = "https://www.bbc.co.uk/weather"
STORAGE_KEY = "frontdoor-chat"
QUESTION = "where can i get a perching stool and a raised toilet seat"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(stack):
    return f"http://localhost:{stack.ports.web}/"


@pytest.fixture
def rasa(stack):
    return f"http://localhost:{stack.ports.rasa}"


@pytest.fixture
def page(browser, site, rasa):
    # bypass_csp: only so the test can inject axe-core; the widget itself needs no exception.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    # Nothing may leave the machine: the BBC page of the quick exit is answered here.
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>Weather</title><h1>Weather</h1>"))
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(site)
    yield page
    assert page.errors == []
    context.close()


def open_chat(page: Page) -> None:
    page.get_by_role("button", name="Ask about care and support").click()
    expect(page.get_by_label("Your question")).to_be_focused()


def ask(page: Page, text: str, label: str = "Your question") -> None:
    """Types a message into the box with this label (the widget's words follow its language)."""
    turns = page.locator(".fdc-turn").count()
    page.get_by_label(label).fill(text)
    page.keyboard.press("Enter")
    expect(page.locator(".fdc-turn")).to_have_count(turns + 1, timeout=30_000)


def picker(page: Page):
    """The widget's language picker. Its name is "Language" in every language, as well as its own."""
    return page.get_by_role("combobox", name="Language")


def log(page: Page, name: str = "Conversation"):
    return page.get_by_role("log", name=name)


def stored(page: Page):
    return page.evaluate(f"JSON.parse(sessionStorage.getItem('{STORAGE_KEY}'))")


def focused(page: Page) -> str:
    return page.evaluate("document.activeElement.className + '|' + document.activeElement.textContent")


def test_a_keyboard_only_conversation(page):
    for _ in range(60):  # Tab through the page to the chat's button
        page.keyboard.press("Tab")
        if "fdc-launcher" in focused(page):
            break
    assert "fdc-launcher" in focused(page)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # visible focus
    launcher = page.get_by_role("button", name="Ask about care and support")
    expect(launcher).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Ask about care and support")).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Your question")).to_be_focused()
    expect(log(page)).to_have_attribute("aria-live", "polite")

    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    expect(log(page)).to_contain_text("You said: " + QUESTION)
    expect(log(page)).to_contain_text("We can provide equipment", timeout=30_000)
    expect(log(page).locator(".fdc-source")).to_contain_text("Last reviewed")

    for _ in range(10):  # back from the text box into the conversation, to the last reply button
        page.keyboard.press("Shift+Tab")
        if "fdc-choice" in focused(page):
            break
    assert "Talk to a person" in focused(page)
    page.keyboard.press("Enter")
    expect(log(page).locator(".fdc-msg--user").last).to_have_text("You said: Talk to a person")
    expect(log(page)).to_contain_text("You can talk to a person", timeout=30_000)

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_the_conversation_survives_a_reload_and_start_again_clears_it(page, site):
    open_chat(page)
    ask(page, QUESTION)
    sender = stored(page)["sender"]
    assert sender.startswith("web-")

    page.reload()
    expect(log(page)).to_contain_text(QUESTION)
    expect(log(page)).to_contain_text("We can provide equipment")
    assert stored(page)["sender"] == sender
    page.goto(site + "?another=page")  # moving to another page of the site
    expect(log(page)).to_contain_text("We can provide equipment")
    assert stored(page)["sender"] == sender

    page.get_by_role("button", name="Start again").click()
    expect(log(page).locator(".fdc-msg")).to_have_count(0)
    assert stored(page)["sender"] not in (None, sender)
    assert page.evaluate("localStorage.length") == 0 and page.evaluate("document.cookie") == ""


def test_arabic_from_the_language_picker_is_right_to_left_and_sent_as_the_locale(page, rasa):
    open_chat(page)
    languages = picker(page)
    expect(languages.locator("option")).to_have_count(11)
    expect(languages.locator("option[value=cy]")).to_have_text("Cymraeg")
    languages.select_option("ar")
    widget = page.locator(".fdc")
    expect(widget).to_have_attribute("dir", "rtl")
    expect(widget).to_have_attribute("lang", "ar")

    with page.expect_request(f"{rasa}/webhooks/rest/webhook") as request:
        ask(page, "مرحبا", label="سؤالك")
    assert json.loads(request.value.post_data)["metadata"] == {"locale": "ar"}

    page.reload()  # the choice is kept with the conversation
    expect(page.locator(".fdc")).to_have_attribute("dir", "rtl")
    picker(page).select_option("cy")
    expect(page.locator(".fdc")).to_have_attribute("dir", "ltr")


HIDDEN_BY_LAUNCHER = """() => {
    const focused = document.activeElement.getBoundingClientRect();
    const launcher = document.querySelector('.fdc-launcher');
    const cover = launcher.getBoundingClientRect();
    return document.activeElement !== launcher && focused.top >= cover.top && focused.bottom <= cover.bottom
        && focused.left >= cover.left && focused.right <= cover.right;
}"""


@pytest.mark.parametrize("width, height", [(320, 640), (320, 256)])  # 320 px, and 1280 x 1024 at 400%
def test_reflows_without_horizontal_scrolling(browser, site, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(site)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for _ in range(20):  # nothing on the page is hidden behind the chat button when it has focus
        page.keyboard.press("Tab")
        assert not page.evaluate(HIDDEN_BY_LAUNCHER), focused(page)
    open_chat(page)
    ask(page, QUESTION)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    panel = page.locator(".fdc-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= width
    page.get_by_label("Your question").scroll_into_view_if_needed()
    expect(page.get_by_label("Your question")).to_be_in_viewport()
    context.close()


def test_leave_this_site_quickly_replaces_the_page_and_forgets_the_conversation(page, site):
    open_chat(page)
    ask(page, "hello")
    assert stored(page)
    page.get_by_role("button", name="Leave this site quickly").click()
    page.wait_for_url(EXIT_URL)
    page.goto(site)
    assert stored(page) is None
    expect(page.locator(".fdc-msg")).to_have_count(0)


def test_pressing_shift_three_times_also_leaves(page, site):
    open_chat(page)
    ask(page, "hello")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    page.goto(site)
    assert stored(page) is None


def test_a_failed_message_says_so_and_try_again_sends_it(page, rasa):
    failures = []

    def fail_once(route):
        if not failures:
            failures.append(route.request.post_data)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"{rasa}/webhooks/rest/webhook", fail_once)
    open_chat(page)
    page.get_by_label("Your question").fill(QUESTION)
    page.keyboard.press("Enter")
    expect(log(page)).to_contain_text("Sorry, that message did not send. Check your connection.")
    expect(log(page).locator(".fdc-msg--user")).to_have_count(1)

    with page.expect_request(f"{rasa}/webhooks/rest/webhook") as retried:
        page.get_by_role("button", name="Try again").click()
    assert json.loads(retried.value.post_data)["message"] == json.loads(failures[0])["message"] == QUESTION
    expect(log(page)).to_contain_text("We can provide equipment", timeout=30_000)
    expect(log(page)).not_to_contain_text("did not send")
    expect(log(page).locator(".fdc-msg--user")).to_have_count(1)  # sent again, not said twice


def test_a_slow_server_shows_typing_and_times_out_with_try_again(page, rasa):
    held = []
    page.clock.install()
    page.route(f"{rasa}/webhooks/rest/webhook", lambda route: held.append(route))
    open_chat(page)
    page.get_by_label("Your question").fill("hello")
    page.keyboard.press("Enter")
    expect(page.locator(".fdc-typing")).to_be_visible()
    expect(log(page)).to_have_attribute("aria-busy", "true")
    page.clock.fast_forward(16_000)  # past the 15 second time-out
    expect(log(page)).to_contain_text("Sorry, that message did not send.")
    expect(page.locator(".fdc-typing")).to_be_hidden()
    page.unroute(f"{rasa}/webhooks/rest/webhook")
    page.get_by_role("button", name="Try again").click()
    expect(log(page)).to_contain_text("Hello", timeout=30_000)


def test_a_message_still_on_its_way_when_the_page_reloads_is_not_lost(page, rasa):
    page.route(f"{rasa}/webhooks/rest/webhook", lambda route: None)  # never answered
    open_chat(page)
    page.get_by_label("Your question").fill(QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator(".fdc-typing")).to_be_visible()
    # Still held when the page reloads, so the request cannot slip through first.
    page.reload()
    expect(log(page)).to_contain_text("Sorry, that message did not send.")
    page.unroute(f"{rasa}/webhooks/rest/webhook")
    page.get_by_role("button", name="Try again").click()
    expect(log(page)).to_contain_text("We can provide equipment", timeout=30_000)


def test_a_crisis_reply_stands_out_with_tap_to_call_numbers(page):
    open_chat(page)
    ask(page, "I want to kill myself")
    crisis = page.locator(".fdc-turn--crisis")
    expect(crisis).to_be_visible()
    for number in ("999", "116123", "111"):
        expect(crisis.locator(f'a[href="tel:{number}"]')).to_be_visible()
    box = crisis.locator('a[href="tel:999"]').bounding_box()
    assert box["height"] >= 44


def test_markdown_links_and_advice_source(page, site):
    open_chat(page)
    ask(page, QUESTION)
    external = log(page).get_by_role("link", name="Living Made Easy (opens in new tab)")
    expect(external).to_have_attribute("target", "_blank")
    expect(external).to_have_attribute("rel", "noopener")
    expect(log(page).locator("strong")).to_contain_text("it is free")
    expect(log(page).locator("li")).to_have_count(4)
    expect(log(page).locator('a[href="tel:01632960000"]').first).to_be_visible()
    assert log(page).locator("script, img, iframe").count() == 0


def test_save_or_print_shows_only_the_transcript(page):
    page.evaluate("window.print = () => { window.printed = true; }")
    open_chat(page)
    ask(page, QUESTION)
    page.get_by_role("button", name="Save or print this conversation").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(log(page)).to_be_visible()
    expect(page.locator(".fdc-msg--user")).to_contain_text("You said:")
    for hidden in ("h1", ".fdc-form", ".fdc-launcher", ".fdc-toolbar", ".fdc-choices"):
        expect(page.locator(hidden).first).to_be_hidden()


def test_the_widget_talks_only_to_the_site_and_the_rasa_server(page, site, rasa):
    origins = set()
    page.on("request", lambda request: origins.add("{0.scheme}://{0.netloc}".format(urlsplit(request.url))))
    page.reload()
    open_chat(page)
    ask(page, QUESTION)
    assert origins <= {site.rstrip("/"), rasa}
    assert page.evaluate("localStorage.length") == 0


def axe_violations(page: Page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    assert result["passes"]  # axe really looked at the page
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_axe_finds_no_wcag_22_aa_violations_closed_or_open(page):
    assert axe_violations(page) == []
    open_chat(page)
    ask(page, QUESTION)
    ask(page, "I want to kill myself")
    assert axe_violations(page) == []
    picker(page).select_option("ur")
    assert axe_violations(page) == []


def reply_with(page: Page, rasa: str, messages: list[dict]) -> None:
    """Answers the widget's next message with these bot messages instead of the real server."""
    page.route(f"{rasa}/webhooks/rest/webhook", lambda route: route.fulfill(
        status=200, content_type="application/json", headers={"Access-Control-Allow-Origin": "*"},
        body=json.dumps([{"recipient_id": "x", **m} for m in messages])))


def test_the_bots_text_can_never_become_markup(page, rasa):
    reply_with(page, rasa, [
        {"text": '<img src=x onerror="window.hacked=1"> <script>window.hacked=1</script> **bold <b>tag</b>**\n'
                 "[click me](javascript:window.hacked=1) [mail](mailto:a@example.org) [local](/oruk)"},
        {"custom": {"kind": "fallback"}}])
    open_chat(page)
    ask(page, "hello")
    bot = log(page).locator(".fdc-msg--bot").last
    expect(bot).to_contain_text('<img src=x onerror="window.hacked=1">')
    expect(bot.locator("strong")).to_have_text("bold <b>tag</b>")
    assert bot.locator("img, script, b").count() == 0
    assert bot.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "mailto:a@example.org"]
    assert page.evaluate("window.hacked") is None


def test_a_language_change_by_the_bot_moves_the_picker(page, rasa):
    reply_with(page, rasa, [{"text": "میں اردو میں جواب دوں گا۔"}, {"custom": {"kind": "language", "locale": "ur"}}])
    open_chat(page)
    ask(page, "can i have this in urdu")
    expect(picker(page)).to_have_value("ur")
    expect(page.locator(".fdc")).to_have_attribute("dir", "rtl")


# --- the widget's own words in the conversation's language ------------------------------------

def test_in_arabic_the_widget_is_right_to_left_and_says_its_own_words_in_arabic(page):
    open_chat(page)
    picker(page).select_option("ar")
    widget = page.locator(".fdc")
    expect(widget).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("dialog", name="اسأل عن الرعاية والدعم")).to_be_visible()
    expect(page.get_by_label("سؤالك")).to_be_visible()
    for name in ("إرسال", "ابدأ من جديد", "احفظ هذه المحادثة أو اطبعها", "غادر هذا الموقع بسرعة", "إغلاق"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    # Whoever cannot read Arabic still finds the way back to their language.
    expect(picker(page)).to_have_accessible_name("اللغة (Language)")
    expect(page.locator(".fdc-intro")).to_have_attribute("lang", "ar")
    expect(page.locator(".fdc-intro a[href='tel:999']")).to_be_visible()
    # Right to left: the panel's start is on the right, and the chat sits at the left of the page.
    send = page.get_by_role("button", name="إرسال", exact=True).bounding_box()
    box = page.get_by_label("سؤالك").bounding_box()
    assert send["x"] + send["width"] <= box["x"] + 1, "the Send button comes after the box, on its left"
    panel = page.locator(".fdc-panel").bounding_box()
    assert panel["x"] < 640

    ask(page, "مرحبا", label="سؤالك")
    said = log(page, "المحادثة").locator(".fdc-msg--bot .fdc-msg__text").first
    expect(said).to_have_attribute("lang", "ar")
    expect(said).to_have_attribute("dir", "rtl")
    expect(log(page, "المحادثة").locator(".fdc-msg--bot").first).to_contain_text("قال Front Door:")
    expect(log(page, "المحادثة").locator(".fdc-msg--user")).to_contain_text("قلت:")
    assert axe_violations(page) == []


def test_an_answer_served_in_english_to_an_arabic_conversation_runs_each_way(page, rasa):
    reply_with(page, rasa, [
        {"text": "هذه الإجابة غير متوفرة باللغة العربية بعد. إليك الإجابة بالإنجليزية."},
        {"text": "We can provide equipment to help you at home. Call 01632 960 000."},
        {"custom": {"kind": "advice", "topic": "equipment", "locale": "en", "reviewed": "2026-11-20",
                    "reviewed_text": "20 نوفمبر 2026", "title": "Equipment"}}])
    open_chat(page)
    picker(page).select_option("ar")
    ask(page, "معدات", label="سؤالك")
    notice, answer = log(page, "المحادثة").locator(".fdc-msg__text").all()
    expect(notice).to_have_attribute("dir", "rtl")
    expect(notice).to_have_attribute("lang", "ar")
    expect(answer).to_have_attribute("dir", "ltr")
    expect(answer).to_have_attribute("lang", "en")
    footer = log(page, "المحادثة").locator(".fdc-source")
    expect(footer).to_contain_text("آخر مراجعة: 20 نوفمبر 2026.")
    expect(footer).to_have_attribute("lang", "ar")
    assert axe_violations(page) == []


def test_in_welsh_the_widget_says_its_own_words_in_welsh_and_keeps_them_after_a_reload(page):
    open_chat(page)
    picker(page).select_option("cy")
    expect(page.get_by_label("Eich cwestiwn")).to_be_visible()
    expect(page.locator(".fdc")).to_have_attribute("dir", "ltr")
    for name in ("Anfon", "Dechrau eto", "Cadw neu argraffu'r sgwrs hon", "Gadael y wefan hon yn gyflym", "Cau"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Cau", exact=True)).to_have_attribute("lang", "cy")
    expect(page.get_by_role("log", name="Sgwrs")).to_be_visible()

    page.reload()
    expect(page.get_by_role("button", name="Gofyn am ofal a chymorth")).to_be_visible()
    expect(page.get_by_label("Eich cwestiwn")).to_be_visible()


def test_a_language_reply_from_the_bot_changes_the_widgets_words_too(page, rasa):
    reply_with(page, rasa, [{"text": "Byddaf yn ysgrifennu yn Gymraeg o hyn ymlaen."},
                            {"custom": {"kind": "language", "locale": "cy"}}])
    open_chat(page)
    ask(page, "can i have this in welsh")
    expect(page.get_by_label("Eich cwestiwn")).to_be_visible()
    expect(picker(page)).to_have_value("cy")
    expect(page.get_by_role("button", name="Dechrau eto")).to_be_visible()


@pytest.fixture
def council_site(site, rasa):
    """A council's own page on another origin (127.0.0.1, not localhost), with the one script tag."""
    page = (f"<!doctype html><html lang='en-GB'><title>Castlebridge</title><main><h1>Adult social care</h1></main>"
            f"<script src='{site}static/widget/frontdoor-chat.js' data-rasa-url='{rasa}' data-locale='cy' defer>"
            "</script></html>").encode()

    class CouncilPage(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), CouncilPage)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/adult-social-care"
    server.shutdown()
    server.server_close()


def test_on_another_sites_page_the_widget_fetches_its_words_across_origins(browser, site, council_site):
    context = browser.new_context()
    page = context.new_page()
    with page.expect_response(f"{site}static/widget/i18n/cy.json") as words:
        page.goto(council_site)
    assert words.value.ok and words.value.headers["access-control-allow-origin"] == "*"
    expect(page.get_by_role("button", name="Gofyn am ofal a chymorth")).to_be_visible()
    page.get_by_role("button", name="Gofyn am ofal a chymorth").click()
    expect(page.get_by_label("Eich cwestiwn")).to_be_focused()
    context.close()


def test_the_demo_page_in_arabic_starts_its_chat_in_arabic_right_to_left(page, site):
    page.goto(site + "?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    launcher = page.get_by_role("button", name="اسأل عن الرعاية والدعم")
    expect(launcher).to_be_visible()
    expect(page.locator(".fdc")).to_have_attribute("dir", "rtl")
    # The chat's button sits at the inline end of the page: the left, in Arabic.
    assert launcher.bounding_box()["x"] < 640
    launcher.click()
    expect(page.get_by_label("سؤالك")).to_be_focused()
    assert axe_violations(page) == []
