"""The staff admin in every language: nothing a person reads is left out of the catalogs, the
admin catalogs are complete in every locale, and a member of staff who chooses Welsh or Arabic
gets it (Arabic right to left) on every page they go to."""
from __future__ import annotations

import ast
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment
from werkzeug.serving import make_server

from content import db, store
from content.i18n import LOCALES, LOCALES_DIR

from .browser import axe_violations, chromium, readable
from .conftest import ADMIN_EMAIL, CSRF, PASSWORD, make_app

ROOT = Path(__file__).resolve().parents[2]
ADMIN = ROOT / "admin"
TEMPLATES = ADMIN / "templates"
LETTER = re.compile(r"[^\W\d_]")

# Text that is the same in every language, so it is rightly not in the catalogs.
NOT_TRANSLATABLE = {
    "GOV.UK",  # the name of the design system whose page template layout.html is
}
# Attributes a person reads or hears (a submit button's value is its label).
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-description", "aria-roledescription"}


class _Text(HTMLParser):
    """Text nodes and read attributes of a template with its Jinja taken out, with their lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        attributes = dict(attrs)
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value" and tag in ("input", "button") and attributes.get("type") in ("submit", "button"))
            if read and value:
                self.found.append((self.getpos()[0], value))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.found.append((self.getpos()[0], data))


def without_jinja(source: str) -> str:
    """The template's own HTML, as Jinja's lexer sees it: every {{ }}, {% %} and {# #} taken out
    (and what {% trans %} blocks hold, which is marked), keeping each piece on its own line."""
    out, line, in_trans, after_block = [], 1, False, False
    for lineno, token, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if after_block and token == "name":
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        if token != "whitespace":
            after_block = token == "block_begin"
        if token != "data" or in_trans:
            continue
        out.append("\n" * max(0, lineno - line) + " ")
        out.append(value)
        line = lineno + value.count("\n")
    return "".join(out)


def untranslated_text(path: Path, root: Path = ROOT) -> list[str]:
    bare = without_jinja(path.read_text(encoding="utf-8"))
    parser = _Text()
    parser.feed(bare)
    parser.close()
    problems = []
    for line, text in parser.found:
        words = " ".join(text.split())
        if LETTER.search(words) and words not in NOT_TRANSLATABLE:
            problems.append(f"{path.relative_to(root)}:{line}: {words!r}")
    return problems


def test_every_template_marks_what_people_read_for_translation():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 20
    problems = [problem for path in templates for problem in untranslated_text(path)]
    assert problems == [], "wrap these in _() or {% trans %}:\n" + "\n".join(problems)


def test_the_template_check_finds_unmarked_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('{% block page %}\n<h1>{{ _("Marked") }}</h1>\n<p>Not marked</p>\n'
                    '<a aria-label="Also not marked" href="#">{{ _("x") }}</a>\n<input type="submit" value="Go">\n'
                    '{# A comment #}<code>{{ code }}</code>{% trans %}Marked too{% endtrans %}\n'
                    '{{ x({"text": _("A dict in an expression"), "more": {"html": "<b>}}</b>"}}) }}{% endblock %}\n',
                    encoding="utf-8")
    found = untranslated_text(page, root=tmp_path)
    assert [problem.split(": ", 1)[1] for problem in found] == ["'Not marked'", "'Also not marked'", "'Go'"]
    assert [problem.split(":")[1] for problem in found] == ["3", "4", "5"]


# --- Python: what reaches a person ----------------------------------------------------------

FIELD = re.compile(r"\w*Field$")
VALIDATORS = {"DataRequired", "InputRequired", "Length", "NumberRange", "URL", "Email", "Regexp", "EqualTo",
              "AnyOf", "NoneOf", "Optional"}
ERRORS = {"ValidationError", "AccountError", "StopValidation"}


def _raw_text(node: ast.AST | None) -> bool:
    """A string written in the source, not passed through gettext: "...", f"...", "..." % x."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_raw_text(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _raw_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _raw_text(node.func.value)
    return False


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def untranslated_python(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []

    def report(node, what):
        problems.append((node.lineno, what))

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name, first = _name(node), node.args[0] if node.args else None
        keywords = {k.arg: k.value for k in node.keywords}
        if name == "flash" and _raw_text(first):
            report(node, "flash() with text not passed through gettext")
        if FIELD.match(name) and (_raw_text(first) or _raw_text(keywords.get("label"))):
            report(node, f"{name} label")
        if FIELD.match(name) and _raw_text(keywords.get("description")):
            report(node, f"{name} description")
        if name in VALIDATORS and (_raw_text(first) or _raw_text(keywords.get("message"))):
            report(node, f"{name} message")
        if name in ERRORS and _raw_text(first):
            report(node, f"{name} message")
        if name == "abort" and len(node.args) > 1 and _raw_text(node.args[1]):
            report(node, "abort() description")
        if name == "render_template" and _raw_text(keywords.get("page_title")):
            report(node, "page_title")
        if name == "choices" or "choices" in keywords:
            pairs = keywords.get("choices", first)
            for pair in ast.walk(pairs) if pairs is not None else ():
                if isinstance(pair, ast.Tuple) and len(pair.elts) == 2 and _raw_text(pair.elts[1]):
                    report(pair, "choice label")
    return [f"{path.relative_to(root)}:{line}: {what}" for line, what in sorted(set(problems))]


def test_every_message_the_admin_shows_from_python_is_marked_for_translation():
    # The JSON API's errors are for programs, and stay in English.
    sources = [path for path in sorted(ADMIN.rglob("*.py")) if "api" not in path.relative_to(ADMIN).parts]
    assert len(sources) > 15
    problems = [problem for path in sources for problem in untranslated_python(path)]
    assert problems == [], "pass these through gettext or lazy_gettext:\n" + "\n".join(problems)


def test_the_python_check_finds_unmarked_messages(tmp_path):
    source = tmp_path / "views.py"
    source.write_text(
        'flash(f"{who} is saved", "success")\n'
        'flash(gettext("%(who)s is saved", who=who), "success")\n'
        'name = StringField("Name", validators=[DataRequired("Enter a name")], description=_l("Marked"))\n'
        'kind = SelectField(_l("Kind"), choices=[("a", "Plain"), ("b", _l("Marked"))])\n'
        'render_template("x.html", page_title="Title")\n', encoding="utf-8")
    found = untranslated_python(source, root=tmp_path)
    assert [problem.split(": ", 1)[1] for problem in found] == [
        "flash() with text not passed through gettext", "DataRequired message", "StringField label",
        "choice label", "page_title"]


# --- the catalogs ---------------------------------------------------------------------------

PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "en"])
def test_every_admin_message_is_translated_with_its_placeholders(locale):
    template = {message.id for message in _catalog(LOCALES_DIR / "admin.pot") if message.id}
    catalog = _catalog(LOCALES_DIR / locale / "LC_MESSAGES" / "admin.po")
    messages = [message for message in catalog if message.id]
    assert {message.id for message in messages} == template, "run make translations-update DOMAINS=admin"
    problems = []
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDERS.findall(" ".join(ids))) - {"%(num)s", "%(num)d"}
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        for string in strings:
            if not string.strip():
                problems.append(f"not translated: {ids[0]!r}")
            elif set(PLACEHOLDERS.findall(string)) - {"%(num)s", "%(num)d"} != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    assert problems == [], f"{locale}:\n" + "\n".join(problems)


