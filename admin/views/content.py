"""The advice pages: the list of topics, editing, review, publishing, history, diffs and roll back.

Every POST here has had its CSRF token checked by CSRFProtect before the view runs.
"""
from __future__ import annotations

import datetime as dt

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from content import store
from content.i18n import DEFAULT_LOCALE, LOCALES
from content.models import PUBLISHED, SUBMITTED, TOPIC_SLUGS, AdviceVersion

from .. import audit, database, previews
from . import translations
from ..i18n import language_name
from ..forms import EditForm, ReturnForm
from ..permissions import EDIT, PUBLISH, roles, staff_only
from ..security import LARGEST_ID

content_pages = Blueprint("content", __name__, url_prefix="/admin")
staff_only(content_pages)


def _checked(topic: str, locale: str) -> None:
    if topic not in TOPIC_SLUGS or locale not in LOCALES:
        abort(404)


def workflow_message(problem: store.WorkflowError) -> str:
    """Why a workflow step cannot happen, in the staff member's language. The store says it in
    English (the API passes that on); the pages say it by the kind of problem."""
    if isinstance(problem, store.Conflict):
        latest = problem.latest
        if latest is None:
            return gettext("A newer version was saved while you were editing. Your changes have not been saved.")
        if latest.author:
            return gettext("Version %(number)s was saved by %(author)s while you were editing. Your changes have "
                           "not been saved.", number=latest.version, author=latest.author)
        return gettext("Version %(number)s was saved while you were editing. Your changes have not been saved.",
                       number=latest.version)
    if isinstance(problem, store.SameAuthor):
        return gettext("You wrote this draft, so someone else must approve and publish it.")
    if isinstance(problem, store.NoDraft):
        return gettext("There is no draft to work on.")
    text = str(problem)
    if (found := re.fullmatch(r"There is no version (\d+)\.", text)):
        return gettext("There is no version %(number)s.", number=found.group(1))
    if (found := re.fullmatch(r"Version (\d+) is already the published version\.", text)):
        return gettext("Version %(number)s is already the published version.", number=found.group(1))
    if text.startswith("Say what needs to change"):
        return gettext("Say what needs to change before you return the draft.")
    return gettext("This cannot be done now. Refresh the page to see the latest version, then try again.")


def status_of(draft: AdviceVersion | None, published: AdviceVersion | None) -> tuple[str, str]:
    """What staff read for a topic's state, and the GOV.UK tag colour that goes with it."""
    if draft is not None and draft.status == SUBMITTED:
        return gettext("Waiting for review"), "govuk-tag--blue"
    if draft is not None and draft.returned_by:
        return gettext("Returned"), "govuk-tag--orange"
    if draft is not None:
        return gettext("Draft"), "govuk-tag--grey"
    if published is not None:
        return gettext("Published"), "govuk-tag--green"
    return gettext("Not started"), "govuk-tag--grey"


def version_label(version: AdviceVersion) -> tuple[str, str]:
    if version.status == PUBLISHED:
        return gettext("Published"), "govuk-tag--green"
    if version.status in store.OPEN:
        return status_of(version, None)
    if version.published_at is not None:
        return gettext("Replaced"), "govuk-tag--grey"  # was live once
    return gettext("Superseded draft"), "govuk-tag--grey"


def translation_state(topic: str, locale: str, rows: dict) -> str:
    here = rows.get((topic, locale), {})
    english = rows.get((topic, DEFAULT_LOCALE), {}).get("published")
    if locale == DEFAULT_LOCALE:  # counts the translations residents get: published and reviewed
        done = sum(1 for other in LOCALES[1:] if store.is_served(rows.get((topic, other), {}).get("published")))
        return ngettext("%(done)s of %(num)s language published", "%(done)s of %(num)s languages published",
                        len(LOCALES) - 1, done=done)
    return translations.summary(store.TranslationStatus(topic, locale, english, here.get("published"), here.get("draft")))


@content_pages.get("/")
def topics():
    locale = request.args.get("locale", DEFAULT_LOCALE)
    if locale not in LOCALES:
        abort(404)
    rows = store.overview(database.session())
    today = dt.date.today()
    items = []
    for topic in TOPIC_SLUGS:
        found = rows.get((topic, locale), {})
        draft, published = found.get("draft"), found.get("published")
        current = published or draft
        items.append({
            "topic": topic,
            "title": current.title if current else topic.replace("-", " ").capitalize(),
            "status": status_of(draft, published),
            "reviewed": current.reviewed if current else None,
            "review_due": current.review_due if current else None,
            "overdue": bool(current and current.review_due and current.review_due < today),
            "owner": current.owner if current else "",
            "translation": translation_state(topic, locale, rows),
        })
    return render_template("content/topics.html", page_title=gettext("Advice"), items=items, locale=locale,
                           locales=[(code, language_name(code)) for code in LOCALES], language=language_name(locale))


