"""Every word a resident reads, other than advice content, goes through the messages catalog, and
dates, times, numbers and money are written the reader's way.

The first tests read the source: a string literal with letters that reaches a reply (a message's
text, a button's title) in actions/, or a label in the chat widget, must be marked for
translation. The rest run the actions as the action server does, in Welsh, Polish and Arabic.
"""
from __future__ import annotations

import ast
import asyncio
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.jslexer import tokenize, unquote_string
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from content import council as councils
from content import i18n, render

from tests.catalogs import compile_messages

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = ROOT / "actions"
WIDGET = ROOT / "admin" / "static" / "widget" / "frontdoor-chat.js"

# --- the source: nothing a resident reads is left unmarked ----------------------------------

GETTEXT_FUNCTIONS = {"_", "N_", "gettext", "ngettext", "pgettext", "npgettext"}
LETTERS = re.compile(r"[^\W\d_]")

# Strings that reach a reply on purpose without a translation, each with the reason.
ENDONYMS = ("English", "Cymraeg", "Polski", "Română", "ਪੰਜਾਬੀ", "اردو", "Português", "Español", "العربية", "বাংলা",
            "ગુજરાતી")
ALLOWED_IN_ACTIONS = {
    "AB1 2CD": "a made-up postcode, the same in every language",
    " 2AB": "the end of a made-up postcode in the council's area",
    " (Change language)": "English as well on purpose: the way back for someone in a language they cannot read",
    " (Choose your language.)": "English as well on purpose, for the same reason",
    **{name: "a language's own name, in the list of languages" for name in ENDONYMS},
}


def _is_gettext(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name in GETTEXT_FUNCTIONS


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


class Flow:
    """Follows what reaches a reply, back through local names, module constants and the
    actions' own functions, and collects the string literals on the way that gettext did not mark.
    Dictionary keys, subscripts and lookups (slot names, phone keys) are where data is chosen,
    not what is said, so they are not followed."""

    def __init__(self, modules: dict[Path, ast.Module]):
        self.functions: dict[str, list[ast.FunctionDef]] = {}
        self.constants: dict[str, list[ast.expr]] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        for tree in modules.values():
            for node in ast.walk(tree):
                for child in ast.iter_child_nodes(node):
                    self.parents[child] = node
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.functions.setdefault(node.name, []).append(node)
            for statement in tree.body:
                if isinstance(statement, ast.Assign):
                    for target in statement.targets:
                        if isinstance(target, ast.Name):
                            self.constants.setdefault(target.id, []).append(statement.value)
        self.unmarked: dict[tuple[str, int, str], str] = {}
        self.seen: set[int] = set()

    def function_of(self, node: ast.AST) -> ast.AST | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def follow(self, node: ast.AST | None, where: str, pick: tuple[int, ...] | None = None) -> None:
        """pick: only these items of the tuples found, when a loop unpacks them ("for code, name in")."""
        if node is None or (id(node), pick) in self.seen:
            return
        self.seen.add((id(node), pick))
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and LETTERS.search(node.value):
                self.unmarked[(where, node.lineno, node.value)] = node.value
        elif isinstance(node, ast.JoinedStr):
            for value in node.values:
                self.follow(value.value if isinstance(value, ast.FormattedValue) else value, where)
        elif isinstance(node, ast.Call):
            self.follow_call(node, where, pick)
        elif isinstance(node, ast.Subscript):
            self.follow(node.value, where)
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            for key, value in zip(node.keys, node.values):
                # A button: only its title is read; its payload is for the bot.
                if "payload" not in keys or (isinstance(key, ast.Constant) and key.value == "title"):
                    self.follow(value, where)
        elif isinstance(node, ast.Tuple) and pick is not None:
            for index in pick:
                if index < len(node.elts):
                    self.follow(node.elts[index], where)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for element in node.elts:
                self.follow(element, where, pick)
        elif isinstance(node, ast.BinOp):
            self.follow(node.left, where, pick)
            self.follow(node.right, where, pick)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.follow(value, where, pick)
        elif isinstance(node, ast.IfExp):
            self.follow(node.body, where, pick)
            self.follow(node.orelse, where, pick)
        elif isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            self.follow(node.elt, where, pick)
        elif isinstance(node, ast.Starred):
            self.follow(node.value, where, pick)
        elif isinstance(node, ast.Name):
            self.follow_name(node, where, pick)

    def follow_call(self, call: ast.Call, where: str, pick: tuple[int, ...] | None) -> None:
        if _is_gettext(call):
            return
        name = _called_name(call)
        if isinstance(call.func, ast.Attribute) and name in ("format", "join", "strip", "rstrip", "lstrip",
                                                              "capitalize", "upper", "lower"):
            self.follow(call.func.value, where)
            for argument in call.args:
                self.follow(argument, where)
            for keyword in call.keywords:
                self.follow(keyword.value, where)
        elif isinstance(call.func, ast.Attribute) and name == "get":  # {...}.get(key, default)
            self.follow(call.func.value, where)
            for argument in call.args[1:]:
                self.follow(argument, where)
        elif name in self.functions:  # one of the actions' own: what it returns
            for function in self.functions[name]:
                for node in ast.walk(function):
                    if isinstance(node, ast.Return):
                        self.follow(node.value, where, pick)

    def follow_name(self, name: ast.Name, where: str, pick: tuple[int, ...] | None) -> None:
        # A loop variable of a comprehension: the items of what it loops over.
        node = name
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
                for generator in node.generators:
                    position = _position(generator.target, name.id)
                    if position is not None:
                        self.follow(generator.iter, where, position)
                        return
        scope = self.function_of(name)
        found = False
        for node in ast.walk(scope) if scope else ():
            if isinstance(node, ast.Assign) and any(_binds(t, name.id) for t in node.targets):
                self.follow(node.value, where, pick)
                found = True
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and _binds(node.target, name.id):
                self.follow(node.value, where, pick)
                found = True
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.value.id == name.id
                  and node.func.attr in ("append", "extend", "insert")):
                for argument in node.args[-1:]:
                    self.follow(argument, where, pick)
        if not found:
            for value in self.constants.get(name.id, []):
                self.follow(value, where, pick)


