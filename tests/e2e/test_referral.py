"""Asking for help through the conversation: the referral form end to end, through the real
Rasa server and action server, into the referral store."""
from __future__ import annotations

import re

import pytest

from content import council, db

from .contract import kind_of, text_of

pytestmark = pytest.mark.e2e
PHONES = council.current().phones


def choose(value: str) -> str:
    return '/choose{"choice": "%s"}' % value


def step(messages) -> str:
    first = kind_of(messages)
    assert first["kind"] == "referral", first
    return first["step"]


def postcode_in_area() -> str:
    districts = council.current().postcode_districts
    return f"{districts[0]} 2AB" if districts else "AB1 2CD"


def answer_everything_for_mum(chat):
    """Walks the happy path for someone else, up to the summary."""
    assert step(chat.say("please can you arrange an assessment for my mum")) == "consent"
    assert step(chat.say(choose("agreed"))) == "name"
    assert step(chat.say("Margaret Jones")) == "date_of_birth"
    assert step(chat.say("12/03/1941")) == "phone_or_email"
    assert step(chat.say("07911 123456")) == "postcode"
    assert step(chat.say(postcode_in_area())) == "needs"
    assert step(chat.say("She can't get up the stairs and is struggling to wash")) == "urgency"
    assert step(chat.say(choose("week"))) == "risks"
    messages = chat.say("she lives alone and fell last week")
    assert step(messages) == "confirm"
    return messages


def test_a_referral_is_made_and_stored_with_a_reference(stack, chat):
    summary = text_of(answer_everything_for_mum(chat))
    for shown in ("Margaret Jones", "12 March 1941", "07911 123456", postcode_in_area(), "lives alone",
                  "has fallen recently"):
        assert shown in summary
    assert step(chat.say(choose("yes"))) == "share_consent"
    messages = chat.say(choose("yes"))
    first = kind_of(messages)
    assert first["step"] == "submitted" and re.fullmatch(r"FD-[A-Z0-9]{6}", first["reference"])
    assert first["reference"] in text_of(messages) and "within 2 working days" in text_of(messages)

    from content import referrals
    with db.session_scope(db.engine_for(stack.database_url)) as session:
        stored = referrals.get_by_reference(session, first["reference"])
    assert stored["name"] == "Margaret Jones" and stored["contact"] == "+447911123456"
    assert stored["urgency"] == "week" and set(stored["risks"]) == {"lives_alone", "falls"}
    assert stored["consent"] == "agreed" and stored["for_whom"] == "other"

    # The conversation store holds the same answers, encrypted: none is readable on disk.
    raw = open(stack.env["RASA_TRACKER_DB"], "rb").read()
    assert b"action_submit_referral" in raw  # Rasa really stored this conversation here
    for secret in (b"Margaret", b"7911123456", b"07911 123456", b"struggling to wash"):
        assert secret not in raw


def test_any_answer_can_be_corrected_from_the_summary(chat):
    answer_everything_for_mum(chat)
    messages = chat.say(choose("change"))
    assert step(messages) == "confirm" and "/choose" in str(messages)
    assert step(chat.say(choose("change:postcode"))) == "postcode"
    summary = chat.say(postcode_in_area().replace("2AB", "9ZZ"))
    assert step(summary) == "confirm"
    assert postcode_in_area().replace("2AB", "9ZZ") in text_of(summary)


def test_cancel_works_at_any_step_and_nothing_is_kept(chat):
    assert step(chat.say("I want to refer myself")) == "name"
    assert step(chat.say("Sam Taylor")) == "date_of_birth"
    messages = chat.say("cancel")
    assert step(messages) == "cancelled" and "Nothing has been sent" in text_of(messages)
    # Starting again asks from the beginning: the name was forgotten.
    assert step(chat.say("/request_referral")) == "for_whom"


def test_invalid_phone_and_postcode_are_asked_again_kindly(chat):
    assert step(chat.say("refer me please")) == "name"
    chat.say("Sam Taylor")
    chat.say(choose("skip"))
    messages = chat.say("0123")
    assert step(messages) == "phone_or_email" and "does not look like a UK phone number" in text_of(messages)
    chat.say("sam@example.org")
    messages = chat.say("not a postcode 123")
    assert step(messages) == "postcode" and "does not look like a UK postcode" in text_of(messages)


def test_a_postcode_outside_the_area_is_explained(chat):
    if not council.current().postcode_districts:
        pytest.fail("the demo council must list its postcode districts in council.yml")
    chat.say("refer me please")
    chat.say("Sam Taylor")
    chat.say(choose("skip"))
    chat.say("sam@example.org")
    messages = chat.say("SW1A 1AA")
    assert step(messages) == "postcode"
    assert "does not cover SW1A 1AA" in text_of(messages) and "gov.uk/find-local-council" in text_of(messages)


def test_a_crisis_in_the_middle_of_a_referral_is_answered_first(chat):
    chat.say("I want to refer my dad")
    messages = chat.say("he's collapsed and isn't breathing")
    assert kind_of(messages)["kind"] == "crisis"
    assert "999" in text_of(messages)
    # The referral waits; asking again carries on where it stopped.
    assert step(chat.say("/request_referral")) == "consent"


def test_a_question_in_the_middle_is_answered_and_the_referral_goes_on(chat):
    chat.say("I want to refer my dad")
    messages = chat.say("how much does a care home cost?")
    kinds = [m["custom"]["kind"] for m in messages if m.get("custom")]
    assert kinds == ["advice", "referral"]
    assert [m["custom"].get("step") for m in messages if m.get("custom")][-1] == "consent"


def test_someone_else_who_has_not_agreed_gets_the_reason_and_a_safeguarding_route(stack, chat):
    chat.say("I want to refer my neighbour")
    messages = chat.say(choose("not_agreed"))
    assert step(messages) == "consent" and "their agreement" in text_of(messages)
    assert step(chat.say(choose("safeguarding"))) == "name"
