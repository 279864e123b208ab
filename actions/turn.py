"""What an action needs to know about the turn: the language, the channel, the safety check.

The turn's language, the first of these that applies:

1. asked for in words or with a language button ("po polsku": the intent ``change_language``
   with the entity ``locale``, set by bot/components/language_gate.py);
2. the language this message is confidently written in (content/language_detection.py), when it
   differs from the one the conversation is in: someone who writes in Polish is answered in
   Polish, and the turn carries a ``language`` message as well, so the widget's picker (and the
   SMS channel's memory) follows;
3. what an earlier action of this same turn decided;
4. ``metadata.locale`` (the widget's picker; the language an SMS or WhatsApp number chose);
5. the conversation's ``locale`` slot;
6. English.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from content.council import Council, current as current_council
from content.i18n import DEFAULT_LOCALE, babel_locale, normalise_locale, translations
from content.language_detection import detect_locale
from content.models import TOPIC_SLUGS

TOPIC_BY_INTENT = {slug.replace("-", "_"): slug for slug in TOPIC_SLUGS}


def intent_for(topic: str) -> str:
    return topic.replace("-", "_")


@dataclass
class Turn:
    locale: str  # the conversation's language after this message
    channel: str  # "web", "sms" or "whatsapp"
    intent: str | None
    safety: dict  # {"level": "concern"|"crisis", "category": ...} or {}
    council: Council
    events: list  # slot changes to return with the action's reply
    detected: bool = False  # the language changed because this message is written in another one

    @property
    def gettext(self) -> Callable[[str], str]:
        return translations(self.locale).gettext

    @property
    def ngettext(self) -> Callable[[str, str, int], str]:
        """For a sentence with a number in it: Welsh has five plural forms, Arabic six."""
        return translations(self.locale).ngettext

    @property
    def babel_locale(self) -> str:
        """The locale Babel formats this turn's dates, times and numbers in."""
        return babel_locale(self.locale)

    @property
    def concern(self) -> bool:
        return self.safety.get("level") == "concern"


def _metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


# Steps of the forms where a message is a name, a date, a number or a place, not a sentence:
# "Dafydd ap Gwilym" or "Heol y Frenhines" must not switch the conversation to Welsh.
NO_DETECTION_STEPS = frozenset({"name", "date_of_birth", "phone_or_email", "postcode", "service_location"})


def requested_locale(tracker: Tracker) -> str | None:
    """The language asked for in words or with a button in this message, if any."""
    latest = tracker.latest_message or {}
    if (latest.get("intent") or {}).get("name") != "change_language":
        return None
    for entity in latest.get("entities") or []:
        if entity.get("entity") == "locale":
            return normalise_locale(entity.get("value"))
    return None


def _decided_this_turn(tracker: Tracker) -> str | None:
    """The language an earlier action of this turn set, if one did."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return None
        if event.get("event") == "slot" and event.get("name") == "locale":
            return normalise_locale(event.get("value"))
    return None


def _detectable(tracker: Tracker) -> str:
    """The text whose language may set the turn's: none for a button, a language request, or a
    form step that asks for a name, a date, a number or a place."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    if text.lstrip().startswith("/") or (latest.get("intent") or {}).get("name") == "change_language":
        return ""
    if (tracker.active_loop or {}).get("name") and tracker.get_slot("requested_slot") in NO_DETECTION_STEPS:
        return ""
    return text


def read(tracker: Tracker) -> Turn:
    metadata = _metadata(tracker)
    slot = normalise_locale(tracker.get_slot("locale"))
    decided = _decided_this_turn(tracker)
    current = decided or normalise_locale(metadata.get("locale")) or slot or DEFAULT_LOCALE
    requested = requested_locale(tracker)
    detected = None
    if not requested and not decided:
        found = detect_locale(_detectable(tracker))
        detected = found if found and found != current else None
    locale = requested or detected or current
    events = [SlotSet("locale", locale)] if not decided and locale != (slot or DEFAULT_LOCALE) else []
    channel = metadata.get("channel") if metadata.get("channel") in ("sms", "whatsapp") else "web"
    latest = tracker.latest_message or {}
    return Turn(
        locale=locale,
        channel=channel,
        intent=(latest.get("intent") or {}).get("name"),
        safety=latest.get("safety") or {},
        council=current_council(),
        events=events,
        detected=detected is not None,
    )


def previous_intent(tracker: Tracker) -> str | None:
    """The intent of the user's message before this one, if there was one."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if seen_latest:
            return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        seen_latest = True
    return None
