"""One SQLAlchemy session per request, closed when the request ends.

Views commit explicitly once a change and its audit entry are both in the session, so the two
are saved together or not at all.
"""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from content import db


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)


def engine() -> Engine:
    return db.engine_for(current_app.config["DATABASE_URL"])


def session() -> Session:
    if "db_session" not in g:
        g.db_session = Session(bind=engine())
    return g.db_session


def _close(_error: BaseException | None) -> None:
    found = g.pop("db_session", None)
    if found is not None:
        found.close()  # rolls back anything a failed request left uncommitted
