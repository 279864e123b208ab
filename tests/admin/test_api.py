"""The JSON API (/api/v1): tokens, users, content and publishing, with the same rules as the
pages, and a JSON 4xx for every bad request."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from admin import accounts, database
from admin.models import ApiToken
from content import council, db, store

from .conftest import EDITOR_EMAIL, PASSWORD, api_token

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)

DRAFT = {"title": "Breaks for carers", "body": "A break helps you rest. Call {{phone.adult_social_care}}.",
         "sms_body": "A break helps. Call {{phone.adult_social_care}}"}


@pytest.fixture
def client(app):
    return app.test_client()


def test_a_token_for_the_right_password_and_401_for_a_wrong_one(client):
    reply = client.post("/api/v1/tokens", json={"email": EDITOR_EMAIL.upper(), "password": PASSWORD})
    assert reply.status_code == 200 and len(reply.get_json()["token"]) >= 40
    wrong = client.post("/api/v1/tokens", json={"email": EDITOR_EMAIL, "password": "not-the-password"})
    assert wrong.status_code == 401 and wrong.get_json() == {"error": "Wrong email or password"}


def test_only_a_hash_of_the_token_is_stored(app, client):
    token = api_token(client, EDITOR_EMAIL)
    with db.session_scope() as session:
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_token_failures_are_rate_limited_with_429(client):
    replies = [client.post("/api/v1/tokens", json={"email": EDITOR_EMAIL, "password": "guess-number-x"}).status_code
               for _ in range(6)]
    assert replies == [401, 401, 401, 401, 429, 429]
    locked = client.post("/api/v1/tokens", json={"email": EDITOR_EMAIL, "password": PASSWORD})
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "900" and "error" in locked.get_json()


def test_tokens_expire(app, client, monkeypatch):
    headers = {"Authorization": f"Bearer {api_token(client, EDITOR_EMAIL)}"}
    assert client.get("/api/v1/content/respite/en", headers=headers).status_code == 200
    later = accounts.utcnow() + dt.timedelta(hours=13)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    expired = client.get("/api/v1/content/respite/en", headers=headers)
    assert expired.status_code == 401 and "expired" in expired.get_json()["error"]


def test_get_content_has_the_published_version_and_no_draft(client, api):
    reply = client.get("/api/v1/content/respite/en", headers=api("editor"))
    body = reply.get_json()
    assert reply.status_code == 200 and body["draft"] is None
    published = body["published"]
    assert published["version"] == 1 and published["title"] == "Breaks for carers"
    assert published["reviewed"] == "2026-11-20" and "{{phone.adult_social_care}}" in published["body"]
    assert published["sms_body"] and "01632 960 000" in published["html"]


def test_put_saves_a_draft_and_publish_by_another_approver_makes_it_live(client, api):
    saved = client.put("/api/v1/content/respite/en", json=DRAFT, headers=api("editor"))
    assert saved.status_code == 200
    draft = saved.get_json()["draft"]
    assert draft["version"] == 2 and draft["status"] == "draft" and draft["author"] == EDITOR_EMAIL
    assert draft["reviewed"] == "2026-11-20"  # kept from the version it replaces
    published = client.post("/api/v1/content/respite/en/publish", headers=api("approver"))
    assert published.status_code == 200
    assert published.get_json()["published"]["version"] == 2 and published.get_json()["draft"] is None
    with db.session_scope() as session:
        assert store.answer(session, "respite", "en", council.current()).body == \
            "A break helps you rest. Call 01632 960 000."


def test_two_person_rule_in_the_api(client, api):
    approver = api("approver")
    client.put("/api/v1/content/respite/en", json=DRAFT, headers=approver)
    refused = client.post("/api/v1/content/respite/en/publish", headers=approver)
    assert refused.status_code == 403 and "someone else must approve" in refused.get_json()["error"]
    assert client.post("/api/v1/content/respite/en/publish", headers=api("editor")).status_code == 403
    assert client.post("/api/v1/content/respite/en/publish", headers=api("admin")).status_code == 200


def test_conflict_returns_409_and_keeps_both_versions(client, api):
    editor, approver = api("editor"), api("approver")
    assert client.put("/api/v1/content/respite/en", json={**DRAFT, "base_version": 1}, headers=approver).status_code == 200
    stale = client.put("/api/v1/content/respite/en", json={**DRAFT, "body": "Mine.", "base_version": 1}, headers=editor)
    assert stale.status_code == 409
    assert stale.get_json()["latest_version"] == 2 and "while you were editing" in stale.get_json()["error"]
    fresh = client.put("/api/v1/content/respite/en", json={**DRAFT, "body": "Mine.", "base_version": 2}, headers=editor)
    assert fresh.status_code == 200 and fresh.get_json()["draft"]["version"] == 3
    versions = client.get("/api/v1/content/respite/en/versions", headers=editor).get_json()["versions"]
    assert [v["version"] for v in versions] == [3, 2, 1]


def test_submit_return_and_rollback_through_the_api(client, api):
    editor, approver = api("editor"), api("approver")
    client.put("/api/v1/content/respite/en", json=DRAFT, headers=editor)
    assert client.post("/api/v1/content/respite/en/submit", headers=editor).get_json()["draft"]["status"] == "submitted"
    returned = client.post("/api/v1/content/respite/en/return", json={"comment": "Shorter, please."}, headers=approver)
    assert returned.get_json()["draft"]["review_comment"] == "Shorter, please."
    assert client.post("/api/v1/content/respite/en/publish", headers=approver).status_code == 200
    assert client.post("/api/v1/content/respite/en/rollback", json={"version": 1}, headers=editor).status_code == 403
    rolled = client.post("/api/v1/content/respite/en/rollback", json={"version": 1}, headers=approver)
    assert rolled.status_code == 200
    assert rolled.get_json()["published"]["version"] == 3 and rolled.get_json()["published"]["rollback_of"] == 1
    assert client.post("/api/v1/content/respite/en/rollback", json={"version": 42}, headers=approver).status_code == 404
    assert client.post("/api/v1/content/respite/en/publish", headers=approver).status_code == 409  # no draft


def test_admins_add_users_and_others_cannot(client, api):
    new = {"email": "new.editor@castlebridge.example.gov.uk", "password": "a long fresh password", "role": "editor"}
    created = client.post("/api/v1/users", json=new, headers=api("admin"))
    assert created.status_code == 201
    assert created.get_json() == {"id": created.get_json()["id"], "email": new["email"], "role": "editor", "active": True}
    assert client.post("/api/v1/tokens", json={"email": new["email"], "password": new["password"]}).status_code == 200
    assert client.post("/api/v1/users", json=new, headers=api("admin")).status_code == 409
    for role in ("editor", "approver"):
        assert client.post("/api/v1/users", json={**new, "email": f"x{role}@x.gov.uk"}, headers=api(role)).status_code == 403


@pytest.mark.parametrize("body, expected", [
    ({"email": "a@b.gov.uk", "password": "short", "role": "editor"}, "12 characters"),
    ({"email": "a@b.gov.uk", "password": "a long fresh password", "role": "owner"}, "Role must be one of"),
    ({"email": "not-an-email", "password": "a long fresh password", "role": "editor"}, "e-mail address"),
    ({"email": "a@b.gov.uk", "role": "editor"}, "'password' is missing"),
    ({"email": 7, "password": "a long fresh password", "role": "editor"}, "'email' must be a string"),
])
def test_bad_user_requests_are_400(client, api, body, expected):
    reply = client.post("/api/v1/users", json=body, headers=api("admin"))
    assert reply.status_code == 400 and expected in reply.get_json()["error"]


def test_malformed_requests_get_a_json_4xx_never_a_500(client, api):
    editor = api("editor")
    cases = [
        (client.get("/api/v1/content/respite/en"), 401),
        (client.get("/api/v1/content/respite/en", headers={"Authorization": "Bearer nonsense"}), 401),
        (client.get("/api/v1/content/respite/en", headers={"Authorization": "Basic abc"}), 401),
        (client.get("/api/v1/content/bins/en", headers=editor), 404),
        (client.get("/api/v1/content/respite/xx", headers=editor), 404),
        (client.put("/api/v1/content/respite/en", data="not json", headers=editor), 400),
        (client.put("/api/v1/content/respite/en", data="{bad json", content_type="application/json", headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json=["a", "list"], headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json={"title": "T"}, headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json={"title": 5, "body": "B"}, headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json={"title": "T", "body": ""}, headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json={**DRAFT, "base_version": "1"}, headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json={**DRAFT, "base_version": True}, headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json={**DRAFT, "reviewed": "yesterday"}, headers=editor), 400),
        (client.put("/api/v1/content/respite/en", json={**DRAFT, "title": "x" * 201}, headers=editor), 400),
        (client.put("/api/v1/content/bins/en", json=DRAFT, headers=editor), 404),
        (client.post("/api/v1/tokens", data="email=a"), 400),
        (client.post("/api/v1/tokens", json={"email": "a@b.c"}), 400),
        (client.post("/api/v1/tokens", json={"email": ["a"], "password": "b"}), 400),
        (client.post("/api/v1/users", json={}, headers=editor), 403),
        (client.post("/api/v1/content/respite/en/rollback", json={"version": -1}, headers=api("approver")), 400),
        (client.post("/api/v1/content/respite/en/return", json={}, headers=api("approver")), 400),
        (client.delete("/api/v1/content/respite/en", headers=editor), 405),
        (client.get("/api/v1/nothing-here"), 404),
    ]
    for number, (reply, status) in enumerate(cases):
        assert reply.status_code == status, (number, reply.status_code, reply.get_data(as_text=True))
        assert reply.is_json and isinstance(reply.get_json().get("error"), str), number
    assert cases[0][0].headers["WWW-Authenticate"].startswith("Bearer")


def test_a_disabled_users_token_stops_working(app, client, api):
    headers = api("editor")
    with app.app_context():
        accounts.find_user(database.session(), EDITOR_EMAIL).active = False
        database.session().commit()
    assert client.get("/api/v1/content/respite/en", headers=headers).status_code == 401


def test_the_api_ignores_the_session_cookie(app, staff):
    admin = staff("admin")  # signed in to the pages, but sends no token
    assert admin.client.get("/api/v1/content/respite/en").status_code == 401
    assert admin.client.post("/api/v1/users", json={"email": "x@y.gov.uk"}).status_code == 401


def test_approvers_and_admins_read_a_referral_and_every_read_is_audited(app, client, api, tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    from admin.models import AuditEntry
    from content.referrals import ReferralDetails, submit

    monkeypatch.setenv("FRONTDOOR_DATA_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("FRONTDOOR_SPOOL_DIR", str(tmp_path / "spool"))
    reference = submit(ReferralDetails(
        name="Margaret Jones", contact="+447911123456", contact_kind="phone", postcode="QQ1 2AB",
        needs="Help getting washed", urgency="today", for_whom="self", consent="self")).reference
    assert client.get(f"/api/v1/referrals/{reference}", headers=api("editor")).status_code == 403
    reply = client.get(f"/api/v1/referrals/{reference.lower()}", headers=api("approver"))
    assert reply.status_code == 200
    assert reply.get_json()["reference"] == reference and reply.get_json()["name"] == "Margaret Jones"
    missing = client.get("/api/v1/referrals/FD-ZZZZZZ", headers=api("admin"))
    assert missing.status_code == 404 and "error" in missing.get_json()
    assert client.get(f"/api/v1/referrals/{reference}").status_code == 401
    with db.session_scope() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data.read")).all()
        assert [(e.target, e.detail["found"]) for e in reads] == [(reference, True), ("FD-ZZZZZZ", False)]
        assert "Margaret" not in str([e.detail for e in reads])


def test_characters_and_numbers_the_database_cannot_hold_are_a_400_or_404(client, api):
    editor = api("editor")
    nul = client.put("/api/v1/content/respite/en", json={"title": "a\x00b", "body": "x"}, headers=editor)
    assert nul.status_code == 400 and "NUL" in nul.get_json()["error"]
    huge = client.put("/api/v1/content/respite/en", json={**DRAFT, "base_version": 2**70}, headers=editor)
    assert huge.status_code == 400
    assert client.get("/api/v1/referrals/FD-%00", headers=api("admin")).status_code == 400
    email = client.post("/api/v1/tokens", json={"email": "x" * 5000 + "@example.gov.uk", "password": "y"})
    assert email.status_code == 401


def test_a_body_too_large_is_a_json_413(app, client, api):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    reply = client.put("/api/v1/content/respite/en", json={**DRAFT, "body": "x" * 2000}, headers=api("editor"))
    assert reply.status_code == 413 and "error" in reply.get_json()
