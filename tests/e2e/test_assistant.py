"""The assistant end to end: real Rasa server, real action server, over the REST channel."""
from __future__ import annotations

import pytest
import requests

from content import council, db, store
from content.i18n import translations
from content.models import TOPIC_SLUGS

from .conftest import Chat
from .contract import kind_of, text_of

pytestmark = pytest.mark.e2e
PHONES = council.current().phones

# A resident's question for each topic, written for this test and not in the training data.
QUESTIONS = {
    "needs-assessment": "my mum is struggling to wash and dress herself, can the council help her at home?",
    "carers-assessment": "i look after my husband full time, can i get an assessment for myself as his carer",
    "carers-support": "how much is carers allowance and can I still work part time",
    "financial-assessment": "do i have to pay for my care if i have savings of 30 thousand",
    "direct-payments": "can I get the money instead and hire my own personal assistant",
    "equipment": "where can i get a perching stool and a raised toilet seat",
    "home-adaptations": "we need a ramp at the front door and a wet room, is there a grant",
    "telecare": "does the council do those alarm pendants you wear round your neck",
    "reablement": "dad needs a few weeks of help to get his confidence back after his op",
    "hospital-discharge": "nan is coming out of hospital on friday, what support is there when she gets home",
    "respite": "i need a break from caring for a week, who can look after my wife",
    "care-homes": "how do we go about finding a nursing home for grandad",
    "safeguarding": "i think my neighbour's carer is taking money from her purse",
    "contact-us": "what is the phone number for adult social care",
}


def test_the_servers_report_healthy(stack):
    status = requests.get(f"http://localhost:{stack.ports.rasa}/status", timeout=5)
    assert status.status_code == 200 and status.json()["model_file"].endswith("frontdoor.tar.gz")
    assert requests.get(f"http://localhost:{stack.ports.actions}/health", timeout=5).json()["status"] == "ok"


@pytest.mark.parametrize("topic", TOPIC_SLUGS)
def test_every_topic_is_answered_from_the_database(stack, chat, topic):
    messages = chat.say(QUESTIONS[topic])
    first = kind_of(messages)
    assert (first["kind"], first["topic"], first["locale"]) == ("advice", topic, "en")
    with db.session_scope(db.engine_for(stack.database_url)) as session:
        answer = store.answer(session, topic, "en", council.current())
    assert answer.body in text_of(messages)
    assert first["reviewed"] == answer.reviewed.isoformat()
    assert any(b["payload"] == "/request_referral" for m in messages for b in m.get("buttons") or [])


def test_a_published_edit_is_live_on_the_next_turn_without_retraining(stack, chat):
    with db.session_scope(db.engine_for(stack.database_url)) as session:
        version = store.published(session, "respite", "en")
        original = version.body
        version.body = "Short breaks give you time to rest. Call {{phone.adult_social_care}}."
    try:
        messages = chat.say("can i get respite care for my dad")
        assert f"Short breaks give you time to rest. Call {PHONES['adult_social_care']}." in text_of(messages)
    finally:
        with db.session_scope(db.engine_for(stack.database_url)) as session:
            store.published(session, "respite", "en").body = original


@pytest.mark.parametrize("text, kind", [
    ("hello", "smalltalk"),
    ("thanks very much", "smalltalk"),
    ("bye for now", "smalltalk"),
    ("what can you help me with", "smalltalk"),
    ("am i talking to a robot", "smalltalk"),
    ("can i speak to an actual person please", "handoff"),
    ("when do the bins get collected on my road", "out_of_scope"),
    ("how do i pay a parking fine", "out_of_scope"),
    ("zxqv plmokn wuuuut", "fallback"),
    # One typing slip from a known word is still understood; gibberish is not.
    ("thanx", "smalltalk"),
    ("hii", "smalltalk"),
    ("blorp fnargle", "fallback"),
    ("I want to kill myself", "crisis"),
    ("my dad has collapsed and he isnt breathing", "crisis"),
])
def test_every_kind_of_turn_keeps_the_contract(chat, text, kind):
    first = kind_of(chat.say(text))
    assert first["kind"] == kind


def test_a_crisis_reply_gives_999_first_and_every_number(chat):
    messages = chat.say("i cant go on anymore, ive got the tablets ready")
    first = kind_of(messages)
    assert first == {"kind": "crisis", "locale": "en", "category": "suicide"}
    text = text_of(messages)
    positions = [text.index(n) for n in ("999", "116 123", "111", PHONES["safeguarding"], PHONES["out_of_hours"])]
    assert positions == sorted(positions)


def test_a_second_misunderstanding_in_a_row_offers_a_person(chat):
    assert kind_of(chat.say("blorp fnargle")) == {"kind": "fallback"}
    messages = chat.say("wibble snorf")
    assert kind_of(messages) == {"kind": "fallback"}
    assert "A person can help you" in text_of(messages)


def test_asking_for_a_person_gives_the_numbers_and_hours(chat):
    messages = chat.say("i want to talk to someone")
    first = kind_of(messages)
    assert first["kind"] == "handoff" and isinstance(first["open_now"], bool)
    assert "Monday to Thursday, 8:30am to 5pm" in text_of(messages)


def test_buttons_work_as_messages(chat):
    first = kind_of(chat.say("/telecare"))
    assert (first["kind"], first["topic"]) == ("advice", "telecare")


def test_a_language_with_no_translation_yet_is_served_in_english_and_says_so(chat):
    # A button: a question typed in English would be answered in English (it is written in it).
    messages = chat.say("/carers_assessment", locale="pl")
    first = kind_of(messages)
    assert (first["kind"], first["locale"]) == ("advice", "en")
    note = translations("pl").gettext("This answer is not available in {language} yet. Here it is in English.")
    assert note.format(language="polski") in text_of(messages)


@pytest.mark.parametrize("body", [
    b"not json at all",
    b"[]",
    b'{"sender": "u1"}',
    b'{"sender": "u1", "message": 42}',
    b'{"sender": "u1", "message": "   "}',
    b'{"message": "hello"}',
    b'{"sender": "../../etc", "message": "hello"}',
    b'{"sender": "u1", "message": "hello", "metadata": "cy"}',
    b'{"sender": "u1", "message": "' + b"a" * 5000 + b'"}',
])
def test_a_malformed_request_is_a_clear_400(stack, body):
    reply = requests.post(f"http://localhost:{stack.ports.rasa}/webhooks/rest/webhook", data=body,
                          headers={"Content-Type": "application/json"}, timeout=10)
    assert reply.status_code == 400
    assert reply.json()["error"]
