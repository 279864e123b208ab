"""The reviewable content files under content/: complete, well formed and honest about figures."""
from __future__ import annotations

import re

import pytest

from content import council, files, render, sms
from content.models import TOPIC_SLUGS

ADVICE = files.read_advice()
FIGURES = {f.key: f for f in files.read_figures()}
KNOWN = set(council.current().placeholders()) | {"hours"} | {
    name for key in FIGURES for name in (f"figure.{key}", f"figure.{key}.year")}


def test_every_topic_has_english_advice():
    assert sorted(a.topic for a in ADVICE if a.locale == "en") == sorted(TOPIC_SLUGS)


@pytest.mark.parametrize("advice", ADVICE, ids=lambda a: f"{a.locale}/{a.topic}")
def test_advice_uses_only_known_placeholders(advice):
    used = render.placeholders_in(advice.body) | render.placeholders_in(advice.sms_body) | render.placeholders_in(advice.title)
    assert used <= KNOWN, f"unknown placeholders: {sorted(used - KNOWN)}"


@pytest.mark.parametrize("advice", ADVICE, ids=lambda a: f"{a.locale}/{a.topic}")
def test_every_amount_comes_from_the_figures_table(advice):
    # A typed-in amount would not change when figures.yml is updated each April.
    for text in (advice.body, advice.sms_body):
        assert "£" not in text, "write amounts as {{figure.KEY}} placeholders"


@pytest.mark.parametrize("advice", ADVICE, ids=lambda a: f"{a.locale}/{a.topic}")
def test_advice_is_reviewed_sourced_and_short_enough_to_read(advice):
    assert advice.reviewed and advice.review_due and advice.review_due > advice.reviewed
    assert advice.sources and all(s["url"].startswith("https://") for s in advice.sources)
    assert advice.topic not in advice.related
    words = len(re.findall(r"\S+", advice.body))
    if advice.locale == "en":
        assert 60 <= words <= 230, f"{words} words: a chat answer should be short"
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", advice.body.replace("**", "")):
            assert len(sentence.split()) <= 25, f"long sentence: {sentence!r}"


@pytest.mark.parametrize("advice", [a for a in ADVICE if a.locale == "en"], ids=lambda a: a.topic)
def test_english_sms_versions_stay_in_the_gsm_alphabet(advice):
    table = render.values(council.current(), [render.FigureValue(f.key, f.value, f.format, f.applies)
                                              for f in FIGURES.values()], "en")
    assert sms.is_gsm7(render.fill(advice.sms_body, table)), "a curly quote or dash would make it UCS-2"


@pytest.mark.parametrize("advice", [a for a in ADVICE if a.locale != "en"], ids=lambda a: f"{a.locale}/{a.topic}")
def test_translations_say_what_they_were_made_from_and_fit_two_texts(advice):
    english = next(a for a in ADVICE if a.locale == "en" and a.topic == advice.topic)
    assert advice.translated_from, "a translation names the English version it was made from"
    assert advice.related == english.related and advice.sources == english.sources
    assert (render.placeholders_in(advice.body) | render.placeholders_in(advice.sms_body)) <= (
        render.placeholders_in(english.body) | render.placeholders_in(english.sms_body))
    table = render.values(council.current(), [render.FigureValue(f.key, f.value, f.format, f.applies)
                                              for f in FIGURES.values()], advice.locale)
    assert sms.count(render.fill(advice.sms_body, table)).segments <= 2


def test_every_figure_names_its_year_and_source():
    for key, figure in FIGURES.items():
        assert re.fullmatch(r"\d{4}/\d{2}|standing", figure.applies), key
        assert figure.source.startswith("http"), key


def test_a_broken_file_is_refused_with_its_name_and_the_problem(tmp_path):
    bad = tmp_path / "en" / "respite.md"
    bad.parent.mkdir()
    bad.write_text("---\ntopic: respite\nlocale: en\ntitle: Breaks\nrelated: [bins]\n---\nBody\n")
    with pytest.raises(files.ContentFileError, match=r"respite.md: related names unknown topics \['bins'\]"):
        files.read_advice(tmp_path)


def test_writing_a_translation_back_to_a_file_keeps_it_waiting_for_review(tmp_path):
    waiting = next(a for a in ADVICE if a.translation_state == "needs_review")
    path = files.write_advice(waiting, tmp_path)
    again = files.parse_advice(path.read_text(encoding="utf-8"), path)
    assert (again.translation_state, again.translated_from) == ("needs_review", waiting.translated_from)


def test_a_translation_file_must_name_a_real_english_version_number(tmp_path):
    bad = tmp_path / "cy" / "respite.md"
    bad.parent.mkdir()
    bad.write_text("---\ntopic: respite\nlocale: cy\ntitle: Seibiant\ntranslation_state: needs_review\n"
                   "translated_from: latest\n---\nCorff\n")
    with pytest.raises(files.ContentFileError, match="translated_from must be the number of an English version"):
        files.read_advice(tmp_path)
