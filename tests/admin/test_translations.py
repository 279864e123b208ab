"""Translations in the staff admin: their state beside the English, out of date after an English
publish, reviewed only by someone else who may publish, served only once published and
reviewed, and XLIFF files out to translators and back, refusing bad or hostile files cleanly."""
from __future__ import annotations

import asyncio
import io
import re
from xml.etree import ElementTree as ET

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete, func, select

from actions.answers import ActionAnswerTopic
from admin.models import AuditEntry
from content import db, store
from content.i18n import LOCALES
from content.models import TOPIC_SLUGS, AdviceVersion

from .conftest import APPROVER_EMAIL, EDITOR_EMAIL, form_for, save_draft

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)

XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"


def text_of(reply) -> str:
    """The page's main content as a person reads it: tags removed, spaces collapsed."""
    page = reply.get_data(as_text=True)
    main = page.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#39;", "'")


def resident_asks(topic: str, locale: str) -> tuple[list[str], dict]:
    """What the assistant says, and its reply contract metadata, to a resident in this language."""
    latest = {"intent": {"name": topic.replace("-", "_"), "confidence": 0.9}, "text": "...",
              "metadata": {"locale": locale}}
    tracker = Tracker("resident", {}, latest, [{"event": "user", "text": "...", "parse_data": latest}], False,
                      None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerTopic().run(dispatcher, tracker, {}))
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    return texts, next(m["custom"] for m in dispatcher.messages if m.get("custom"))


TRANSLATOR = "translator@castlebridge.example.gov.uk"
WELSH = "Mae seibiant yn egwyl i chi. Ffoniwch {{phone.adult_social_care}}."


def fresh_translation(topic: str, locale: str, title: str, body: str = WELSH) -> int:
    """Replaces whatever the content files gave this topic in this language with one new draft by
    a translator, waiting for review. Returns its version number."""
    with db.session_scope() as session:
        session.execute(delete(AdviceVersion).where(AdviceVersion.topic_slug == topic, AdviceVersion.locale == locale))
        return store.save_draft(session, topic, locale, store.Edit(title=title, body=body), TRANSLATOR).version


def translation(topic: str, locale: str) -> store.TranslationStatus:
    with db.session_scope() as session:
        return store.translation_status(session, topic, locale)


def version_count() -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(AdviceVersion))


def audit_entries(action: str) -> list[AuditEntry]:
    with db.session_scope() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def review(member, locale: str, topic: str, number: int):
    return member.post(f"/admin/translations/{locale}/{topic}/review", {"version": str(number)},
                       token_from=f"/admin/translations/{locale}/{topic}")


def publish_english(staff, topic: str, body: str) -> None:
    assert save_draft(staff("editor"), topic, body=body).status_code == 302
    assert staff("approver").post(f"/admin/content/{topic}/en/publish").status_code == 302


def test_only_a_published_and_reviewed_translation_is_served(staff):
    approver, approver2 = staff("approver"), staff("approver2")
    assert fresh_translation("respite", "cy", "Seibiant i ofalwyr") == 1
    texts, custom = resident_asks("respite", "cy")
    assert custom["locale"] == "en" and "Respite is a break for you" in texts[-1]
    assert len(texts) == 2 and "(Cymraeg)" in texts[0]  # the note, in Welsh

    # Published, but not reviewed: still the English, and the reply says locale "en".
    assert approver.post("/admin/content/respite/cy/publish").status_code == 302
    assert translation("respite", "cy").published.translation_state == "needs_review"
    texts, custom = resident_asks("respite", "cy")
    assert custom["locale"] == "en" and "Respite is a break for you" in texts[-1]
    assert "residents get the English" in text_of(approver.get("/admin/?locale=cy"))

    # Reviewed by another approver: served in Welsh from the next message.
    reply = review(approver2, "cy", "respite", 1)
    assert reply.status_code == 302
    assert "Residents get it from the next message" in text_of(approver2.get(reply.headers["Location"]))
    texts, custom = resident_asks("respite", "cy")
    assert custom["locale"] == "cy" and custom["title"] == "Seibiant i ofalwyr"
    assert texts == ["Mae seibiant yn egwyl i chi. Ffoniwch 01632 960 000."]

    # A topic still waiting for review beside it keeps falling back to English.
    fresh_translation("equipment", "cy", "Offer")
    assert resident_asks("equipment", "cy")[1]["locale"] == "en"