# --- staff choosing a language --------------------------------------------------------------

def choose(member, locale: str, on: str = "/admin/"):
    page = member.get(on).get_data(as_text=True)
    return member.client.post("/admin/language", data={"locale": locale, "next": on,
                                                       "csrf_token": CSRF.search(page).group(1)})


def test_staff_who_choose_welsh_get_welsh_on_every_page_they_go_to(staff):
    editor = staff("editor")
    assert 'lang="en-GB"' in editor.get("/admin/").get_data(as_text=True)
    reply = choose(editor, "cy", on="/admin/figures/")
    assert reply.status_code == 302 and reply.headers["Location"] == "/admin/figures/"
    figures = editor.get("/admin/figures/").get_data(as_text=True)
    assert '<html lang="cy" dir="ltr"' in figures
    assert '<h1 class="govuk-heading-l">Ffigurau blynyddol</h1>' in figures
    assert "Yearly figures" not in figures
    edit = editor.get("/admin/content/respite/en").get_data(as_text=True)
    assert "Cadw drafft" in edit and "Save draft" not in edit  # the button
    assert "Allgofnodi" in edit  # the navigation's sign out
    # The answer being edited is English, so its own fields stay marked as English.
    assert re.search(r'<textarea[^>]*lang="en"', edit)


def test_the_choice_survives_signing_out_and_in_again(app, staff):
    editor = staff("editor")
    choose(editor, "cy")
    signed_out = editor.get("/admin/sign-out", follow_redirects=True).get_data(as_text=True)
    assert '<html lang="cy"' in signed_out and "Mewngofnodi" in signed_out
    editor.sign_in(editor.email, PASSWORD)
    assert '<html lang="cy"' in editor.get("/admin/").get_data(as_text=True)


