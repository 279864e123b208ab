"""Fixtures for the directory: a migrated database holding the demo directory, a session on it,
and a Flask client for the /oruk API."""
from __future__ import annotations

import pytest
from flask import Flask

from admin import oruk
from content import db
from content.directory import demo


@pytest.fixture
def directory_db(fresh_database, monkeypatch):
    """A migrated database (SQLite or PostgreSQL) with the demo directory and postcodes."""
    monkeypatch.setenv("DATABASE_URL", fresh_database)
    db.migrate(fresh_database)
    with db.session_scope(db.engine_for(fresh_database)) as session:
        demo.load_demo_if_empty(session, fictional=True)
    yield fresh_database
    db.engine_for(fresh_database).dispose()


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
