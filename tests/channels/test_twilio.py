"""SMS and WhatsApp through the real Rasa server: POST /webhooks/twilio/webhook, signed the way
Twilio signs (the twilio library's RequestValidator)."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
import uuid
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager

import pytest
import requests
from twilio.request_validator import RequestValidator

from channels.twilio_store import sender_id
from content import council, db, keys, sms, store
from tests.conftest import services

pytestmark = pytest.mark.e2e
PHONE = council.current().phones["adult_social_care"]
SMS_MAX_SEGMENTS = 3


class Phone:
    """One resident texting the council's number, through Twilio."""

    def __init__(self, stack, number: str | None = None, whatsapp: bool = False):
        self.stack = stack
        self.url = f"http://localhost:{stack.ports.rasa}/webhooks/twilio/webhook"
        self.number = number or f"+4477009{uuid.uuid4().int % 10**5:05d}"
        self.sender = f"whatsapp:{self.number}" if whatsapp else self.number
        self.validator = RequestValidator(stack.env["TWILIO_AUTH_TOKEN"])
        # The conversation id the bot sees: a keyed hash, never the number.
        self.conversation_id = sender_id(self.sender, stack.env["FRONTDOOR_HASH_KEY"].encode())

    def form(self, body: str | None, **extra: str) -> dict[str, str]:
        form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32, "From": self.sender,
                "To": "+447700900000", "NumMedia": "0", **extra}
        if body is not None:
            form["Body"] = body
        return form

    def post(self, form: dict[str, str], signature: str | None = "sign", url: str | None = None):
        headers = {}
        if signature == "sign":
            signature = self.validator.compute_signature(url or self.url, form)
        if signature:
            headers["X-Twilio-Signature"] = signature
        return requests.post(self.url, data=form, headers=headers, timeout=30)

    def text(self, body: str | None, **extra: str) -> list[str]:
        """Sends a message and returns the text messages of the TwiML reply."""
        reply = self.post(self.form(body, **extra))
        assert reply.status_code == 200, reply.text
        assert reply.headers["Content-Type"].startswith("application/xml")
        return messages_in(reply.text)


def messages_in(twiml: str) -> list[str]:
    root = ElementTree.fromstring(twiml)
    assert root.tag == "Response"
    return [message.text or "" for message in root.iter("Message")]


@contextmanager
def published_answer(stack, topic: str, **fields: str):
    """Changes a published answer for the duration of a test, like staff editing it."""
    engine = db.engine_for(stack.database_url)
    with db.session_scope(engine) as session:
        version = store.published(session, topic, "en")
        original = {name: getattr(version, name) for name in fields}
        for name, value in fields.items():
            setattr(version, name, value)
    try:
        yield
    finally:
        with db.session_scope(engine) as session:
            version = store.published(session, topic, "en")
            for name, value in original.items():
                setattr(version, name, value)


@pytest.fixture
def phone(stack):
    return Phone(stack)


@pytest.fixture
def whatsapp(stack):
    return Phone(stack, whatsapp=True)


def answer_text(stack, topic: str, field: str = "sms_body") -> str:
    with db.session_scope(db.engine_for(stack.database_url)) as session:
        answer = store.answer(session, topic, "en", council.current())
    return getattr(answer, field)


# --- Only Twilio gets in ----------------------------------------------------------------------

def test_a_signed_sms_is_answered_in_twiml_with_the_sms_version(stack, phone):
    messages = phone.text("where can i get a perching stool and a raised toilet seat")
    assert messages and all(sms.count(m).segments <= SMS_MAX_SEGMENTS for m in messages)
    assert answer_text(stack, "equipment") in "\n\n".join(messages)


def test_a_forged_signature_is_refused(phone):
    assert phone.post(phone.form("hello"), signature="bm90IGEgcmVhbCBzaWduYXR1cmU=").status_code == 403
    forged = RequestValidator("not-the-token").compute_signature(phone.url, phone.form("hello"))
    assert phone.post(phone.form("hello"), signature=forged).status_code == 403


def test_a_request_signed_for_another_url_is_refused(phone):
    form = phone.form("hello")
    assert phone.post(form, url="https://attacker.example/webhooks/twilio/webhook").status_code == 403


def test_a_request_without_a_signature_is_refused(phone):
    assert phone.post(phone.form("hello"), signature=None).status_code == 403


