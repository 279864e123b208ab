"""Crisis detection and the crisis reply in every language Front Door speaks.

A resident may write in Welsh, Polish, Romanian, Panjabi, Urdu, Portuguese, Spanish, Arabic,
Bengali or Gujarati, in their own script or in Latin letters, with or without accents, whatever
language they picked. The sets in tests/data/crisis/<locale>/ hold messages in danger and the
everyday messages (carers' stress, "this form is killing me") that must not be taken for it.
"""
from __future__ import annotations

import asyncio
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import safety
from actions.conversation import ActionCrisis
from bot.channels import safety_net
from components.crisis import CrisisDetector, corpus_lines, nlu_examples
from content import council
from content.i18n import LOCALES, LOCALES_DIR

detector = CrisisDetector()
DATA = Path(__file__).resolve().parent / "data" / "crisis"
CORPUS = Path(__file__).resolve().parent.parent / "bot" / "components" / "crisis_corpus"
OTHER_LOCALES = [locale for locale in LOCALES if locale != "en"]

# Floors, a few points under what the sets measure (every crisis caught, no false alarm), so
# that a change which quietly loses a language fails here. The rules were written alongside
# these sets, so they check the rules rather than measure the unseen (see the sets' README).
CRISIS_FLOOR = 0.90  # share of crisis messages answered with the crisis reply
SHOWN_FLOOR = 0.95  # share of crisis messages shown the numbers at least
FALSE_CRISIS_CEILING = 0.03  # share of ordinary messages wrongly given the crisis reply
NUMBERS_CEILING = 0.10  # share of ordinary messages shown the numbers (a concern) for nothing