def _position(target: ast.AST, name: str) -> tuple[int, ...] | None:
    """() when the loop binds the whole item to name, (i,) when it unpacks it and name is item i."""
    if isinstance(target, ast.Name):
        return () if target.id == name else None
    if isinstance(target, (ast.Tuple, ast.List)):
        for index, element in enumerate(target.elts):
            if isinstance(element, ast.Name) and element.id == name:
                return (index,)
    return None


def _binds(target: ast.AST, name: str) -> bool:
    if isinstance(target, ast.Name):
        return target.id == name
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_binds(element, name) for element in target.elts)
    return False


# Where a string becomes something a resident reads: (function or method name, positions, keywords).
SINKS = {
    "utter_message": ((0,), ("text", "buttons")),  # dispatcher.utter_message(text=..., buttons=...)
    "send": ((3, 4), ("texts", "buttons")),  # replies.send(dispatcher, turn, kind, texts, buttons)
    "button": ((0,), ("title",)),  # replies.button(title, intent)
    "_choose": ((0,), ("title",)),  # a referral choice's title
    "_sorry": ((1,), ("text",)),  # the referral form's "please try again"
}


def unmarked_strings_in_actions(folder: Path = ACTIONS) -> dict[tuple[str, int, str], str]:
    modules = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(folder.glob("*.py"))}
    flow = Flow(modules)
    for path, tree in modules.items():
        where = path.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in SINKS:
                positions, keywords = SINKS[_called_name(node)]
                for position in positions:
                    if position < len(node.args):
                        flow.follow(node.args[position], where)
                for keyword in node.keywords:
                    if keyword.arg in keywords:
                        flow.follow(keyword.value, where)
            elif isinstance(node, ast.Dict):  # a button or choice anywhere: its title
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "title":
                        flow.follow(value, where)
    return {k: v for k, v in flow.unmarked.items() if v not in ALLOWED_IN_ACTIONS}


def test_every_string_a_reply_shows_in_actions_is_marked_for_translation():
    unmarked = unmarked_strings_in_actions()
    assert not unmarked, "mark these with turn.gettext (or add them to ALLOWED_IN_ACTIONS with a reason):\n" + \
        "\n".join(f"actions/{where}:{line}: {text!r}" for (where, line, text) in sorted(unmarked))