def test_a_changed_message_no_longer_matches_its_signature(phone):
    form = phone.form("hello")
    signature = phone.validator.compute_signature(phone.url, form)
    assert phone.post({**form, "Body": "something else"}, signature=signature).status_code == 403


@pytest.mark.parametrize("missing", ["From", "Body", "MessageSid"])
def test_a_signed_request_missing_a_field_is_a_400(phone, missing):
    form = phone.form("hello")
    del form[missing]
    assert phone.post(form).status_code == 400


def test_a_request_that_is_not_a_form_is_a_415(phone):
    reply = requests.post(phone.url, json=phone.form("hello"), timeout=10,
                          headers={"X-Twilio-Signature": "x"})
    assert reply.status_code == 415


# --- Retries, choices, long answers -----------------------------------------------------------

def test_a_retried_message_is_answered_once(stack, phone):
    form = phone.form("how do i get a carers assessment")
    first, retry = phone.post(form), phone.post(form)
    assert first.status_code == retry.status_code == 200
    assert messages_in(first.text) and retry.text == first.text  # the same answer again
    user_turns = [row for row in tracker_rows(stack) if row[1] == "user" and row[0] == phone.conversation_id]
    assert len(user_turns) == 1  # and the bot heard the message once


def test_buttons_are_numbered_choices_and_a_number_or_the_words_choose(stack, phone):
    menu = "\n".join(phone.text("hello"))
    assert "Reply with a number:" in menu
    choices = dict(line.split(" ", 1) for line in menu.split("Reply with a number:\n")[1].splitlines())
    assert choices["3"] == "Equipment to help you at home"

    assert answer_text(stack, "equipment") in "\n".join(phone.text("3"))

    phone.text("hello")
    assert answer_text(stack, "financial-assessment") in "\n".join(phone.text("paying for YOUR care"))


def test_a_long_whatsapp_answer_is_split_into_messages_of_at_most_1600_characters(stack, whatsapp):
    paragraphs = [f"Paragraph {n}: respite gives you and the person you care for a **break**. " * 6
                  for n in range(1, 9)]
    body = "\n\n".join(p.strip() for p in paragraphs)
    assert len(body) > 3200
    with published_answer(stack, "respite", body=body):
        messages = whatsapp.text("i need a break from caring for a week")
    assert len(messages) >= 3 and all(len(m) <= 1600 for m in messages)
    joined = "\n\n".join(messages)
    assert "*break*" in joined and "**" not in joined  # WhatsApp's bold
    for n in range(1, 9):
        assert f"Paragraph {n}:" in joined
    assert "Reply with a number:" in messages[-1]


def test_welsh_sms_is_split_by_ucs2_segments_of_67_units(stack, phone):
    welsh = ("Gall gofalwyr gael asesiad am ddim gan y cyngor. Rydym yn siarad â chi am eich bywyd a'ch "
             "gwaith. Mae'r gwasanaeth yn rhad ac am ddim i bawb sy'n byw yma. Ffoniwch ni ar ddydd Llun "
             "neu ar ddydd Mawrth. Mae'r tŵr ar gau heddiw, ond mae'r dŵr yn lân.")
    assert sms.count(welsh).encoding == "UCS-2" and sms.count(welsh).units > SMS_MAX_SEGMENTS * 67
    with published_answer(stack, "carers-assessment", sms_body=welsh):
        messages = phone.text("how do i get a carers assessment")
    assert len([m for m in messages if not sms.is_gsm7(m)]) >= 2  # GSM-7 would have fitted one message
    for message in messages:
        counted = sms.count(message)
        assert counted.segments <= SMS_MAX_SEGMENTS
        if counted.encoding == "UCS-2" and counted.segments > 1:
            assert counted.per_segment == 67 and counted.units <= SMS_MAX_SEGMENTS * 67
    for sentence in re.split(r"(?<=\.) ", welsh):  # split between sentences, never inside one
        assert any(sentence in message for message in messages), sentence


# --- Pictures, keywords -----------------------------------------------------------------------

def test_a_picture_gets_a_kind_text_only_reply(phone):
    messages = phone.text("", NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1",
                          MediaContentType0="image/jpeg")
    assert messages == [f"Sorry, I can only read text messages. Please type your question, or call {PHONE}."]


