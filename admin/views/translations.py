"""Translations: every topic in every language beside its English, whether each is reviewed and
served, which English version it was made from and whether the English has changed since; a
reviewer marks a translation reviewed; translators get and give back XLIFF files.

Every POST here has had its CSRF token checked by CSRFProtect before the view runs.
"""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import HiddenField

from content import store
from content.i18n import DEFAULT_LOCALE, LOCALES, RTL_LOCALES
from content.models import NEEDS_REVIEW, REVIEWED, TOPIC_SLUGS, TRANSLATION_DRAFT, AdviceVersion

from .. import audit, database, xliff
from ..i18n import language_name
from ..permissions import EDIT, PUBLISH, roles, staff_only
from ..security import LARGEST_ID

translation_pages = Blueprint("translations", __name__, url_prefix="/admin/translations")
staff_only(translation_pages)

TARGETS = tuple(code for code in LOCALES if code != DEFAULT_LOCALE)
TRANSLATED = ("title", "body", "sms_body")  # what a translator translates


class ReviewForm(FlaskForm):
    version = HiddenField()


class UploadForm(FlaskForm):
    file = FileField(lazy_gettext("Translated XLIFF file"), widget=GovFileInput(),
                     description=lazy_gettext("An XLIFF file (.xlf or .xliff) downloaded from this page and "
                                              "translated. Each changed topic becomes a draft that needs review."))


# --- what every page shows about a translation ----------------------------------------------

def text_attributes(locale: str) -> dict[str, str]:
    """lang and dir for an element holding advice text in this language: Urdu and Arabic read
    right to left whatever language the page around them is in."""
    return {"lang": locale, "dir": "rtl" if locale in RTL_LOCALES else "ltr"}


def state_label(state: str | None) -> tuple[str, str]:
    """What staff read for a translation's state, and the GOV.UK tag colour that goes with it."""
    if state == REVIEWED:
        return gettext("Reviewed"), "govuk-tag--green"
    if state == NEEDS_REVIEW:
        return gettext("Needs review"), "govuk-tag--orange"
    if state == TRANSLATION_DRAFT:
        return gettext("Draft"), "govuk-tag--grey"
    return gettext("Not started"), "govuk-tag--grey"


def made_from(version: AdviceVersion | None) -> str:
    if version is None:
        return ""
    if version.translated_from is None:
        return gettext("Not recorded")
    return gettext("English version %(number)s", number=version.translated_from)


def summary(status: store.TranslationStatus) -> str:
    """One line for lists: its state, whether the English has moved on, and what residents get."""
    label = state_label(status.state)[0]
    parts = [label]
    if status.out_of_date:
        parts.append(gettext("out of date: made from English version %(old)s, the English is now version %(new)s",
                             old=status.current.translated_from, new=status.english.version))
    if status.current is not None:
        parts.append(gettext("residents get this translation") if status.served else
                     gettext("residents get the English"))
    return "; ".join(parts)


@translation_pages.app_template_global("translation_text")
def _translation_text(locale: str) -> dict[str, str]:
    return text_attributes(locale)


@translation_pages.app_template_global("translation_of")
def translation_of(version: AdviceVersion | None, topic: str, locale: str) -> dict | None:
    """For the edit and version pages: this version's translation state beside the English, or
    None for English."""
    if locale == DEFAULT_LOCALE or locale not in LOCALES or topic not in TOPIC_SLUGS:
        return None
    status = store.translation_status(database.session(), topic, locale)
    return {"status": status, "version": version, "label": state_label(version.translation_state if version else None),
            "made_from": made_from(version), "out_of_date": store.is_out_of_date(version, status.english),
            "served": store.is_served(version)}


# --- pages -----------------------------------------------------------------------------------

def _target_or_404(locale: str) -> None:
    if locale not in TARGETS:
        abort(404)


def _topic_or_404(topic: str) -> None:
    if topic not in TOPIC_SLUGS:
        abort(404)


