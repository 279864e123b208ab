"""The staff pages, one blueprint per area, and what every page template shares."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from content import council as council_config

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
    sections = [("content.topics", "Advice", "content."), ("figures.index", "Figures", "figures.")]
    if current_user.can_publish():  # referrals hold personal data: approvers and admins only
        sections.append(("referrals.queue", "Referrals", "referrals."))
    if current_user.can_manage_users():
        sections += [("users.index", "Users", "users."), ("audit.index", "Audit log", "audit."),
                     ("transfer.index", "Import and export", "transfer.")]
    items = [{"href": url_for(endpoint), "text": text, "active": (request.endpoint or "").startswith(prefix)}
             for endpoint, text, prefix in sections]
    items.append({"href": url_for("auth.logout"), "text": f"Sign out ({current_user.email})"})
    return items


def long_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def date_time(value: dt.datetime | None) -> str:
    """In the council's time zone, the way GOV.UK writes it: 20 November 2026, 2:05pm."""
    if not value:
        return ""
    local = as_utc(value).astimezone(ZoneInfo(council_config.current().timezone))
    clock = f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    return f"{long_date(local.date())} at {clock}"


ERROR_TITLES = {400: "Sorry, there is a problem with your request", 403: "You cannot do this",
                404: "Page not found", 405: "Sorry, there is a problem with your request",
                429: "Too many attempts"}


def _http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return jsonify(error=error.description or error.name), error.code
    if not request.path.startswith("/admin"):
        return error  # someone else's page: Flask's plain error
    if isinstance(error, CSRFError):
        title, message = "Your form has expired", ("For your security, the form was not sent. Go back, "
                                                   "refresh the page and try again.")
    else:
        title = ERROR_TITLES.get(error.code, error.name)
        message = error.description if error.code != 403 else (
            "Your role does not allow this. Ask an admin if you think it should.")
    return render_template("errors/error.html", page_title=title, message=message), error.code
