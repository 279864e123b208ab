"""The custom actions, called as the action server calls them, on a real content store."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerTopic
from actions.conversation import ActionCrisis, ActionFallback, ActionHandoff, ActionOutOfScope, ActionSmalltalk
from content import council, db, store
from content.models import TOPIC_SLUGS

PHONES = council.current().phones


def user_event(intent, text="..."):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def tracker(intent, text="...", metadata=None, safety=None, slots=None, history=()):
    latest = {"intent": {"name": intent, "confidence": 0.9}, "text": text, "metadata": metadata or {}}
    if safety:
        latest["safety"] = safety
    events = [user_event(i) for i in history] + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker("test-user", slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, track):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, {}))
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    buttons = [b for m in dispatcher.messages for b in m.get("buttons") or []]
    customs = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    return texts, buttons, customs, events


@pytest.mark.parametrize("topic", TOPIC_SLUGS)
def test_each_topic_is_answered_from_the_store_with_next_steps_and_the_contract(content_db, topic):
    texts, buttons, customs, events = run(ActionAnswerTopic(), tracker(topic.replace("-", "_")))
    with db.session_scope() as session:
        expected = store.answer(session, topic, "en", council.current())
    assert texts == [expected.body]
    payloads = [b["payload"] for b in buttons]
    assert payloads[-3:] == ["/find_service", "/request_referral", "/human_handoff"]
    assert [p for p in payloads[:-3]] == ["/" + slug.replace("-", "_") for slug, _ in expected.related]
    assert customs[0] == {"kind": "advice", "topic": topic, "locale": "en", "reviewed": "2026-11-20",
                          "reviewed_text": "20 November 2026",
                          "title": expected.title, "version": 1, "sources": expected.sources,
                          "url": expected.sources[0]["url"]}
    assert SlotSet("topic", topic) in events


def test_an_edit_in_the_store_is_what_the_next_turn_says(content_db):
    with db.session_scope() as session:
        store.published(session, "respite", "en").body = "Edited: call {{phone.adult_social_care}}."
    texts, *_ = run(ActionAnswerTopic(), tracker("respite"))
    assert texts == [f"Edited: call {PHONES['adult_social_care']}."]


def test_text_messages_get_the_short_sms_version(content_db):
    texts, _, customs, _ = run(ActionAnswerTopic(), tracker("direct_payments", metadata={"channel": "sms"}))
    with db.session_scope() as session:
        assert texts == [store.answer(session, "direct-payments", "en", council.current()).sms_body]


def test_a_language_without_a_translation_gets_english_and_is_told_so(content_db):
    texts, _, customs, events = run(ActionAnswerTopic(), tracker("equipment", metadata={"locale": "pl"}))
    assert texts[0] == "Ta odpowiedź nie jest jeszcze dostępna w języku: polski. Oto ona po angielsku."
    assert customs[0]["locale"] == "en"
    assert SlotSet("locale", "pl") in events


def test_a_possible_crisis_gets_the_numbers_before_the_answer(content_db):
    texts, _, customs, _ = run(ActionAnswerTopic(), tracker("carers_support", safety={"level": "concern"}))
    assert "999" in texts[0] and "116 123" in texts[0]
    assert customs[0]["kind"] == "advice" and customs[0]["safety"] == "concern"


@pytest.mark.parametrize("category, line", [
    ("suicide", "Samaritans will listen"),
    ("medical", "not breathing"),
    ("abuse", "go somewhere safe"),
])
def test_a_crisis_gives_999_first_then_every_number(content_db, category, line):
    texts, _, customs, _ = run(ActionCrisis(), tracker("crisis", safety={"level": "crisis", "category": category}))
    whole = "\n".join(texts)
    assert line in whole
    order = [whole.index(n) for n in ("999", "116 123", "111", PHONES["safeguarding"], PHONES["out_of_hours"])]
    assert order == sorted(order)
    assert customs[0] == {"kind": "crisis", "locale": "en", "category": category}
    assert len(whole.split()) < 100, "a crisis message must be short"


@pytest.mark.parametrize("is_open, expected", [(True, "We are open now"), (False, "We are closed now")])
def test_asking_for_a_person_gives_numbers_and_whether_the_team_is_open(content_db, monkeypatch, is_open, expected):
    monkeypatch.setattr(council.Council, "is_open", lambda self, now=None: is_open)
    texts, _, customs, _ = run(ActionHandoff(), tracker("human_handoff"))
    whole = "\n".join(texts)
    assert expected in whole and "Monday to Thursday, 8:30am to 5pm" in whole
    assert (f"Call {PHONES['adult_social_care']}" in whole) is is_open
    assert (PHONES["out_of_hours"] in whole) is not is_open
    assert customs[0] == {"kind": "handoff", "open_now": is_open}


def test_out_of_scope_points_to_the_general_contact(content_db):
    texts, buttons, customs, _ = run(ActionOutOfScope(), tracker("out_of_scope", "when are my bins collected"))
    assert PHONES["general"] in texts[1] and council.current().links["contact"] in texts[1]
    assert customs == [{"kind": "out_of_scope"}] and buttons[0]["payload"] == "/help"


def test_not_understood_offers_the_menu_then_a_person_the_second_time(content_db):
    texts, buttons, customs, _ = run(ActionFallback(), tracker("nlu_fallback", history=["greet"]))
    assert "didn't understand" in texts[0] and buttons[0]["payload"] == "/help"
    texts, buttons, customs, _ = run(ActionFallback(), tracker("nlu_fallback", history=["nlu_fallback"]))
    assert "A person can help you" in texts[0] and buttons[0]["payload"] == "/human_handoff"
    assert customs == [{"kind": "fallback"}]


def test_the_greeting_says_it_is_a_computer_and_offers_topics(content_db):
    texts, buttons, customs, _ = run(ActionSmalltalk(), tracker("greet", "hi"))
    assert "I am a computer, not a person" in texts[1]
    assert "/needs_assessment" in [b["payload"] for b in buttons] and customs == [{"kind": "smalltalk"}]


def test_the_menu_lists_every_topic_a_person_and_the_languages(content_db):
    _, buttons, customs, _ = run(ActionSmalltalk(), tracker("help", "menu"))
    assert [b["payload"] for b in buttons] == (["/" + s.replace("-", "_") for s in TOPIC_SLUGS]
                                               + ["/human_handoff", "/change_language"])
