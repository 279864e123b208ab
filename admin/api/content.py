"""The advice, by topic and language: read it, save a draft, send it for review, publish it,
return it, roll it back, and list its versions."""
from __future__ import annotations

from content import council, markdown, render, store
from content.i18n import DEFAULT_LOCALE, LOCALES
from content.models import TOPIC_SLUGS, AdviceVersion

from .. import audit, database
from ..permissions import EDIT, PUBLISH
from . import api
from .helpers import ApiError, caller, date, json_object, text, token_required, whole_number


def _checked(topic: str, locale: str) -> None:
    if topic not in TOPIC_SLUGS:
        raise ApiError(404, f"There is no topic '{topic}'")
    if locale not in LOCALES:
        raise ApiError(404, f"There is no locale '{locale}'")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def version_json(version: AdviceVersion | None, table: dict[str, str]) -> dict | None:
    if version is None:
        return None
    return {
        "version": version.version, "status": version.status, "title": version.title, "body": version.body,
        "sms_body": version.sms_body, "reviewed": _iso(version.reviewed), "review_due": _iso(version.review_due),
        "owner": version.owner, "author": version.author, "created_at": _iso(version.created_at),
        "submitted_by": version.submitted_by, "review_comment": version.review_comment,
        "published_at": _iso(version.published_at), "published_by": version.published_by,
        "rollback_of": version.rollback_of,
        # Translations only (null for English): draft, needs_review or reviewed; the English
        # version it was made from; who marked it reviewed and when.
        "translation_state": version.translation_state, "translated_from": version.translated_from,
        "translation_reviewed_by": version.translation_reviewed_by,
        "translation_reviewed_at": _iso(version.translation_reviewed_at),
        # What the web chat shows: placeholders filled, Markdown rendered and sanitised.
        "html": markdown.to_html(render.fill(version.body, table)),
    }


def document(topic: str, locale: str) -> dict:
    db = database.session()
    table = render.values(council.current(), store.figure_values(db), locale)
    latest = store.latest(db, topic, locale)
    return {
        "topic": topic, "locale": locale,
        "published": version_json(store.published(db, topic, locale), table),
        "draft": version_json(store.draft(db, topic, locale), table),
        "latest_version": latest.version if latest else 0,
        "translation": (translation_json(store.translation_status(db, topic, locale))
                        if locale != DEFAULT_LOCALE else None),
    }


def translation_json(status: store.TranslationStatus) -> dict:
    """Whether residents get this translation, and whether the English has moved on since."""
    return {
        "state": status.state,  # of the newest version: the draft, or else the published one
        "served": status.served,  # published and reviewed; otherwise residents get the English
        "english_version": status.english.version if status.english else None,  # the published English
        "translated_from": status.current.translated_from if status.current else None,
        "out_of_date": status.out_of_date,
    }


@api.get("/content/<topic>/<locale>")
@token_required(*EDIT)
def get_content(topic: str, locale: str):
    _checked(topic, locale)
    return document(topic, locale)


@api.put("/content/<topic>/<locale>")
@token_required(*EDIT)
def save_draft(topic: str, locale: str):
    _checked(topic, locale)
    data = json_object()
    db = database.session()
    newest = store.latest(db, topic, locale)
    # Details the request leaves out keep their values from the newest version.
    edit = store.Edit(
        title=text(data, "title", max_length=200), body=text(data, "body"),
        sms_body=text(data, "sms_body", required=False) or "",
        owner=(text(data, "owner", required=False, max_length=200) or "") if "owner" in data else
        (newest.owner if newest else ""),
        reviewed=date(data, "reviewed") if "reviewed" in data else (newest.reviewed if newest else None),
        review_due=date(data, "review_due") if "review_due" in data else (newest.review_due if newest else None),
    )
    base_version = whole_number(data, "base_version", required=False)
    # A translation may say which English version it was made from; by default, the same one as
    # the version it replaces. It always needs review.
    translated_from = whole_number(data, "translated_from", required=False)
    if translated_from is not None and locale == DEFAULT_LOCALE:
        raise ApiError(400, "'translated_from' is for translations, not English")
    try:
        version = store.save_draft(db, topic, locale, edit, caller().email, base_version=base_version,
                                   translated_from=translated_from)
    except store.Conflict as conflict:
        db.rollback()
        newest = store.latest(db, topic, locale)
        raise ApiError(409, str(conflict), latest_version=newest.version if newest else 0) from None
    except store.WorkflowError as problem:
        db.rollback()
        raise ApiError(400, str(problem)) from None
    audit.record(db, "content.draft", audit.advice_target(topic, locale), {"version": version.version,
                                                               "based_on": version.based_on})
    db.commit()
    return document(topic, locale)


def _workflow(topic: str, locale: str, step):
    """Runs one workflow step, turning refusals into the right status code."""
    _checked(topic, locale)
    db = database.session()
    try:
        return step(db)
    except store.SameAuthor as problem:
        raise ApiError(403, str(problem)) from None
    except store.NoDraft as problem:
        raise ApiError(409, str(problem)) from None
    except store.WorkflowError as problem:
        raise ApiError(409, str(problem)) from None


@api.post("/content/<topic>/<locale>/submit")
@token_required(*EDIT)
def submit(topic: str, locale: str):
    version = _workflow(topic, locale, lambda db: store.submit(db, topic, locale, caller().email))
    audit.record(database.session(), "content.submit", audit.advice_target(topic, locale),
                 {"version": version.version})
    database.session().commit()
    return document(topic, locale)


@api.post("/content/<topic>/<locale>/publish")
@token_required(*PUBLISH)
def publish(topic: str, locale: str):
    version = _workflow(topic, locale, lambda db: store.approve(db, topic, locale, caller().email))
    audit.record(database.session(), "content.publish", audit.advice_target(topic, locale),
                 {"version": version.version, "author": version.author})
    database.session().commit()
    return document(topic, locale)


@api.post("/content/<topic>/<locale>/return")
@token_required(*PUBLISH)
def return_draft(topic: str, locale: str):
    _checked(topic, locale)
    comment = text(json_object(), "comment")
    version = _workflow(topic, locale, lambda db: store.return_with_comment(db, topic, locale, caller().email, comment))
    audit.record(database.session(), "content.return", audit.advice_target(topic, locale),
                 {"version": version.version, "comment": comment.strip()})
    database.session().commit()
    return document(topic, locale)


@api.post("/content/<topic>/<locale>/rollback")
@token_required(*PUBLISH)
def rollback(topic: str, locale: str):
    _checked(topic, locale)
    number = whole_number(json_object(), "version")
    if store.find_version(database.session(), topic, locale, number) is None:
        raise ApiError(404, f"There is no version {number} of {topic} in {locale}")
    copy = _workflow(topic, locale, lambda db: store.rollback(db, topic, locale, number, caller().email))
    audit.record(database.session(), "content.rollback", audit.advice_target(topic, locale),
                 {"restored": number, "version": copy.version})
    database.session().commit()
    return document(topic, locale)


@api.get("/content/<topic>/<locale>/versions")
@token_required(*EDIT)
def versions(topic: str, locale: str):
    _checked(topic, locale)
    return {"topic": topic, "locale": locale, "versions": [
        {"version": v.version, "status": v.status, "title": v.title, "author": v.author,
         "created_at": _iso(v.created_at), "published_at": _iso(v.published_at), "published_by": v.published_by,
         "rollback_of": v.rollback_of, "translation_state": v.translation_state, "translated_from": v.translated_from}
        for v in store.history(database.session(), topic, locale)]}
