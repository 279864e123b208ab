"""The content store: the published answers, figures, versions and the content files."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from content import council, db, files, render, sms, store
from content.models import ARCHIVED, PUBLISHED, TOPIC_SLUGS, AdviceVersion, Figure

pytestmark = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)


def answer(topic, locale="en"):
    with db.session_scope() as session:
        return store.answer(session, topic, locale, council.current())


def test_every_topic_is_published_in_english_with_its_placeholders_filled(content_db):
    for topic in TOPIC_SLUGS:
        result = answer(topic)
        assert result is not None, topic
        assert result.locale == "en" and result.version == 1 and result.reviewed is not None
        for text in (result.title, result.body, result.sms_body):
            assert "{{" not in text, f"{topic}: unfilled placeholder in {text!r}"
        assert council.current().phones["adult_social_care"] in result.body + result.sms_body or topic in (
            "safeguarding", "carers-support"), topic
        assert result.related and all(title for _, title in result.related)


def test_sms_versions_fit_two_segments_once_filled_in(content_db):
    for topic in TOPIC_SLUGS:
        counted = sms.count(answer(topic).sms_body)
        assert 0 < counted.segments <= 2, f"{topic}: {counted}"


def test_a_figure_changed_in_the_database_is_in_the_very_next_answer(content_db):
    before = answer("carers-support").body
    assert "£86.45 a week" in before and "2026/27" in before
    with db.session_scope() as session:
        figure = session.get(Figure, "carers_allowance_weekly")
        figure.value, figure.applies = Decimal("90.10"), "2027/28"
    after = answer("carers-support").body
    assert "£90.10 a week" in after and "2027/28" in after and "£86.45" not in after


def test_publishing_a_new_version_archives_the_old_one_and_is_served_next(content_db):
    with db.session_scope() as session:
        old = store.published(session, "respite", "en")
        new = AdviceVersion(topic_slug="respite", locale="en", version=store.next_version(session, "respite", "en"),
                            title=old.title, body="Short breaks help you rest. Call {{phone.adult_social_care}}.",
                            sms_body=old.sms_body, related=old.related, sources=old.sources, owner=old.owner,
                            reviewed=old.reviewed, review_due=old.review_due, author="editor@example.org")
        session.add(new)
        session.flush()
        store.publish(session, new, "approver@example.org")
    result = answer("respite")
    assert result.version == 2 and result.body.startswith("Short breaks help you rest. Call 01632 960 000.")
    with db.session_scope() as session:
        statuses = dict(session.execute(select(AdviceVersion.version, AdviceVersion.status)
                                        .where(AdviceVersion.topic_slug == "respite",
                                               AdviceVersion.locale == "en")).all())
    assert statuses == {1: ARCHIVED, 2: PUBLISHED}


def test_the_database_refuses_two_published_versions_of_one_answer(content_db):
    with pytest.raises(IntegrityError):
        with db.session_scope() as session:
            old = store.published(session, "telecare", "en")
            session.add(AdviceVersion(topic_slug="telecare", locale="en", version=2, status=PUBLISHED,
                                      title="x", body="x", sms_body="", related=[], sources=[], owner=""))


def test_first_start_loads_the_files_but_never_overwrites_the_store(content_db):
    with db.session_scope() as session:
        store.published(session, "equipment", "en").title = "Edited by staff"
    with db.session_scope() as session:
        assert store.load_if_empty(session) is False
    assert answer("equipment").title == "Edited by staff"


def test_a_topic_with_no_translation_is_served_in_english(content_db):
    result = answer("reablement", "pl")
    assert result.locale == "en" and result.body == answer("reablement").body


def test_export_writes_files_that_import_back_unchanged(content_db, tmp_path):
    translations = {(a.locale, a.topic): (a.translation_state, a.translated_from)
                    for a in files.read_advice() if a.locale != "en"}
    with db.session_scope() as session:
        count = store.export_files(session, tmp_path / "advice", tmp_path / "figures.yml")
    exported = files.read_advice(tmp_path / "advice")
    assert count == len(exported) == len(TOPIC_SLUGS) + len(translations)
    assert {(a.locale, a.topic) for a in exported if a.locale == "en"} == {("en", t) for t in TOPIC_SLUGS}
    # Translations go out with their state, those still waiting for review too, so the files keep them.
    assert {(a.locale, a.topic): (a.translation_state, a.translated_from)
            for a in exported if a.locale != "en"} == translations
    assert [(f.key, f.value) for f in files.read_figures(tmp_path / "figures.yml")] == sorted(
        (f.key, f.value) for f in files.read_figures())
    with db.session_scope() as session:
        assert store.import_advice(session, exported) == 0  # nothing changed, nothing new
        assert store.import_figures(session, files.read_figures(tmp_path / "figures.yml")) == 0


def test_a_translation_waiting_for_review_is_never_served(content_db):
    english = next(a for a in files.read_advice() if a.locale == "en" and a.topic == "respite")
    draft = files.AdviceFile(**{**english.__dict__, "locale": "pl", "title": "Przerwy",
                                "translation_state": "needs_review", "translated_from": 1})
    forget("respite", "pl")
    with db.session_scope() as session:
        assert store.import_advice(session, [draft]) == 1  # kept as the open draft ...
        kept = store.draft(session, "respite", "pl")
        assert (kept.title, kept.translation_state, kept.translated_from) == ("Przerwy", "needs_review", 1)
        assert store.import_advice(session, [draft]) == 0  # ... once
    assert answer("respite", "pl").locale == "en"  # ... and never served


# Translations: loaded with their state, served only once published and reviewed, and out of
# date (computed, shown, never changed) once the English is published again.

TRANSLATOR, REVIEWER, APPROVER = "translator@example.org", "reviewer@example.org", "approver@example.org"


def forget(topic, locale):
    """Removes whatever first start loaded for this topic in this language from the content files."""
    with db.session_scope() as session:
        session.execute(delete(AdviceVersion).where(AdviceVersion.topic_slug == topic, AdviceVersion.locale == locale))


def translate(topic, locale, title, translated_from=None, by=TRANSLATOR):
    with db.session_scope() as session:
        english = store.published(session, topic, "en")
        return store.save_draft(session, topic, locale, store.Edit(title=title, body=english.body,
                                                                   sms_body=english.sms_body), by,
                                translated_from=translated_from).version


def publish_english(topic, body):
    with db.session_scope() as session:
        store.save_draft(session, topic, "en", store.Edit(title="Breaks for carers", body=body), TRANSLATOR)
        return store.approve(session, topic, "en", APPROVER).version


def status(topic, locale):
    with db.session_scope() as session:
        return store.translation_status(session, topic, locale)


def test_first_start_loads_translations_with_their_state(content_db):
    translations = [a for a in files.read_advice() if a.locale != "en"]
    waiting = [a for a in translations if a.translation_state != "reviewed"]
    assert waiting, "the content files hold translations waiting for review"
    with db.session_scope() as session:
        for advice in translations:
            name = f"{advice.locale}/{advice.topic}"
            if advice in waiting:  # the open draft, never served
                loaded = store.draft(session, advice.topic, advice.locale)
                assert store.published(session, advice.topic, advice.locale) is None, name
            else:  # reviewed where the files are kept: published and served
                loaded = store.published(session, advice.topic, advice.locale)
                assert store.served(session, advice.topic, advice.locale) is loaded, name
            assert (loaded.title, loaded.translation_state, loaded.translated_from) == (
                advice.title, advice.translation_state, advice.translated_from), name
        # English versions are not translations: they have no translation state.
        assert store.published(session, "respite", "en").translation_state is None
    for advice in translations:
        served = answer(advice.topic, advice.locale)
        assert served.locale == (advice.locale if advice.translation_state == "reviewed" else "en")
        assert served.title == (advice.title if advice.translation_state == "reviewed" else answer(advice.topic).title)


def test_only_a_published_and_reviewed_translation_is_served(content_db):
    forget("respite", "pl")
    forget("equipment", "pl")
    number = translate("respite", "pl", "Przerwy dla opiekunów")
    with db.session_scope() as session:
        store.mark_reviewed(session, "respite", "pl", number, REVIEWER)
    assert answer("respite", "pl").locale == "en"  # reviewed, but not published yet
    with db.session_scope() as session:
        store.approve(session, "respite", "pl", APPROVER)
    served = answer("respite", "pl")
    assert (served.locale, served.title, served.version) == ("pl", "Przerwy dla opiekunów", number)
    with db.session_scope() as session:
        assert store.titles(session, "pl")["respite"] == "Przerwy dla opiekunów"

    # Published but never reviewed: residents get the English, and say so with locale "en".
    translate("equipment", "pl", "Sprzęt w domu")
    with db.session_scope() as session:
        store.approve(session, "equipment", "pl", APPROVER)
        assert store.published(session, "equipment", "pl").translation_state == "needs_review"
        assert store.titles(session, "pl")["equipment"] == store.published(session, "equipment", "en").title
    assert answer("equipment", "pl").locale == "en"
    assert [s.topic for s in (status("respite", "pl"), status("equipment", "pl")) if s.served] == ["respite"]


def test_a_translation_is_out_of_date_once_the_english_is_published_again(content_db):
    forget("respite", "cy")
    number = translate("respite", "cy", "Seibiant i ofalwyr")
    with db.session_scope() as session:
        store.mark_reviewed(session, "respite", "cy", number, REVIEWER)
        store.approve(session, "respite", "cy", APPROVER)
    before = status("respite", "cy")
    assert (before.current.translated_from, before.english.version, before.out_of_date) == (1, 1, False)

    assert publish_english("respite", "Short breaks help you rest. Call {{phone.adult_social_care}}.") == 2
    after = status("respite", "cy")
    assert after.english.version == 2 and after.out_of_date and after.served_out_of_date
    # Computed, not stored: the translation itself is unchanged and is still served.
    assert (after.published.translated_from, after.published.translation_state) == (1, "reviewed")
    assert answer("respite", "cy").locale == "cy"

    # An English draft that is not published yet changes nothing.
    with db.session_scope() as session:
        store.save_draft(session, "respite", "en", store.Edit(title="Breaks", body="Not live yet."), TRANSLATOR)
    assert status("respite", "cy").english.version == 2

    # A new translation made from the published English is up to date again, and needs review.
    updated = translate("respite", "cy", "Seibiant", translated_from=2)
    now = status("respite", "cy")
    assert now.current.version == updated and not now.out_of_date
    assert now.current.translation_state == "needs_review" and now.served_out_of_date


def test_a_new_translation_draft_needs_review_and_remembers_what_it_was_made_from(content_db):
    forget("telecare", "ro")
    forget("telecare", "gu")
    translate("telecare", "ro", "Teleasistență")
    publish_english("telecare", "Alarms help you stay safe. Call {{phone.adult_social_care}}.")
    # An edit of the Romanian keeps "made from version 1": nobody said it now matches version 2.
    translate("telecare", "ro", "Teleasistență la domiciliu")
    now = status("telecare", "ro")
    assert (now.current.version, now.current.translated_from, now.out_of_date) == (2, 1, True)
    # A translation started from nothing is made from the published English.
    translate("telecare", "gu", "ટેલિકેર")
    assert status("telecare", "gu").current.translated_from == 2
    with pytest.raises(store.WorkflowError, match="no English version 9"):
        translate("telecare", "gu", "ટેલિકેર", translated_from=9)
    # Where nobody recorded what a translation was made from, an edit does not guess.
    with db.session_scope() as session:
        store.draft(session, "telecare", "gu").translated_from = None
    translate("telecare", "gu", "ટેલિકેર સેવા")
    assert status("telecare", "gu").current.translated_from is None


def test_marking_a_translation_reviewed_records_who_and_refuses_what_it_cannot(content_db):
    forget("respite", "es")
    replaced = translate("respite", "es", "Descansos")
    number = translate("respite", "es", "Descansos para cuidadores")
    with db.session_scope() as session:
        with pytest.raises(store.SameTranslator):
            store.mark_reviewed(session, "respite", "es", number, TRANSLATOR.upper())
        with pytest.raises(store.WorkflowError, match="not translations"):
            store.mark_reviewed(session, "respite", "en", 1, REVIEWER)
        with pytest.raises(store.WorkflowError, match="replaced by a newer version"):
            store.mark_reviewed(session, "respite", "es", replaced, REVIEWER)
        version = store.mark_reviewed(session, "respite", "es", number, REVIEWER)
        assert (version.translation_state, version.translation_reviewed_by) == ("reviewed", REVIEWER)
        assert version.translation_reviewed_at is not None
        with pytest.raises(store.WorkflowError, match="already reviewed"):
            store.mark_reviewed(session, "respite", "es", number, APPROVER)


def test_a_reviewed_translation_round_trips_through_the_files(content_db, tmp_path):
    forget("care-homes", "pt")
    number = translate("care-homes", "pt", "Lares de idosos")
    with db.session_scope() as session:
        store.mark_reviewed(session, "care-homes", "pt", number, REVIEWER)
        store.approve(session, "care-homes", "pt", APPROVER)
        store.export_files(session, tmp_path / "advice", tmp_path / "figures.yml")
    written = files.parse_advice((tmp_path / "advice/pt/care-homes.md").read_text(encoding="utf-8"), tmp_path)
    assert (written.title, written.translation_state, written.translated_from) == ("Lares de idosos", "reviewed", 1)

    # Into a new store: served straight away, as a reviewed file was reviewed where it is kept.
    with db.session_scope() as session:
        assert store.import_advice(session, files.read_advice(tmp_path / "advice")) == 0
        session.query(AdviceVersion).filter(AdviceVersion.locale == "pt").delete()
        assert store.import_advice(session, [written]) == 1
        loaded = store.published(session, "care-homes", "pt")
        assert (loaded.translation_state, loaded.translated_from, loaded.translation_reviewed_by) == (
            "reviewed", 1, store.LOADER)
    assert answer("care-homes", "pt").title == "Lares de idosos"

