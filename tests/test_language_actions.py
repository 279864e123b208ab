"""Choosing and keeping a language in the action server: which language a turn speaks, and the
replies that change it (actions/language.py, actions/turn.py, actions/replies.py)."""
from __future__ import annotations

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import turn as turns
from actions.answers import ActionAnswerTopic
from actions.conversation import ActionFallback
from actions.language import ENDONYMS, ActionChangeLanguage
from content.i18n import LOCALES, translations
from tests.test_actions import run


def tracker(intent, text="...", metadata=None, slots=None, entities=(), events_after=(), active_loop=None):
    latest = {"intent": {"name": intent, "confidence": 1.0}, "text": text, "metadata": metadata or {},
              "entities": list(entities)}
    events = [{"event": "user", "text": text, "parse_data": latest}] + list(events_after)
    return Tracker("test-user", slots or {}, latest, events, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def locale_entity(code):
    return {"entity": "locale", "value": code, "start": 0, "end": 9, "extractor": "LanguageGate"}


# --- which language the turn speaks -------------------------------------------------------------

POLISH = "Czy mogę dostać pomoc w domu dla mojej mamy?"


def test_a_message_written_in_another_language_switches_to_it():
    turn = turns.read(tracker("needs_assessment", POLISH, metadata={"locale": "en"}))
    assert (turn.locale, turn.detected) == ("pl", True)
    assert turn.events == [SlotSet("locale", "pl")]


def test_asking_in_words_beats_the_language_the_message_is_written_in():
    track = tracker("change_language", "in Welsh please", metadata={"locale": "pl"}, entities=[locale_entity("cy")])
    turn = turns.read(track)
    assert (turn.locale, turn.detected) == ("cy", False)
    assert turn.events == [SlotSet("locale", "cy")]


@pytest.mark.parametrize("text", ["tak", "ok", "CB1 2AB", "07700 900123", "/help", "Anna Kowalska"])
def test_what_says_too_little_keeps_the_conversations_language(text):
    turn = turns.read(tracker("affirm", text, metadata={"locale": "pl"}, slots={"locale": "pl"}))
    assert (turn.locale, turn.detected, turn.events) == ("pl", False, [])


def test_metadata_beats_the_slot_and_the_slot_beats_english():
    assert turns.read(tracker("greet", "hi", metadata={"locale": "cy"}, slots={"locale": "pl"})).locale == "cy"
    assert turns.read(tracker("greet", "hi", slots={"locale": "pl"})).locale == "pl"
    assert turns.read(tracker("greet", "hi")).locale == "en"


def test_english_in_a_polish_conversation_switches_back_to_english():
    turn = turns.read(tracker("equipment", "where can i get a perching stool and a raised toilet seat",
                              metadata={"locale": "pl"}, slots={"locale": "pl"}))
    assert (turn.locale, turn.detected) == ("en", True)


def test_a_name_typed_into_the_referral_form_never_switches():
    track = tracker("nlu_fallback", "Gwenllian ferch Gruffydd ap Cynan o Aberffraw", metadata={"locale": "en"},
                    slots={"requested_slot": "name"}, active_loop="referral_form")
    assert turns.read(track).locale == "en"


def test_a_later_action_of_the_same_turn_keeps_what_the_first_decided():
    first = turns.read(tracker("needs_assessment", POLISH, metadata={"locale": "en"}))
    later = turns.read(tracker("needs_assessment", POLISH, metadata={"locale": "en"},
                               events_after=[{"event": "slot", "name": "locale", "value": "pl"}]))
    assert (first.detected, later.detected, later.locale, later.events) == (True, False, "pl", [])


# --- the replies ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code", LOCALES)
def test_asking_for_a_language_answers_in_it_reports_it_and_offers_the_menu(content_db, code):
    texts, buttons, customs, events = run(ActionChangeLanguage(),
                                          tracker("change_language", ENDONYMS[code], entities=[locale_entity(code)]))
    assert customs == [{"kind": "language", "locale": code}]
    assert (SlotSet("locale", code) in events) == (code != "en")
    said = translations(code).gettext("I will write in {language} from now on.")
    assert texts[0].startswith(said.split("{language}")[0])  # in the new language's words
    payloads = [b["payload"] for b in buttons]
    assert "/needs_assessment" in payloads and payloads[-2:] == ["/human_handoff", "/change_language"]


def test_a_language_with_untranslated_answers_says_they_come_in_english(content_db):
    texts, *_ = run(ActionChangeLanguage(), tracker("change_language", "po polsku", entities=[locale_entity("pl")]))
    assert any("not translated into polski yet" in t or t == translations("pl").gettext(
        "Some answers are not translated into {language} yet. I will give those in English and say so."
    ).format(language="polski") for t in texts)


def test_during_a_form_the_change_is_confirmed_and_the_form_asks_again(content_db):
    texts, buttons, customs, _ = run(ActionChangeLanguage(), tracker(
        "change_language", "Cymraeg", entities=[locale_entity("cy")], active_loop="referral_form"))
    assert customs == [{"kind": "language", "locale": "cy"}] and buttons == []


def test_change_language_lists_every_language_by_its_own_name(content_db):
    texts, buttons, customs, events = run(ActionChangeLanguage(), tracker("change_language", "change language"))
    assert customs == [{"kind": "smalltalk"}] and events == []
    assert [b["title"] for b in buttons] == [ENDONYMS[code] for code in LOCALES]
    for button, code in zip(buttons, LOCALES):
        assert button["payload"].startswith("/change_language{")
        assert json.loads(button["payload"][len("/change_language"):]) == {"locale": code}


def test_a_detected_change_keeps_the_answers_kind_first_and_adds_the_language(content_db):
    texts, _, customs, events = run(ActionAnswerTopic(), tracker("needs_assessment", POLISH,
                                                                 metadata={"locale": "en"}))
    assert customs[0]["kind"] == "advice" and customs[0]["locale"] in ("pl", "en")
    assert customs[1:] == [{"kind": "language", "locale": "pl"}]
    assert SlotSet("locale", "pl") in events
    if customs[0]["locale"] == "en":  # no reviewed Polish yet: said so, in Polish
        note = translations("pl").gettext("This answer is not available in {language} yet. Here it is in English.")
        assert texts[0] == note.format(language="polski")


def test_no_language_message_when_nothing_changed(content_db):
    _, _, customs, _ = run(ActionFallback(), tracker("nlu_fallback", POLISH, metadata={"locale": "pl"}))
    assert customs == [{"kind": "fallback"}]
