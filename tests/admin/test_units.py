"""The parts that need no database: password rules, the secret key file, Markdown
sanitising, WhatsApp text and the plain-English check."""
from __future__ import annotations

import pytest

from admin import accounts, settings
from content import markdown, readability, store


@pytest.mark.parametrize("password, problem", [
    ("short-one", "12 characters"),
    ("password1234", "too common"),
    ("Password123!", "too common"),
    ("aaaaaaaaaaaaaaaa", "too common"),
    ("editor-is-my-password-9", "e-mail"),
])
def test_weak_passwords_are_refused(password, problem):
    assert problem in accounts.password_problem(password, "editor@castlebridge.example.gov.uk")


def test_a_long_uncommon_password_is_fine_and_paste_friendly_characters_allowed():
    assert accounts.password_problem("a sensible long passphrase", "editor@x.gov.uk") is None
    assert accounts.password_problem("ŵyn bach a’r defaid 7", "editor@x.gov.uk") is None


def test_the_secret_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = settings.secret_key(path)
    assert settings.secret_key(path) == first and len(first) >= 32
    assert path.stat().st_mode & 0o777 == 0o600


HOSTILE = """Hello <script>alert("x")</script> there.

<img src=x onerror=alert(1)> and <a href="javascript:alert(2)" onclick="alert(3)">click</a>.

[a link](javascript:alert(4)) [another](JaVaScRiPt:alert(5)) [data](data:text/html,<script>x</script>)
[tabbed](java&#x09;script:alert(6)) <iframe src="https://evil.example"></iframe> <style>p{}</style>
<p onmouseover="alert(7)">hover</p> <svg onload=alert(8)></svg>

[ok](https://www.gov.uk) [call](tel:01632960000)
"""


def test_markdown_renders_with_no_script_handler_or_javascript_url():
    html = markdown.to_html(HOSTILE).lower()
    for bad in ("<script", "onerror", "onclick", "onmouseover", "onload", "javascript:", "<iframe", "<style",
                "<img", "<svg", "data:", "alert(1)", "alert(8)"):
        assert bad not in html, bad
    assert '<a href="https://www.gov.uk"' in html and '<a href="tel:01632960000"' in html
    assert "hello" in html and "hover" in html


def test_only_the_allowed_markdown_becomes_html():
    html = markdown.to_html("# Heading\n\nText with **bold**, *italic* and a [link](https://example.org).\n\n"
                            "- one\n- two\n\n1. first\n\n| a | b |\n|---|---|")
    assert "<h1" not in html and "<table" not in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html and "<ul>" in html and "<ol>" in html


def test_whatsapp_text_has_bold_stars_and_links_in_full():
    text = markdown.to_whatsapp("Read **this** first.\n\n- go to [our page](https://example.org/care)\n- "
                                "email [us](mailto:care@example.org)\n\n<script>alert(1)</script>Done.")
    assert text == ("Read *this* first.\n\n- go to our page (https://example.org/care)\n"
                    "- email us (care@example.org)\n\nDone.")


def test_reading_age_long_sentences_and_jargon():
    report = readability.check(
        "We provide domiciliary care in order to utilise the resources available to facilitate your "
        "independence and wellbeing across the whole of the district and the surrounding villages and towns.\n\n"
        "Reablement helps.")
    terms = {finding.term for finding in report.jargon}
    assert {"domiciliary", "in order to", "utilise", "facilitate", "reablement"} <= terms
    assert len(report.long_sentences) == 1 and report.reading_age > 9 and not report.reading_age_ok


def test_jargon_that_is_explained_nearby_is_not_flagged():
    for text in ("Reablement is short-term help at home.",
                 "Reablement (short-term help at home) is free.",
                 "You can get short-term help at home, called reablement.",
                 "Ask about reablement. This means help to do things for yourself again."):
        assert "reablement" not in {f.term for f in readability.check(text).jargon}, text
    # "in order to" always has a plainer way to say it.
    assert {f.term for f in readability.check("Call us in order to ask. This means soon.").jargon} == {"in order to"}


def test_plain_text_has_a_low_reading_age():
    report = readability.check("Call us. We can help you. It is free.")
    assert report.reading_age_ok and not report.long_sentences and not report.jargon


def test_syllables_are_counted_well_enough():
    assert [readability.syllables(w) for w in ("care", "help", "carer", "assessment", "people", "table")] == [
        1, 1, 2, 3, 2, 2]


def test_a_word_level_diff_keeps_the_text_readable():
    assert store.diff_text("You can get a break.", "You can get a short break!") == [
        ("equal", "You can get a "), ("insert", "short "), ("equal", "break"), ("delete", "."), ("insert", "!")]