@translation_pages.get("/")
def overview():
    """Every topic in every language: a grid of states, each linking to that translation."""
    statuses = store.translation_overview(database.session())
    rows = []
    for topic in TOPIC_SLUGS:
        english = statuses[(topic, TARGETS[0])].english
        rows.append({"topic": topic, "title": english.title if english else topic,
                     "cells": [(locale, statuses[(topic, locale)]) for locale in TARGETS]})
    counts = {locale: sum(1 for topic in TOPIC_SLUGS if statuses[(topic, locale)].served) for locale in TARGETS}
    stale = {locale: sum(1 for topic in TOPIC_SLUGS if statuses[(topic, locale)].out_of_date) for locale in TARGETS}
    return render_template("translations/overview.html", page_title=gettext("Translations"), rows=rows,
                           languages=[(code, language_name(code)) for code in TARGETS], counts=counts, stale=stale,
                           state_label=state_label, topics=len(TOPIC_SLUGS))


def _language_page(locale: str, form: UploadForm | None = None, problems: list[str] | None = None, status: int = 200):
    statuses = store.translation_overview(database.session())
    items = [statuses[(topic, locale)] for topic in TOPIC_SLUGS]
    return render_template(
        "translations/language.html",
        page_title=gettext("Translations into %(language)s", language=language_name(locale)),
        locale=locale, language=language_name(locale), items=items, state_label=state_label, made_from=made_from,
        form=form or UploadForm(formdata=None), problems=problems or [], show_errors=bool(problems),
        text=text_attributes(locale)), status


@translation_pages.get("/<locale>")
def language(locale: str):
    _target_or_404(locale)
    return _language_page(locale)


@translation_pages.get("/<locale>/<topic>")
def translation(locale: str, topic: str):
    _target_or_404(locale)
    _topic_or_404(topic)
    return _translation_page(locale, topic)


def _translation_page(locale: str, topic: str, error: str | None = None, status_code: int = 200):
    db = database.session()
    status = store.translation_status(db, topic, locale)
    current, english = status.current, status.english
    made_from_english = (store.find_version(db, topic, DEFAULT_LOCALE, current.translated_from)
                         if current is not None and current.translated_from else None)
    changes = (store.diff(made_from_english, english) if status.out_of_date and made_from_english is not None
               and english is not None else None)
    own = current is not None and (current.author or "").lower() == current_user.email
    title = current.title if current is not None else (english.title if english else topic)
    return render_template(
        "translations/translation.html", page_title=gettext("%(language)s: %(title)s", language=language_name(locale),
                                                            title=title),
        locale=locale, topic=topic, language=language_name(locale), status=status, current=current, english=english,
        label=state_label(status.state), made_from=made_from(current), made_from_english=made_from_english,
        changes=[field for field in changes or [] if field.changed and field.name in TRANSLATED] or None, own=own,
        state_label=state_label,
        review_form=ReviewForm(formdata=None, version=current.version if current else None),
        workflow_error={"text": error, "href": "#review"} if error else None, text=text_attributes(locale),
        english_text=text_attributes(DEFAULT_LOCALE),
    ), status_code


def _review_problem(problem: store.WorkflowError) -> str:
    """Why a translation cannot be marked reviewed, in the staff member's language."""
    if isinstance(problem, store.SameTranslator):
        return gettext("You saved this translation, so someone else must review it.")
    text = str(problem)
    if "replaced by a newer version" in text:
        return gettext("That version has been replaced by a newer version. Review the newer version instead.")
    if "already reviewed" in text:
        return gettext("That version is already reviewed.")
    return gettext("There is no version of this translation to review. Refresh the page and try again.")


