"""Gettext catalogs for every string a person reads that is not advice content.

Two catalogs (gettext domains) per locale, in ``locales/<locale>/LC_MESSAGES/``:
``messages.po`` for what residents read (the bot's replies, the widget) and ``admin.po`` for the
staff interface. ``make translations`` compiles them to ``.mo``; ``make translations-update``
extracts the source strings (``locales/*.pot``) and merges them into every catalog.
A locale with no catalog falls back to the English source strings.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

# The languages of the reply contract, in the order a language picker shows them.
LOCALES = ("en", "cy", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu")
RTL_LOCALES = frozenset({"ur", "ar"})
DEFAULT_LOCALE = "en"


def normalise_locale(value: object) -> str | None:
    """The supported locale a client asked for ("pl", "pl-PL", "PL_pl"), or None."""
    if not isinstance(value, str):
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LOCALES else None


DOMAINS = ("messages", "admin")


@lru_cache(maxsize=None)
def translations(locale: str, domain: str = "messages") -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [locale], domain=domain)


def babel_locale(locale: str) -> str:
    """The Babel/CLDR locale used to format dates and numbers (British English for "en")."""
    return "en_GB" if locale == "en" else locale
