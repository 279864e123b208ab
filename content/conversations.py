"""Retention for the conversation store: Rasa keeps every turn of every conversation (encrypted,
see bot/tracker_store.py). A conversation whose last turn is older than
`privacy: conversation_retention_days` in council.yml (30 if missing) is deleted whole.

The store is the SQLite file named by RASA_TRACKER_DB, the one bot/endpoints.yml points Rasa at.
The delivery worker calls `purge` once a day, with the referral retention.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml
from sqlalchemy import create_engine, inspect, text

from content import council

DEFAULT_DAYS = 30


def retention_days() -> int:
    path = Path(os.environ.get("FRONTDOOR_COUNCIL_CONFIG") or council.DEFAULT_PATH)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    days = (raw.get("privacy") or {}).get("conversation_retention_days", DEFAULT_DAYS)
    if not isinstance(days, int) or days < 1:
        raise council.ConfigError("privacy.conversation_retention_days must be a whole number of days, 1 or more")
    return days


def store_path() -> Path | None:
    raw = os.environ.get("RASA_TRACKER_DB")
    return Path(raw) if raw else None


def purge(now: dt.datetime | None = None, days: int | None = None, path: Path | None = None) -> dict[str, int]:
    """Deletes every conversation whose newest event is older than the retention period.
    Returns {"conversations_purged": n}; nothing to do when the store does not exist yet."""
    path = path or store_path()
    if path is None or not path.exists():
        return {"conversations_purged": 0}
    now = now or dt.datetime.now(dt.timezone.utc)
    cutoff = (now - dt.timedelta(days=days or retention_days())).timestamp()
    engine = create_engine(f"sqlite:///{path}")
    try:
        if not inspect(engine).has_table("events"):
            return {"conversations_purged": 0}
        with engine.begin() as connection:
            # Rasa stores each event's time as seconds since the epoch.
            expired = [row[0] for row in connection.execute(text(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"),
                {"cutoff": cutoff})]
            for sender_id in expired:
                connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id})
        return {"conversations_purged": len(expired)}
    finally:
        engine.dispose()
