"""Fixtures for the directory: a migrated database holding the demo directory, a session on it,
and a Flask client for the /oruk API."""
from __future__ import annotations

import time

import pytest
from flask import Flask
from sqlalchemy import create_engine, pool, text

from admin import oruk
from content import db
from content.directory import demo


@pytest.fixture
def database_url(fresh_database, monkeypatch):
    """A new, empty database (SQLite or PostgreSQL), set as the app's DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", fresh_database)
    yield fresh_database
    db.engine_for(fresh_database).dispose()
    wait_for_autovacuum(fresh_database)


@pytest.fixture
def directory_db(database_url):
    """A migrated database with the demo directory and postcodes."""
    db.migrate(database_url)
    with db.session_scope(db.engine_for(database_url)) as session:
        demo.load_demo_if_empty(session, fictional=True)
    return database_url


def wait_for_autovacuum(url: str, seconds: float = 10) -> None:
    """Lets PostgreSQL's autovacuum finish with a database we have just filled. The shared
    fixture drops it WITH (FORCE), which cannot end a process of another role (autovacuum runs
    as the superuser), so the drop would fail now and then without this."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    deadline = time.monotonic() + seconds
    with engine.connect() as connection:
        while time.monotonic() < deadline and connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")):
            time.sleep(0.2)
    engine.dispose()


@pytest.fixture
def session(directory_db):
    with db.session_scope(db.engine_for(directory_db)) as session:
        yield session


@pytest.fixture
def client(directory_db):
    """Just the /oruk blueprint on a bare app, so these tests do not depend on the staff admin."""
    app = Flask(__name__)
    app.config.update(DATABASE_URL=directory_db, TESTING=True)
    app.register_blueprint(oruk.blueprint)
    return app.test_client()
