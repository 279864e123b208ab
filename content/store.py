"""Reading and changing the content store: what the bot says comes from here on every turn."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import files, render
from .council import Council
from .i18n import DEFAULT_LOCALE, LOCALES
from .models import (
    ARCHIVED,
    DRAFT,
    NEEDS_REVIEW,
    PUBLISHED,
    REVIEWED,
    SUBMITTED,
    TOPIC_SLUGS,
    AdviceVersion,
    Figure,
    Topic,
)

LOADER = "content files"  # the author recorded for versions loaded from content/


@dataclass(frozen=True)
class Answer:
    """A published answer with its placeholders filled in, ready to send."""

    topic: str
    locale: str  # the language actually served
    title: str
    body: str
    sms_body: str
    reviewed: dt.date | None
    version: int
    related: list[tuple[str, str]]  # (slug, title in the served language)
    sources: list[dict]


def published(session: Session, topic: str, locale: str) -> AdviceVersion | None:
    return session.scalar(
        select(AdviceVersion).where(
            AdviceVersion.topic_slug == topic,
            AdviceVersion.locale == locale,
            AdviceVersion.status == PUBLISHED,
        )
    )


def is_served(version: AdviceVersion | None) -> bool:
    """Whether residents get this version: English once published; a translation only once it
    is published and reviewed."""
    return version is not None and version.status == PUBLISHED and (
        version.locale == DEFAULT_LOCALE or version.translation_state == REVIEWED)


def served(session: Session, topic: str, locale: str) -> AdviceVersion | None:
    """The version residents get in this language, if there is one (no fallback to English)."""
    version = published(session, topic, locale)
    return version if is_served(version) else None


def titles(session: Session, locale: str) -> dict[str, str]:
    """Each topic's served title in this language, falling back to English."""
    rows = session.execute(
        select(AdviceVersion.topic_slug, AdviceVersion.locale, AdviceVersion.title).where(
            AdviceVersion.status == PUBLISHED, AdviceVersion.locale.in_({locale, DEFAULT_LOCALE}),
            or_(AdviceVersion.locale == DEFAULT_LOCALE, AdviceVersion.translation_state == REVIEWED),
        )
    )
    found: dict[str, str] = {}
    for slug, row_locale, title in sorted(rows, key=lambda r: r[1] == locale):
        found[slug] = title  # the requested locale sorts last, so it wins
    return found


def figure_values(session: Session) -> list[render.FigureValue]:
    return [
        render.FigureValue(f.key, f.value, f.format, f.applies)
        for f in session.scalars(select(Figure))
    ]


def answer(session: Session, topic: str, locale: str, council: Council) -> Answer | None:
    """The published answer for a topic in the reader's language, or in English if that
    language has no published and reviewed translation (Answer.locale then says "en")."""
    advice = served(session, topic, locale) or published(session, topic, DEFAULT_LOCALE)
    if advice is None:
        return None
    return filled(session, advice, council)


def filled(session: Session, advice: AdviceVersion, council: Council) -> Answer:
    """Any version (published or not) with its placeholders filled in, as it would be sent."""
    table = render.values(council, figure_values(session), advice.locale)
    names = titles(session, advice.locale)
    return Answer(
        topic=advice.topic_slug,
        locale=advice.locale,
        title=render.fill(advice.title, table),
        body=render.fill(advice.body, table).strip(),
        sms_body=render.fill(advice.sms_body, table).strip(),
        reviewed=advice.reviewed,
        version=advice.version,
        related=[(slug, names[slug]) for slug in advice.related if slug in names],
        sources=list(advice.sources or []),
    )


def next_version(session: Session, topic: str, locale: str) -> int:
    latest = session.scalar(
        select(func.max(AdviceVersion.version)).where(
            AdviceVersion.topic_slug == topic, AdviceVersion.locale == locale
        )
    )
    return (latest or 0) + 1


def publish(session: Session, version: AdviceVersion, by: str | None) -> None:
    """Makes this version the live one; the one it replaces is kept, archived."""
    current = published(session, version.topic_slug, version.locale)
    if current is not None and current.id != version.id:
        current.status = ARCHIVED
        session.flush()  # the database allows one published version per topic and language
    version.status = PUBLISHED
    version.published_at = dt.datetime.now(dt.timezone.utc)
    version.published_by = by
    session.flush()


