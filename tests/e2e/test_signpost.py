"""Finding local services through the conversation, end to end."""
from __future__ import annotations

import pytest

from .contract import kind_of, text_of

pytestmark = pytest.mark.e2e


def test_a_question_with_what_and_where_lists_the_nearest_services(chat):
    messages = chat.say("is there a dementia cafe in Wendford")
    first = kind_of(messages)
    assert first["kind"] == "signpost" and first["services"] and first["place"] == "Wendford"
    text = text_of(messages)
    assert "Memory Cafe" in text and "miles" in text and "When:" in text


def test_the_bot_asks_where_when_the_message_does_not_say(chat):
    messages = chat.say("are there any lunch clubs near me")
    first = kind_of(messages)
    assert (first["kind"], first["services"], first["step"]) == ("signpost", [], "location")
    messages = chat.say("QQ1 2AB")
    first = kind_of(messages)
    assert first["kind"] == "signpost" and first["services"] and first["category"] == "lunch-clubs"


def test_an_unknown_place_is_asked_again_kindly(chat):
    chat.say("is there a carers group near me")
    messages = chat.say("Narnia")
    assert kind_of(messages)["step"] == "location" and "do not know that place" in text_of(messages)
