"""The referral queue: who may see it, filters, the referral page and its forms, the CSV export,
and an audit entry for every view, export and change."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from admin.models import AuditEntry
from content import db
from content.referrals import ReferralDetails, assign, get_by_reference, set_status, submit

from .conftest import APPROVER_EMAIL, SECOND_APPROVER_EMAIL

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(autouse=True)
def referral_env(tmp_path, monkeypatch):
    """A data key and spool folder of this test's own."""
    monkeypatch.setenv("FRONTDOOR_DATA_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("FRONTDOOR_DATA_KEY_FILE", str(tmp_path / "data_key"))
    monkeypatch.setenv("FRONTDOOR_SPOOL_DIR", str(tmp_path / "spool"))


def refer(**changes) -> str:
    values = {"name": "Margaret Jones", "contact": "+447911123456", "contact_kind": "phone",
              "postcode": "QQ1 2AB", "needs": "Help getting washed since her hip operation",
              "urgency": "today", "for_whom": "other", "relationship": "daughter-in-law", "consent": "agreed",
              "risks": ["lives_alone", "falls"]}
    values.update(changes)
    submission = submit(ReferralDetails(**values))
    assert submission.stored
    return submission.reference


def entries(action: str | None = None) -> list[AuditEntry]:
    with db.session_scope() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        found = list(session.scalars(query))
        session.expunge_all()
        return found


def stored(reference: str) -> dict:
    with db.session_scope() as session:
        return get_by_reference(session, reference)


def test_editors_cannot_see_referrals(app, staff):
    reference = refer()
    editor = staff("editor")
    for path in ("/admin/referrals", f"/admin/referrals/{reference}", "/admin/referrals.csv"):
        assert editor.get(path).status_code == 403, path
    for action in ("status", "assign", "notes"):
        assert editor.post(f"/admin/referrals/{reference}/{action}", {"status": "closed", "body": "x"}) \
            .status_code == 403
    assert "Referrals" not in editor.get("/admin/").get_data(as_text=True).split("<main")[0]
    assert not entries("referral.viewed") and not entries("referral.queue_viewed")
    assert stored(reference)["status"] == "new" and not stored(reference)["notes"]


def test_signed_out_visitors_are_sent_to_sign_in(app):
    client = app.test_client()
    for path in ("/admin/referrals", "/admin/referrals/FD-ZZZZZZ", "/admin/referrals.csv"):
        assert client.get(path).headers["Location"].startswith("/admin/login"), path


def test_an_approver_sees_the_queue_newest_first_and_it_is_audited(app, staff):
    older = refer(name="Older Person", urgency="later", risks=[])
    newer = refer(name="Newer Person", urgency="today")
    approver = staff("approver")
    header = approver.get("/admin/").get_data(as_text=True).split("<main")[0]
    assert 'href="/admin/referrals"' in header and "Referrals" in header
    page = approver.get("/admin/referrals")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.index(newer) < text.index(older)
    assert "govuk-tag--red" in text and "Today" in text and "Later" in text
    assert "Lives alone, Falls" in text and "New (2)" in text and "Triaged (0)" in text
    assert "Margaret" not in text and "Older Person" not in text  # the queue shows no names
    viewed = entries("referral.queue_viewed")
    assert len(viewed) == 1 and viewed[0].actor == APPROVER_EMAIL
    assert set(viewed[0].detail["references"]) == {older, newer}
    assert "Person" not in str(viewed[0].detail)


def test_the_queue_filters_by_status_urgency_and_assigned_to_me(app, staff):
    first = refer(urgency="later")
    second = refer(urgency="today")
    third = refer(urgency="week")
    with db.session_scope() as session:
        set_status(session, first, "triaged")
        assign(session, second, APPROVER_EMAIL)
        assign(session, third, SECOND_APPROVER_EMAIL)
    approver = staff("approver")

    def shown(query: str) -> set[str]:
        text = approver.get(f"/admin/referrals?{query}").get_data(as_text=True)
        return {reference for reference in (first, second, third) if reference in text}

    assert shown("") == {first, second, third}
    assert shown("status=triaged") == {first}
    assert shown("status=new") == {second, third}
    assert shown("urgency=today") == {second}
    assert shown("urgency=week&status=new") == {third}
    assert shown("mine=y") == {second}
    assert shown("status=closed") == set()
    bad = approver.get("/admin/referrals?status=lost").get_data(as_text=True)
    assert "govuk-error-summary" in bad and "<title>Error:" in bad


def test_the_queue_pages(app, staff):
    app.config["REFERRALS_PAGE_SIZE"] = 2
    references = [refer() for _ in range(3)]
    approver = staff("approver")
    first = approver.get("/admin/referrals").get_data(as_text=True)
    assert references[2] in first and references[1] in first and references[0] not in first
    assert "page=2" in first
    second = approver.get("/admin/referrals?page=2").get_data(as_text=True)
    assert references[0] in second and references[2] not in second


def test_the_referral_page_shows_everything_decrypted_and_is_audited(app, staff):
    reference = refer(date_of_birth=dt.date(1941, 3, 17))
    admin = staff("admin")
    page = admin.get(f"/admin/referrals/{reference.lower()}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for shown in ("Margaret Jones", "+447911123456", "QQ1 2AB", "Help getting washed", "daughter-in-law",
                  "17 March 1941", "Lives alone", "No notes yet", "Status", "Assigned to"):
        assert shown in text, shown
    # The status, assignee and note forms, and the language switcher every page has: each one with a token.
    assert text.count('name="csrf_token"') == text.count('<form method="post"') == 4
    # The select offers active approvers and admins, not editors.
    assert f'value="{APPROVER_EMAIL}"' in text and "editor@" not in text
    viewed = entries("referral.viewed")
    assert [(e.target, e.detail) for e in viewed] == [(reference, {"found": True})]
    assert admin.get("/admin/referrals/FD-ZZZZZZ").status_code == 404
    assert entries("referral.viewed")[-1].detail == {"found": False}
    assert admin.get("/admin/referrals/FD-%00").status_code == 400


def test_status_assignee_and_notes_are_saved_and_audited(app, staff):
    reference = refer()
    approver = staff("approver")
    base = f"/admin/referrals/{reference}"

    reply = approver.post(f"{base}/status", {"status": "in_progress"})
    assert reply.status_code == 302 and reply.headers["Location"] == base
    assert "is now in progress" in approver.get(base).get_data(as_text=True)
    assert stored(reference)["status"] == "in_progress"

    assert approver.post(f"{base}/assign", {"assigned_to": SECOND_APPROVER_EMAIL}).status_code == 302
    assert stored(reference)["assigned_to"] == SECOND_APPROVER_EMAIL

    assert approver.post(f"{base}/notes", {"body": "Left a voicemail with her daughter"}).status_code == 302
    page = approver.get(base).get_data(as_text=True)
    assert "Left a voicemail with her daughter" in page and "govuk-notification-banner--success" in page
    assert stored(reference)["notes"][0]["author"] == APPROVER_EMAIL

    assert approver.post(f"{base}/status", {"status": "closed"}).status_code == 302
    assert stored(reference)["closed_at"]
    assert approver.post(f"{base}/assign", {"assigned_to": ""}).status_code == 302
    assert stored(reference)["assigned_to"] is None

    changes = [(e.action, e.target, e.actor, e.detail) for e in entries() if e.action in (
        "referral.status_changed", "referral.assigned", "referral.note_added")]
    assert changes == [
        ("referral.status_changed", reference, APPROVER_EMAIL, {"from": "new", "to": "in_progress"}),
        ("referral.assigned", reference, APPROVER_EMAIL, {"from": None, "to": SECOND_APPROVER_EMAIL}),
        ("referral.note_added", reference, APPROVER_EMAIL, {}),
        ("referral.status_changed", reference, APPROVER_EMAIL, {"from": "in_progress", "to": "closed"}),
        ("referral.assigned", reference, APPROVER_EMAIL, {"from": SECOND_APPROVER_EMAIL, "to": None}),
    ]
    assert "voicemail" not in str([e.detail for e in entries()])


def test_bad_input_shows_an_error_summary_and_changes_nothing(app, staff):
    reference = refer()
    approver = staff("approver")
    base = f"/admin/referrals/{reference}"
    for action, data, message in (("status", {"status": "lost"}, "Choose a status"),
                                  ("assign", {"assigned_to": "editor@castlebridge.example.gov.uk"},
                                   "Choose someone from the list"),
                                  ("notes", {"body": "   "}, "Enter the note")):
        page = approver.post(f"{base}/{action}", data)
        text = page.get_data(as_text=True)
        assert page.status_code == 200, action
        assert "govuk-error-summary" in text and message in text and "<title>Error:" in text, action
    found = stored(reference)
    assert (found["status"], found["assigned_to"], found["notes"]) == ("new", None, [])
    assert approver.post("/admin/referrals/FD-ZZZZZZ/status", {"status": "closed"}).status_code == 404


def test_the_forms_need_a_csrf_token(app, staff):
    reference = refer()
    approver = staff("approver")
    for action, data in (("status", {"status": "closed"}), ("assign", {"assigned_to": APPROVER_EMAIL}),
                         ("notes", {"body": "A note"})):
        reply = approver.client.post(f"/admin/referrals/{reference}/{action}", data=data)
        assert reply.status_code == 400, action
        assert "Your form has expired" in reply.get_data(as_text=True)
    found = stored(reference)
    assert (found["status"], found["assigned_to"], found["notes"]) == ("new", None, [])
    assert not [e for e in entries() if e.action in ("referral.status_changed", "referral.assigned",
                                                      "referral.note_added")]


def test_the_csv_export_has_every_field_is_formula_safe_and_is_audited(app, staff):
    plain = refer(urgency="week")
    formula = refer(name="=HYPERLINK(\"http://evil.example\",\"x\")", needs="@SUM(A1)", urgency="today")
    admin = staff("admin")
    reply = admin.get("/admin/referrals.csv")
    assert reply.status_code == 200
    assert reply.mimetype == "text/csv"
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="frontdoor-referrals-')
    assert reply.headers["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))
    assert [row["Reference"] for row in rows] == [formula, plain]
    first, second = rows
    assert first["Name"] == "'=HYPERLINK(\"http://evil.example\",\"x\")" and first["Needs"] == "'@SUM(A1)"
    assert second["Name"] == "Margaret Jones" and second["Postcode"] == "QQ1 2AB"
    assert second["Contact"] == "'+447911123456"  # a leading + would start a formula too
    assert second["Relationship"] == "daughter-in-law" and second["Risks"] == "lives_alone; falls"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())

    filtered = list(csv.DictReader(io.StringIO(admin.get("/admin/referrals.csv?urgency=week").get_data(as_text=True))))
    assert [row["Reference"] for row in filtered] == [plain]
    exported = entries("referral.exported")
    assert [(e.detail["count"], e.detail["urgency"]) for e in exported] == [(2, None), (1, "week")]
    assert exported[0].detail["references"] == [formula, plain]
    assert "Margaret" not in str([e.detail for e in exported]) and "HYPERLINK" not in str([e.detail for e in exported])


def test_every_view_adds_an_audit_entry(app, staff):
    reference = refer()
    approver = staff("approver")
    before = len(entries())
    for path in ("/admin/referrals", f"/admin/referrals/{reference}", "/admin/referrals.csv",
                 "/admin/referrals?status=new", f"/admin/referrals/{reference}"):
        assert approver.get(path).status_code == 200, path
    added = entries()[before:]
    assert [e.action for e in added] == ["referral.queue_viewed", "referral.viewed", "referral.exported",
                                         "referral.queue_viewed", "referral.viewed"]
    assert all(e.actor == APPROVER_EMAIL for e in added)


def test_what_residents_typed_is_shown_as_text_never_as_markup(app, staff):
    reference = refer(name="<script>alert(1)</script>", needs="<b>Help</b>\nwith washing")
    text = staff("approver").get(f"/admin/referrals/{reference}").get_data(as_text=True)
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>Help" not in text and "&lt;b&gt;Help&lt;/b&gt;" in text