def test_a_translation_is_shown_out_of_date_after_the_english_is_published_again(staff):
    approver, approver2 = staff("approver"), staff("approver2")
    fresh_translation("respite", "cy", "Seibiant i ofalwyr")
    review(approver, "cy", "respite", 1)
    approver2.post("/admin/content/respite/cy/publish")
    overview = text_of(approver.get("/admin/translations/"))
    assert re.search(r"Welsh : \d+ of 14 topics reviewed and published ", overview) and "Out of date" not in overview

    publish_english(staff, "respite", "Short breaks help you rest. Call {{phone.adult_social_care}}.")

    overview = text_of(approver.get("/admin/translations/"))
    assert re.search(r"Welsh : \d+ of 14 topics reviewed and published; 1 out of date ", overview)
    # Every translation of respite was made from English version 1; no other topic changed.
    translated = [code for code in LOCALES[1:] if translation("respite", code).current is not None]
    assert "cy" in translated and overview.count("Out of date") == len(translated)
    welsh = text_of(approver.get("/admin/translations/cy"))
    assert "English version 1 The English is now version 2" in welsh
    page = approver.get("/admin/translations/cy/respite")
    shown = text_of(page)
    assert "Out of date" in shown and "published again since version 1" in shown
    assert "What changed in the English since version 1" in shown
    assert '<ins><span class="govuk-visually-hidden">[added: </span>Short<' in page.get_data(as_text=True)
    # Computed, not changed: the Welsh is still reviewed, made from version 1, and served.
    status = translation("respite", "cy")
    assert (status.published.translated_from, status.published.translation_state) == (1, "reviewed")
    assert resident_asks("respite", "cy")[1]["locale"] == "cy"
    # The version and edit pages say so too.
    assert "Out of date The English is now version 2" in text_of(approver.get("/admin/content/respite/cy/versions/1"))
    edit = approver.get("/admin/content/respite/cy").get_data(as_text=True)
    assert "This translation is out of date" in edit and 'name="translated_from"' in edit

    # A new Welsh draft that says it matches English version 2 is up to date, and needs review.
    editor = staff("editor")
    reply = editor.client.post("/admin/content/respite/cy", data=form_for(
        editor, "respite", "cy", title="Seibiant", translated_from="2"))
    assert reply.status_code == 302
    status = translation("respite", "cy")
    assert (status.draft.translated_from, status.draft.translation_state) == (2, "needs_review")
    assert not status.out_of_date
    assert status.served_out_of_date  # residents still get the reviewed version 1 until this one is ready


def test_saving_a_translation_makes_a_draft_that_needs_review_again(staff):
    approver, editor = staff("approver"), staff("editor")
    fresh_translation("telecare", "pl", "Teleopieka")
    review(approver, "pl", "telecare", 1)
    assert translation("telecare", "pl").state == "reviewed"
    assert save_draft(editor, "telecare", "pl", title="Teleopieka").status_code == 302
    status = translation("telecare", "pl")
    assert (status.draft.version, status.draft.translation_state, status.draft.translated_from) == (
        2, "needs_review", 1)
    page = text_of(editor.get("/admin/content/telecare/pl/versions/2"))
    assert "Translation State Needs review Made from English version 1" in page
    # Nobody can claim a version the page did not offer: a made-up number is ignored.
    assert save_draft(editor, "telecare", "pl", title="Teleopieka", translated_from="99").status_code == 302
    assert translation("telecare", "pl").draft.translated_from == 1


def test_marking_reviewed_is_for_approvers_other_than_the_translator_and_is_audited(staff):
    editor, approver, approver2 = staff("editor"), staff("approver"), staff("approver2")
    fresh_translation("care-homes", "es", "Residencias de mayores")
    assert save_draft(approver, "care-homes", "es", title="Residencias").status_code == 302

    assert review(editor, "es", "care-homes", 2).status_code == 403
    assert "Mark version 2 as reviewed" not in editor.get("/admin/translations/es/care-homes").get_data(as_text=True)
    own = review(approver, "es", "care-homes", 2)
    assert own.status_code == 403 and "someone else must review it" in text_of(own)
    assert "govuk-error-summary" in own.get_data(as_text=True)
    replaced = review(approver2, "es", "care-homes", 1)  # the translator's draft, replaced by version 2
    assert replaced.status_code == 409 and "replaced by a newer version" in text_of(replaced)
    assert translation("care-homes", "es").state == "needs_review"
    assert audit_entries("translation.review") == []

    assert review(approver2, "es", "care-homes", 2).status_code == 302
    status = translation("care-homes", "es")
    assert (status.state, status.draft.translation_reviewed_by) == ("reviewed", "approver2@castlebridge.example.gov.uk")
    assert status.draft.translation_reviewed_at is not None
    [entry] = audit_entries("translation.review")
    assert (entry.actor, entry.target, entry.detail["version"], entry.detail["author"]) == (
        "approver2@castlebridge.example.gov.uk", "care-homes/es", 2, APPROVER_EMAIL)
    assert "Marked a translation reviewed" in text_of(staff("admin").get("/admin/audit/?action=translation.review"))
    again = review(approver, "es", "care-homes", 2)
    assert again.status_code == 409 and "already reviewed" in text_of(again)


