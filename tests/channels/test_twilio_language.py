"""SMS and WhatsApp keep the language a person chose, across conversations, against the keyed hash
of their number: real Rasa server, requests signed as Twilio signs them."""
from __future__ import annotations

import sqlite3
import time

import pytest

from actions.answers import language_name
from channels.twilio_store import ChannelStore
from content import conversations
from content.i18n import translations
from tests.channels.test_twilio import Phone

pytestmark = pytest.mark.e2e
QUESTION = "how do i get a carers assessment"


def says_in(locale: str, message: str) -> str:
    return translations(locale).gettext(message).format(language=language_name(locale, locale))


def remembered(stack, phone: Phone) -> str | None:
    return ChannelStore(stack.env["FRONTDOOR_CHANNEL_DB"]).locale(phone.conversation_id)


def end_the_conversation(stack, phone: Phone) -> None:
    """The conversation itself is gone from the conversation store, as when it is deleted after
    its retention; what the channel remembers about the number is all that is left."""
    with sqlite3.connect(stack.env["RASA_TRACKER_DB"]) as tracker:
        tracker.execute("DELETE FROM events WHERE sender_id = ?", (phone.conversation_id,))


MENU = "I can help with these topics. Choose one, or ask me in your own words."
NOT_TRANSLATED = "This answer is not available in {language} yet. Here it is in English."


def answered_in(locale: str, messages: list[str]) -> bool:
    """The menu, in that language's words (a short message: nothing to detect a language from)."""
    return says_in(locale, MENU) in "\n".join(messages)


@pytest.fixture
def phone(stack):
    return Phone(stack)


def test_choosing_welsh_by_text_keeps_welsh_in_a_later_conversation(stack, phone):
    confirmed = "\n".join(phone.text("Cymraeg"))
    assert says_in("cy", "I will write in {language} from now on.") in confirmed
    assert remembered(stack, phone) == "cy"

    end_the_conversation(stack, phone)
    assert answered_in("cy", phone.text("menu"))  # a new conversation, from the same number: Welsh
    chosen = "\n".join(phone.text("1"))  # the first topic of the menu, by number
    assert says_in("cy", NOT_TRANSLATED) in chosen or "asesiad" in chosen.lower()

    assert "English" in "\n".join(phone.text("English please"))  # and they can change it again
    assert remembered(stack, phone) == "en"
    end_the_conversation(stack, phone)
    assert answered_in("en", phone.text("menu"))


def test_writing_in_english_after_choosing_welsh_answers_in_english_and_is_remembered(stack, phone):
    phone.text("yn Gymraeg os gwelwch yn dda")
    assert remembered(stack, phone) == "cy"
    assert says_in("cy", NOT_TRANSLATED) not in "\n".join(phone.text(QUESTION))
    assert remembered(stack, phone) == "en"


def test_a_language_chosen_from_the_numbered_list_is_kept(stack, phone):
    listed = "\n".join(phone.text("change language"))
    lines = [line for line in listed.splitlines() if line[:2].strip().isdigit()]
    number = next(line.split(" ", 1)[0] for line in lines if line.endswith(" Polski"))
    confirmed = "\n".join(phone.text(number))
    assert says_in("pl", "I will write in {language} from now on.") in confirmed
    assert remembered(stack, phone) == "pl"
    end_the_conversation(stack, phone)
    assert answered_in("pl", phone.text("menu"))


def test_writing_in_another_language_on_whatsapp_is_remembered_too(stack):
    whatsapp = Phone(stack, whatsapp=True)
    whatsapp.text("Dzień dobry, opiekuję się mężem i potrzebuję pomocy w domu")
    assert remembered(stack, whatsapp) == "pl"
    whatsapp.text("ok")  # too short to say which language: the choice stands
    assert remembered(stack, whatsapp) == "pl"


def test_no_phone_number_is_kept_with_the_language(stack, phone):
    phone.text("po polsku")
    with open(stack.env["FRONTDOOR_CHANNEL_DB"], "rb") as channel_db:
        raw = channel_db.read()
    assert phone.number.encode() not in raw and phone.number[1:].encode() not in raw


def test_a_quiet_numbers_language_is_forgotten_after_the_retention_but_a_stop_is_kept(tmp_path):
    days = conversations.retention_days()
    store = ChannelStore(tmp_path / "channels.db", sender_retention_days=days)
    store.save_locale("sms-quiet", "cy")
    store.save_choices("sms-quiet", [{"title": "Cymraeg", "payload": "/help"}])
    store.save_locale("sms-stopped", "pl")
    store.set_opted_out("sms-stopped", True)
    store.save_locale("sms-recent", "ur")

    assert store.forget_quiet_senders(time.time() + (days - 1) * 86400) == 0
    assert store.locale("sms-quiet") == "cy"
    later = time.time() + (days + 1) * 86400
    with sqlite3.connect(tmp_path / "channels.db") as db:  # sms-recent wrote again just now, "later"
        db.execute("UPDATE twilio_senders SET updated = ? WHERE sender = 'sms-recent'", (later,))
    assert store.forget_quiet_senders(later) == 2
    assert (store.locale("sms-quiet"), store.choices("sms-quiet")) == (None, [])
    assert store.locale("sms-stopped") is None and store.opted_out("sms-stopped")
    assert store.locale("sms-recent") == "ur"
