"""submit(): a reference of the right shape, one transaction with the outbox, and a referral
that survives the database being down."""
from __future__ import annotations

import re
import shutil
import time

import pytest
from sqlalchemy import select

from content import db
from content.referrals import ReferralNotSaved, get_by_reference, run_once, spool, submit
from content.referrals.details import REFERENCE_PATTERN, new_reference
from content.referrals.models import OutboxMessage, Referral, ReferralNote

from .conftest import PERSONAL, both, details, free_port


def outbox_channels(sessions, reference: str) -> list[str]:
    with sessions() as session:
        return sorted(session.scalars(select(OutboxMessage.channel).join(Referral, Referral.id == OutboxMessage.referral_id)
                                      .where(Referral.reference == reference)))


@both
def test_submit_stores_the_referral_and_its_email_and_returns_a_reference(referral_db, sessions):
    submission = submit(details())

    assert submission.stored is True
    assert re.fullmatch(r"FD-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", submission.reference)
    with sessions() as session:
        stored = get_by_reference(session, submission.reference)
    assert stored["name"] == "Margaret Jones" and stored["contact"] == "+447911123456"
    assert stored["date_of_birth"] == "1941-03-17" and stored["relationship"] == "daughter-in-law"
    assert stored["status"] == "new" and stored["urgency"] == "today"
    assert stored["risks"] == ["lives_alone", "falls"] and stored["notes"] == []
    assert outbox_channels(sessions, submission.reference) == ["email"]


@both
def test_a_configured_webhook_gets_its_own_outbox_row(referral_db, sessions, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_REFERRAL_WEBHOOK_URL", "https://cms.castlebridge.example.gov.uk/referrals")
    reference = submit(details()).reference
    assert outbox_channels(sessions, reference) == ["email", "webhook"]


def test_references_avoid_characters_people_confuse():
    references = {new_reference() for _ in range(2000)}
    assert len(references) > 1990
    assert all(REFERENCE_PATTERN.match(r) for r in references)
    assert not set("".join(r[3:] for r in references)) & set("0O1IL")


@pytest.mark.parametrize("change, field", [
    ({"urgency": "soon"}, "urgency"),
    ({"risks": ["lonely"]}, "risks"),
    ({"contact": "07911 123456"}, "contact"),
    ({"contact_kind": "email", "contact": "margaret.example.com"}, "contact"),
    ({"name": "  "}, "name"),
    ({"channel": "fax"}, "channel"),
])
def test_malformed_details_are_a_programming_error_that_names_the_field_not_the_value(change, field):
    with pytest.raises(ValueError, match=field) as raised:
        submit(details(**change))
    assert not any(str(value) in str(raised.value) for value in change.values() if str(value).strip())


def database_down(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'frontdoor.db'}"
    return f"postgresql+psycopg://frontdoor:frontdoor-ci@127.0.0.1:{free_port()}/frontdoor"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_with_the_database_down_the_referral_is_spooled_encrypted_and_still_gets_a_reference(kind, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_down(kind, tmp_path))
    started = time.monotonic()
    submission = submit(details())
    assert time.monotonic() - started < 5  # a brief retry, not a hang

    assert submission.stored is False and REFERENCE_PATTERN.match(submission.reference)
    [path] = spool.pending()
    assert path.name.startswith(submission.reference) and path.stat().st_mode & 0o777 == 0o600
    content = path.read_bytes()
    assert not any(str(value).encode() in content for value in PERSONAL.values())
    assert spool.read(path).details == details()
    assert not list(path.parent.glob(".*.tmp"))  # the temporary file became the spool file


def test_if_the_spool_cannot_be_written_either_submit_says_so(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("FRONTDOOR_SPOOL_DIR", str(tmp_path / "a-file" / "spool"))
    monkeypatch.setenv("DATABASE_URL", database_down("sqlite", tmp_path))
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    with pytest.raises(ReferralNotSaved):
        submit(details())


@both
def test_once_the_database_is_back_the_worker_imports_a_spooled_referral_exactly_once(
        referral_db, sessions, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_down("sqlite", tmp_path))
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    reference = submit(details()).reference
    monkeypatch.setenv("DATABASE_URL", referral_db)

    assert run_once(sessions)["imported"] == 1
    assert run_once(sessions)["imported"] == 0
    assert spool.pending() == []
    with sessions() as session:
        assert session.scalar(select(Referral.reference)) == reference
        assert get_by_reference(session, reference)["needs"] == PERSONAL["needs"]
    assert outbox_channels(sessions, reference) == ["email"]


@both
def test_a_file_left_behind_after_its_import_is_not_imported_twice(referral_db, sessions, tmp_path, monkeypatch):
    """A worker that dies between committing and deleting leaves the file behind."""
    monkeypatch.setenv("DATABASE_URL", database_down("sqlite", tmp_path))
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    submit(details())
    [path] = spool.pending()
    shutil.copy(path, tmp_path / "copy")

    run_once(sessions)
    shutil.copy(tmp_path / "copy", path)
    assert run_once(sessions)["imported"] == 0
    assert spool.pending() == []
    with sessions() as session:
        assert len(session.scalars(select(Referral)).all()) == 1
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


@both
def test_a_spooled_referral_whose_reference_was_taken_meanwhile_is_renumbered_not_lost(
        referral_db, sessions, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_down("sqlite", tmp_path))
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    monkeypatch.setattr("content.referrals.new_reference", lambda: "FD-SAME22")
    submit(details(name="Spooled Person"))
    monkeypatch.setenv("DATABASE_URL", referral_db)
    submit(details(name="Stored Person"))

    assert run_once(sessions)["imported"] == 1
    with sessions() as session:
        [renumbered] = session.scalars(select(Referral).where(Referral.reference != "FD-SAME22")).all()
        assert renumbered.name == "Spooled Person"
        [note] = session.scalars(select(ReferralNote).where(ReferralNote.referral_id == renumbered.id)).all()
        assert "FD-SAME22" in note.body


def test_a_spool_file_under_a_key_no_longer_configured_is_kept_for_a_person(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", database_down("sqlite", tmp_path))
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    submit(details())
    from cryptography.fernet import Fernet
    monkeypatch.setenv("FRONTDOOR_DATA_KEY", Fernet.generate_key().decode())
    url = f"sqlite:///{tmp_path / 'back.db'}"
    db.migrate(url)
    from sqlalchemy.orm import sessionmaker
    assert run_once(sessionmaker(bind=db.engine_for(url)))["imported"] == 0
    assert len(spool.pending()) == 1
    assert "InvalidToken" in caplog.text
