"""Encryption at rest for referrals: column types that encrypt on the way into the database
and decrypt on the way out, with the data key of content/keys.py (shared with the Rasa
server's conversation store).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from ..keys import DataKeyError, InvalidToken, decrypt, encrypt, fernet

__all__ = ["DataKeyError", "EncryptedDate", "EncryptedText", "InvalidToken", "decrypt", "encrypt", "fernet"]


class EncryptedText(TypeDecorator):
    """A text column stored as a Fernet token. Models read and write plain strings."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt(self.to_text(value).encode("utf-8")).decode("ascii")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return self.from_text(decrypt(value.encode("ascii")).decode("utf-8"))

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text


class EncryptedDate(EncryptedText):
    """A date stored as an encrypted ISO date (a date of birth is personal data too)."""

    cache_ok = True

    def to_text(self, value: dt.date) -> str:
        return value.isoformat()

    def from_text(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)
