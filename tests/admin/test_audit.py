"""The audit log: every audited action leaves an entry, without secrets; admins filter it."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from admin import accounts, audit, database
from admin.models import AuditEntry

from .conftest import ADMIN_EMAIL, EDITOR_EMAIL, PASSWORD, Staff, api_token, save_draft

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)


def entries(app) -> list[AuditEntry]:
    with app.app_context():
        return list(database.session().scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_every_audited_action_is_recorded_with_who_what_and_target(app, staff):
    client = app.test_client()
    Staff(app, EDITOR_EMAIL, "wrong-password-guess")
    editor, approver, admin = staff("editor"), staff("approver"), staff("admin")
    save_draft(editor, body="New text.")
    editor.post("/admin/content/respite/en/submit")
    approver.post("/admin/content/respite/en/return", {"comment": "Needs a phone number."})
    save_draft(editor, body="New text. Call {{phone.adult_social_care}}.")
    approver.post("/admin/content/respite/en/publish")
    approver.post("/admin/content/respite/en/versions/1/rollback")
    approver.post("/admin/figures/carers_allowance_weekly", {"value": "90", "format": "money_week", "applies": "2027/28"})
    admin.post("/admin/users/new", {"email": "new@castlebridge.example.gov.uk", "role": "editor",
                                    "password": "a long fresh password"})
    with app.app_context():
        new_id = accounts.find_user(database.session(), "new@castlebridge.example.gov.uk").id
    admin.post(f"/admin/users/{new_id}", {"role": "approver"})
    admin.post(f"/admin/users/{new_id}/disable")
    admin.post(f"/admin/users/{new_id}/enable")
    admin.get("/admin/users/")
    admin.post("/admin/import-export/import")
    admin.post("/admin/import-export/export")
    token = api_token(client, EDITOR_EMAIL)
    client.post("/api/v1/tokens", json={"email": EDITOR_EMAIL, "password": "wrong-password-guess"})
    editor.get("/admin/sign-out")

    found = {(e.action, e.actor, e.target) for e in entries(app)}
    expected = {
        ("user.add", "FRONTDOOR_ADMIN_EMAIL", ADMIN_EMAIL),
        ("login.failure", EDITOR_EMAIL, EDITOR_EMAIL),
        ("login.success", EDITOR_EMAIL, EDITOR_EMAIL),
        ("content.draft", EDITOR_EMAIL, "respite/en"),
        ("content.submit", EDITOR_EMAIL, "respite/en"),
        ("content.return", "approver@castlebridge.example.gov.uk", "respite/en"),
        ("content.publish", "approver@castlebridge.example.gov.uk", "respite/en"),
        ("content.rollback", "approver@castlebridge.example.gov.uk", "respite/en"),
        ("figure.edit", "approver@castlebridge.example.gov.uk", "carers_allowance_weekly"),
        ("user.add", ADMIN_EMAIL, "new@castlebridge.example.gov.uk"),
        ("user.role", ADMIN_EMAIL, "new@castlebridge.example.gov.uk"),
        ("user.disable", ADMIN_EMAIL, "new@castlebridge.example.gov.uk"),
        ("user.enable", ADMIN_EMAIL, "new@castlebridge.example.gov.uk"),
        ("personal_data.read", ADMIN_EMAIL, "staff users"),
        ("content.import", ADMIN_EMAIL, "content files"),
        ("content.export", ADMIN_EMAIL, "content files"),
        ("token.issue", EDITOR_EMAIL, EDITOR_EMAIL),
        ("token.failure", EDITOR_EMAIL, EDITOR_EMAIL),
        ("logout", EDITOR_EMAIL, EDITOR_EMAIL),
    }
    assert expected <= found, expected - found
    logged = " ".join(f"{e.detail} {e.target} {e.actor}" for e in entries(app))
    assert PASSWORD not in logged and "wrong-password-guess" not in logged and token not in logged
    api_entries = [e for e in entries(app) if e.action.startswith("token.")]
    assert all(e.channel == "api" and e.ip for e in api_entries)
    rollback = next(e for e in entries(app) if e.action == "content.rollback")
    assert rollback.detail == {"restored": 1, "version": 4}


def test_api_changes_are_audited_too(app, api):
    client = app.test_client()
    editor, approver = api("editor"), api("approver")
    client.put("/api/v1/content/respite/en", json={"title": "T", "body": "B"}, headers=editor)
    client.post("/api/v1/content/respite/en/publish", headers=approver)
    client.post("/api/v1/users", json={"email": "api@castlebridge.example.gov.uk", "password": "a long fresh password",
                                       "role": "editor"}, headers=api("admin"))
    found = {(e.action, e.actor, e.channel) for e in entries(app)}
    assert {("content.draft", EDITOR_EMAIL, "api"), ("content.publish", "approver@castlebridge.example.gov.uk", "api"),
            ("user.add", ADMIN_EMAIL, "api")} <= found


def test_scrubbing_removes_secrets_from_details(app):
    with app.test_request_context("/admin/"):
        entry = audit.record(database.session(), "user.add", "x", {"password": "p", "nested": {"api_token": "t"},
                                                                    "role": "editor"}, actor="someone")
    assert entry.detail == {"password": "[removed]", "nested": {"api_token": "[removed]"}, "role": "editor"}


def test_only_admins_read_the_audit_log_and_reading_it_is_audited(app, staff):
    assert staff("approver").get("/admin/audit/").status_code == 403
    admin = staff("admin")
    assert admin.get("/admin/audit/").status_code == 200
    assert ("personal_data.read", "audit log") in {(e.action, e.target) for e in entries(app)}


def test_the_audit_log_filters_by_user_action_and_dates_and_pages(app, staff):
    app.config["AUDIT_PAGE_SIZE"] = 3
    admin = staff("admin")
    for _ in range(4):
        Staff(app, EDITOR_EMAIL)
    with app.app_context():
        old = AuditEntry(at=dt.datetime(2020, 1, 5, 12, tzinfo=dt.timezone.utc), actor="ghost@castlebridge.example.gov.uk",
                         action="figure.edit", target="old_figure", detail={}, channel="web")
        database.session().add(old)
        database.session().commit()
    by_user = admin.get(f"/admin/audit/?actor={EDITOR_EMAIL}&action=login.success").get_data(as_text=True)
    assert "4 entries, page 1 of 2" in by_user and "govuk-pagination" in by_user
    assert by_user.count("<td") // 6 == 3 and "old_figure" not in by_user
    second = admin.get(f"/admin/audit/?actor={EDITOR_EMAIL}&action=login.success&page=2").get_data(as_text=True)
    assert "page 2 of 2" in second
    dated = admin.get("/admin/audit/?date_from=1&date_from=1&date_from=2020&date_to=31&date_to=1&date_to=2020")
    text = dated.get_data(as_text=True)
    assert "old_figure" in text and "1 entry" in text
    bad = admin.get("/admin/audit/?date_from=40&date_from=1&date_from=2020").get_data(as_text=True)
    assert "govuk-error-summary" in bad and "From must be a real date" in bad