@translation_pages.post("/<locale>/<topic>/review")
@roles(*PUBLISH)
def review(locale: str, topic: str):
    """A reviewer (approver or admin) records that a fluent reader checked this version against
    the English. Not their own: the two-person rule holds for translations too."""
    _target_or_404(locale)
    _topic_or_404(topic)
    form = ReviewForm()
    number = _int(form.version.data)
    db = database.session()
    try:
        if number is None:
            raise store.WorkflowError("There is no version to review.")
        version = store.mark_reviewed(db, topic, locale, number, current_user.email)
    except store.SameTranslator as problem:
        db.rollback()
        return _translation_page(locale, topic, _review_problem(problem), 403)
    except store.WorkflowError as problem:
        db.rollback()
        return _translation_page(locale, topic, _review_problem(problem), 409)
    audit.record(db, "translation.review", audit.advice_target(topic, locale),
                 {"version": version.version, "translated_from": version.translated_from,
                  "author": version.author, "published": version.status == "published"})
    db.commit()
    if store.is_served(version):
        flash(gettext("Version %(number)s is reviewed. Residents get it from the next message.",
                      number=version.version), "success")
    else:
        flash(gettext("Version %(number)s is reviewed. Residents get it once an approver publishes it.",
                      number=version.version), "success")
    return redirect(url_for("translations.translation", locale=locale, topic=topic))


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= LARGEST_ID else None


@translation_pages.post("/<locale>/export")
@roles(*EDIT)
def export(locale: str):
    """The XLIFF file for translators: every published English answer with the current translation."""
    _target_or_404(locale)
    db = database.session()
    data, count = xliff.export(db, locale)
    audit.record(db, "translation.export", f"translations/{locale}", {"locale": locale, "topics": count})
    db.commit()
    return send_file(io.BytesIO(data), mimetype=xliff.MEDIA_TYPE, as_attachment=True,
                     download_name=xliff.file_name(locale))


@translation_pages.post("/<locale>/import")
@roles(*EDIT)
def upload(locale: str):
    """Takes a translated XLIFF file back: each changed topic becomes a new draft that needs
    review, made from the English version the file names. All or nothing."""
    _target_or_404(locale)
    form = UploadForm()
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        return _upload_problems(locale, form, [gettext("Select an XLIFF file")])
    db = database.session()
    try:
        items = xliff.parse(chosen.read(), locale, xliff.english_versions(db))
    except xliff.XliffError as problem:
        return _upload_problems(locale, form, problem.messages)
    if not items:
        return _upload_problems(locale, form, [gettext("The selected file has no translated text in it")])
    try:
        saved, unchanged = xliff.import_translations(db, locale, items, current_user.email)
    except store.Conflict:
        db.rollback()
        return _upload_problems(locale, form, [gettext(
            "Someone saved a translation while the file was being imported. Nothing was imported: upload it again.")])
    audit.record(db, "translation.import", f"translations/{locale}", {
        "locale": locale, "file": chosen.filename[:100], "unchanged": unchanged,
        "versions": [{"topic": v.topic_slug, "version": v.version, "translated_from": v.translated_from}
                     for v in saved]})
    db.commit()
    if saved:
        flash(gettext("Imported %(count)s translations as drafts that need review (%(unchanged)s unchanged).",
                      count=len(saved), unchanged=unchanged), "success")
    else:
        flash(gettext("Nothing was imported: every translation in the file is the same as the current one."),
              "success")
    return redirect(url_for("translations.language", locale=locale))


def _upload_problems(locale: str, form: UploadForm, problems: list[str]):
    form.file.errors = [problems[0]]
    return _language_page(locale, form, problems, 400)


def translated_from_form(topic: str, locale: str) -> int | None:
    """The English version a translation's edit says it now matches: only ever the published
    English (the edit page's checkbox), so nobody claims a version the page did not show."""
    if locale == DEFAULT_LOCALE:
        return None
    english = store.published(database.session(), topic, DEFAULT_LOCALE)
    chosen = _int(request.form.get("translated_from"))
    return english.version if english is not None and chosen == english.version else None
