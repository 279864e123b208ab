"""The reply of last resort, made inside the Rasa server when the action server cannot answer.

A resident must never be left with silence, least of all one in crisis, so this reply always
gives the emergency numbers and the council's phone number. It uses only the council file and
the compiled catalogs, nothing that could be down.
"""
from __future__ import annotations

import gettext
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from content.council import current as council  # noqa: E402  (needs ROOT on the path)
from content.i18n import DEFAULT_LOCALE, normalise_locale  # noqa: E402

LOCALES_DIR = ROOT / "locales"


def _translator(locale: str) -> gettext.NullTranslations:
    return gettext.translation("messages", str(LOCALES_DIR), languages=[locale], fallback=True)


def reply(recipient: str, locale: Any, crisis: bool) -> List[Dict[str, Any]]:
    locale = normalise_locale(locale) or DEFAULT_LOCALE
    _ = _translator(locale).gettext
    c = council()
    text = _(
        "Sorry, I cannot answer properly right now.\n\n"
        "If you or someone else is in danger now, call {emergency}. "
        "If you are thinking about ending your life, call Samaritans free on {samaritans}, any time. "
        "For urgent medical help, call NHS {nhs}.\n\n"
        "To talk to {service}, call {phone}. When we are closed, call {out_of_hours}."
    ).format(
        emergency=c.crisis["emergency"], samaritans=c.crisis["samaritans"], nhs=c.crisis["nhs_non_emergency"],
        service=c.service_name, phone=c.phones["adult_social_care"], out_of_hours=c.phones["out_of_hours"],
    )
    custom = {"kind": "crisis", "locale": locale} if crisis else {"kind": "handoff", "error": "unavailable"}
    return [{"recipient_id": recipient, "text": text}, {"recipient_id": recipient, "custom": custom}]
