"""Shared fixtures: a real database (SQLite, and PostgreSQL where TEST_POSTGRES_URL is set)
loaded with the content files, and the paths of the two environments."""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bot"))  # the crisis detector is importable from both environments

from content import db, store  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


def postgres_url_or_skip() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("CI must run the suite against PostgreSQL: .ci/run sets TEST_POSTGRES_URL")
    pytest.skip("PostgreSQL is not running here; .ci/run starts one and sets TEST_POSTGRES_URL")


@pytest.fixture
def fresh_database(request, tmp_path):
    """The URL of a new, empty database on the backend named by the test's parameter."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'frontdoor.db'}"
        return
    server = make_url(postgres_url_or_skip())
    name = f"frontdoor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    db.engine_for.cache_clear()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def content_db(fresh_database, monkeypatch):
    """A migrated database holding the content files, set as the app's DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", fresh_database)
    db.migrate(fresh_database)
    with db.session_scope() as session:
        store.load_if_empty(session)
    yield fresh_database
    db.engine().dispose()
