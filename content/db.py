"""The application database: one engine per process, migrated by Alembic.

``DATABASE_URL`` names it (any SQLAlchemy URL: SQLite by default, PostgreSQL in production).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    (ROOT / "var").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'var' / 'frontdoor.db'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the action server read while the admin writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache(maxsize=None)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return engine_for(database_url())


@contextmanager
def session_scope(bind: Engine | None = None) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises."""
    factory = sessionmaker(bind=bind or engine(), expire_on_commit=False)
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def migrate(url: str | None = None) -> None:
    """Brings the database schema up to date."""
    command.upgrade(alembic_config(url), "heads")