def test_the_check_finds_unmarked_words_in_a_reply_a_button_and_a_choice(tmp_path):
    (tmp_path / "fake.py").write_text(
        "def helper(turn):\n"
        "    return 'From a helper'\n"
        "\n"
        "def run(dispatcher, turn):\n"
        "    hello = 'Hello there'\n"
        "    dispatcher.utter_message(text=hello)\n"
        "    texts = [turn.gettext('Fine'), 'Not fine']\n"
        "    texts.append(helper(turn))\n"
        "    replies.send(dispatcher, turn, 'smalltalk', texts, [{'title': 'Press me', 'payload': '/help'}])\n"
        "    _choose('Pick me', 'value')\n"
        "    dispatcher.utter_message(text=turn.gettext('Call {phone}').format(phone=c.phones['general']))\n",
        encoding="utf-8")
    assert sorted(unmarked_strings_in_actions(tmp_path).values()) == [
        "From a helper", "Hello there", "Not fine", "Pick me", "Press me"]


# The widget's strings that are not its words: each with the reason.
ALLOWED_IN_WIDGET = {
    "use strict": "a JavaScript directive",
    "English": "a language's name in that language, for the language picker",
    "Cymraeg": "a language's name in that language", "Polski": "a language's name in that language",
    "Română": "a language's name in that language", "Português": "a language's name in that language",
    "Español": "a language's name in that language",
    " (Language)": "said in English on purpose, so anyone can find the way back from a language they cannot read",
    "Content-Type": "an HTTP header", "Escape": "a key's name", "Esc": "a key's name", "Shift": "a key's name",
    "no reply": "an error's message for the code, never shown",
    "Front Door chat: data-rasa-url must be an http(s) address": "for the council's developers, in the console",
}


def widget_strings(source: str) -> tuple[list[str], set[str]]:
    """Every string literal in the widget's source, and those inside _() calls."""
    literals, marked, depth, previous = [], set(), None, []
    for token in tokenize(source):
        if token.type in ("linecomment", "multilinecomment"):
            continue
        if token.type == "string":
            text = unquote_string(token.value)
            literals.append(text)
            if depth is not None:
                marked.add(text)
        elif token.type == "operator" and token.value == "(":
            if depth is not None:
                depth += 1
            elif previous[-1:] and previous[-1].type == "name" and previous[-1].value == "_":
                depth = 1
        elif token.type == "operator" and token.value == ")" and depth is not None:
            depth -= 1
            depth = None if depth == 0 else depth
        previous.append(token)
    return literals, marked


def _widget_prose(text: str) -> bool:
    """Words for people. Not: class names and identifiers ("fdc-button fdc-send", "click",
    "DOMContentLoaded"), nor capitals ("POST", "UTC")."""
    tokens = text.split()
    if not re.search(r"[A-Za-z]{2,}", text) or all(re.fullmatch(r"[a-z0-9.:/#_\[\]=-]+", t) for t in tokens):
        return False
    return len(tokens) > 1 or bool(re.fullmatch(r"\W*[A-Z][a-z\u00e0-\u024f]+\W*", tokens[0]))


def unmarked_widget_words(source: str) -> list[str]:
    literals, marked = widget_strings(source)
    return sorted({t for t in literals if _widget_prose(t) and t not in marked and t not in ALLOWED_IN_WIDGET})


def test_every_word_of_the_widget_is_marked_for_translation():
    source = WIDGET.read_text(encoding="utf-8")
    assert len(widget_strings(source)[1]) >= 20  # the widget's words were found at all
    unmarked = unmarked_widget_words(source)
    assert not unmarked, "wrap these in _() in frontdoor-chat.js (or allow them with a reason):\n" + "\n".join(unmarked)


def test_the_widget_check_finds_unmarked_words():
    source = """var T = { send: _("Send"), close: "Close", log: _("Conversation " + "log") };
        el("button", { "class": "fdc-button fdc-send", "aria-label": "Send the message", text: T.send });
        document.addEventListener("DOMContentLoaded", start);"""
    assert unmarked_widget_words(source) == ["Close", "Send the message"]


# --- the catalogs, compiled as `make translations` does --------------------------------------

@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    """Compiles any messages catalog newer than its .mo, so these tests never read stale words."""
    compile_messages()
    yield
    i18n.translations.cache_clear()


def tracker(intent, locale, text="...", slots=None, safety=None):
    latest = {"intent": {"name": intent, "confidence": 0.95}, "text": text, "metadata": {"locale": locale},
              "entities": []}
    if safety:
        latest["safety"] = safety
    return Tracker("i18n-user", slots or {}, latest, [{"event": "user", "text": text, "parse_data": latest}],
                   False, None, {}, "action_listen")


