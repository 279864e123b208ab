"""The turns that are not advice: small talk, a person, out of scope, not understood, crisis."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from content.render import opening_hours

from . import replies, safety, turn as turns
from .turn import Turn

# The topics the greeting offers first; the menu has all of them.
STARTER_TOPICS = ("needs-assessment", "carers-support", "equipment", "financial-assessment")


def team_status(turn: Turn) -> str:
    """Whether the front door is answering the phone right now, and what to do if not."""
    _ = turn.gettext
    c = turn.council
    hours = opening_hours(c, turn.locale)
    if c.is_open():
        return _("We are open now. Call {phone}. Our hours are {hours}.").format(
            phone=c.phones["adult_social_care"], hours=hours)
    return _("We are closed now. Our hours are {hours}. If it cannot wait, call our out-of-hours team on {out_of_hours}.").format(
        hours=hours, out_of_hours=c.phones["out_of_hours"])


class ActionSmalltalk(Action):
    def name(self) -> str:
        return "action_smalltalk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        _ = turn.gettext
        c = turn.council
        intent = turn.intent
        if intent == "greet":
            texts = [_("Hello. I can answer questions about care and support from {council}.").format(council=c.name),
                     _("I am a computer, not a person. Ask me in your own words, or choose a topic.")]
            buttons = replies.topic_buttons(turn, STARTER_TOPICS) + [replies.menu_button(turn)]
        elif intent == "thank":
            texts, buttons = [_("You're welcome. Is there anything else I can help with?")], [replies.menu_button(turn)]
        elif intent == "goodbye":
            texts = [_("Goodbye. Take care. You can come back any time.")]
            buttons = []
        elif intent == "bot_challenge":
            texts = [_("I am a computer program, not a person. I can answer questions about care and support."),
                     _("To talk to a person, call {phone}.").format(phone=c.phones["adult_social_care"])]
            buttons = [replies.person_button(turn), replies.menu_button(turn)]
        elif intent == "deny":
            texts = [_("That's fine. If you need anything else, just ask.")]
            buttons = [replies.menu_button(turn)]
        else:  # help, menu, or "yes" with nothing pending: show everything there is
            texts = [_("I can help with these topics. Choose one, or ask me in your own words.")]
            buttons = replies.topic_buttons(turn) + [replies.person_button(turn), replies.language_button(turn)]
        replies.send(dispatcher, turn, "smalltalk", texts, buttons)
        return turn.events


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        _ = turn.gettext
        c = turn.council
        lead = {
            "request_referral": _("To ask for help or an assessment from {service}, talk to our team."),
            "find_service": _("Our team can tell you about services near you."),
        }.get(turn.intent or "", _("You can talk to a person in our {service} team."))
        texts = [
            lead.format(service=c.service_name),
            team_status(turn),
            _("Textphone: {textphone}. Email: {email}.").format(
                textphone=c.phones.get("textphone", ""), email=c.emails.get("adult_social_care", "")),
        ]
        replies.send(dispatcher, turn, "handoff", texts, [replies.menu_button(turn)], open_now=c.is_open())
        return turn.events


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        _ = turn.gettext
        c = turn.council
        texts = [
            _("Sorry, I can only help with care and support for adults, and for carers."),
            _("For other council services, call {phone} or visit {link}.").format(
                phone=c.phones["general"], link=c.links.get("contact", c.links.get("website", ""))),
        ]
        replies.send(dispatcher, turn, "out_of_scope", texts, [replies.menu_button(turn)])
        return turn.events


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        _ = turn.gettext
        if turns.previous_intent(tracker) == "nlu_fallback":
            texts = [_("Sorry, I still don't understand. A person can help you."), team_status(turn)]
            buttons = [replies.person_button(turn), replies.menu_button(turn)]
        else:
            texts = [_("Sorry, I didn't understand that. Try asking in a different way, or choose a topic.")]
            buttons = [replies.menu_button(turn), replies.person_button(turn)]
        replies.send(dispatcher, turn, "fallback", texts, buttons)
        return turn.events


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = turns.read(tracker)
        category = turn.safety.get("category")
        replies.send(dispatcher, turn, "crisis", safety.crisis_texts(turn, category), [replies.person_button(turn)],
                     locale=turn.locale, category=category)
        return turn.events
