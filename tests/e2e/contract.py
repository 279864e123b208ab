"""The reply contract of shared/reply-contract.md, as a check on one turn's messages."""
from __future__ import annotations

import datetime as dt

from content.i18n import LOCALES
from content.models import TOPIC_SLUGS

REQUIRED = {
    "advice": ("topic", "locale", "reviewed"),
    "crisis": ("locale",),
    "referral": ("step",),
    "signpost": ("services",),
    "handoff": (),
    "out_of_scope": (),
    "fallback": (),
    "smalltalk": (),
    "language": ("locale",),
}


def kind_of(messages: list[dict]) -> dict:
    """Checks the turn against the contract and returns its authoritative custom object."""
    assert isinstance(messages, list) and messages, "a turn must reply"
    customs = [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("kind")]
    assert customs, f"no custom object with a kind in {messages}"
    first = customs[0]
    assert first["kind"] in REQUIRED, first
    missing = [f for f in REQUIRED[first["kind"]] if first.get(f) in (None, "")]
    assert not missing, f"{first['kind']} lacks {missing}"
    if first["kind"] == "advice":
        assert first["topic"] in TOPIC_SLUGS and first["locale"] in LOCALES
        dt.date.fromisoformat(first["reviewed"])
    if "locale" in REQUIRED[first["kind"]]:
        assert first["locale"] in LOCALES
    for message in messages:
        assert "recipient_id" in message
        for button in message.get("buttons") or []:
            assert button["title"] and button["payload"].startswith("/")
    return first


def text_of(messages: list[dict]) -> str:
    return "\n".join(m["text"] for m in messages if m.get("text"))
