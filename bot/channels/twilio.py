"""SMS and WhatsApp through Twilio: ``POST /webhooks/twilio/webhook``.

Twilio posts each incoming message here and sends on whatever TwiML the webhook answers with, so
the channel makes no outbound API calls and needs no more than the auth token.

- Only Twilio gets in: ``X-Twilio-Signature`` must be Twilio's signature of the public URL and
  the form, made with TWILIO_AUTH_TOKEN; anything else is a 403. Behind a proxy, set
  FRONTDOOR_PUBLIC_URL to the address Twilio calls (or just its origin), because that is what
  Twilio signs.
- A phone number never reaches the bot, the logs or analytics: the conversation id is "sms-" or
  "wa-" and a keyed hash of the number (twilio_store.py), and no message text is logged.
- A retry of a message already answered (same MessageSid) gets the same reply again, without
  asking the bot twice; this is remembered in SQLite, so a restart does not forget.
- STOP, START and HELP work as UK mobile rules and Twilio expect; pictures, voice notes and
  locations get a kind "I can only read text"; if the bot cannot answer, the safety net does.

Settings come from the environment (values in credentials.yml win, for tests and odd setups):
TWILIO_AUTH_TOKEN, TWILIO_ACCOUNT_SID (if set, other accounts are refused), FRONTDOOR_PUBLIC_URL,
FRONTDOOR_HASH_KEY and FRONTDOOR_CHANNEL_DB (default var/channels.db).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs, urlsplit, urlunsplit

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from channels import safety_net
from channels import text_messaging as texts
from channels.rest import MAX_MESSAGE_CHARS, has_contract
from channels.twilio_store import ROOT, ChannelStore, hash_key, sender_id
from components.crisis import CrisisDetector
from content import conversations
from content.council import current as council
from content.i18n import LOCALES

logger = logging.getLogger(__name__)
FORM = "application/x-www-form-urlencoded"
_detector = CrisisDetector()


@dataclass(frozen=True)
class Settings:
    auth_token: str
    account_sid: str
    public_url: str
    hash_key: bytes
    db_path: Path
    sender_retention_days: int  # how long a quiet number's language and choices are kept

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "Settings":
        def setting(key: str, variable: str, default: str = "") -> str:
            return str((credentials or {}).get(key) or os.environ.get(variable) or default)

        db_path = Path(setting("database", "FRONTDOOR_CHANNEL_DB", str(ROOT / "var" / "channels.db")))
        return cls(
            auth_token=setting("auth_token", "TWILIO_AUTH_TOKEN"),
            account_sid=setting("account_sid", "TWILIO_ACCOUNT_SID"),
            public_url=setting("public_url", "FRONTDOOR_PUBLIC_URL"),
            hash_key=hash_key(setting("hash_key", "FRONTDOOR_HASH_KEY")),
            db_path=db_path if db_path.is_absolute() else ROOT / db_path,
            sender_retention_days=conversations.retention_days(),
        )


class Refused(Exception):
    """The request is not one the channel will act on; carries the HTTP status to answer with."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def signed_url(request: Request, public_url: str) -> str:
    """The URL Twilio signed: the public one when a proxy is in front, else the request's own.

    FRONTDOOR_PUBLIC_URL may be the whole webhook URL, or just the origin (https://host), in
    which case the request's path is added.
    """
    if not public_url:
        return request.url
    public = urlsplit(public_url)
    path = public.path if public.path not in ("", "/") else request.path
    return urlunsplit((public.scheme, public.netloc, path, request.query_string, ""))


