"""Encryption at rest: the raw database holds no readable personal data, the key from the
environment is the one used, and another key cannot read it."""
from __future__ import annotations

import logging
import os

import pytest
from cryptography.fernet import Fernet, InvalidToken

from content import keys
from content.referrals import add_note, crypto, get_by_reference, submit

from .conftest import PERSONAL, both, details

TABLES = ("referrals", "referral_notes", "outbox")


def everything_in(raw) -> str:
    """Every value of every row of the referral tables, as the database holds it."""
    return "\n".join(str(value) for table in TABLES for row in raw(f"SELECT * FROM {table}") for value in row)


@both
def test_the_raw_database_holds_no_readable_personal_data(referral_db, sessions, raw, monkeypatch):
    # The webhook's outbox row carries the whole referral: it must be encrypted too.
    monkeypatch.setenv("FRONTDOOR_REFERRAL_WEBHOOK_URL", "https://cms.castlebridge.example.gov.uk/referrals")
    reference = submit(details()).reference
    with sessions.begin() as session:
        add_note(session, reference, "duty@castlebridge.example.gov.uk", "Spoke to Margaret on +447911123456")

    stored = everything_in(raw)
    assert reference in stored  # the reference is not personal data, and staff search by it
    # Whole words only: a short string like "CB1" turns up in random base64 by chance.
    for value in (*PERSONAL.values(), "Margaret", "7911123456", "washed"):
        assert str(value) not in stored
    assert stored.count("gAAAAA") >= 9  # Fernet tokens: 7 referral fields, the note, 2 payloads


@both
def test_the_key_from_the_environment_is_the_one_used(referral_db, raw, referral_env):
    reference = submit(details()).reference
    [(name, postcode)] = raw("SELECT name, postcode FROM referrals WHERE reference = :r", r=reference)
    assert Fernet(referral_env.encode()).decrypt(name.encode()) == b"Margaret Jones"
    assert Fernet(referral_env.encode()).decrypt(postcode.encode()) == b"CB1 2AB"


@both
def test_a_wrong_key_cannot_decrypt(referral_db, sessions, raw, monkeypatch):
    reference = submit(details()).reference
    [(name,)] = raw("SELECT name FROM referrals")
    with pytest.raises(InvalidToken):
        Fernet(Fernet.generate_key()).decrypt(name.encode())

    monkeypatch.setenv("FRONTDOOR_DATA_KEY", Fernet.generate_key().decode())
    with sessions() as session, pytest.raises(InvalidToken):
        get_by_reference(session, reference)


@both
def test_keys_rotate_the_first_encrypts_every_one_decrypts(referral_db, sessions, raw, referral_env, monkeypatch):
    old_reference = submit(details(name="Old Key")).reference
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv("FRONTDOOR_DATA_KEY", f"{new_key}, {referral_env}")
    new_reference = submit(details(name="New Key")).reference

    with sessions() as session:
        assert get_by_reference(session, old_reference)["name"] == "Old Key"
        assert get_by_reference(session, new_reference)["name"] == "New Key"
    [(token,)] = raw("SELECT name FROM referrals WHERE reference = :r", r=new_reference)
    assert Fernet(new_key.encode()).decrypt(token.encode()) == b"New Key"


def test_a_malformed_key_is_refused_without_showing_it(monkeypatch):
    monkeypatch.setenv("FRONTDOOR_DATA_KEY", "not-a-real-key-secret-value")
    with pytest.raises(crypto.DataKeyError) as raised:
        crypto.encrypt(b"x")
    assert "not-a-real-key-secret-value" not in str(raised.value)


def test_without_a_key_one_is_generated_once_private_and_with_a_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("FRONTDOOR_DATA_KEY")
    path = tmp_path / "var" / "data_key"
    monkeypatch.setenv("FRONTDOOR_DATA_KEY_FILE", str(path))
    keys._key_from_file.cache_clear()
    with caplog.at_level(logging.WARNING):
        token = crypto.encrypt(b"hello")
    assert path.stat().st_mode & 0o777 == 0o600
    assert "FRONTDOOR_DATA_KEY" in caplog.text and "production" in caplog.text.lower()
    keys._key_from_file.cache_clear()  # as a new process would: the same file, the same key
    assert crypto.decrypt(token) == b"hello"
    assert Fernet(path.read_bytes().strip()).decrypt(token) == b"hello"
    assert [p.name for p in path.parent.iterdir()] == ["data_key"]  # no temporary file left
    keys._key_from_file.cache_clear()


def test_encrypted_columns_keep_none_as_null():
    assert crypto.EncryptedText().process_bind_param(None, None) is None
    assert crypto.EncryptedDate().process_result_value(None, None) is None
    assert os.environ["FRONTDOOR_DATA_KEY"]


@both
def test_rotate_key_reencrypts_everything_so_the_old_key_can_go(referral_db, sessions, raw, referral_env, monkeypatch,
                                                                 tmp_path):
    from content.referrals import rotation, spool

    reference = submit(details()).reference
    with sessions.begin() as session:
        add_note(session, reference, "duty@castlebridge.example.gov.uk", "A note")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'down' / 'db.sqlite'}")
    monkeypatch.setattr("content.referrals.PAUSE", 0)
    submit(details(name="Spooled"))
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv("FRONTDOOR_DATA_KEY", f"{new_key},{referral_env}")

    with sessions.begin() as session:
        assert rotation.reencrypt(session) == 3  # the referral, its note, its e-mail
    assert rotation.reencrypt_spool() == 1

    monkeypatch.setenv("FRONTDOOR_DATA_KEY", new_key)
    with sessions() as session:
        found = get_by_reference(session, reference)
    assert found["name"] == "Margaret Jones" and found["notes"][0]["body"] == "A note"
    [path] = spool.pending()
    assert spool.read(path).details.name == "Spooled"
    [(payload,)] = raw("SELECT payload FROM outbox")
    assert Fernet(new_key.encode()).decrypt(payload.encode())