def export(member, locale: str):
    return member.post(f"/admin/translations/{locale}/export", token_from=f"/admin/translations/{locale}")


def upload(member, locale: str, data: bytes, name: str = "translated.xlf"):
    return member.post(f"/admin/translations/{locale}/import", {"file": (io.BytesIO(data), name)},
                       token_from=f"/admin/translations/{locale}", content_type="multipart/form-data")


def test_an_xliff_file_goes_to_translators_and_comes_back_as_drafts_that_need_review(staff):
    editor = staff("editor")
    fresh_translation("respite", "pl", "Przerwy dla opiekunów", "Przerwa pomaga odpocząć.")
    publish_english(staff, "respite", "Short breaks help you rest. Call {{phone.adult_social_care}}.")
    translated_topics = sum(1 for topic in TOPIC_SLUGS if translation(topic, "pl").current is not None)
    reply = export(editor, "pl")
    assert reply.status_code == 200 and reply.mimetype == "application/x-xliff+xml"
    assert "attachment" in reply.headers["Content-Disposition"] and ".xlf" in reply.headers["Content-Disposition"]
    root = ET.fromstring(reply.data)
    assert root.tag == f"{XLIFF}xliff" and root.get("version") == "1.2"
    files = {f.get("original"): f for f in root.iter(f"{XLIFF}file")}
    assert len(files) == 14 and {f.get("target-language") for f in files.values()} == {"pl"}
    respite = files["respite"]
    assert respite.get("{urn:frontdoor:translation}english-version") == "2"
    units = {u.get("id"): u for u in respite.iter(f"{XLIFF}trans-unit")}
    assert set(units) == {"title", "body", "sms_body"}
    assert units["body"].find(f"{XLIFF}source").text == "Short breaks help you rest. Call {{phone.adult_social_care}}."
    assert units["title"].find(f"{XLIFF}target").text == "Przerwy dla opiekunów"

    # The translator changes the Polish answer and leaves every other topic as it was.
    edited = "Krótkie przerwy pomagają odpocząć. Zadzwoń: {{phone.adult_social_care}}."
    units["body"].find(f"{XLIFF}target").text = edited
    translated = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    before = version_count()
    reply = upload(editor, "pl", translated)
    assert reply.status_code == 302 and reply.headers["Location"] == "/admin/translations/pl"
    assert (f"Imported 1 translations as drafts that need review ({translated_topics - 1} unchanged)"
            in text_of(editor.get("/admin/translations/pl")))
    assert version_count() == before + 1
    status = translation("respite", "pl")
    assert status.draft.body == edited + "\n"
    assert (status.draft.translation_state, status.draft.translated_from, status.draft.author) == (
        "needs_review", 2, EDITOR_EMAIL)
    assert status.draft.title == "Przerwy dla opiekunów" and not status.out_of_date
    assert resident_asks("respite", "pl")[1]["locale"] == "en"  # a draft: not served

    [out] = audit_entries("translation.export")
    [back] = audit_entries("translation.import")
    assert (out.actor, out.detail["locale"], out.detail["topics"]) == (EDITOR_EMAIL, "pl", 14)
    assert back.detail["versions"] == [{"topic": "respite", "version": status.draft.version, "translated_from": 2}]
    assert back.detail["unchanged"] == translated_topics - 1

    # The same file again changes nothing.
    assert upload(editor, "pl", translated).status_code == 302
    assert version_count() == before + 1


def test_arabic_and_urdu_text_reads_right_to_left(staff):
    editor = staff("editor")
    fresh_translation("respite", "ar", "فترات راحة لمقدمي الرعاية", "الراحة مهمة لك.")  # "breaks for carers"
    edit = editor.get("/admin/content/respite/ur").get_data(as_text=True)
    body = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", edit).group(0)
    assert 'dir="rtl"' in body and 'lang="ur"' in body
    page = editor.get("/admin/translations/ar/respite").get_data(as_text=True)
    title = "فترات راحة لمقدمي الرعاية"
    assert f'<h1 class="govuk-heading-l"><span lang="ar" dir="rtl">{title}</span></h1>' in page
    assert '<p class="govuk-body app-preview__text" lang="ar" dir="rtl">الراحة مهمة لك.</p>' in page
    assert '<p class="govuk-body app-preview__text" lang="en" dir="ltr">Breaks for carers</p>' in page  # the English
    welsh = editor.get("/admin/translations/cy").get_data(as_text=True)
    assert 'dir="rtl"' not in welsh.split("<main", 1)[1]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">&lol3;</xliff>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="respite" source-language="en" target-language="cy"><body>
