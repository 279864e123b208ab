"""Retention: closed referrals go once the council's period has passed, with their notes and
delivered messages; nothing still waiting to be delivered is lost."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select, update

from content.referrals import add_note, purge, run_once, set_status, spool, submit
from content.referrals.models import OutboxMessage, Referral, ReferralNote
from content.referrals.retention import retention_days

from .conftest import both, details, utcnow

DAY = dt.timedelta(days=1)
ROOT = Path(__file__).resolve().parents[2]


def closed_days_ago(sessions, reference: str, days: int) -> None:
    with sessions.begin() as session:
        set_status(session, reference, "closed")
    with sessions.begin() as session:
        session.execute(update(Referral).where(Referral.reference == reference)
                        .values(closed_at=utcnow() - days * DAY, created_at=utcnow() - (days + 30) * DAY))


def delivered(sessions, reference: str) -> None:
    with sessions.begin() as session:
        referral_id = session.scalar(select(Referral.id).where(Referral.reference == reference))
        session.execute(update(OutboxMessage).where(OutboxMessage.referral_id == referral_id)
                        .values(delivered_at=utcnow()))


@both
def test_purge_deletes_only_closed_referrals_past_retention(referral_db, sessions):
    expired, recent, still_open, waiting = (submit(details()).reference for _ in range(4))
    for reference in (expired, recent, still_open, waiting):
        with sessions.begin() as session:
            add_note(session, reference, "duty@castlebridge.example.gov.uk", "Called back")
    for reference in (expired, recent, still_open):
        delivered(sessions, reference)
    closed_days_ago(sessions, expired, 366)
    closed_days_ago(sessions, recent, 300)  # created long ago, but closed within the year
    closed_days_ago(sessions, waiting, 400)  # its e-mail has never gone out
    with sessions.begin() as session:
        session.execute(update(Referral).where(Referral.reference == still_open)
                        .values(created_at=utcnow() - 1000 * DAY))

    with sessions.begin() as session:
        result = purge(session, utcnow())
    assert result["purged"] == 1 and result["held"] == 1

    with sessions() as session:
        left = set(session.scalars(select(Referral.reference)))
        assert left == {recent, still_open, waiting}
        assert len(session.scalars(select(ReferralNote)).all()) == 3
        assert len(session.scalars(select(OutboxMessage)).all()) == 3


@both
def test_the_worker_purges_when_asked_and_the_period_comes_from_council_yml(referral_db, sessions, tmp_path, monkeypatch):
    reference = submit(details()).reference
    delivered(sessions, reference)
    closed_days_ago(sessions, reference, 40)
    assert run_once(sessions, purge=True)["purged"] == 0  # 365 days in council.yml

    raw = yaml.safe_load((ROOT / "council.yml").read_text(encoding="utf-8"))
    raw["privacy"]["referral_retention_days"] = 30
    (tmp_path / "council.yml").write_text(yaml.safe_dump(raw))
    monkeypatch.setenv("FRONTDOOR_COUNCIL_CONFIG", str(tmp_path / "council.yml"))
    assert run_once(sessions, purge=True)["purged"] == 1


def test_the_demo_council_keeps_closed_referrals_for_a_year():
    assert retention_days() == 365


def test_a_nonsense_retention_period_is_refused(tmp_path, monkeypatch):
    (tmp_path / "council.yml").write_text("privacy:\n  referral_retention_days: forever\n")
    monkeypatch.setenv("FRONTDOOR_COUNCIL_CONFIG", str(tmp_path / "council.yml"))
    with pytest.raises(ValueError, match="referral_retention_days"):
        retention_days()


@both
def test_purge_deletes_spooled_files_already_imported_and_keeps_the_others(referral_db, sessions, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'db.sqlite'}")
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    imported, not_yet = submit(details()).reference, submit(details()).reference
    monkeypatch.setenv("DATABASE_URL", referral_db)
    [imported_file] = [p for p in spool.pending() if p.name.startswith(imported)]
    copy = imported_file.read_bytes()
    not_yet_file = next(p for p in spool.pending() if p.name.startswith(not_yet))
    not_yet_file.rename(tmp_path / "aside")
    run_once(sessions)
    imported_file.write_bytes(copy)  # as if the worker died before deleting it
    (tmp_path / "aside").rename(not_yet_file)

    with sessions.begin() as session:
        assert purge(session, utcnow())["spool_removed"] == 1
    assert spool.pending() == [not_yet_file]


@both
def test_closing_stamps_closed_at_and_reopening_clears_it(referral_db, sessions):
    reference = submit(details()).reference
    with sessions.begin() as session:
        set_status(session, reference, "closed")
    with sessions.begin() as session:
        referral = session.scalar(select(Referral))
        assert referral.closed_at is not None and utcnow() - referral.closed_at < dt.timedelta(minutes=1)
        referral.status = "in_progress"
    with sessions() as session:
        assert session.scalar(select(Referral)).closed_at is None
