"""Editing and the review workflow through the pages: save, send for review, return, publish
(two-person rule), conflicts that lose nothing, history, diffs and roll back."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from content import council, db, files, store
from content.models import ARCHIVED, AdviceVersion

from .conftest import EDITOR_EMAIL, form_for, save_draft

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)

NEW_BODY = "Short breaks give you time to rest. Call us on {{phone.adult_social_care}}."


def live_body(topic: str = "respite") -> str:
    with db.session_scope() as session:
        return store.answer(session, topic, "en", council.current()).body


def forget_translations(locale: str) -> None:
    """Removes what first start loaded in this language from the content files."""
    with db.session_scope() as session:
        session.execute(delete(AdviceVersion).where(AdviceVersion.locale == locale))


def statuses(topic: str = "respite") -> dict[int, str]:
    with db.session_scope() as session:
        return dict(session.execute(select(AdviceVersion.version, AdviceVersion.status)
                                    .where(AdviceVersion.topic_slug == topic, AdviceVersion.locale == "en")).all())


def test_edit_submit_publish_is_live_on_the_next_answer(staff):
    editor, approver = staff("editor"), staff("approver")
    saved = save_draft(editor, body=NEW_BODY)
    assert saved.status_code == 302 and saved.headers["Location"] == "/admin/content/respite/en/versions/2"
    assert "Draft saved as version 2" in editor.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Short breaks give you time" not in live_body()  # a draft is not live
    assert editor.post("/admin/content/respite/en/submit").status_code == 302
    assert "Waiting for review" in approver.get("/admin/").get_data(as_text=True)
    assert approver.post("/admin/content/respite/en/publish").status_code == 302
    assert live_body() == "Short breaks give you time to rest. Call us on 01632 960 000."
    assert statuses() == {1: ARCHIVED, 2: "published"}


def test_nobody_publishes_their_own_draft(staff):
    approver = staff("approver")
    save_draft(approver, body=NEW_BODY)
    refused = approver.post("/admin/content/respite/en/publish")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "govuk-error-summary" in page and "You wrote this draft, so someone else must approve" in page
    assert "Short breaks" not in live_body()
    # The page does not even offer the button to its author.
    assert "Approve and publish" not in approver.get("/admin/content/respite/en/versions/2").get_data(as_text=True)
    assert staff("approver2").post("/admin/content/respite/en/publish").status_code == 302
    assert "Short breaks" in live_body()


def test_an_editor_cannot_publish_return_or_roll_back(staff):
    editor = staff("editor")
    save_draft(editor, body=NEW_BODY)
    assert editor.post("/admin/content/respite/en/publish").status_code == 403
    assert editor.post("/admin/content/respite/en/return", {"comment": "no"}).status_code == 403
    assert editor.post("/admin/content/respite/en/versions/1/rollback").status_code == 403
    assert "Approve and publish" not in editor.get("/admin/content/respite/en/versions/2").get_data(as_text=True)


def test_the_second_save_from_an_older_version_is_refused_and_nothing_is_lost(staff):
    editor, approver = staff("editor"), staff("approver")
    editors_form = form_for(editor, "respite", body="The editor's careful rewrite.")
    assert save_draft(approver, body="The approver's quick fix.").status_code == 302  # saved first
    refused = editor.client.post("/admin/content/respite/en", data=editors_form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "govuk-error-summary" in page and 'href="#body"' in page
    assert "Version 2 was saved by approver@castlebridge.example.gov.uk while you were editing" in page
    assert "The editor&#39;s careful rewrite." in page  # their text is still in the form
    assert statuses() == {1: "published", 2: "draft"}
    # Having been told, a second save is deliberate: it goes through, and both are kept.
    again = form_for(editor, "respite", body="The editor's careful rewrite.")
    again["base_version"] = "2"
    assert editor.client.post("/admin/content/respite/en", data=again).status_code == 302
    assert statuses() == {1: "published", 2: ARCHIVED, 3: "draft"}


def test_return_with_a_comment_goes_back_to_draft_and_the_author_sees_it(staff):
    editor, approver = staff("editor"), staff("approver")
    save_draft(editor, body=NEW_BODY)
    editor.post("/admin/content/respite/en/submit")
    empty = approver.post("/admin/content/respite/en/return", {"comment": "  "})
    assert empty.status_code == 400 and "Say what needs to change" in empty.get_data(as_text=True)
    assert approver.post("/admin/content/respite/en/return",
                         {"comment": "Please say how long a break can be."}).status_code == 302
    assert statuses()[2] == "draft"
    page = editor.get("/admin/content/respite/en").get_data(as_text=True)
    assert "Returned with a comment" in page and "Please say how long a break can be." in page
    assert "Returned" in editor.get("/admin/").get_data(as_text=True)


def test_preview_changes_shows_the_text_and_checks_without_saving(staff):
    editor = staff("editor")
    reply = save_draft(editor, action="preview", body="We offer domiciliary care. Call {{phone.general}}.",
                       sms_body="Ring {{phone.adult_social_care}} about a break ŵ")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200 and statuses() == {1: "published"}
    assert "We offer domiciliary care. Call 01632 960 100." in page  # web preview, filled in
    assert "domiciliary" in page and "care at home" in page  # the plain-English check
    assert "Ring 01632 960 000 about a break ŵ" in page  # the text message preview
    assert "Unicode: 70 characters per message" in page


def test_every_version_is_kept_with_a_readable_diff(staff):
    editor, approver = staff("editor"), staff("approver")
    save_draft(editor, body="You can get a break.")
    approver.post("/admin/content/respite/en/publish")
    save_draft(editor, body="You can get a short break!")
    history = editor.get("/admin/content/respite/en/history").get_data(as_text=True)
    assert all(f"View<span class=\"govuk-visually-hidden\"> version {n}</span>" in history for n in (1, 2, 3))
    diff = editor.get("/admin/content/respite/en/diff?from=2&to=3").get_data(as_text=True)
    hidden = '<span class="govuk-visually-hidden">'
    assert f"<ins>{hidden}[added: </span>short {hidden}]</span></ins>" in diff
    assert f"<del>{hidden}[removed: </span>.{hidden}]</span></del>" in diff
    assert editor.get("/admin/content/respite/en/diff?from=2&to=99").status_code == 404
    assert editor.get("/admin/content/respite/en/diff?from=x&to=2").status_code == 404


def test_roll_back_publishes_a_copy_as_a_new_version_that_the_bot_serves(staff):
    editor, approver = staff("editor"), staff("approver")
    original = live_body()
    save_draft(editor, body=NEW_BODY)
    approver.post("/admin/content/respite/en/publish")
    assert "Short breaks" in live_body()
    assert editor.post("/admin/content/respite/en/versions/1/rollback").status_code == 403
    rolled = approver.post("/admin/content/respite/en/versions/1/rollback")
    assert rolled.status_code == 302 and rolled.headers["Location"].endswith("/versions/3")
    assert live_body() == original
    assert statuses() == {1: ARCHIVED, 2: ARCHIVED, 3: "published"}
    with db.session_scope() as session:
        answer = store.answer(session, "respite", "en", council.current())
        assert answer.version == 3 and store.published(session, "respite", "en").rollback_of == 1
    again = approver.post("/admin/content/respite/en/versions/3/rollback")
    assert again.status_code == 409 and "already the published version" in again.get_data(as_text=True)


def test_the_topic_list_shows_status_review_dates_owner_and_translation_state(staff):
    editor = staff("editor")
    save_draft(editor, "telecare", reviewed=["1", "1", "2019"], review_due=["1", "1", "2020"])
    staff("approver").post("/admin/content/telecare/en/publish")
    page = editor.get("/admin/").get_data(as_text=True)
    assert page.count("govuk-tag--red") == 1 and "Overdue" in page
    # Translations count once residents get them: published and reviewed (as the files say).
    served = sum(1 for a in files.read_advice() if a.topic == "telecare" and a.locale != "en"
                 and a.translation_state == "reviewed")
    assert f"{served} of 10 languages published" in page and "Adult Social Care information team" in page
    forget_translations("gu")  # whatever the content files hold in Gujarati
    gujarati = editor.get("/admin/?locale=gu").get_data(as_text=True)
    assert gujarati.count("Not started") >= 28  # status and translation for all 14 topics
    assert editor.get("/admin/?locale=xx").status_code == 404


def test_a_translation_can_be_started_from_nothing(staff):
    editor = staff("editor")
    forget_translations("cy")
    reply = save_draft(editor, "respite", "cy", title="Seibiant i ofalwyr", body="Mae seibiant yn ŵyl i chi.",
                       sms_body="")
    assert reply.status_code == 302
    with db.session_scope() as session:
        assert store.draft(session, "respite", "cy").title == "Seibiant i ofalwyr"
    assert "Needs review; residents get the English" in editor.get("/admin/?locale=cy").get_data(as_text=True)


def test_unknown_topics_versions_and_bad_dates(staff):
    editor = staff("editor")
    assert editor.get("/admin/content/bins/en").status_code == 404
    assert editor.get("/admin/content/respite/xx").status_code == 404
    assert editor.get("/admin/content/respite/en/versions/9").status_code == 404
    bad = save_draft(editor, reviewed=["31", "2", "2026"], title="")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Enter a title" in page and "Last reviewed must be a real date" in page
    assert 'href="#title"' in page and statuses() == {1: "published"}


def test_an_editor_can_save_and_submit_but_the_author_is_recorded(staff):
    editor = staff("editor")
    save_draft(editor, body=NEW_BODY)
    with db.session_scope() as session:
        assert store.draft(session, "respite", "en").author == EDITOR_EMAIL


def test_numbers_and_characters_the_database_cannot_hold_are_refused_politely(staff):
    editor = staff("editor")
    assert editor.get(f"/admin/content/respite/en/versions/{2**70}").status_code == 404
    assert editor.get(f"/admin/content/respite/en/diff?from=1&to={2**70}").status_code == 404
    assert save_draft(editor, title="a\x00b").status_code == 400
    assert save_draft(editor, base_version=str(2**70)).status_code == 409  # checked as if stale, not trusted
