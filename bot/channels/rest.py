"""Rasa's REST channel (``POST /webhooks/rest/webhook``) made strict and safe.

- A malformed body is a 400 with a clear JSON error, never a 500.
- The user's text is never written to the logs.
- A turn that produced no reply (the action server is down, or failed) gets the safety net's
  reply instead of an empty list, so every turn carries the reply contract's ``custom.kind``.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import safety_net
from components.crisis import CrisisDetector

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
SENDER_ID = re.compile(r"^[A-Za-z0-9_.:@+\-]{1,128}$")
_detector = CrisisDetector()


class BadRequest(ValueError):
    pass


def parse_body(body: Any) -> Dict[str, Any]:
    """Checks the request body; returns sender, message and metadata or raises BadRequest."""
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object with 'sender' and 'message'.")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not SENDER_ID.match(sender):
        raise BadRequest("'sender' must be a conversation id of 1 to 128 letters, digits or _.:@+-")
    if not isinstance(message, str) or not message.strip():
        raise BadRequest("'message' must be a non-empty string.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"'message' must be at most {MAX_MESSAGE_CHARS} characters.")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be a JSON object if it is given.")
    return {"sender": sender, "message": message, "metadata": metadata or {}}


def has_contract(messages: list) -> bool:
    return any(isinstance(m.get("custom"), dict) and m["custom"].get("kind") for m in messages)


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("front_door_rest", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = parse_body(_json(request))
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            message = UserMessage(body["message"], collector, body["sender"],
                                  input_channel=self.name(), metadata=body["metadata"])
            try:
                await on_new_message(message)
            except Exception:  # the resident still gets the safety net's reply below
                logger.exception("rest: the turn failed for a conversation (text not logged)")
            if not has_contract(collector.messages):
                logger.error("rest: the turn produced no reply contract; sending the safety net")
                crisis = _detector.assess(body["message"]).level == "crisis"
                collector.messages.extend(safety_net.reply(body["sender"], body["metadata"].get("locale"), crisis))
            return response.json(collector.messages)

        return webhook


def _json(request: Request) -> Optional[Any]:
    try:
        return request.json
    except Exception:  # Sanic raises on a body that is not JSON
        raise BadRequest("The body must be JSON.")
