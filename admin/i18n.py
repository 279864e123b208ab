"""The staff admin in every language of the reply contract, through gettext (domain "admin").

Staff choose their language with the switcher at the top of every page; the choice is kept in
their session (and survives signing in and out), and English is the default. The demo council
page is for residents, who have no session: it takes its language from ``?lang=``. The JSON API
stays in English: its errors are read by programs.

Catalogs: ``locales/<locale>/LC_MESSAGES/admin.po``, compiled by ``make translations``; see
content/i18n.py.
"""
from __future__ import annotations

import datetime as dt
import re

from babel import Locale
from babel.dates import format_date, format_time
from flask import Blueprint, Flask, abort, has_request_context, redirect, request, session
from flask_babel import Babel, get_locale, gettext, ngettext
from govuk_frontend_wtf.main import wtforms_errors as govuk_wtforms_errors

from content.i18n import DEFAULT_LOCALE, LOCALES, LOCALES_DIR, RTL_LOCALES, babel_locale, normalise_locale

SESSION_KEY = "locale"
DEMO_ARGUMENT = "lang"  # the demo page: /?lang=cy

language_pages = Blueprint("language", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    Babel(app, default_locale=DEFAULT_LOCALE, default_domain="admin",
          default_translation_directories=str(LOCALES_DIR), locale_selector=select_locale)
    app.jinja_env.globals.update(current_locale=current_locale, text_direction=text_direction,
                                 language_choices=language_choices, wtforms_errors=wtforms_errors,
                                 sms_counter_words=sms_counter_words, language_name=language_name)
    app.jinja_env.filters["govuk_i18n"] = govuk_i18n
    app.register_blueprint(language_pages)


def select_locale() -> str:
    if not has_request_context() or request.path.startswith("/api/"):
        return DEFAULT_LOCALE
    if request.endpoint == "home":  # the demo page: residents have no session to keep a choice in
        return normalise_locale(request.args.get(DEMO_ARGUMENT)) or DEFAULT_LOCALE
    chosen = session.get(SESSION_KEY)
    return chosen if chosen in LOCALES else DEFAULT_LOCALE


def current_locale() -> str:
    return str(get_locale() or DEFAULT_LOCALE)


def text_direction(locale: str | None = None) -> str:
    return "rtl" if (locale or current_locale()) in RTL_LOCALES else "ltr"


def language_name(code: str, in_locale: str | None = None) -> str:
    """A language's name, by default in the staff member's language ("Welsh", "Cymraeg"...)."""
    return Locale.parse(code).get_display_name(babel_locale(in_locale or current_locale()))


def language_choices() -> list[dict]:
    """The switcher's options: each language in its own name and script, marked with its lang,
    so anyone can find theirs whatever the page is showing."""
    here = current_locale()
    return [{"value": code, "text": language_name(code, code), "selected": code == here,
             "attributes": {"lang": code}} for code in LOCALES]


def clear_session() -> None:
    """Ends everything the session holds (signing in or out) except the chosen language."""
    chosen = session.get(SESSION_KEY)
    session.clear()
    if chosen in LOCALES:
        session[SESSION_KEY] = chosen


@language_pages.post("/language")
def choose():
    """The language switcher (CSRF-checked like every form); back to the page it was on."""
    from .views.auth import safe_next  # the same rule as after signing in: only into the admin

    chosen = normalise_locale(request.form.get("locale"))
    if chosen is None:
        abort(400)
    session[SESSION_KEY] = chosen
    return redirect(safe_next(request.form.get("next")))


# --- dates in the staff member's language ------------------------------------------------------

def long_date(value: dt.date) -> str:
    """20 November 2026 (GOV.UK style in English; the CLDR long date elsewhere)."""
    locale = current_locale()
    if locale == DEFAULT_LOCALE:
        return f"{value.day} {value:%B %Y}"
    return format_date(value, "long", locale=babel_locale(locale))


def date_and_time(local: dt.datetime) -> str:
    """20 November 2026 at 2:05pm, in the council's time zone already."""
    locale = current_locale()
    if locale == DEFAULT_LOCALE:
        clock = f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    else:
        clock = format_time(local, "short", locale=babel_locale(locale))
    return gettext("%(date)s at %(time)s", date=long_date(local.date()), time=clock)


# --- GOV.UK Frontend's own English words ----------------------------------------------------

def wtforms_errors(form, params: dict | None = None) -> dict:
    """govuk_frontend_wtf's error summary, with its heading in the staff member's language."""
    found = govuk_wtforms_errors(form, params or {})
    found["titleText"] = gettext("There is a problem")
    return found


def govuk_i18n(params: dict, component: str = "") -> dict:
    """Fills in the words GOV.UK Frontend's macros would otherwise write in English: the hidden
    "Error:" before an error message, the day, month and year labels, the password toggle."""
    params = dict(params)
    if params.get("errorMessage"):
        params["errorMessage"] = {"visuallyHiddenText": gettext("Error"), **params["errorMessage"]}
    if component == "date":
        labels = (gettext("Day"), gettext("Month"), gettext("Year"))
        params["items"] = [{**item, "label": label} for item, label in zip(params.get("items") or [], labels)]
    if component == "password":
        params = {"showPasswordText": gettext("Show"), "hidePasswordText": gettext("Hide"),
                  "showPasswordAriaLabelText": gettext("Show password"),
                  "hidePasswordAriaLabelText": gettext("Hide password"),
                  "passwordShownAnnouncementText": gettext("Your password is visible"),
                  "passwordHiddenAnnouncementText": gettext("Your password is hidden"), **params}
    return params


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """A plural message for the browser: one form for each CLDR plural category of the staff
    member's language ("one", "few", "other"...), with ``{num}`` for the number. The browser
    chooses with Intl.PluralRules, which uses the same categories."""
    locale = Locale.parse(babel_locale(current_locale()))
    forms: dict[str, str] = {}
    for number in range(0, 1001):
        category = locale.plural_form(number)
        if category not in forms:
            forms[category] = ngettext(singular, plural, number).replace(str(number), "{num}")
    return forms


def _for_the_browser(message: str) -> str:
    """A catalog message with %(name)s placeholders as {name}, for a script to fill in."""
    return re.sub(r"%\((\w+)\)s", r"{\1}", gettext(message))


def sms_counter_words() -> dict:
    """What admin/static/admin/sms-counter.js says as staff type, in their language. The same
    messages as the page's own count (content/_panels.html)."""
    return {
        "characters": plural_forms("%(num)s character", "%(num)s characters"),
        "messages": plural_forms("%(num)s text message", "%(num)s text messages"),
        "perMessage": plural_forms("%(num)s character per message", "%(num)s characters per message"),
        "gsm": gettext("basic SMS alphabet"),
        "unicode": gettext("Unicode"),
        "summary": _for_the_browser("%(characters)s, %(messages)s (%(alphabet)s: %(per_message)s)"),
        "summarySplit": _for_the_browser("%(characters)s, %(messages)s (%(alphabet)s: %(per_message)s once split)"),
        "onceFilled": _for_the_browser("Once filled in: %(summary)s"),
    }
