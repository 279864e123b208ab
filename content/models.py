"""The content store's tables: topics, every version of every answer, and the yearly figures."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The 14 topics of the reply contract, in the order the menu lists them.
TOPIC_SLUGS = (
    "needs-assessment",
    "carers-assessment",
    "carers-support",
    "financial-assessment",
    "direct-payments",
    "equipment",
    "home-adaptations",
    "telecare",
    "reablement",
    "hospital-discharge",
    "respite",
    "care-homes",
    "safeguarding",
    "contact-us",
)

DRAFT, SUBMITTED, PUBLISHED, ARCHIVED = "draft", "submitted", "published", "archived"
STATUSES = (DRAFT, SUBMITTED, PUBLISHED, ARCHIVED)

# A translation's state, separate from the publishing workflow: a translation is served only
# once it is both published and reviewed by a fluent reader. English versions have none.
TRANSLATION_DRAFT, NEEDS_REVIEW, REVIEWED = "draft", "needs_review", "reviewed"
TRANSLATION_STATES = (TRANSLATION_DRAFT, NEEDS_REVIEW, REVIEWED)


class Base(DeclarativeBase):
    pass


class Topic(Base):
    __tablename__ = "topics"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    versions: Mapped[list["AdviceVersion"]] = relationship(back_populates="topic")


class AdviceVersion(Base):
    """One version of one topic's answer in one language. Versions are never changed once
    published; an edit is a new row, so history and roll back come for free."""

    __tablename__ = "advice_versions"
    __table_args__ = (
        Index("ix_advice_topic_locale_version", "topic_slug", "locale", "version", unique=True),
        # At most one published version per topic and language, enforced by the database.
        Index(
            "uq_advice_one_published",
            "topic_slug",
            "locale",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_slug: Mapped[str] = mapped_column(ForeignKey("topics.slug"))
    locale: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sms_body: Mapped[str] = mapped_column(Text, default="")
    related: Mapped[list] = mapped_column(JSON, default=list)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    owner: Mapped[str] = mapped_column(String(200), default="")
    reviewed: Mapped[dt.date | None] = mapped_column(Date)
    review_due: Mapped[dt.date | None] = mapped_column(Date)
    author: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(320))
    # The review workflow (staff admin): which version an edit started from, who sent it for
    # review, an approver's comment when they sent it back, and which version a roll back restored.
    based_on: Mapped[int | None] = mapped_column(Integer)
    submitted_by: Mapped[str | None] = mapped_column(String(320))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    review_comment: Mapped[str | None] = mapped_column(Text)
    returned_by: Mapped[str | None] = mapped_column(String(320))
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rollback_of: Mapped[int | None] = mapped_column(Integer)
    # Translations (any locale but English): their state, the English version they were made
    # from, and who marked them reviewed. Out of date is computed, never stored: translated_from
    # is older than the published English version.
    translation_state: Mapped[str | None] = mapped_column(String(16))
    translated_from: Mapped[int | None] = mapped_column(Integer)
    translation_reviewed_by: Mapped[str | None] = mapped_column(String(320))
    translation_reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    topic: Mapped[Topic] = relationship(back_populates="versions")


class Figure(Base):
    """An amount that changes by year (or that the law fixes), shared by every answer."""

    __tablename__ = "figures"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    format: Mapped[str] = mapped_column(String(20))
    applies: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