def _edit_page(topic, locale, form, base, **extra):
    """The edit page, with the checks and previews of the text in the form."""
    db = database.session()
    unsaved = previews.unsaved_version(topic, locale, form.title.data, form.body.data, form.sms_body.data, base,
                                       form.reviewed.data)
    return render_template(
        "content/edit.html", page_title=gettext("Edit: %(title)s", title=form.title.data or topic), form=form, topic=topic,
        locale=locale, language=language_name(locale), base=base, draft=store.draft(db, topic, locale),
        checks=previews.checks(db, unsaved), preview=previews.preview(db, unsaved),
        placeholders=previews.placeholder_values(db, locale), **extra)


@content_pages.route("/content/<topic>/<locale>", methods=["GET", "POST"])
@roles(*EDIT)
def edit(topic: str, locale: str):
    _checked(topic, locale)
    db = database.session()
    base = store.latest(db, topic, locale)
    form = EditForm(obj=base if request.method == "GET" else None)
    if request.method == "GET":
        form.base_version.data = base.version if base else 0
    if not form.validate_on_submit() or request.form.get("action") == "preview":
        return _edit_page(topic, locale, form, base)
    changes = store.Edit(title=form.title.data, body=form.body.data, sms_body=form.sms_body.data or "",
                         owner=form.owner.data or "", reviewed=form.reviewed.data, review_due=form.review_due.data)
    # The page always sends the version it started from; without a readable one, assume the
    # oldest, so the save is checked (and refused if anyone has saved) rather than trusted.
    started_from = _int(form.base_version.data) or 0
    try:
        version = store.save_draft(db, topic, locale, changes, current_user.email, base_version=started_from,
                                   translated_from=translations.translated_from_form(topic, locale))
    except store.Conflict as conflict:
        db.rollback()
        return _conflict(topic, locale, form, conflict)
    audit.record(db, "content.draft", audit.advice_target(topic, locale), {"version": version.version,
                                                               "based_on": version.based_on})
    db.commit()
    flash(gettext("Draft saved as version %(number)s. Send it for review when it is ready.", number=version.version),
          "success")
    return redirect(url_for("content.version", topic=topic, locale=locale, number=version.version))