def read_form(request: Request) -> RequestParameters:
    """The form, keeping empty values: Twilio signs them too (a picture comes with Body="")."""
    if (request.content_type or "").split(";")[0].strip().lower() != FORM:
        raise Refused(415, "Twilio posts application/x-www-form-urlencoded forms")
    try:
        return RequestParameters(parse_qs(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the form could not be read")


@dataclass
class Incoming:
    """One message from a resident, as the channel needs it. ``sender`` is already hashed."""

    sender: str
    channel: str  # "sms" or "whatsapp"
    body: str
    message_sid: str
    media_only: bool  # a picture, voice note or location and no words
    twilio_handled_keyword: bool  # Twilio's Advanced Opt-Out already answered STOP/START/HELP


def parse_incoming(form: RequestParameters, key: bytes) -> Incoming:
    missing = [name for name in ("From", "Body", "MessageSid") if name not in form]
    if missing:
        raise Refused(400, "missing " + ", ".join(missing))
    from_address = form.get("From").strip()
    if not from_address:
        raise Refused(400, "From is empty")
    body = form.get("Body").strip()[:MAX_MESSAGE_CHARS]
    has_media = _int(form.get("NumMedia")) > 0 or bool(form.get("Latitude") or form.get("Longitude"))
    return Incoming(
        sender=sender_id(from_address, key),
        channel=texts.WHATSAPP if from_address.startswith("whatsapp:") else texts.SMS,
        body=body,
        message_sid=form.get("MessageSid"),
        media_only=has_media and not body,
        twilio_handled_keyword=bool(form.get("OptOutType")),
    )


def _int(value: Optional[str]) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def twiml(messages: List[str]) -> str:
    reply = MessagingResponse()
    for message in messages:
        reply.message(message)
    return str(reply)


class TwilioInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioInput":
        return cls(Settings.from_credentials(credentials))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = ChannelStore(settings.db_path, settings.sender_retention_days)
        self.validator = RequestValidator(settings.auth_token) if settings.auth_token else None
        if not self.validator:
            logger.warning("twilio: TWILIO_AUTH_TOKEN is not set, so every SMS and WhatsApp request is refused")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("front_door_twilio", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                form = read_form(request)
                self.check_signature(request, form)
                incoming = parse_incoming(form, self.settings.hash_key)
            except Refused as refused:
                logger.warning("twilio: refused a request (%s): %s", refused.status, refused.reason)
                return response.text(refused.reason, status=refused.status)
            return xml(await self.answer_once(incoming, on_new_message))

        return webhook

    def check_signature(self, request: Request, form: RequestParameters) -> None:
        signature = request.headers.get("X-Twilio-Signature")
        if not self.validator or not signature:
            raise Refused(403, "a request signed by Twilio is required")
        if not self.validator.validate(signed_url(request, self.settings.public_url), form, signature):
            raise Refused(403, "the Twilio signature does not match")
        if self.settings.account_sid and form.get("AccountSid") != self.settings.account_sid:
            raise Refused(403, "this message is for another Twilio account")

    async def answer_once(self, incoming: Incoming, on_new_message) -> str:
        """Answers a message, or replays the answer to a retry of one already answered."""
        if not self.store.claim(incoming.message_sid):
            logger.info("twilio: a retry of a message already answered; not asking the bot again")
            return self.store.reply_to(incoming.message_sid) or twiml([])
        try:
            reply = twiml(await self.answer(incoming, on_new_message))
        except Exception:  # the resident still gets the safety net's numbers
            logger.exception("twilio: answering a message failed (text not logged)")
            reply = twiml(self.safety_net(incoming, self.store.locale(incoming.sender)))
        self.store.save_reply(incoming.message_sid, reply)
        return reply

    async def answer(self, incoming: Incoming, on_new_message) -> List[str]:
        """The text messages to send back, in order (none for someone who replied STOP)."""
        keyword = self.keyword_to_act_on(incoming)
        if keyword is None and self.store.opted_out(incoming.sender):
            return []  # they said STOP: nothing more until they say START
        if keyword and incoming.twilio_handled_keyword:
            return []  # Twilio's Advanced Opt-Out has already sent its own reply
        locale = self.store.locale(incoming.sender)
        _ = texts.translator(locale)
        if keyword:
            return [{"opt_out": opt_out_text, "opt_in": opt_in_text, "help": help_text}[keyword](_)]
        if incoming.media_only:
            return [media_text(_)]
        if not incoming.body:
            return []
        return await self.ask_bot(incoming, locale, on_new_message)

    def keyword_to_act_on(self, incoming: Incoming) -> Optional[str]:
        """STOP, START or HELP, recording the person's choice; None for anything else."""
        keyword = texts.keyword(incoming.body)
        opted_out = self.store.opted_out(incoming.sender)
        if keyword == "opt_out":
            self.store.set_opted_out(incoming.sender, True)
        elif keyword == "opt_in" and opted_out:
            self.store.set_opted_out(incoming.sender, False)
        elif keyword == "opt_in" and incoming.body.strip(" .!").upper() == "YES":
            return None  # "yes" is also an everyday answer: only an opted-out number is welcomed back
        elif opted_out:
            return None  # not even HELP: replies resume only after START
        return keyword

    async def ask_bot(self, incoming: Incoming, locale: Optional[str], on_new_message) -> List[str]:
        # A number or the words of one of the last reply's choices sends that button's payload.
        message = texts.chosen_payload(incoming.body, self.store.choices(incoming.sender)) or incoming.body
        metadata = {"channel": incoming.channel, **({"locale": locale} if locale else {})}
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(message, collector, incoming.sender, input_channel=self.name(),
                                             message_id=incoming.message_sid, metadata=metadata))
        except Exception:  # the safety net answers below
            logger.exception("twilio: the turn failed for a conversation (text not logged)")
        bot_messages = collector.messages
        if not has_contract(bot_messages):
            logger.error("twilio: the turn produced no reply contract; sending the safety net")
            return self.safety_net(incoming, locale)
        self.remember(incoming.sender, bot_messages)
        bot_texts = [m["text"] for m in bot_messages if m.get("text")]
        buttons = [b for m in bot_messages for b in m.get("buttons") or []]
        return texts.render(bot_texts, buttons, incoming.channel, texts.translator(self.store.locale(incoming.sender)))

    def remember(self, sender: str, bot_messages: List[Dict[str, Any]]) -> None:
        """Keeps the reply's choices (for "reply 2") and the language the turn changed to: asked
        for ("Cymraeg", a language from the list), or the one the person wrote in. Later
        messages from the number, and later conversations, carry it as metadata.locale."""
        self.store.save_choices(sender, [b for m in bot_messages for b in m.get("buttons") or []])
        for message in bot_messages:
            custom = message.get("custom")
            if isinstance(custom, dict) and custom.get("kind") == "language" and custom.get("locale") in LOCALES:
                self.store.save_locale(sender, custom["locale"])

    def safety_net(self, incoming: Incoming, locale: Optional[str]) -> List[str]:
        crisis = _detector.assess(incoming.body).level == "crisis"
        net = safety_net.reply(incoming.sender, locale, crisis)
        return texts.render([m["text"] for m in net if m.get("text")], [], incoming.channel, texts.translator(locale))


def xml(body: str) -> HTTPResponse:
    return response.text(body, content_type="application/xml; charset=utf-8")


# --- The channel's own words ------------------------------------------------------------------

def _service() -> Dict[str, str]:
    c = council()
    return {"council": c.name, "service": c.service_name, "phone": c.phones["adult_social_care"],
            "emergency": c.crisis["emergency"]}


def help_text(_: Callable[[str], str]) -> str:
    return _(
        "{council} {service}: a computer that answers questions about care and support by text. "
        "Type your question in your own words. To talk to a person, call {phone}. "
        "In an emergency, call {emergency}. Reply STOP to stop."
    ).format(**_service())


def media_text(_: Callable[[str], str]) -> str:
    return _("Sorry, I can only read text messages. Please type your question, or call {phone}.").format(
        **_service())


def opt_out_text(_: Callable[[str], str]) -> str:
    return _("You will not get any more messages from {council} {service}. Reply START to start again.").format(
        **_service())


def opt_in_text(_: Callable[[str], str]) -> str:
    return _("Welcome back to {council} {service}. Type your question in your own words. "
             "Reply HELP for help or STOP to stop.").format(**_service())