def test_a_location_on_whatsapp_gets_the_same_reply(whatsapp):
    messages = whatsapp.text("", Latitude="51.5", Longitude="-0.12")
    assert messages == [f"Sorry, I can only read text messages. Please type your question, or call {PHONE}."]


def test_stop_means_no_more_replies_until_start(stack, phone):
    stopped = phone.text("STOP")
    assert len(stopped) == 1 and "START" in stopped[0]
    assert phone.text("what is a carers assessment") == []
    assert phone.text("hello") == []
    started = phone.text("start")
    assert len(started) == 1 and "STOP" in started[0]
    assert answer_text(stack, "carers-assessment") in "\n".join(phone.text("what is a carers assessment"))


def test_stop_on_whatsapp_too(whatsapp):
    assert "START" in whatsapp.text("unsubscribe")[0]
    assert whatsapp.text("hello") == []
    assert whatsapp.text("UNSTOP")


def test_with_twilios_advanced_opt_out_twilio_confirms_and_the_channel_only_remembers(stack, phone):
    assert phone.text("STOP", OptOutType="STOP") == []
    assert phone.text("what is a carers assessment") == []
    assert phone.text("START", OptOutType="START") == []
    assert answer_text(stack, "carers-assessment") in "\n".join(phone.text("what is a carers assessment"))


def test_help_says_what_this_is_the_phone_number_and_how_to_stop(phone):
    (reply,) = phone.text("HELP")
    assert council.current().name in reply and PHONE in reply and "Reply STOP to stop" in reply


# --- Privacy ----------------------------------------------------------------------------------

def tracker_rows(stack) -> list[tuple]:
    with sqlite3.connect(stack.env["RASA_TRACKER_DB"]) as tracker:
        return tracker.execute("SELECT sender_id, type_name, data FROM events ORDER BY id").fetchall()


def test_no_phone_number_reaches_the_tracker_the_logs_or_the_channel_store(stack, monkeypatch):
    number = "+447700900765"
    for whatsapp in (False, True):
        Phone(stack, number, whatsapp).text("i look after my husband, can i get help as his carer")
    forms = {number, number[1:], number[3:], "07700900765", "7700 900765"}

    rows = tracker_rows(stack)
    twilio_senders = {row[0] for row in rows if row[0].startswith(("sms-", "wa-"))}
    assert any(s.startswith("sms-") for s in twilio_senders) and any(s.startswith("wa-") for s in twilio_senders)
    if stack.env.get("FRONTDOOR_DATA_KEY"):
        monkeypatch.setenv("FRONTDOOR_DATA_KEY", stack.env["FRONTDOOR_DATA_KEY"])
    for sender, _, data in rows:
        event = json.dumps(json.loads(keys.decrypt(data.encode("ascii"))))  # what Rasa itself sees
        assert not any(f in sender or f in data or f in event for f in forms)

    for log in stack.log_dir.glob("*.log"):
        text = log.read_text(errors="replace")
        assert not any(f in text for f in forms), log.name
        assert "i look after my husband" not in text, log.name  # nor what they wrote

    with open(stack.env["FRONTDOOR_CHANNEL_DB"], "rb") as channel_db:
        raw = channel_db.read()
    assert not any(f.encode() in raw for f in forms)


# --- The safety net ---------------------------------------------------------------------------

@contextmanager
def action_server_down(stack):
    """Stops the stack's action server for a moment, and starts it again the way the stack did."""
    service = next(s for s in stack.services if s.name == "actions")
    os.killpg(service.process.pid, signal.SIGTERM)
    service.process.wait(timeout=15)
    try:
        yield
    finally:
        with open(stack.log_dir / "actions.log", "ab") as log:
            service.process = subprocess.Popen(service.argv, cwd=service.cwd, env=stack.env, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while not services.healthy(service.health):
            assert time.monotonic() < deadline, "the action server did not start again"
            time.sleep(0.5)


def test_when_the_bot_cannot_answer_the_safety_net_does_in_text(stack, phone, whatsapp):
    with action_server_down(stack):
        replies = ["\n".join(phone.text("where can i get a raised toilet seat")),
                   "\n".join(whatsapp.text("I want to kill myself"))]
    for reply in replies:
        for number in ("999", "116 123", "111", PHONE):
            assert number in reply
    assert answer_text(stack, "equipment") in "\n".join(phone.text("where can i get a raised toilet seat"))
