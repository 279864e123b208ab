"""The content store: the published answers, figures, versions and the content files."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select
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
                                        .where(AdviceVersion.topic_slug == "respite")).all())
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
    with db.session_scope() as session:
        assert store.export_files(session, tmp_path / "advice", tmp_path / "figures.yml") == len(TOPIC_SLUGS)
    exported = files.read_advice(tmp_path / "advice")
    assert {(a.locale, a.topic) for a in exported} == {("en", t) for t in TOPIC_SLUGS}
    assert [(f.key, f.value) for f in files.read_figures(tmp_path / "figures.yml")] == sorted(
        (f.key, f.value) for f in files.read_figures())
    with db.session_scope() as session:
        assert store.import_advice(session, exported) == 0  # nothing changed, nothing new
        assert store.import_figures(session, files.read_figures(tmp_path / "figures.yml")) == 0


def test_a_translation_waiting_for_review_is_never_served(content_db):
    english = next(a for a in files.read_advice() if a.locale == "en" and a.topic == "respite")
    draft = files.AdviceFile(**{**english.__dict__, "locale": "pl", "title": "Przerwy",
                                "translation_state": "needs_review", "translated_from": 1})
    with db.session_scope() as session:
        assert store.import_advice(session, [draft]) == 0
    assert answer("respite", "pl").locale == "en"
