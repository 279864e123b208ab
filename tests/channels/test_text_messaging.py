"""SMS and WhatsApp rendering without a server: Markdown flattened, buttons as numbered choices,
segment-aware splitting, the standard keywords, and what the channel remembers."""
from __future__ import annotations

import re
import sqlite3

import pytest

from channels import text_messaging as texts
from channels.twilio_store import ChannelStore, sender_id
from content import sms

_ = texts.translator("en")
# Welsh with ŵ: the whole text goes as UCS-2, 67 units a segment. About 250 units: one message
# in GSM-7 (up to 459 characters), but more than the 201 units of three UCS-2 segments.
WELSH = ("Gall gofalwyr gael asesiad am ddim gan y cyngor. Rydym yn siarad â chi am eich bywyd a'ch "
         "gwaith. Mae'r gwasanaeth yn rhad ac am ddim i bawb sy'n byw yma. Ffoniwch ni ar ddydd Llun "
         "neu ar ddydd Mawrth. Mae'r tŵr ar gau heddiw, ond mae'r dŵr yn lân.")


def test_sms_has_no_markdown_and_prints_links_in_full():
    text = "It is **free**. See [Living Made Easy](https://livingmadeeasy.org.uk) or https://www.gov.uk."
    flat = texts.flatten_markdown(text, texts.SMS)
    assert flat == "It is free. See Living Made Easy (https://livingmadeeasy.org.uk) or https://www.gov.uk."
    assert "**" not in flat and "](" not in flat


def test_whatsapp_shows_bold_its_own_way():
    assert texts.flatten_markdown("It is **free**.", texts.WHATSAPP) == "It is *free*."
    assert texts.flatten_markdown("[https://a.example](https://a.example)", texts.WHATSAPP) == "https://a.example"


def test_buttons_become_numbered_choices_and_a_number_or_the_words_pick_one():
    buttons = [{"title": "Equipment to help you at home", "payload": "/equipment"},
               {"title": "Talk to a person", "payload": "/human_handoff"}]
    assert texts.numbered_choices(buttons, _) == (
        "Reply with a number:\n1 Equipment to help you at home\n2 Talk to a person")
    assert texts.chosen_payload("2", buttons) == "/human_handoff"
    assert texts.chosen_payload(" 1. ", buttons) == "/equipment"
    assert texts.chosen_payload("talk to a PERSON!", buttons) == "/human_handoff"
    assert texts.chosen_payload("3", buttons) is None
    assert texts.chosen_payload("I need a person", buttons) is None


def test_welsh_is_split_into_ucs2_messages_of_at_most_three_67_unit_segments():
    assert sms.count(WELSH).encoding == "UCS-2" and sms.count(WELSH).units > 3 * 67
    assert sms.count(WELSH.replace("ŵ", "w").replace("â", "a")).segments <= texts.SMS_MAX_SEGMENTS  # GSM-7 fits

    messages = texts.split_message(WELSH, texts.sms_fits)

    assert len(messages) == 2
    assert sms.count(messages[0]).segments == 3  # packed as full as three segments allow
    for message in messages:
        counted = sms.count(message)
        assert counted.encoding == "UCS-2" and counted.units <= texts.SMS_MAX_SEGMENTS * 67
        assert counted.segments == 1 or counted.per_segment == 67
        assert message.endswith(".")  # split between sentences
    assert " ".join(messages) == WELSH


def test_a_split_never_breaks_a_word():
    text = " ".join(f"word{n}ŵ" for n in range(200))
    messages = texts.split_message(text, texts.sms_fits)
    assert len(messages) > 1 and all(texts.sms_fits(m) for m in messages)
    assert " ".join(messages).split(" ") == text.split(" ")


def test_paragraphs_are_kept_together_when_they_fit():
    paragraphs = ["First paragraph. " * 20, "Second paragraph. " * 20, "Third. " * 10]
    messages = texts.split_message("\n\n".join(p.strip() for p in paragraphs), texts.whatsapp_fits)
    assert all(len(m) <= texts.WHATSAPP_MAX_CHARS for m in messages)
    assert len(messages) == 1
    long = "\n\n".join(["A sentence that goes on a little. " * 20] * 6)
    messages = texts.split_message(long, texts.whatsapp_fits)
    assert len(messages) == 3 and all(len(m) <= 1600 for m in messages)
    assert all(m.endswith(".") for m in messages)


def test_render_puts_the_choices_after_the_text():
    messages = texts.render(["Hello **you**."], [{"title": "See all topics", "payload": "/help"}], texts.SMS, _)
    assert messages == ["Hello you.\n\nReply with a number:\n1 See all topics"]


@pytest.mark.parametrize("body, expected", [
    ("STOP", "opt_out"), ("stop", "opt_out"), ("Stop.", "opt_out"), ("UNSUBSCRIBE", "opt_out"),
    ("stopall", "opt_out"), ("cancel", "opt_out"), ("end", "opt_out"), ("quit", "opt_out"),
    ("START", "opt_in"), ("yes", "opt_in"), ("unstop", "opt_in"),
    ("HELP", "help"), ("info", "help"),
    ("stop the referral", None), ("help me find a care home", None), ("hello", None),
])
def test_the_standard_keywords_are_whole_messages(body, expected):
    assert texts.keyword(body) == expected


def test_a_phone_number_becomes_a_keyed_hash():
    key = b"test-key"
    sms_id, wa_id = sender_id("+447700900123", key), sender_id("whatsapp:+447700900123", key)
    assert re.fullmatch(r"sms-[0-9a-f]{32}", sms_id) and re.fullmatch(r"wa-[0-9a-f]{32}", wa_id)
    assert sms_id[4:] == wa_id[3:] and "7700900123" not in sms_id
    assert sender_id("+447700900123", key) == sms_id
    assert sender_id("+447700900123", b"another key") != sms_id


def test_the_store_answers_a_retry_once_even_after_a_restart(tmp_path):
    path = tmp_path / "channels.db"
    store = ChannelStore(path)
    assert store.claim("SM1") is True
    assert store.reply_to("SM1") is None  # still being answered
    store.save_reply("SM1", "<Response><Message>Mae'r dŵr yn lân</Message></Response>")

    restarted = ChannelStore(path)
    assert restarted.claim("SM1") is False
    assert restarted.reply_to("SM1") == "<Response><Message>Mae'r dŵr yn lân</Message></Response>"
    # A reply can repeat what someone typed, so it is kept encrypted.
    with sqlite3.connect(path) as db:
        assert "dŵr" not in db.execute("SELECT reply FROM twilio_messages").fetchone()[0]


def test_the_store_keeps_choices_language_and_opt_out_per_sender(tmp_path):
    store = ChannelStore(tmp_path / "channels.db")
    sender = sender_id("+447700900123", b"k")
    assert store.choices(sender) == [] and store.locale(sender) is None and not store.opted_out(sender)
    store.save_choices(sender, [{"title": "Equipment", "payload": "/equipment"}])
    store.save_locale(sender, "cy")
    store.set_opted_out(sender, True)
    assert store.choices(sender) == [{"title": "Equipment", "payload": "/equipment"}]
    assert store.locale(sender) == "cy" and store.opted_out(sender)
    store.set_opted_out(sender, False)
    assert not store.opted_out(sender)
