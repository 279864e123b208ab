"""Sends a reply in the reply contract's shape: text (with buttons), then one ``custom`` object.

See shared/reply-contract.md: the first ``custom`` object with a ``kind`` is authoritative for
the turn, so every action ends by calling ``send`` exactly once with its kind. When the turn's
language changed because the message was written in another one, a ``language`` object follows.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from content import db, store
from content.models import TOPIC_SLUGS

from . import safety
from .turn import Turn, intent_for


def button(title: str, intent: str) -> dict[str, str]:
    return {"title": title, "payload": f"/{intent}"}


def topic_buttons(turn: Turn, slugs: list[str] | tuple[str, ...] = TOPIC_SLUGS) -> list[dict[str, str]]:
    """Buttons for advice topics, titled in the reader's language."""
    with db.session_scope() as session:
        names = store.titles(session, turn.locale)
    return [button(names[slug], intent_for(slug)) for slug in slugs if slug in names]


def person_button(turn: Turn) -> dict[str, str]:
    return button(turn.gettext("Talk to a person"), "human_handoff")


def language_button(turn: Turn) -> dict[str, str]:
    """"Change language", also in English when the conversation is in another language, so that
    someone landed in a language they cannot read finds the way back."""
    title = turn.gettext("Change language")
    if title != "Change language":
        title = f"{title} (Change language)"
    return button(title, "change_language")


def menu_button(turn: Turn) -> dict[str, str]:
    return button(turn.gettext("See all topics"), "help")


def send(
    dispatcher: CollectingDispatcher,
    turn: Turn,
    kind: str,
    texts: list[str],
    buttons: list[dict[str, str]] | None = None,
    **fields: Any,
) -> None:
    """Sends each text as a message (buttons on the last), then the contract metadata.

    When the crisis gate was unsure about the message ("concern"), every kind of reply starts
    with the crisis numbers: better said too soon than not at all.
    """
    if turn.concern and kind != "crisis":
        texts = [safety.concern_text(turn)] + list(texts)
        fields["safety"] = "concern"
    texts = [t for t in texts if t]
    for index, text in enumerate(texts):
        last = index == len(texts) - 1
        dispatcher.utter_message(text=text, buttons=(buttons or []) if last else [])
    if buttons and not texts:
        dispatcher.utter_message(buttons=buttons)
    dispatcher.utter_message(json_message={"kind": kind, **fields})
    if turn.detected and kind != "language":
        # Written in another language than the conversation's: the reply above is in it, and
        # this tells the widget's picker and the SMS channel (the first kind stays authoritative).
        dispatcher.utter_message(json_message={"kind": "language", "locale": turn.locale})
