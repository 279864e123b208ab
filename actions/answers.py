"""Answers an advice topic from the content store, in the reader's language where it can."""
from __future__ import annotations

from typing import Any

from babel import Locale
from babel.dates import format_date
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from content import db, store
from content.i18n import babel_locale

from . import replies, turn as turns
from .turn import TOPIC_BY_INTENT, Turn


def language_name(locale: str, in_locale: str) -> str:
    return Locale.parse(babel_locale(locale)).get_display_name(babel_locale(in_locale)) or locale


def next_steps(turn: Turn, answer: store.Answer) -> list[dict[str, str]]:
    """Buttons for what a person would want next: related topics, local help, a referral, a person."""
    _ = turn.gettext
    related = [replies.button(title, turns.intent_for(slug)) for slug, title in answer.related]
    return related + [
        replies.button(_("Find local services"), "find_service"),
        replies.button(_("Ask for help from the council"), "request_referral"),
        replies.person_button(turn),
    ]


class ActionAnswerTopic(Action):
    def name(self) -> str:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        topic = TOPIC_BY_INTENT.get(turn.intent or "") or tracker.get_slot("topic")
        with db.session_scope() as session:
            answer = store.answer(session, topic, turn.locale, turn.council) if topic else None
        if answer is None:
            return self._missing(dispatcher, turn)
        texts = []
        if answer.locale != turn.locale:
            texts.append(turn.gettext("This answer is not available in {language} yet. Here it is in English.")
                         .format(language=language_name(turn.locale, turn.locale)))
        texts.append(answer.sms_body if turn.channel == "sms" and answer.sms_body else answer.body)
        fields = {
            "topic": answer.topic,
            "locale": answer.locale,
            "reviewed": answer.reviewed.isoformat() if answer.reviewed else None,
            # The same date in words, in the conversation's language, for the widget's footer.
            "reviewed_text": format_date(answer.reviewed, format="long", locale=turn.babel_locale)
            if answer.reviewed else None,
            "title": answer.title,
            "version": answer.version,
            "sources": answer.sources,
        }
        if answer.sources:
            fields["url"] = answer.sources[0]["url"]
        replies.send(dispatcher, turn, "advice", texts, next_steps(turn, answer), **fields)
        return turn.events + [SlotSet("topic", answer.topic)]

    @staticmethod
    def _missing(dispatcher: CollectingDispatcher, turn: Turn) -> list[dict[str, Any]]:
        # Only reachable if staff removed a published answer: say so and give a way forward.
        text = turn.gettext("Sorry, I cannot find that answer right now. To talk to someone, call {phone}.").format(
            phone=turn.council.phones["adult_social_care"])
        replies.send(dispatcher, turn, "handoff", [text], [replies.menu_button(turn)])
        return turn.events
