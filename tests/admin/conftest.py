"""Fixtures for the staff admin: the app on a real database (SQLite and PostgreSQL) with the
content files loaded, staff users in each role, and signed-in test clients."""
from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from admin import accounts, create_app, database
from admin.models import APPROVER, EDITOR

ADMIN_EMAIL = "admin@castlebridge.example.gov.uk"
PASSWORD = "Correct-Horse-Battery-42"
EDITOR_EMAIL = "editor@castlebridge.example.gov.uk"
APPROVER_EMAIL = "approver@castlebridge.example.gov.uk"
SECOND_APPROVER_EMAIL = "approver2@castlebridge.example.gov.uk"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(url: str, **overrides):
    config = {"DATABASE_URL": url, "SECRET_KEY": "test-secret", "TESTING": True,
              "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": PASSWORD}
    config.update(overrides)
    return create_app(config)


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """Argon2 at its production cost makes every sign-in in the tests slow; the same algorithm
    with the smallest cost checks the same code."""
    monkeypatch.setattr(accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def app(content_db):
    app = make_app(content_db)
    with app.app_context():
        db = database.session()
        for email, role in ((EDITOR_EMAIL, EDITOR), (APPROVER_EMAIL, APPROVER), (SECOND_APPROVER_EMAIL, APPROVER)):
            accounts.create_user(db, email, PASSWORD, role, created_by=ADMIN_EMAIL)
        db.commit()
    yield app


class Staff:
    """A test client signed in as one member of staff, which sends CSRF tokens like a browser."""

    def __init__(self, app, email: str, password: str = PASSWORD):
        self.client = app.test_client()
        self.email = email
        self.login_response = self.sign_in(email, password)

    def csrf_token(self, path: str = "/admin/login") -> str:
        found = CSRF.search(self.client.get(path).get_data(as_text=True))
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def sign_in(self, email: str, password: str):
        token = self.csrf_token()
        return self.client.post("/admin/login", data={"csrf_token": token, "email": email, "password": password})

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, token_from: str = "/admin/content/contact-us/en", **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_from))
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def staff(app):
    """staff("editor") and so on: a signed-in client for each role."""
    emails = {"admin": ADMIN_EMAIL, "editor": EDITOR_EMAIL, "approver": APPROVER_EMAIL,
              "approver2": SECOND_APPROVER_EMAIL}
    return lambda who: Staff(app, emails[who])


def api_token(client, email: str, password: str = PASSWORD) -> str:
    reply = client.post("/api/v1/tokens", json={"email": email, "password": password})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_json()["token"]


@pytest.fixture
def api(app):
    """api("editor") and so on: headers with a bearer token for each role."""
    client = app.test_client()
    emails = {"admin": ADMIN_EMAIL, "editor": EDITOR_EMAIL, "approver": APPROVER_EMAIL,
              "approver2": SECOND_APPROVER_EMAIL}
    return lambda who: {"Authorization": f"Bearer {api_token(client, emails[who])}"}


BASE_VERSION = re.compile(r'name="base_version" type="hidden" value="(\d*)"')


def form_for(staff: Staff, topic: str, locale: str = "en", **changes) -> dict:
    """The edit form as the page fills it in, with these changes, ready to post back."""
    from content import db, store

    page = staff.get(f"/admin/content/{topic}/{locale}").get_data(as_text=True)
    with db.session_scope() as session:
        current = store.latest(session, topic, locale)
        data = {
            "title": current.title if current else "A title",
            "body": current.body if current else "A body.",
            "sms_body": current.sms_body if current else "",
            "owner": current.owner if current else "",
            "reviewed": ["20", "11", "2026"], "review_due": ["20", "5", "2027"],
        }
    data["base_version"] = BASE_VERSION.search(page).group(1)
    data["csrf_token"] = CSRF.search(page).group(1)
    data["action"] = "save"
    data.update(changes)
    return data


def save_draft(staff: Staff, topic: str = "respite", locale: str = "en", **changes):
    return staff.client.post(f"/admin/content/{topic}/{locale}", data=form_for(staff, topic, locale, **changes))
