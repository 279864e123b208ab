"""Encryption at rest for referrals: Fernet keys from the environment, and column types that
encrypt on the way into the database and decrypt on the way out.

FRONTDOOR_DATA_KEY holds one Fernet key, or several separated by commas to rotate keys: the
first encrypts, every one of them decrypts. Without it, a key is generated once into
var/data_key (mode 0600) so a laptop works out of the box; production must set the variable,
because a key that lives next to the database protects nothing if both are copied.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KEY_FILE = ROOT / "var" / "data_key"

log = logging.getLogger(__name__)

__all__ = ["DataKeyError", "EncryptedDate", "EncryptedText", "InvalidToken", "decrypt", "encrypt", "fernet"]


class DataKeyError(ValueError):
    """FRONTDOOR_DATA_KEY is not a list of Fernet keys. The message never shows the key."""


def fernet() -> MultiFernet:
    """The keys in use now. Read on every call (cheaply, cached by value) so a process picks
    up the environment it runs in, and tests can switch keys."""
    configured = os.environ.get("FRONTDOOR_DATA_KEY", "").strip()
    return _fernet_for(configured or _key_from_file(_key_file()))


def encrypt(plain: bytes) -> bytes:
    return fernet().encrypt(plain)


def decrypt(token: bytes) -> bytes:
    """Raises InvalidToken if no configured key made this token."""
    return fernet().decrypt(token)


@lru_cache(maxsize=8)
def _fernet_for(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    except (ValueError, TypeError) as exc:
        raise DataKeyError("FRONTDOOR_DATA_KEY must be Fernet keys separated by commas "
                        "(make one with: python -c 'from cryptography.fernet import Fernet; "
                        "print(Fernet.generate_key().decode())')") from exc


def _key_file() -> Path:
    return Path(os.environ.get("FRONTDOOR_DATA_KEY_FILE") or DEFAULT_KEY_FILE)


@lru_cache(maxsize=4)
def _key_from_file(path: Path) -> str:
    if not path.exists():
        _create_key_file(path)
    log.warning("FRONTDOOR_DATA_KEY is not set: personal data is encrypted with the key in %s. "
                "Production must set FRONTDOOR_DATA_KEY and keep the key away from the database.", path)
    return path.read_text(encoding="ascii").strip()


def _create_key_file(path: Path) -> None:
    """Writes a new key so that it appears complete or not at all: the action server and the
    worker may start at the same moment, and both must end up with the same key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".data_key.")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(Fernet.generate_key() + b"\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, path)  # fails if another process got there first; theirs wins
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


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
