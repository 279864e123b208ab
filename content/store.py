"""Reading and changing the content store: what the bot says comes from here on every turn."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import files, render
from .council import Council
from .i18n import DEFAULT_LOCALE
from .models import ARCHIVED, DRAFT, PUBLISHED, SUBMITTED, TOPIC_SLUGS, AdviceVersion, Figure, Topic

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


def titles(session: Session, locale: str) -> dict[str, str]:
    """Each topic's published title in this language, falling back to English."""
    rows = session.execute(
        select(AdviceVersion.topic_slug, AdviceVersion.locale, AdviceVersion.title).where(
            AdviceVersion.status == PUBLISHED, AdviceVersion.locale.in_({locale, DEFAULT_LOCALE})
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
    language has no published version yet."""
    advice = published(session, topic, locale) or published(session, topic, DEFAULT_LOCALE)
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


def _same(version: AdviceVersion, advice: files.AdviceFile) -> bool:
    return (version.title, version.body.strip(), version.sms_body, version.related, version.sources,
            version.owner, version.reviewed, version.review_due) == (
        advice.title, advice.body.strip(), advice.sms_body, advice.related, advice.sources,
        advice.owner, advice.reviewed, advice.review_due)


def import_advice(session: Session, items: list[files.AdviceFile], by: str = LOADER) -> int:
    """Publishes each file that differs from what is live, as a new version. Returns how many."""
    ensure_topics(session)
    changed = 0
    for advice in items:
        if advice.translation_state != "reviewed":
            continue  # only a reviewed translation is ever served
        current = published(session, advice.topic, advice.locale)
        if current is not None and _same(current, advice):
            continue
        version = AdviceVersion(
            topic_slug=advice.topic, locale=advice.locale,
            version=next_version(session, advice.topic, advice.locale),
            title=advice.title, body=advice.body, sms_body=advice.sms_body,
            related=advice.related, sources=advice.sources, owner=advice.owner,
            reviewed=advice.reviewed, review_due=advice.review_due, author=by,
        )
        session.add(version)
        session.flush()
        publish(session, version, by)
        changed += 1
    return changed


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


def export_files(session: Session, advice_dir=files.ADVICE_DIR, figures_file=files.FIGURES_FILE) -> int:
    """Writes every published answer and the figures back to the content files."""
    count = 0
    for version in session.scalars(select(AdviceVersion).where(AdviceVersion.status == PUBLISHED)):
        files.write_advice(files.AdviceFile(
            topic=version.topic_slug, locale=version.locale, title=version.title, body=version.body,
            sms_body=version.sms_body, owner=version.owner, reviewed=version.reviewed,
            review_due=version.review_due, related=list(version.related), sources=list(version.sources),
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
               base_version: int | None = None) -> AdviceVersion:
    """Saves an edit as the new draft. With base_version (the version the editor started
    from), refuses with Conflict if anyone has saved since, so nobody overwrites unseen work."""
    newest = latest(session, topic, locale)
    if base_version is not None and base_version != (newest.version if newest else 0):
        raise Conflict(newest)
    ensure_topics(session)
    previous = draft(session, topic, locale)
    if previous is not None:
        previous.status = ARCHIVED  # replaced by this save; kept in the history
    version = AdviceVersion(
        topic_slug=topic, locale=locale, version=(newest.version + 1) if newest else 1, status=DRAFT,
        title=edit.title.strip(), body=edit.body.strip() + "\n", sms_body=" ".join(edit.sms_body.split()),
        related=list(newest.related) if newest else [], sources=list(newest.sources) if newest else [],
        owner=edit.owner.strip(), reviewed=edit.reviewed, review_due=edit.review_due, author=author,
        based_on=newest.version if newest else None,
    )
    _insert_new_version(session, version)
    return version


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
    )
    _insert_new_version(session, copy)
    publish(session, copy, by)
    return copy


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


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
