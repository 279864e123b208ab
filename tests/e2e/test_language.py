"""Choosing and keeping a language, end to end: real Rasa server, real action server, REST channel.

The catalogs may not have every sentence translated yet, so a reply "in the new language" is
checked against what that language's catalog says (content.i18n.translations), and by the
language's own name in it ("Cymraeg", "polski").
"""
from __future__ import annotations

import pytest

from actions.answers import language_name
from content.i18n import LOCALES, translations

from .conftest import Chat
from .contract import kind_of, text_of

pytestmark = pytest.mark.e2e

ASKING = [
    ("Cymraeg", "cy"), ("yn Gymraeg os gwelwch yn dda", "cy"), ("po polsku", "pl"), ("in Polish please", "pl"),
    ("can I have this in Urdu", "ur"), ("اردو میں", "ur"), ("بالعربية", "ar"), ("ਪੰਜਾਬੀ", "pa"),
    ("বাংলায়", "bn"), ("ગુજરાતીમાં", "gu"), ("em português", "pt"), ("en español", "es"), ("în română", "ro"),
]


def customs(messages: list[dict]) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("kind")]


def says_in(locale: str, message: str) -> str:
    return translations(locale).gettext(message).format(language=language_name(locale, locale))


@pytest.mark.parametrize("text, locale", ASKING)
def test_asking_in_words_switches_says_so_in_the_new_language_and_offers_the_menu(chat, text, locale):
    messages = chat.say(text)
    assert kind_of(messages) == {"kind": "language", "locale": locale}
    assert says_in(locale, "I will write in {language} from now on.") in text_of(messages)
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert "/needs_assessment" in payloads and "/change_language" in payloads


def test_the_conversation_keeps_the_language_it_was_asked_for(chat):
    chat.say("po polsku")
    messages = chat.say("/carers_assessment")  # a button: no words to detect, no metadata
    first = kind_of(messages)
    assert first["kind"] == "advice" and first["locale"] in ("pl", "en")
    if first["locale"] == "en":  # not reviewed in Polish yet: English, and said so in Polish
        assert says_in("pl", "This answer is not available in {language} yet. Here it is in English.") in text_of(messages)
    assert [c for c in customs(messages) if c["kind"] == "language"] == []  # nothing changed this turn
    assert kind_of(chat.say("English please")) == {"kind": "language", "locale": "en"}
    first = kind_of(chat.say("/carers_assessment"))
    assert (first["kind"], first["locale"]) == ("advice", "en")


@pytest.mark.parametrize("text", [
    "is there a Polish carers group",
    "can I get a Welsh speaking carer for my mum",
    "my dad only speaks Punjabi, can he get help at home",
])
def test_a_question_that_mentions_a_language_is_answered_not_switched(chat, text):
    messages = chat.say(text)
    assert kind_of(messages)["kind"] != "language"
    assert all(c.get("locale") in (None, "en") for c in customs(messages))


def test_change_language_from_the_menu_lists_every_language_and_a_button_switches(chat):
    menu = chat.say("/help")
    assert "/change_language" in [b["payload"] for m in menu for b in m.get("buttons") or []]
    listed = chat.say("/change_language")
    buttons = [b for m in listed for b in m.get("buttons") or []]
    assert kind_of(listed)["kind"] == "smalltalk" and len(buttons) == len(LOCALES)
    welsh = next(b for b in buttons if b["title"] == "Cymraeg")
    assert kind_of(chat.say(welsh["payload"])) == {"kind": "language", "locale": "cy"}


def test_a_question_written_in_polish_is_answered_in_polish_and_reports_it(stack):
    chat = Chat(f"http://localhost:{stack.ports.rasa}", locale="en")  # the widget's picker says English
    messages = chat.say("Opiekuję się mężem, jak mogę dostać ocenę dla opiekuna?")
    first = kind_of(messages)
    assert first["kind"] == "advice" and first["topic"] == "carers-assessment"
    if first["locale"] == "en":  # no reviewed Polish answer yet: English, and said so in Polish
        assert says_in("pl", "This answer is not available in {language} yet. Here it is in English.") in text_of(messages)
    else:
        assert first["locale"] == "pl"
    assert customs(messages)[1:] == [{"kind": "language", "locale": "pl"}]  # so the picker follows


def test_a_short_reply_does_not_change_the_language(chat):
    chat.say("po polsku")
    messages = chat.say("ok")
    assert all(c.get("locale") in (None, "pl") for c in customs(messages))
    assert "language" not in [c["kind"] for c in customs(messages)]


def test_asking_for_a_language_during_a_referral_goes_on_with_the_referral_in_it(chat):
    assert kind_of(chat.say("/request_referral"))["kind"] == "referral"
    messages = chat.say("yn Gymraeg os gwelwch yn dda")
    kinds = customs(messages)
    assert kinds[0] == {"kind": "language", "locale": "cy"}
    assert any(c["kind"] == "referral" and c.get("step") == "for_whom" for c in kinds[1:])