def crisis_lines(locale: str) -> list[tuple[str, str]]:
    path = DATA / locale / f"{locale}_crisis.txt"
    return [tuple(line.split("|", 1)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ordinary_lines(locale: str) -> list[str]:
    path = DATA / locale / f"{locale}_ordinary.txt"
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_each_language_has_a_set_big_enough_to_mean_something(locale):
    assert len(crisis_lines(locale)) >= 20 and len(ordinary_lines(locale)) >= 40


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_crises_in_each_language_get_the_crisis_reply(locale):
    lines = crisis_lines(locale)
    levels = [(detector.assess(text, locale).level, f"{category}|{text}") for category, text in lines]
    missed = [line for level, line in levels if level != "crisis"]
    shown = sum(level != "none" for level, _ in levels)
    assert (len(lines) - len(missed)) / len(lines) >= CRISIS_FLOOR, "not the crisis reply:\n" + "\n".join(missed)
    assert shown / len(lines) >= SHOWN_FLOOR, "not even the numbers:\n" + "\n".join(missed)


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_everyday_messages_in_each_language_are_not_a_crisis(locale):
    lines = ordinary_lines(locale)
    false_alarms = [f"{a.rule}|{text}" for text in lines if (a := detector.assess(text, locale)).level == "crisis"]
    assert len(false_alarms) / len(lines) <= FALSE_CRISIS_CEILING, "\n".join(false_alarms)


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_everyday_messages_in_each_language_rarely_show_the_numbers(locale):
    # The statistical safety net learnt English; guessing at Welsh or Spanish it would put the
    # crisis numbers above one everyday question in four.
    lines = ordinary_lines(locale)
    shown = [f"{a.rule}|{text}" for text in lines if (a := detector.assess(text, locale)).level != "none"]
    assert len(shown) / len(lines) <= NUMBERS_CEILING, "\n".join(shown)


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_the_language_picked_does_not_decide_what_is_checked(locale):
    # Residents write in the language they think in, not always the one they picked.
    category, text = crisis_lines(locale)[0]
    assert detector.assess(text, "en").level == "crisis"
    assert detector.assess("I want to kill myself", locale).level == "crisis"


@pytest.mark.parametrize("with_marks, without", [
    ("mă sinucid", "ma sinucid"),  # Romanian
    ("vou matar-me", "vou matarme"),  # Portuguese, the hyphen left out
    ("chcę umrzeć", "chce umrzec"),  # Polish
    ("no quiero vivir más", "no quiero vivir mas"),  # Spanish
    ("dw i ddim eisiau byw ddim mwy", "dwi ddim isio byw"),  # Welsh, southern and northern
    ("أريد أن أموت", "اريد ان اموت"),  # Arabic, with and without hamza
    ("میں مرنا چاہتا ہوں", "main marna chahta hoon"),  # Urdu, and Urdu in Latin letters
    ("ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ", "ਮੈ ਮਰਨਾ ਚਾਹੁਦਾ ਹਾ"),  # Gurmukhi, with and without nasal marks
    ("আমি আর বাঁচতে চাই না", "আমি আর বাচতে চাই না"),  # Bengali, with and without chandrabindu
])
def test_accents_and_optional_marks_do_not_hide_a_crisis(with_marks, without):
    assert detector.assess(with_marks).level == "crisis"
    assert detector.assess(without).level == "crisis"


@pytest.mark.parametrize("text, kept", [
    ("ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ", "ਮਰਨਾ"),  # Gurmukhi vowel signs are letters, not punctuation
    ("আমি মরে যেতে চাই", "মরে যেতে"),
    ("મારે મરી જવું છે", "મરી જવુ"),  # the anusvara goes, the vowel signs stay
    ("میں مرنا چاہتی ہوں", "مرنا"),
])
def test_normalising_keeps_other_scripts_readable(text, kept):
    assert f" {kept}" in detector.normalise(text)


def test_arabic_script_variants_read_the_same():
    assert detector.normalise("أريد أن أموت") == detector.normalise("اريد ان اموت")
    assert detector.normalise("مجھے") == detector.normalise("مجهے")  # Urdu do-chashmi heh typed as Arabic heh


def test_other_languages_rules_never_decide_about_english():
    # English has its own idioms and softeners ("suicide prevention", "I'm not suicidal"); a
    # loanword in another language's rule would skip them.
    english = [line.split("|", 1)[-1] for path in sorted(CORPUS.glob("en_*.txt")) for line in corpus_lines(path)]
    english += nlu_examples()
    decided = []
    for text in english:
        assessment = detector.assess(text)
        if assessment.rule and assessment.rule.split(".")[0] not in ("en", "model", "error"):
            decided.append(f"{assessment.rule}|{text}")
    assert not decided, "\n".join(decided)


def test_english_text_speak_does_not_change_other_languages():
    # English "al" -> "all" and "n" -> "and" must not reach Spanish or Romanian.
    assert detector.normalise("voy al puente", "es") == " voy al puente "
    assert detector.normalise("n-am pe nimeni", "ro") == " n am pe nimeni "


# -- the crisis reply in each language -----------------------------------------------------

NUMBERS = ("999", "116 123", "111")


@lru_cache(maxsize=None)
def catalog(locale: str) -> Translations:
    """The locale's catalog as translators wrote it (locales/<locale>/LC_MESSAGES/messages.po),
    compiled the way `make translations` does (fuzzy entries left out)."""
    with open(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        messages = read_po(po, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(fp=compiled)


@pytest.mark.parametrize("category", ["suicide", "self_harm", "medical", "danger", "abuse", None])
@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_the_crisis_reply_names_999_samaritans_and_111_in_every_language(locale, category):
    turn = SimpleNamespace(gettext=catalog(locale).gettext, council=council.current())
    whole = "\n".join(safety.crisis_texts(turn, category))
    missing = [number for number in NUMBERS if number not in whole]
    assert not missing, f"{locale} crisis reply lacks {missing}:\n{whole}"
    assert "999" in safety.concern_text(turn) and "116 123" in safety.concern_text(turn)


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_the_reply_of_last_resort_names_every_number_in_every_language(locale, monkeypatch):
    monkeypatch.setattr(safety_net, "_translator", lambda _: catalog(locale))
    text = safety_net.reply("someone", locale, crisis=True)[0]["text"]
    assert all(number in text for number in NUMBERS), f"{locale}:\n{text}"


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_the_crisis_action_answers_in_the_turns_language_with_every_number(content_db, locale):
    latest = {"intent": {"name": "crisis", "confidence": 1.0}, "text": "...", "metadata": {"locale": locale},
              "safety": {"level": "crisis", "category": "suicide"}}
    tracker = Tracker("someone", {}, latest, [{"event": "user", "text": "...", "parse_data": latest}],
                      False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCrisis().run(dispatcher, tracker, {}))
    whole = "\n".join(m["text"] for m in dispatcher.messages if m.get("text"))
    assert all(number in whole for number in NUMBERS)
    assert [m["custom"] for m in dispatcher.messages if m.get("custom")][0]["locale"] == locale
