"""The staff pages, one blueprint per area, and what every page template shares."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, jsonify, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from content import council as council_config

from .. import i18n
from ..accounts import as_utc


def init_templates(app: Flask) -> None:
    app.context_processor(lambda: {"council": council_config.current(), "navigation_items": navigation_items})
    app.add_template_filter(long_date, "date")
    app.add_template_filter(date_time, "datetime")
    app.register_error_handler(HTTPException, _http_error)


def navigation_items() -> list[dict]:
    """The service navigation for the signed-in user's role; the current section is marked."""
    if not current_user.is_authenticated:
        return []
    sections = [("content.topics", gettext("Advice"), "content."), ("figures.index", gettext("Figures"), "figures.")]
    sections.append(("translations.overview", gettext("Translations"), "translations."))
    sections.append(("directory.index", gettext("Directory"), "directory."))
    if current_user.can_publish():  # referrals hold personal data: approvers and admins only
        sections.append(("referrals.queue", gettext("Referrals"), "referrals."))
    if current_user.can_manage_users():
        sections += [("users.index", gettext("Users"), "users."), ("audit.index", gettext("Audit log"), "audit."),
                     ("transfer.index", gettext("Import and export"), "transfer.")]
    items = [{"href": url_for(endpoint), "text": text, "active": (request.endpoint or "").startswith(prefix)}
             for endpoint, text, prefix in sections]
    items.append({"href": url_for("auth.logout"), "text": gettext("Sign out (%(email)s)", email=current_user.email)})
    return items


def long_date(value: dt.date | None) -> str:
    return i18n.long_date(value) if value else ""


def date_time(value: dt.datetime | None) -> str:
    """In the council's time zone, the way GOV.UK writes it: 20 November 2026, 2:05pm."""
    if not value:
        return ""
    return i18n.date_and_time(as_utc(value).astimezone(ZoneInfo(council_config.current().timezone)))


ERROR_TITLES = {400: lazy_gettext("Sorry, there is a problem with your request"),
                403: lazy_gettext("You cannot do this"), 404: lazy_gettext("Page not found"),
                405: lazy_gettext("Sorry, there is a problem with your request"),
                429: lazy_gettext("Too many attempts")}
# What the page says under the title. A view that aborts with its own description (already in
# the staff member's language) says that instead; Werkzeug's stock descriptions are English.
ERROR_MESSAGES = {
    400: lazy_gettext("The request could not be understood. Go back and try again."),
    403: lazy_gettext("Your role does not allow this. Ask an admin if you think it should."),
    404: lazy_gettext("If you typed the web address, check it is correct. If you pasted it, check you "
                      "copied the whole address."),
    405: lazy_gettext("The request could not be understood. Go back and try again."),
    413: lazy_gettext("What you sent is too large. Send less and try again."),
    429: lazy_gettext("There have been too many attempts. Wait 15 minutes and try again."),
}
GENERIC_MESSAGE = lazy_gettext("Something went wrong. Go back and try again.")


def _http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return jsonify(error=error.description or error.name), error.code
    if not request.path.startswith("/admin"):
        return error  # someone else's page: Flask's plain error
    if isinstance(error, CSRFError):
        title = gettext("Your form has expired")
        message = gettext("For your security, the form was not sent. Go back, refresh the page and try again.")
    else:
        title = ERROR_TITLES.get(error.code, ERROR_TITLES[400])
        own_words = error.description != type(error).description and error.code != 403
        message = error.description if own_words else ERROR_MESSAGES.get(error.code, GENERIC_MESSAGE)
    return render_template("errors/error.html", page_title=title, message=message), error.code
