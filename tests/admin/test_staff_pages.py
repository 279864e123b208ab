"""Users, figures and import/export pages: who may use them, and what they change."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from admin import accounts, database
from content import council, db, files, store
from content.models import Figure

from .conftest import ADMIN_EMAIL, EDITOR_EMAIL, Staff, save_draft

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)

NEW_USER = {"email": "Sam.Jones@castlebridge.example.gov.uk", "role": "approver",
            "password": "a long fresh password"}


def test_only_admins_manage_users(staff):
    for who in ("editor", "approver"):
        member = staff(who)
        assert member.get("/admin/users/").status_code == 403
        assert member.get("/admin/users/new").status_code == 403
        assert member.post("/admin/users/new", NEW_USER).status_code == 403
        assert member.post("/admin/users/1/disable").status_code == 403
        assert "Users" not in member.get("/admin/").get_data(as_text=True).split("<main")[0]


def test_an_admin_adds_a_user_who_can_then_sign_in(app, staff):
    admin = staff("admin")
    assert admin.post("/admin/users/new", NEW_USER).headers["Location"] == "/admin/users/"
    assert "sam.jones@castlebridge.example.gov.uk" in admin.get("/admin/users/").get_data(as_text=True)
    assert Staff(app, NEW_USER["email"], NEW_USER["password"]).login_response.status_code == 302


def test_adding_a_user_explains_what_is_wrong(staff):
    page = staff("admin").post("/admin/users/new", {"email": "nope", "role": "", "password": "password1234"})
    text = page.get_data(as_text=True)
    assert "Enter an email address in the correct format" in text and "Choose a role" in text
    assert "Password is too common" in text and 'href="#email"' in text and "<title>Error:" in text


def test_an_admin_changes_roles_and_disables_users(app, staff):
    admin = staff("admin")
    with app.app_context():
        editor_id = accounts.find_user(database.session(), EDITOR_EMAIL).id
        admin_id = accounts.find_user(database.session(), ADMIN_EMAIL).id
    assert admin.post(f"/admin/users/{editor_id}", {"role": "approver"}).status_code == 302
    assert admin.post(f"/admin/users/{editor_id}/disable").status_code == 302
    with app.app_context():
        user = accounts.find_user(database.session(), EDITOR_EMAIL)
        assert (user.role, user.active) == ("approver", False)
    assert Staff(app, EDITOR_EMAIL).login_response.status_code == 200  # refused
    assert admin.post(f"/admin/users/{editor_id}/enable").status_code == 302
    assert Staff(app, EDITOR_EMAIL).login_response.status_code == 302
    # The only admin cannot be demoted or disabled, so the service always has one.
    page = admin.post(f"/admin/users/{admin_id}", {"role": "editor"}).get_data(as_text=True)
    assert "This is the only admin" in page
    admin.post(f"/admin/users/{admin_id}/disable")
    with app.app_context():
        assert accounts.find_user(database.session(), ADMIN_EMAIL).active


def test_approvers_change_figures_and_the_next_answer_uses_them(staff):
    editor, approver = staff("editor"), staff("approver")
    assert "£86.45 a week" in editor.get("/admin/figures/").get_data(as_text=True)
    assert editor.get("/admin/figures/carers_allowance_weekly").status_code == 403
    form = {"value": "90.10", "format": "money_week", "applies": "2027/28",
            "source": "https://www.gov.uk/carers-allowance", "note": ""}
    assert approver.post("/admin/figures/carers_allowance_weekly", form).status_code == 302
    with db.session_scope() as session:
        assert session.get(Figure, "carers_allowance_weekly").value == Decimal("90.10")
        assert "£90.10 a week" in store.answer(session, "carers-support", "en", council.current()).body
    bad = approver.post("/admin/figures/carers_allowance_weekly", {**form, "value": "lots", "source": "javascript:x"})
    text = bad.get_data(as_text=True)
    assert "Enter the amount" in text or "Not a valid decimal" in text
    assert "web address starting https://" in text
    assert approver.get("/admin/figures/no_such_figure").status_code == 404


def test_the_export_zip_holds_published_answers_not_drafts(staff, tmp_path):
    save_draft(staff("editor"), body="A DRAFT THAT MUST NOT BE EXPORTED")
    assert staff("approver").post("/admin/import-export/export").status_code == 403
    reply = staff("admin").post("/admin/import-export/export")
    assert reply.status_code == 200 and reply.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(reply.data)) as zipped:
        zipped.extractall(tmp_path)
        names = zipped.namelist()
    assert "content/figures.yml" in names and "content/advice/en/respite.md" in names
    respite = (tmp_path / "content/advice/en/respite.md").read_text()
    assert "A DRAFT THAT MUST NOT BE EXPORTED" not in respite
    exported = files.read_advice(tmp_path / "content" / "advice")
    assert len([a for a in exported if a.locale == "en"]) == 14
    # Translations are in it with their state, those waiting for review too, as in content/.
    assert {(a.locale, a.topic): a.translation_state for a in exported if a.locale != "en"} == {
        (a.locale, a.topic): a.translation_state for a in files.read_advice() if a.locale != "en"}


def test_the_command_line_export_leaves_drafts_out_too(staff, tmp_path):
    save_draft(staff("editor"), body="A DRAFT THAT MUST NOT BE EXPORTED")
    with db.session_scope() as session:
        store.export_files(session, tmp_path / "advice", tmp_path / "figures.yml")
    assert "A DRAFT" not in (tmp_path / "advice/en/respite.md").read_text()


def test_an_admin_imports_the_content_files(staff):
    with db.session_scope() as session:
        store.published(session, "equipment", "en").title = "Changed in the store"
    assert staff("approver").post("/admin/import-export/import").status_code == 403
    admin = staff("admin")
    reply = admin.post("/admin/import-export/import")
    assert reply.status_code == 302
    assert "Imported 1 changed answers" in admin.get("/admin/import-export/").get_data(as_text=True)
    with db.session_scope() as session:
        assert store.published(session, "equipment", "en").title != "Changed in the store"


def test_figures_too_big_for_the_table_are_refused(staff):
    reply = staff("approver").post("/admin/figures/carers_allowance_weekly", {
        "value": "1e20", "format": "money_week", "applies": "2027/28", "source": "", "note": ""})
    assert reply.status_code == 200 and "less than 10,000,000,000" in reply.get_data(as_text=True)
    assert staff("admin").get(f"/admin/users/{2**70}").status_code == 404
    assert staff("admin").get("/admin/audit/?page=99999999999999999999").status_code == 200
