"""Choosing the conversation's language: "po polsku", "in Welsh please", a language button, or
"Change language" for the list of languages.

The language asked for becomes the turn's (actions/turn.py), so the reply already speaks it: it
says so, in the new language, and offers the menu. Its ``custom`` is ``{"kind": "language",
"locale": ...}``: the widget's picker follows it, and the SMS and WhatsApp channel remembers it
for the number (bot/channels/twilio.py).
"""
from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from content import db, language_detection, store
from content.i18n import LOCALES
from content.models import TOPIC_SLUGS

from . import replies, turn as turns
from .answers import language_name
from .turn import Turn

# Each language by its own name, as the widget's picker shows them.
ENDONYMS = {
    "en": "English", "cy": "Cymraeg", "pl": "Polski", "ro": "Română", "pa": "ਪੰਜਾਬੀ", "ur": "اردو",
    "pt": "Português", "es": "Español", "ar": "العربية", "bn": "বাংলা", "gu": "ગુજરાતી",
}

# The detector's models load when the action server starts, not on a resident's first message.
language_detection.preload()


def language_buttons() -> list[dict[str, str]]:
    """One button a language, each titled in its own language; the payloads work from the widget
    and, as numbered choices, by SMS and WhatsApp."""
    return [{"title": ENDONYMS[code], "payload": "/change_language" + json.dumps({"locale": code})}
            for code in LOCALES]


def untranslated_topics(locale: str) -> int:
    """How many topics have no reviewed translation in this language (served in English)."""
    if locale == "en":
        return 0
    with db.session_scope() as session:
        return sum(store.served(session, topic, locale) is None for topic in TOPIC_SLUGS)


class ActionChangeLanguage(Action):
    def name(self) -> str:
        return "action_change_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        requested = turns.requested_locale(tracker)
        if requested is None:
            return self._choose(dispatcher, turn)
        _ = turn.gettext
        texts = [_("I will write in {language} from now on.").format(language=language_name(turn.locale, turn.locale))]
        if untranslated_topics(turn.locale):
            texts.append(_("Some answers are not translated into {language} yet. I will give those in English "
                           "and say so.").format(language=language_name(turn.locale, turn.locale)))
        if (tracker.active_loop or {}).get("name"):
            # A form is under way: it asks its question again, in the new language, next.
            buttons: list[dict[str, str]] = []
        else:
            texts.append(_("I can help with these topics. Choose one, or ask me in your own words."))
            buttons = replies.topic_buttons(turn) + [replies.person_button(turn), replies.language_button(turn)]
        replies.send(dispatcher, turn, "language", texts, buttons, locale=turn.locale)
        return turn.events

    @staticmethod
    def _choose(dispatcher: CollectingDispatcher, turn: Turn) -> list[dict[str, Any]]:
        text = turn.gettext("Choose your language.")
        if text != "Choose your language.":
            text = f"{text} (Choose your language.)"
        replies.send(dispatcher, turn, "smalltalk", [text], language_buttons())
        return turn.events