def ensure_topics(session: Session) -> None:
    existing = set(session.scalars(select(Topic.slug)))
    for position, slug in enumerate(TOPIC_SLUGS):
        if slug not in existing:
            session.add(Topic(slug=slug, position=position))
    session.flush()


def _same_text(version: AdviceVersion, advice: files.AdviceFile) -> bool:
    return (version.title, version.body.strip(), version.sms_body, version.related, version.sources,
            version.owner, version.reviewed, version.review_due) == (
        advice.title, advice.body.strip(), advice.sms_body, advice.related, advice.sources,
        advice.owner, advice.reviewed, advice.review_due)


def _same(version: AdviceVersion, advice: files.AdviceFile) -> bool:
    if advice.locale == DEFAULT_LOCALE:
        return _same_text(version, advice)
    return _same_text(version, advice) and (version.translation_state, version.translated_from) == (
        advice.translation_state, advice.translated_from)


def _translation_fields(advice: files.AdviceFile, by: str) -> dict:
    if advice.locale == DEFAULT_LOCALE:
        return {}
    fields = {"translation_state": advice.translation_state, "translated_from": advice.translated_from}
    if advice.translation_state == REVIEWED:  # reviewed where the files are kept, as git shows
        fields.update(translation_reviewed_by=by, translation_reviewed_at=_now())
    return fields


def import_advice(session: Session, items: list[files.AdviceFile], by: str = LOADER) -> int:
    """Publishes each file that differs from what is live, as a new version. A translation whose
    file says it is not reviewed yet becomes the open draft instead (never served), unless the
    store already has that text. Returns how many versions it added."""
    ensure_topics(session)
    changed = 0
    for advice in items:
        if advice.locale != DEFAULT_LOCALE and advice.translation_state != REVIEWED:
            changed += _import_unreviewed_translation(session, advice, by)
            continue
        current = published(session, advice.topic, advice.locale)
        if current is not None and _same(current, advice):
            continue
        version = AdviceVersion(
            topic_slug=advice.topic, locale=advice.locale,
            version=next_version(session, advice.topic, advice.locale),
            title=advice.title, body=advice.body, sms_body=advice.sms_body,
            related=advice.related, sources=advice.sources, owner=advice.owner,
            reviewed=advice.reviewed, review_due=advice.review_due, author=by,
            **_translation_fields(advice, by),
        )
        session.add(version)
        session.flush()
        publish(session, version, by)
        changed += 1
    return changed


def _import_unreviewed_translation(session: Session, advice: files.AdviceFile, by: str) -> int:
    newest = latest(session, advice.topic, advice.locale)
    live = published(session, advice.topic, advice.locale)
    if any(v is not None and _same_text(v, advice) and v.translated_from == advice.translated_from
           for v in (newest, live)):
        return 0  # the store has this text already (perhaps reviewed since): nothing to add
    previous = draft(session, advice.topic, advice.locale)
    if previous is not None:
        previous.status = ARCHIVED  # replaced by the file's version; kept in the history
    session.add(AdviceVersion(
        topic_slug=advice.topic, locale=advice.locale, version=(newest.version + 1) if newest else 1, status=DRAFT,
        title=advice.title, body=advice.body, sms_body=advice.sms_body, related=advice.related,
        sources=advice.sources, owner=advice.owner, reviewed=advice.reviewed, review_due=advice.review_due,
        author=by, based_on=newest.version if newest else None, **_translation_fields(advice, by),
    ))
    session.flush()
    return 1


def import_figures(session: Session, rows: list[files.FigureRow]) -> int:
    changed = 0
    for row in rows:
        figure = session.get(Figure, row.key) or Figure(key=row.key)
        new = (row.value, row.format, row.applies, row.source, row.note)
        if (figure.value, figure.format, figure.applies, figure.source, figure.note) != new:
            figure.value, figure.format, figure.applies, figure.source, figure.note = new
            session.add(figure)
            changed += 1
    session.flush()
    return changed


def load_if_empty(session: Session) -> bool:
    """On first start, loads the content files. An existing store is never overwritten."""
    ensure_topics(session)
    if session.scalar(select(func.count()).select_from(AdviceVersion)):
        return False
    import_figures(session, files.read_figures())
    import_advice(session, files.read_advice())
    return True


