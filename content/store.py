"""Reading and changing the content store: what the bot says comes from here on every turn."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import files, render
from .council import Council
from .i18n import DEFAULT_LOCALE
from .models import ARCHIVED, PUBLISHED, TOPIC_SLUGS, AdviceVersion, Figure, Topic

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
    table = render.values(council, figure_values(session), advice.locale)
    names = titles(session, advice.locale)
    return Answer(
        topic=topic,
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
