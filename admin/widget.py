"""The chat widget's own words in each language, next to the widget:
``/static/widget/i18n/<locale>.json``.

The widget (static/widget/frontdoor-chat.js) has its English words built in, marked with
``_("...")`` so that ``make translations-update`` extracts them into the messages catalog with
everything else residents read. For any other language it fetches this small file: the
translations of just those words, from the compiled catalog, so a translation is one catalog
for the bot and the widget alike. It is public and the same for everyone, so any council's
website may read it (CORS) and browsers may cache it.
"""
from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path

from babel.messages.extract import extract_javascript
from flask import Blueprint, Response, abort, request

from content.i18n import DEFAULT_LOCALE, RTL_LOCALES, normalise_locale, translations

WIDGET_JS = Path(__file__).resolve().parent / "static" / "widget" / "frontdoor-chat.js"
MAX_AGE = 3600  # seconds: a new translation reaches browsers within the hour

widget_catalog = Blueprint("widget_catalog", __name__)


@lru_cache(maxsize=4)
def _widget_msgids(modified: float) -> tuple[str, ...]:
    """The strings the widget marks with _(), read from the script as the extractor reads them."""
    found = extract_javascript(io.BytesIO(WIDGET_JS.read_bytes()), ["_"], [], {})
    return tuple(dict.fromkeys(message for _line, _function, message, _comments in found
                               if isinstance(message, str)))


def widget_msgids() -> tuple[str, ...]:
    return _widget_msgids(WIDGET_JS.stat().st_mtime)


def catalog(locale: str) -> dict:
    gettext = translations(locale).gettext
    return {
        "locale": locale,
        "dir": "rtl" if locale in RTL_LOCALES else "ltr",
        # Only what the catalog really translates: the widget keeps its English for the rest.
        "messages": {msgid: text for msgid in widget_msgids() if (text := gettext(msgid)) != msgid},
    }


# More specific than Flask's /static/<path:filename>, so this rule answers these URLs.
@widget_catalog.get("/static/widget/i18n/<name>.json")
def widget_strings(name: str):
    locale = normalise_locale(name)
    if locale != name:  # one URL per language, so caches hold one copy
        abort(404)
    body = catalog(locale) if locale != DEFAULT_LOCALE else {"locale": locale, "dir": "ltr", "messages": {}}
    # UTF-8, not \u escapes: Arabic or Gujarati words arrive in half the bytes.
    response = Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                        mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # public words, no cookies: any site may embed
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)
