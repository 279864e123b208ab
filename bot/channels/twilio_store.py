"""What the SMS and WhatsApp channel remembers, in SQLite, and the keyed hash that replaces
phone numbers.

A phone number is personal data, so it is never stored, logged or passed to the bot: the channel
turns it into a keyed hash (HMAC-SHA256 with FRONTDOOR_HASH_KEY) straight away, and everything is
kept against that hash. Without the key, nobody can turn a hash back into a number by trying
every number there is.

Per sender: the numbered choices of the last reply, the language chosen and whether they
replied STOP. The language and the choices are forgotten once the number has been quiet for the
council's conversation retention (``privacy.conversation_retention_days``, as the conversations
themselves); a STOP is kept, since it must hold until they say START. Per message: the reply it
got, so that a retry from Twilio (same MessageSid) is answered once, even across a restart. A
reply can repeat what someone typed (a referral's "is this right?"), so it is kept encrypted with
the data key (content/keys.py), and only as long as a retry could come.

Standard library and content.keys only, so the Rasa server's environment and the product's tests
share it.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from content import keys  # noqa: E402  (needs ROOT on the path)

DEFAULT_DB = ROOT / "var" / "channels.db"
DEFAULT_KEY_FILE = ROOT / "var" / "channel_hash_key"
REPLY_RETENTION_SECONDS = 24 * 60 * 60  # Twilio retries within minutes; a day is ample

SCHEMA = """
CREATE TABLE IF NOT EXISTS twilio_messages (
    message_sid TEXT PRIMARY KEY,
    received REAL NOT NULL,
    reply TEXT                      -- the TwiML sent, encrypted; NULL while being answered
);
CREATE TABLE IF NOT EXISTS twilio_senders (
    sender TEXT PRIMARY KEY,        -- "sms-" or "wa-" and the keyed hash of the number
    locale TEXT,
    choices TEXT NOT NULL DEFAULT '[]',
    opted_out INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL
);
"""


def hash_key(configured: Optional[str], key_file: Path = DEFAULT_KEY_FILE) -> bytes:
    """FRONTDOOR_HASH_KEY, or a random key made once and kept in var/ (mode 600), so hashes stay
    the same across restarts on a machine where nobody set one."""
    if configured:
        return configured.encode()
    try:
        return key_file.read_text().strip().encode()
    except FileNotFoundError:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(key)
        return key.encode()


def sender_id(from_address: str, key: bytes) -> str:
    """The conversation id for a Twilio ``From``: "wa-<hash>" for WhatsApp, "sms-<hash>" for SMS."""
    whatsapp = from_address.startswith("whatsapp:")
    number = from_address.split(":", 1)[1] if whatsapp else from_address
    number = "".join(number.split())  # Twilio sends E.164, but never let spacing split a person in two
    digest = hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:32]
    return ("wa-" if whatsapp else "sms-") + digest


class ChannelStore:
    def __init__(self, path: Path = DEFAULT_DB, sender_retention_days: Optional[int] = None):
        self.path = Path(path)
        # None keeps what a number chose for as long as the file lives (tests of other things).
        self.sender_retention_seconds = sender_retention_days * 24 * 60 * 60 if sender_retention_days else None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per call: simple and safe, and each call is a few milliseconds.
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            with connection:  # commits, or rolls back on an error
                yield connection

    # --- messages (retries) -------------------------------------------------------------------

    def claim(self, message_sid: str) -> bool:
        """True for the first delivery of a message, False for a retry of one already seen.
        Forgets what is kept past its time first (replies, and quiet numbers' choices)."""
        now = time.time()
        self.forget_quiet_senders(now)
        with self._connect() as db:
            db.execute("DELETE FROM twilio_messages WHERE received < ?", (now - REPLY_RETENTION_SECONDS,))
            inserted = db.execute("INSERT OR IGNORE INTO twilio_messages (message_sid, received) VALUES (?, ?)",
                                  (message_sid, now))
            return inserted.rowcount == 1

    def save_reply(self, message_sid: str, twiml: str) -> None:
        sealed = keys.encrypt(twiml.encode("utf-8")).decode("ascii")
        with self._connect() as db:
            db.execute("UPDATE twilio_messages SET reply = ? WHERE message_sid = ?", (sealed, message_sid))

    def reply_to(self, message_sid: str) -> Optional[str]:
        """The reply already sent for a message, or None if it is still being answered (or was
        sealed with a key no longer configured)."""
        with self._connect() as db:
            row = db.execute("SELECT reply FROM twilio_messages WHERE message_sid = ?", (message_sid,)).fetchone()
        if not row or not row[0]:
            return None
        try:
            return keys.decrypt(row[0].encode("ascii")).decode("utf-8")
        except keys.InvalidToken:
            return None

    # --- senders ------------------------------------------------------------------------------

    def forget_quiet_senders(self, now: Optional[float] = None) -> int:
        """Forgets the language and choices of every number quiet for longer than the retention;
        a number that replied STOP keeps only that. Returns how many numbers were forgotten."""
        if not self.sender_retention_seconds:
            return 0
        cutoff = (now if now is not None else time.time()) - self.sender_retention_seconds
        with self._connect() as db:
            forgotten = db.execute("DELETE FROM twilio_senders WHERE updated < ? AND opted_out = 0", (cutoff,)).rowcount
            forgotten += db.execute(
                "UPDATE twilio_senders SET locale = NULL, choices = '[]' WHERE updated < ? AND opted_out = 1 "
                "AND (locale IS NOT NULL OR choices != '[]')", (cutoff,)).rowcount
        return forgotten

    def _sender(self, sender: str) -> Optional[sqlite3.Row]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return db.execute("SELECT * FROM twilio_senders WHERE sender = ?", (sender,)).fetchone()

    def _update(self, sender: str, column: str, value: object) -> None:
        assert column in ("locale", "choices", "opted_out")  # never a name from outside
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO twilio_senders (sender, updated) VALUES (?, ?)", (sender, time.time()))
            db.execute(f"UPDATE twilio_senders SET {column} = ?, updated = ? WHERE sender = ?",
                       (value, time.time(), sender))

    def choices(self, sender: str) -> List[Dict[str, str]]:
        row = self._sender(sender)
        return json.loads(row["choices"]) if row else []

    def save_choices(self, sender: str, buttons: List[Dict[str, str]]) -> None:
        kept = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
        self._update(sender, "choices", json.dumps(kept, ensure_ascii=False))

    def locale(self, sender: str) -> Optional[str]:
        row = self._sender(sender)
        return row["locale"] if row else None

    def save_locale(self, sender: str, locale: str) -> None:
        self._update(sender, "locale", locale)

    def opted_out(self, sender: str) -> bool:
        row = self._sender(sender)
        return bool(row and row["opted_out"])

    def set_opted_out(self, sender: str, opted_out: bool) -> None:
        self._update(sender, "opted_out", int(opted_out))