def _exported(session: Session) -> list[AdviceVersion]:
    """Per topic and language, the version the content files hold: the published one; for a
    translation not published yet, its open draft (its file says it still needs review), so a
    translator's work round-trips too. English drafts are never exported."""
    chosen: dict[tuple[str, str], AdviceVersion] = {}
    for (topic, locale), rows in sorted(overview(session).items()):
        version = rows.get("published") or (rows.get("draft") if locale != DEFAULT_LOCALE else None)
        if version is not None:
            chosen[(topic, locale)] = version
    return list(chosen.values())


def export_files(session: Session, advice_dir=files.ADVICE_DIR, figures_file=files.FIGURES_FILE) -> int:
    """Writes every published answer (and translations still waiting for review, with their
    state) and the figures back to the content files."""
    count = 0
    for version in _exported(session):
        translation = {} if version.locale == DEFAULT_LOCALE else {
            "translation_state": version.translation_state or NEEDS_REVIEW,
            "translated_from": version.translated_from}
        files.write_advice(files.AdviceFile(
            topic=version.topic_slug, locale=version.locale, title=version.title, body=version.body,
            sms_body=version.sms_body, owner=version.owner, reviewed=version.reviewed,
            review_due=version.review_due, related=list(version.related), sources=list(version.sources),
            **translation,
        ), advice_dir)
        count += 1
    files.write_figures([
        files.FigureRow(f.key, f.value, f.format, f.applies, f.source, f.note)
        for f in session.scalars(select(Figure).order_by(Figure.key))
    ], figures_file)
    return count


# The review workflow used by the staff admin and its API. An edit is always a new version;
# at most one version of a topic in a language is "open" (draft or submitted) at a time, and
# publishing one archives the version it replaces, so every version stays in the history.

OPEN = (DRAFT, SUBMITTED)


class WorkflowError(Exception):
    """A workflow step that cannot happen now; the message says why, for staff to read."""


class Conflict(WorkflowError):
    """Someone saved a newer version since this edit started."""

    def __init__(self, latest: AdviceVersion | None):
        self.latest = latest
        who = f" by {latest.author}" if latest is not None and latest.author else ""
        number = latest.version if latest is not None else "a newer version"
        super().__init__(f"Version {number} was saved{who} while you were editing. "
                         "Your changes have not been saved.")


class SameAuthor(WorkflowError):
    """The two-person rule: nobody publishes what they wrote."""

    def __init__(self) -> None:
        super().__init__("You wrote this draft, so someone else must approve and publish it.")


class NoDraft(WorkflowError):
    def __init__(self) -> None:
        super().__init__("There is no draft to work on.")


@dataclass(frozen=True)
class Edit:
    """What staff change in an answer. Related topics and sources carry over from the
    version the edit started from."""

    title: str
    body: str
    sms_body: str = ""
    owner: str = ""
    reviewed: dt.date | None = None
    review_due: dt.date | None = None


def history(session: Session, topic: str, locale: str) -> list[AdviceVersion]:
    """Every version, newest first."""
    return list(session.scalars(
        select(AdviceVersion)
        .where(AdviceVersion.topic_slug == topic, AdviceVersion.locale == locale)
        .order_by(AdviceVersion.version.desc())
    ))


def find_version(session: Session, topic: str, locale: str, number: int) -> AdviceVersion | None:
    return session.scalar(select(AdviceVersion).where(
        AdviceVersion.topic_slug == topic, AdviceVersion.locale == locale, AdviceVersion.version == number))


def latest(session: Session, topic: str, locale: str) -> AdviceVersion | None:
    """The newest version in any state: the one an edit must start from."""
    return session.scalar(
        select(AdviceVersion)
        .where(AdviceVersion.topic_slug == topic, AdviceVersion.locale == locale)
        .order_by(AdviceVersion.version.desc()).limit(1)
    )


def draft(session: Session, topic: str, locale: str) -> AdviceVersion | None:
    """The open version (draft or waiting for review), if any."""
    return session.scalar(select(AdviceVersion).where(
        AdviceVersion.topic_slug == topic, AdviceVersion.locale == locale, AdviceVersion.status.in_(OPEN)))


def overview(session: Session) -> dict[tuple[str, str], dict[str, AdviceVersion]]:
    """For each (topic, locale) that has any version: its "published" and "draft" rows."""
    found: dict[tuple[str, str], dict[str, AdviceVersion]] = {}
    for row in session.scalars(select(AdviceVersion).where(AdviceVersion.status.in_((PUBLISHED, *OPEN)))):
        found.setdefault((row.topic_slug, row.locale), {})["published" if row.status == PUBLISHED else "draft"] = row
    return found


