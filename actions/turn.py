"""What an action needs to know about the turn: the language, the channel, the safety check."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from content.council import Council, current as current_council
from content.i18n import DEFAULT_LOCALE, babel_locale, normalise_locale, translations
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


def read(tracker: Tracker) -> Turn:
    metadata = _metadata(tracker)
    asked = normalise_locale(metadata.get("locale"))
    current = normalise_locale(tracker.get_slot("locale")) or DEFAULT_LOCALE
    events = [SlotSet("locale", asked)] if asked and asked != current else []
    channel = metadata.get("channel") if metadata.get("channel") in ("sms", "whatsapp") else "web"
    latest = tracker.latest_message or {}
    return Turn(
        locale=asked or current,
        channel=channel,
        intent=(latest.get("intent") or {}).get("name"),
        safety=latest.get("safety") or {},
        council=current_council(),
        events=events,
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