def run(action, track):
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, track, {}))
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    buttons = [b["title"] for m in dispatcher.messages for b in m.get("buttons") or []]
    customs = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    return texts, buttons, customs


PHONES = councils.current().phones


# --- a turn in Welsh, Polish or Arabic --------------------------------------------------------

def test_a_welsh_turn_says_its_words_and_its_buttons_in_welsh():
    from actions.conversation import ActionSmalltalk

    texts, buttons, _ = run(ActionSmalltalk(), tracker("thank", "cy"))
    assert texts == ["Croeso. Oes unrhyw beth arall y gallaf helpu ag ef?"]
    assert buttons == ["Gweld pob pwnc"]


def test_a_welsh_handoff_gives_the_hours_in_welsh(monkeypatch):
    from actions.conversation import ActionHandoff

    monkeypatch.setattr(councils.Council, "is_open", lambda self, now=None: True)
    texts, buttons, _ = run(ActionHandoff(), tracker("human_handoff", "cy"))
    assert texts[1] == (f"Rydyn ni ar agor nawr. Ffoniwch {PHONES['adult_social_care']}. Ein horiau yw "
                        "Dydd Llun - Dydd Iau, 08:30 tan 17:00; Dydd Gwener, 08:30 tan 16:30.")
    assert buttons == ["Gweld pob pwnc"]


def test_a_polish_referral_asks_in_polish_with_polish_choices():
    from actions.referral import ActionAsk_for_whom

    texts, buttons, customs = run(ActionAsk_for_whom(), tracker("request_referral", "pl"))
    assert texts[0].startswith("Pytanie 1 z ") and texts[0].endswith("Kto potrzebuje pomocy?")
    assert texts[1] == "Wpisz cancel, aby przerwać w dowolnym momencie."
    assert buttons == ["Ja", "Ktoś inny"]
    assert customs == [{"kind": "referral", "step": "for_whom"}]


def test_an_arabic_crisis_reply_is_in_arabic_with_every_number_exact_and_999_first():
    from actions.conversation import ActionCrisis

    texts, buttons, customs = run(ActionCrisis(), tracker("crisis", "ar", safety={"level": "crisis",
                                                                                   "category": "suicide"}))
    whole = "\n".join(texts)
    assert texts[0] == "يؤسفني أن هذا يحدث. يُرجى طلب المساعدة الآن."
    assert "Samaritans (السامريون)" in whole
    order = [whole.index(n) for n in ("999", "116 123", "111", PHONES["safeguarding"], PHONES["out_of_hours"])]
    assert order == sorted(order)
    assert buttons == ["التحدث مع شخص"]
    assert customs == [{"kind": "crisis", "locale": "ar", "category": "suicide"}]


@pytest.mark.parametrize("locale, words", [
    ("cy", "Mae'n ddrwg gen i, ni allaf ateb yn iawn ar hyn o bryd."),
    ("ar", "عذرًا، لا أستطيع الإجابة بشكل صحيح الآن."),
])
def test_the_safety_net_speaks_the_language_and_keeps_the_numbers(locale, words):
    from channels import safety_net  # the Rasa server's last resort, with the compiled catalogs

    text = safety_net.reply("someone", locale, crisis=True)[0]["text"]
    assert text.startswith(words)
    for number in ("999", "116 123", "111", PHONES["adult_social_care"], PHONES["out_of_hours"]):
        assert number in text


def test_text_messages_number_the_choices_in_the_persons_language():
    from channels import text_messaging

    messages = text_messaging.render(["Cześć."], [{"title": "Ja", "payload": "/a"}], "sms",
                                     text_messaging.translator("pl"))
    assert messages == ["Cześć.\n\nOdpowiedz, wpisując numer:\n1 Ja"]


# --- dates, times, numbers and money, the reader's way ----------------------------------------

def referral_turn(locale: str, urgency: str):
    from actions import turn as turns

    track = tracker("affirm", locale, slots={"urgency": urgency})
    return turns.read(track), track