def save_draft(session: Session, topic: str, locale: str, edit: Edit, author: str,
               base_version: int | None = None, translated_from: int | None = None) -> AdviceVersion:
    """Saves an edit as the new draft. With base_version (the version the editor started
    from), refuses with Conflict if anyone has saved since, so nobody overwrites unseen work.

    A translation's draft always needs review. It was made from the English version
    translated_from; without one, from the same English version as the version it started
    from (a new translation: the published English)."""
    newest = latest(session, topic, locale)
    if base_version is not None and base_version != (newest.version if newest else 0):
        raise Conflict(newest)
    translation = {}
    if locale != DEFAULT_LOCALE:
        translation = {"translation_state": NEEDS_REVIEW,
                       "translated_from": _made_from(session, topic, newest, translated_from)}
    ensure_topics(session)
    previous = draft(session, topic, locale)
    if previous is not None:
        previous.status = ARCHIVED  # replaced by this save; kept in the history
    version = AdviceVersion(
        topic_slug=topic, locale=locale, version=(newest.version + 1) if newest else 1, status=DRAFT,
        title=edit.title.strip(), body=edit.body.strip() + "\n", sms_body=" ".join(edit.sms_body.split()),
        related=list(newest.related) if newest else [], sources=list(newest.sources) if newest else [],
        owner=edit.owner.strip(), reviewed=edit.reviewed, review_due=edit.review_due, author=author,
        based_on=newest.version if newest else None, **translation,
    )
    _insert_new_version(session, version)
    return version


def _made_from(session: Session, topic: str, newest: AdviceVersion | None, number: int | None) -> int | None:
    if number is not None:
        if find_version(session, topic, DEFAULT_LOCALE, number) is None:
            raise WorkflowError(f"There is no English version {number} to have translated from.")
        return number
    if newest is not None:
        return newest.translated_from  # unknown stays unknown: nobody said which English it matches
    english = published(session, topic, DEFAULT_LOCALE)
    return english.version if english is not None else None


def _insert_new_version(session: Session, version: AdviceVersion) -> None:
    session.add(version)
    try:
        session.flush()
    except IntegrityError:
        # Someone else took the same version number between our check and our insert.
        session.rollback()
        raise Conflict(latest(session, version.topic_slug, version.locale)) from None


def _open_draft(session: Session, topic: str, locale: str) -> AdviceVersion:
    found = draft(session, topic, locale)
    if found is None:
        raise NoDraft()
    return found


def submit(session: Session, topic: str, locale: str, by: str) -> AdviceVersion:
    """Sends the draft for review."""
    version = _open_draft(session, topic, locale)
    version.status = SUBMITTED
    version.submitted_by, version.submitted_at = by, _now()
    session.flush()
    return version


def return_with_comment(session: Session, topic: str, locale: str, by: str, comment: str) -> AdviceVersion:
    """Sends the draft back to its author with the reviewer's comment."""
    if not comment.strip():
        raise WorkflowError("Say what needs to change before you return the draft.")
    version = _open_draft(session, topic, locale)
    version.status = DRAFT
    version.review_comment, version.returned_by, version.returned_at = comment.strip(), by, _now()
    session.flush()
    return version


def approve(session: Session, topic: str, locale: str, by: str) -> AdviceVersion:
    """Publishes the draft, unless the person approving wrote it."""
    version = _open_draft(session, topic, locale)
    if (version.author or "").lower() == by.lower():
        raise SameAuthor()
    publish(session, version, by)
    return version


def rollback(session: Session, topic: str, locale: str, number: int, by: str) -> AdviceVersion:
    """Publishes a copy of an earlier version as a new version. A version that was never
    published has not been approved, so its own author cannot put it live this way."""
    target = find_version(session, topic, locale, number)
    if target is None:
        raise WorkflowError(f"There is no version {number}.")
    if target.status == PUBLISHED:
        raise WorkflowError(f"Version {number} is already the published version.")
    if target.published_at is None and (target.author or "").lower() == by.lower():
        raise SameAuthor()
    newest = latest(session, topic, locale)
    # Created archived, never open, so it cannot be mistaken for someone's draft; publish()
    # then makes it the live version.
    copy = AdviceVersion(
        topic_slug=topic, locale=locale, version=newest.version + 1, status=ARCHIVED,
        title=target.title, body=target.body, sms_body=target.sms_body, related=list(target.related),
        sources=list(target.sources), owner=target.owner, reviewed=target.reviewed,
        review_due=target.review_due, author=by, based_on=newest.version, rollback_of=target.version,
        # The same words as the version restored, so the same translation review applies.
        translation_state=target.translation_state, translated_from=target.translated_from,
        translation_reviewed_by=target.translation_reviewed_by, translation_reviewed_at=target.translation_reviewed_at,
    )
    _insert_new_version(session, copy)
    publish(session, copy, by)
    return copy


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# Translations: their state beside the workflow, and whether the English has moved on since.