<trans-unit id="title"><source>x</source><target>&secret;</target></trans-unit></body></file></xliff>"""


def one_topic(topic: str = "respite", target: str = "cy", english: str = "1", title: str = "Seibiant") -> bytes:
    return (f'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:fd="urn:frontdoor:translation">'
            f'<file original="{topic}" source-language="en" target-language="{target}" datatype="plaintext" '
            f'fd:english-version="{english}"><body>'
            f'<trans-unit id="title"><source>Breaks</source><target>{title}</target></trans-unit>'
            f'<trans-unit id="body"><source>Body</source><target>Corff</target></trans-unit>'
            f'</body></file></xliff>').encode()


@pytest.mark.parametrize("data, message", [
    (b"<xliff version='1.2'><file", "The selected file is not valid XML"),
    (b"\xff\xfe\x00<", "The selected file is not valid XML"),
    (b"", "The selected file is empty"),
    (BILLION_LAUGHS, "declares a document type or entities"),
    (EXTERNAL_ENTITY, "declares a document type or entities"),
    (b"<html><body>Not a translation</body></html>", "is not an XLIFF 1.2 file"),
    (one_topic(target="pl"), "is a translation into Polish, not Welsh"),
    (one_topic(target=""), "does not say which language it is a translation into"),
    (one_topic(topic="bins"), "a topic that Front Door does not have: 'bins'"),
    (one_topic(english="7"), "made from English version 7, which does not exist"),
    (one_topic(english=""), "does not say which English version it was made from"),
    (one_topic(title=""), "The translation of 'respite' needs a title"),
    (one_topic(title="x" * 201), "must be 200 characters or fewer"),
], ids=["malformed", "not-text", "empty", "billion-laughs", "external-entity", "not-xliff", "wrong-locale", "no-locale",
        "unknown-topic", "unknown-english-version", "no-english-version", "no-title", "long-title"])
def test_a_bad_or_hostile_file_is_refused_with_a_message_and_changes_nothing(staff, data, message):
    editor = staff("editor")
    before = version_count()
    reply = upload(editor, "cy", data)
    shown = text_of(reply)
    assert reply.status_code == 400, shown[:500]
    assert "There is a problem" in shown and message in shown
    page = reply.get_data(as_text=True)
    assert 'href="#file"' in page and "govuk-file-upload--error" in page
    assert "<title>Error: " in page
    assert "root:" not in page  # nothing of the server's files comes back
    assert version_count() == before
    assert audit_entries("translation.import") == []


def test_uploading_needs_a_file_and_a_real_language(staff):
    editor = staff("editor")
    missing = editor.post("/admin/translations/cy/import", token_from="/admin/translations/cy")
    assert missing.status_code == 400 and "Select an XLIFF file" in text_of(missing)
    assert upload(editor, "en", one_topic(target="en")).status_code == 404  # English is not a translation
    assert upload(editor, "xx", one_topic()).status_code == 404
    assert editor.get("/admin/translations/cy/bins").status_code == 404
    assert export(editor, "en").status_code == 404


def test_the_api_reports_translation_state(staff, api, app):
    client = app.test_client()
    fresh_translation("respite", "cy", "Seibiant i ofalwyr")
    review(staff("approver"), "cy", "respite", 1)
    staff("approver2").post("/admin/content/respite/cy/publish")
    body = client.get("/api/v1/content/respite/cy", headers=api("editor")).get_json()
    assert body["published"]["translation_state"] == "reviewed" and body["published"]["translated_from"] == 1
    assert body["published"]["translation_reviewed_by"] == APPROVER_EMAIL
    assert body["translation"] == {"state": "reviewed", "served": True, "english_version": 1, "translated_from": 1,
                                   "out_of_date": False}
    assert client.get("/api/v1/content/respite/en", headers=api("editor")).get_json()["translation"] is None

    publish_english(staff, "respite", "Short breaks help you rest. Call {{phone.adult_social_care}}.")
    body = client.get("/api/v1/content/respite/cy", headers=api("editor")).get_json()
    assert body["translation"]["out_of_date"] is True and body["translation"]["english_version"] == 2

    saved = client.put("/api/v1/content/respite/cy", headers=api("editor"),
                       json={"title": "Seibiant", "body": "Corff newydd.", "translated_from": 2})
    assert saved.status_code == 200
    draft = saved.get_json()["draft"]
    assert (draft["translation_state"], draft["translated_from"]) == ("needs_review", 2)
    assert saved.get_json()["translation"]["out_of_date"] is False
    refused = client.put("/api/v1/content/respite/cy", headers=api("editor"),
                         json={"title": "Seibiant", "body": "Corff.", "translated_from": 42})
    assert refused.status_code == 400 and "no English version 42" in refused.get_json()["error"]
    english = client.put("/api/v1/content/respite/en", headers=api("editor"),
                         json={"title": "Breaks", "body": "Rest.", "translated_from": 1})
    assert english.status_code == 400 and "for translations, not English" in english.get_json()["error"]
