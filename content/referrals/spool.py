"""The spool: where a referral waits, encrypted, when the database cannot take it.

A resident who has been given a reference must never have their referral lost, so submit()
writes it here when the database is down, and the worker moves it into the database later.
Each referral is one file, written atomically (temporary file, fsync, rename, fsync of the
folder), so a crash leaves either the whole file or none of it.

FRONTDOOR_SPOOL_DIR names the folder; the default is var/spool/referrals. Every process that
submits and the worker must see the same folder (and the same FRONTDOOR_DATA_KEY).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import crypto
from .details import ReferralDetails

ROOT = Path(__file__).resolve().parents[2]
SUFFIX = ".referral"
FORMAT = 1


@dataclass(frozen=True)
class Spooled:
    path: Path
    reference: str
    created_at: dt.datetime
    details: ReferralDetails


def directory() -> Path:
    return Path(os.environ.get("FRONTDOOR_SPOOL_DIR") or ROOT / "var" / "spool" / "referrals")


def write(reference: str, created_at: dt.datetime, details: ReferralDetails) -> Path:
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    record = {"format": FORMAT, "reference": reference, "created_at": created_at.isoformat(),
              "details": details.to_json()}
    token = crypto.encrypt(json.dumps(record).encode("utf-8"))
    # A random part in the name: two referrals that drew the same reference both survive.
    final = folder / f"{reference}.{uuid.uuid4().hex[:8]}{SUFFIX}"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{reference}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(token)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return final


def _fsync_folder(folder: Path) -> None:
    """Makes the rename itself durable, not only the file's contents."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def pending() -> list[Path]:
    folder = directory()
    return sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []


def read(path: Path) -> Spooled:
    """Raises crypto.InvalidToken if the file was written under a key no longer configured."""
    record = json.loads(crypto.decrypt(path.read_bytes()))
    return Spooled(path=path, reference=record["reference"],
                   created_at=dt.datetime.fromisoformat(record["created_at"]),
                   details=ReferralDetails.from_json(record["details"]))


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    _fsync_folder(path.parent)


def remove_abandoned(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Deletes temporary files a crash left half-written: they hold personal data and no
    reference was ever given for them."""
    folder, removed = directory(), 0
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    for path in folder.glob(".*.tmp"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