class SameTranslator(WorkflowError):
    """The two-person rule, for translations: nobody reviews their own translation."""

    def __init__(self) -> None:
        super().__init__("You saved this translation, so someone else must review it.")


def mark_reviewed(session: Session, topic: str, locale: str, number: int, by: str) -> AdviceVersion:
    """Records that a fluent reader checked this translation (the open draft or the published
    version) against the English. A published, reviewed translation is served."""
    if locale == DEFAULT_LOCALE:
        raise WorkflowError("English answers are not translations: approve and publish them instead.")
    version = find_version(session, topic, locale, number)
    if version is None:
        raise WorkflowError(f"There is no version {number}.")
    if version.status == ARCHIVED:
        raise WorkflowError(f"Version {number} has been replaced by a newer version. Review that one instead.")
    if version.translation_state == REVIEWED:
        raise WorkflowError(f"Version {number} is already reviewed.")
    if (version.author or "").lower() == by.lower():
        raise SameTranslator()
    version.translation_state = REVIEWED
    version.translation_reviewed_by, version.translation_reviewed_at = by, _now()
    session.flush()
    return version


def is_out_of_date(version: AdviceVersion | None, english: AdviceVersion | None) -> bool:
    """A translation made from an English version older than the published English one."""
    return (version is not None and english is not None and version.locale != DEFAULT_LOCALE
            and version.translated_from is not None and version.translated_from < english.version)


@dataclass(frozen=True)
class TranslationStatus:
    """One topic in one language, beside its published English."""

    topic: str
    locale: str
    english: AdviceVersion | None  # the published English
    published: AdviceVersion | None
    draft: AdviceVersion | None

    @property
    def current(self) -> AdviceVersion | None:
        """The newest translation work: the open draft, or else the published version."""
        return self.draft or self.published

    @property
    def state(self) -> str | None:
        return self.current.translation_state if self.current is not None else None

    @property
    def served(self) -> bool:
        """Whether residents get this translation now (otherwise they get the English)."""
        return is_served(self.published)

    @property
    def out_of_date(self) -> bool:
        return is_out_of_date(self.current, self.english)

    @property
    def served_out_of_date(self) -> bool:
        return self.served and is_out_of_date(self.published, self.english)


def translation_status(session: Session, topic: str, locale: str) -> TranslationStatus:
    return TranslationStatus(topic, locale, published(session, topic, DEFAULT_LOCALE),
                             published(session, topic, locale), draft(session, topic, locale))


def translation_overview(session: Session) -> dict[tuple[str, str], TranslationStatus]:
    """Every topic in every language but English (those with no version too)."""
    rows = overview(session)
    return {
        (topic, locale): TranslationStatus(
            topic, locale, rows.get((topic, DEFAULT_LOCALE), {}).get("published"),
            rows.get((topic, locale), {}).get("published"), rows.get((topic, locale), {}).get("draft"))
        for topic in TOPIC_SLUGS for locale in LOCALES if locale != DEFAULT_LOCALE
    }


# Diffs between two versions, word by word, for people to read.

DIFF_FIELDS = (("title", "Title"), ("body", "Answer"), ("sms_body", "Text message version"),
               ("owner", "Owner"), ("reviewed", "Last reviewed"), ("review_due", "Review due"))
_TOKENS = re.compile(r"\s+|[^\W_]+(?:['’][^\W_]+)*|.", re.S)


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: list[tuple[str, str]]  # ("equal" | "insert" | "delete", text)

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _ in self.segments)


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences; whitespace is kept so the text reads as it was written."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            segments.append(("equal" if op == "equal" else "delete", "".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def diff(old: AdviceVersion, new: AdviceVersion) -> list[FieldDiff]:
    def text(version: AdviceVersion, name: str) -> str:
        value = getattr(version, name)
        return value.isoformat() if isinstance(value, dt.date) else (value or "").strip()
    return [FieldDiff(name, label, diff_text(text(old, name), text(new, name))) for name, label in DIFF_FIELDS]