@pytest.mark.parametrize("locale, words", [
    ("en", "will contact you within 2 working days, by Wednesday, 30 December 2026."),
    ("cy", "yn cysylltu â chi o fewn 2 ddiwrnod gwaith, erbyn Dydd Mercher, 30 Rhagfyr 2026."),
    ("ar", "خلال 2 يومَي عمل، في موعد أقصاه الأربعاء، 30 ديسمبر 2026."),
])
def test_the_referral_says_by_which_date_skipping_weekends_and_bank_holidays(locale, words):
    from actions.referral import what_happens_next

    # Christmas Eve 2026 is a Thursday; the 25th and 28th are bank holidays, then a weekend.
    turn, track = referral_turn(locale, "week")
    texts = what_happens_next(turn, track, "FD-TEST01", today=dt.date(2026, 12, 24))
    assert "FD-TEST01" in texts[0]
    assert words in texts[1]


def test_a_polish_referral_counts_its_days_in_the_right_plural():
    from actions.referral import what_happens_next

    turn, track = referral_turn("pl", "later")
    texts = what_happens_next(turn, track, "FD-TEST02", today=dt.date(2026, 11, 23))
    assert "w ciągu 5 dni roboczych, najpóźniej: poniedziałek, 30 listopada 2026." in texts[1]


@pytest.mark.parametrize("locale, expected", [
    ("en", "£86.45 a week"),
    ("cy", "£86.45 yr wythnos"),
    ("pl", "86,45\xa0£ tygodniowo"),
    ("es", "86,45\xa0£ a la semana"),
    ("ar", "\u200f86.45\xa0£ أسبوعيًا"),
])
def test_amounts_from_the_figures_are_written_the_readers_way(locale, expected):
    figure = render.FigureValue("carers_allowance_weekly", Decimal("86.45"), "money_week", "2026/27")
    assert render.format_figure(figure, locale) == expected


def test_thousands_are_grouped_the_readers_way():
    figure = render.FigureValue("capital_upper_limit", Decimal("23250"), "money", "2025/26")
    assert [render.format_figure(figure, locale) for locale in ("en", "pl", "pt")] == [
        "£23,250", "23\xa0250\xa0£", "£\xa023.250"]


def test_opening_hours_use_each_languages_days_times_and_punctuation():
    council = councils.current()
    assert render.opening_hours(council, "en") == "Monday to Thursday, 8:30am to 5pm; Friday, 8:30am to 4:30pm"
    assert render.opening_hours(council, "pl") == "poniedziałek–czwartek, 08:30–17:00; piątek, 08:30–16:30"
    arabic = render.opening_hours(council, "ar")
    assert arabic.startswith("من الاثنين إلى الخميس، من 8:30") and "؛ الجمعة، " in arabic


@pytest.mark.parametrize("locale, metres, expected", [
    ("en", 1931, "1.2 miles"),
    ("en", 1609, "1 mile"),
    ("pl", 1931, "1,2 mili"),
    ("pl", 50, "mniej niż 0,1 mili"),
    ("ar", 4023, "2.5 ميل"),
])
def test_distances_to_services_are_written_the_readers_way(locale, metres, expected):
    from actions import turn as turns
    from actions.signpost import distance

    assert distance(metres, turns.read(tracker("find_service", locale))) == expected


@pytest.mark.parametrize("locale, reviewed", [("cy", "20 Tachwedd 2026"), ("ar", "20 نوفمبر 2026")])
def test_an_answer_says_when_it_was_reviewed_in_the_readers_words(content_db, locale, reviewed):
    from actions.answers import ActionAnswerTopic

    texts, buttons, customs = run(ActionAnswerTopic(), tracker("equipment", locale))
    assert customs[0]["reviewed"] == "2026-11-20" and customs[0]["reviewed_text"] == reviewed
    assert buttons[-1] == {"cy": "Siarad â pherson", "ar": "التحدث مع شخص"}[locale]


def test_the_web_app_serves_the_widgets_words_for_any_site_to_read(content_db):
    from admin import create_app

    client = create_app({"TESTING": True}).test_client()
    welsh = client.get("/static/widget/i18n/cy.json")
    assert welsh.status_code == 200 and welsh.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in welsh.headers["Cache-Control"]
    words = welsh.get_json()
    assert words["dir"] == "ltr" and words["messages"]["Your question"] == "Eich cwestiwn"
    assert "Who needs help?" not in words["messages"]  # the widget's own words only: a small file
    assert client.get("/static/widget/i18n/ar.json").get_json()["dir"] == "rtl"
    again = client.get("/static/widget/i18n/cy.json", headers={"If-None-Match": welsh.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/static/widget/i18n/xx.json").status_code == 404
    assert client.get("/static/widget/frontdoor-chat.js").status_code == 200  # the widget itself is still static
