"""Conversations with the assistant are deleted once the configured retention has passed."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from content import conversations, council
from content.referrals.worker import run_once


def senders(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}


def test_a_conversation_past_retention_is_deleted_and_a_recent_one_kept(stack, chat):
    store = Path(stack.env["RASA_TRACKER_DB"])
    chat.say("how do I get a stair lift")
    assert chat.sender in senders(store)

    soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=29)
    assert conversations.purge(now=soon, days=30, path=store) == {"conversations_purged": 0}
    assert chat.sender in senders(store)

    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=31)
    result = conversations.purge(now=later, days=30, path=store)
    assert result["conversations_purged"] >= 1
    assert chat.sender not in senders(store)


def test_the_assistant_starts_afresh_after_its_conversation_is_purged(stack, chat):
    store = Path(stack.env["RASA_TRACKER_DB"])
    chat.say("how do I get a stair lift")
    conversations.purge(now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=31), days=30, path=store)
    reply = chat.say("hello")
    assert any((m.get("custom") or {}).get("kind") == "smalltalk" for m in reply)
    assert chat.sender in senders(store)


def test_the_daily_worker_pass_purges_conversations(tmp_path, monkeypatch, sessions):
    store = tmp_path / "conversations.db"
    with sqlite3.connect(store) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)")
        old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)).timestamp()
        connection.execute("INSERT INTO events (sender_id, timestamp) VALUES ('old', ?)", (old,))
        connection.execute("INSERT INTO events (sender_id, timestamp) VALUES ('new', ?)",
                           (dt.datetime.now(dt.timezone.utc).timestamp(),))
    monkeypatch.setenv("RASA_TRACKER_DB", str(store))
    stats = run_once(sessions, purge=True)
    assert stats["conversations_purged"] == 1
    assert senders(store) == {"new"}


def test_no_conversation_store_yet_is_not_an_error(tmp_path):
    assert conversations.purge(path=tmp_path / "missing.db") == {"conversations_purged": 0}


def test_the_retention_period_comes_from_the_council_config(tmp_path, monkeypatch):
    assert conversations.retention_days() == 30
    bad = tmp_path / "council.yml"
    bad.write_text(Path(council.DEFAULT_PATH).read_text().replace("conversation_retention_days: 30",
                                                                   "conversation_retention_days: soon"))
    monkeypatch.setenv("FRONTDOOR_COUNCIL_CONFIG", str(bad))
    with pytest.raises(council.ConfigError):
        conversations.retention_days()