def _int(value) -> int | None:
    """A version number from a form or query string, or None if it is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= LARGEST_ID else None


def _conflict(topic, locale, form, conflict: store.Conflict):
    """Keeps everything the person typed, explains, and lets a second, deliberate save win."""
    db = database.session()
    newest = store.latest(db, topic, locale)
    started_from = _int(form.base_version.data)
    form.base_version.data = newest.version if newest else 0
    error = {"text": gettext("%(problem)s Your text is still below. Compare the versions, then save again to "
                             "replace theirs with yours, or copy what you need first.",
                             problem=workflow_message(conflict)), "href": "#body"}
    return _edit_page(topic, locale, form, newest, conflict_error=error, conflict_from=started_from,
                      conflict_latest=newest), 409


def _version_or_404(topic: str, locale: str, number: int) -> AdviceVersion:
    _checked(topic, locale)
    found = store.find_version(database.session(), topic, locale, number)
    if found is None:
        abort(404)
    return found


@content_pages.get("/content/<topic>/<locale>/versions/<id:number>")
def version(topic: str, locale: str, number: int):
    """One version, as residents would see it, with what can be done to it next."""
    return _version_page(_version_or_404(topic, locale, number))


def _version_page(found: AdviceVersion, error: str | None = None, status: int = 200, return_form=None):
    topic, locale, number = found.topic_slug, found.locale, found.version
    db = database.session()
    published = store.published(db, topic, locale)
    return render_template(
        "content/version.html", page_title=gettext("Version %(number)s: %(title)s", number=number, title=found.title), version=found, topic=topic,
        locale=locale, language=language_name(locale), label=version_label(found), published=published,
        preview=previews.preview(db, found), checks=previews.checks(db, found),
        return_form=return_form or ReturnForm(formdata=None),
        workflow_error={"text": error, "href": "#actions"} if error else None, is_open=found.status in store.OPEN,
        own_draft=(found.author or "").lower() == current_user.email,
    ), status


def _open_draft_page(topic: str, locale: str, error: str, status: int):
    """The draft's page (or the newest version's, if there is no draft) with an error."""
    db = database.session()
    found = store.draft(db, topic, locale) or store.latest(db, topic, locale)
    if found is None:
        abort(404)
    return _version_page(found, error, status)


@content_pages.post("/content/<topic>/<locale>/submit")
@roles(*EDIT)
def submit(topic: str, locale: str):
    _checked(topic, locale)
    db = database.session()
    try:
        draft = store.submit(db, topic, locale, current_user.email)
    except store.WorkflowError as problem:
        return _open_draft_page(topic, locale, workflow_message(problem), 409)
    audit.record(db, "content.submit", audit.advice_target(topic, locale), {"version": draft.version})
    db.commit()
    flash(gettext("Version %(number)s is waiting for review. An approver can now publish it.", number=draft.version),
          "success")
    return redirect(url_for("content.version", topic=topic, locale=locale, number=draft.version))


@content_pages.post("/content/<topic>/<locale>/publish")
@roles(*PUBLISH)
def publish(topic: str, locale: str):
    _checked(topic, locale)
    db = database.session()
    try:
        draft = store.approve(db, topic, locale, current_user.email)
    except store.SameAuthor as problem:
        return _open_draft_page(topic, locale, workflow_message(problem), 403)
    except store.WorkflowError as problem:
        return _open_draft_page(topic, locale, workflow_message(problem), 409)
    audit.record(db, "content.publish", audit.advice_target(topic, locale),
                 {"version": draft.version, "author": draft.author})
    db.commit()
    flash(gettext("Version %(number)s is published. The assistant uses it from the next message.",
                  number=draft.version), "success")
    return redirect(url_for("content.version", topic=topic, locale=locale, number=draft.version))


@content_pages.post("/content/<topic>/<locale>/return")
@roles(*PUBLISH)
def return_draft(topic: str, locale: str):
    _checked(topic, locale)
    form = ReturnForm()
    db = database.session()
    draft = store.draft(db, topic, locale)
    if draft is None:
        return _open_draft_page(topic, locale, workflow_message(store.NoDraft()), 409)
    if not form.validate_on_submit():
        return _version_page(draft, status=400, return_form=form)
    store.return_with_comment(db, topic, locale, current_user.email, form.comment.data)
    audit.record(db, "content.return", audit.advice_target(topic, locale), {"version": draft.version,
                                                                "comment": form.comment.data.strip()})
    db.commit()
    if draft.author:
        flash(gettext("Version %(number)s is back with %(author)s with your comment.", number=draft.version,
                      author=draft.author), "success")
    else:
        flash(gettext("Version %(number)s is back with its author with your comment.", number=draft.version),
              "success")
    return redirect(url_for("content.version", topic=topic, locale=locale, number=draft.version))


@content_pages.post("/content/<topic>/<locale>/versions/<id:number>/rollback")
@roles(*PUBLISH)
def rollback(topic: str, locale: str, number: int):
    _version_or_404(topic, locale, number)
    db = database.session()
    try:
        copy = store.rollback(db, topic, locale, number, current_user.email)
    except store.SameAuthor as problem:
        return _version_page(_version_or_404(topic, locale, number), workflow_message(problem), 403)
    except store.WorkflowError as problem:
        db.rollback()
        return _version_page(_version_or_404(topic, locale, number), workflow_message(problem), 409)
    audit.record(db, "content.rollback", audit.advice_target(topic, locale),
                 {"restored": number, "version": copy.version})
    db.commit()
    flash(gettext("Version %(number)s is live again, published as version %(copy)s.", number=number,
                  copy=copy.version), "success")
    return redirect(url_for("content.version", topic=topic, locale=locale, number=copy.version))


@content_pages.get("/content/<topic>/<locale>/history")
def history(topic: str, locale: str):
    _checked(topic, locale)
    versions = store.history(database.session(), topic, locale)
    if not versions:
        abort(404)
    return render_template("content/history.html", page_title=gettext("History: %(title)s", title=versions[0].title), topic=topic,
                           locale=locale, language=language_name(locale), versions=versions,
                           labels={v.version: version_label(v) for v in versions})


@content_pages.get("/content/<topic>/<locale>/diff")
def diff(topic: str, locale: str):
    old = _version_or_404(topic, locale, _int(request.args.get("from")) or 0)
    new = _version_or_404(topic, locale, _int(request.args.get("to")) or 0)
    versions = store.history(database.session(), topic, locale)
    return render_template("content/diff.html", page_title=gettext("Changes from version %(old)s to %(new)s", old=old.version, new=new.version),
                           topic=topic, locale=locale, language=language_name(locale), old=old, new=new,
                           fields=store.diff(old, new), versions=versions, field_names=_field_names())


def _field_names() -> dict[str, str]:
    """What the diff calls each field: the edit form's labels, in the staff member's language."""
    form = EditForm(formdata=None)
    return {name: str(field.label.text) for name, field in form._fields.items()}