def test_arabic_reads_right_to_left(staff):
    admin = staff("admin")
    choose(admin, "ar")
    page = admin.get("/admin/users/new").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in page
    assert "/static/admin/rtl.css" in page
    assert "Add a user" not in page
    welsh = staff("editor")
    choose(welsh, "cy")
    assert "/static/admin/rtl.css" not in welsh.get("/admin/").get_data(as_text=True)


def test_only_the_languages_of_the_service_can_be_chosen(staff):
    editor = staff("editor")
    assert choose(editor, "fr").status_code == 400
    assert 'lang="en-GB"' in editor.get("/admin/").get_data(as_text=True)
    # and the switcher only ever sends people back into the admin
    page = editor.get("/admin/").get_data(as_text=True)
    reply = editor.client.post("/admin/language", data={"locale": "pl", "next": "https://elsewhere.example/",
                                                        "csrf_token": CSRF.search(page).group(1)})
    assert reply.headers["Location"] == "/admin/"


def test_residents_choose_the_demo_pages_language_and_the_chats():
    app = make_app("sqlite://")
    page = app.test_client().get("/?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl"' in page
    assert 'data-locale="ur"' in page
    assert "Skip to main content" not in page


# --- in a browser ---------------------------------------------------------------------------

@pytest.fixture
def web(tmp_path, monkeypatch):
    """The web app on a free port, with the advice loaded and a first admin."""
    url = f"sqlite:///{tmp_path / 'frontdoor.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.migrate(url)
    with db.session_scope(db.engine_for(url)) as session:
        store.load_if_empty(session)
    server = make_server("127.0.0.1", 0, make_app(url), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    db.engine_for(url).dispose()


def test_the_admin_in_arabic_has_no_accessibility_failures(web):
    found = {}
    with chromium() as browser:
        # axe is injected as a script, which the admin's CSP blocks, so the context bypasses it.
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"{web}/admin/login")
        page.select_option("#admin-language", "ar")
        with page.expect_navigation():
            page.locator(".app-language button").click()
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        found["sign in"] = axe_violations(page)
        page.locator("#email").fill(ADMIN_EMAIL)
        page.locator("#password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        for name, path in (("topics", "/admin/"), ("add a user", "/admin/users/new"),
                           ("a version", "/admin/content/respite/en/versions/1")):
            page.goto(web + path)
            assert page.evaluate("document.documentElement.dir") == "rtl"
            found[name] = axe_violations(page)
        # The error summary and the radios, in Arabic.
        page.goto(f"{web}/admin/users/new")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        found["add a user with errors"] = axe_violations(page)
        # Right to left: the page's main heading starts at the right of its column.
        heading = page.locator("h1").bounding_box()
        column = page.locator(".govuk-grid-column-two-thirds").first.bounding_box()
        assert abs((heading["x"] + heading["width"]) - (column["x"] + column["width"])) < 20
    assert {name: v for name, v in found.items() if v} == {}, readable(found)
