"""Staff accounts: the first admin, signing in, lock-out, time-out, CSRF, cookies and headers."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from sqlalchemy import func, select

from admin import accounts, create_app, database
from admin.models import StaffUser

from .conftest import ADMIN_EMAIL, EDITOR_EMAIL, PASSWORD, Staff, make_app

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)


def users(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(u.email, u.role) for u in database.session().scalars(select(StaffUser))]


def test_the_first_admin_comes_from_the_environment(content_db, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_ADMIN_EMAIL", "Boss@Castlebridge.example.gov.uk")
    monkeypatch.setenv("FRONTDOOR_ADMIN_PASSWORD", PASSWORD)
    app = create_app({"SECRET_KEY": "test"})
    assert users(app) == [("boss@castlebridge.example.gov.uk", "admin")]
    assert Staff(app, "boss@castlebridge.example.gov.uk").login_response.status_code == 302
    # Restarting with other values changes nothing once a staff user exists.
    monkeypatch.setenv("FRONTDOOR_ADMIN_EMAIL", "other@castlebridge.example.gov.uk")
    assert users(create_app({"SECRET_KEY": "test"})) == [("boss@castlebridge.example.gov.uk", "admin")]


def test_without_the_environment_there_is_no_user_and_the_login_page_says_how(content_db, monkeypatch):
    monkeypatch.delenv("FRONTDOOR_ADMIN_EMAIL", raising=False)
    monkeypatch.delenv("FRONTDOOR_ADMIN_PASSWORD", raising=False)
    app = create_app({"SECRET_KEY": "test"})
    assert users(app) == []
    page = app.test_client().get("/admin/login").get_data(as_text=True)
    assert "FRONTDOOR_ADMIN_EMAIL" in page and "FRONTDOOR_ADMIN_PASSWORD" in page


def test_a_weak_bootstrap_password_creates_nobody(content_db):
    app = make_app(content_db, ADMIN_PASSWORD="password123")
    assert users(app) == []


def test_passwords_are_stored_as_argon2_hashes(app):
    with app.app_context():
        stored = accounts.find_user(database.session(), ADMIN_EMAIL).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_signing_in_and_out(app):
    editor = Staff(app, EDITOR_EMAIL)
    assert editor.login_response.status_code == 302
    assert editor.get("/admin/").status_code == 200
    assert editor.get("/admin/sign-out").status_code == 302
    assert editor.get("/admin/").headers["Location"].startswith("/admin/login")


def test_a_wrong_password_is_refused_with_a_clear_message(app):
    attempt = Staff(app, EDITOR_EMAIL, "not-the-password-at-all")
    page = attempt.login_response.get_data(as_text=True)
    assert attempt.login_response.status_code == 200
    assert "govuk-error-summary" in page and "Enter a correct email address and password" in page
    assert attempt.get("/admin/").status_code == 302


def test_an_account_locks_after_five_failures_and_unlocks_after_fifteen_minutes(app, monkeypatch):
    for _ in range(4):
        assert Staff(app, EDITOR_EMAIL, "wrong-password-guess").login_response.status_code == 200
    fifth = Staff(app, EDITOR_EMAIL, "wrong-password-guess").login_response
    assert fifth.status_code == 429 and "locked" in fifth.get_data(as_text=True)
    # Even the right password is refused while locked.
    assert Staff(app, EDITOR_EMAIL).login_response.status_code == 429
    later = accounts.utcnow() + dt.timedelta(minutes=16)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    assert Staff(app, EDITOR_EMAIL).login_response.status_code == 302


def test_the_lock_is_counted_in_the_database_so_every_worker_sees_it(app, content_db):
    for _ in range(5):
        Staff(app, EDITOR_EMAIL, "wrong-password-guess")
    other_worker = make_app(content_db)  # a second app, as a second gunicorn worker would be
    assert Staff(other_worker, EDITOR_EMAIL).login_response.status_code == 429


def test_one_address_failing_for_many_accounts_is_refused(app):
    app.config["IP_FAILURES"] = 6
    for number in range(6):
        Staff(app, f"nobody{number}@castlebridge.example.gov.uk", "wrong-password-guess")
    refused = Staff(app, ADMIN_EMAIL).login_response
    assert refused.status_code == 429 and "too many failed sign-ins from your network" in refused.get_data(as_text=True)


def test_a_disabled_user_cannot_sign_in(app):
    with app.app_context():
        accounts.find_user(database.session(), EDITOR_EMAIL).active = False
        database.session().commit()
    assert Staff(app, EDITOR_EMAIL).login_response.status_code == 200


def test_disabling_a_user_ends_their_session_at_once(app, staff):
    editor = staff("editor")
    assert editor.get("/admin/").status_code == 200
    with app.app_context():
        accounts.find_user(database.session(), EDITOR_EMAIL).active = False
        database.session().commit()
    assert editor.get("/admin/").status_code == 302


def test_the_session_times_out_after_thirty_idle_minutes(app, staff):
    editor = staff("editor")
    with editor.client.session_transaction() as session:
        session["last_seen"] = time.time() - 29 * 60
    assert editor.get("/admin/").status_code == 200  # and that request counts as activity
    with editor.client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    reply = editor.get("/admin/")
    assert reply.status_code == 302 and reply.headers["Location"].startswith("/admin/login")
    assert "30 minutes" in editor.get("/admin/login").get_data(as_text=True)


def test_a_form_posted_without_its_csrf_token_is_refused(app, staff):
    editor = staff("editor")
    reply = editor.client.post("/admin/content/respite/en", data={"title": "x", "body": "y", "action": "save"})
    assert reply.status_code == 400 and "Your form has expired" in reply.get_data(as_text=True)
    login = app.test_client().post("/admin/login", data={"email": EDITOR_EMAIL, "password": PASSWORD})
    assert login.status_code == 400
    wrong = editor.client.post("/admin/content/respite/en/submit", data={"csrf_token": "forged"})
    assert wrong.status_code == 400


def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(app):
    reply = app.test_client().get("/admin/login")
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client().get("/admin/login", base_url="https://localhost")
    assert "Secure" in secure.headers["Set-Cookie"]
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_cookies_can_be_made_always_secure(content_db):
    app = make_app(content_db, SECURE_COOKIES="true")
    assert "Secure" in app.test_client().get("/admin/login").headers["Set-Cookie"]


def test_security_headers_and_a_strict_content_security_policy(app, staff):
    for reply in (app.test_client().get("/admin/login"), staff("admin").get("/admin/"),
                  app.test_client().post("/api/v1/tokens", json={})):
        headers = reply.headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
    reply = staff("editor").get("/admin/content/respite/en")
    nonce = re.search(r"'nonce-([^']+)'", reply.headers["Content-Security-Policy"]).group(1)
    # The only inline script is GOV.UK Frontend's one-liner, and it carries this response's nonce.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", reply.get_data(as_text=True))
    assert inline == [f' nonce="{nonce}"']


def test_only_safe_redirects_after_signing_in(app):
    client = app.test_client()
    token = client.get("/admin/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    reply = client.post("/admin/login?next=https://evil.example/admin",
                        data={"csrf_token": token, "email": EDITOR_EMAIL, "password": PASSWORD})
    assert reply.headers["Location"] == "/admin/"


def test_no_staff_user_is_ever_created_with_a_built_in_password(content_db, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_ADMIN_EMAIL", "boss@castlebridge.example.gov.uk")
    monkeypatch.delenv("FRONTDOOR_ADMIN_PASSWORD", raising=False)
    app = create_app({"SECRET_KEY": "test"})
    with app.app_context():
        assert database.session().scalar(select(func.count()).select_from(StaffUser)) == 0
