"""Which of the reply contract's languages a message is written in, offline.

``detect_locale(text)`` returns a locale of ``content.i18n.LOCALES`` ("en", "cy", "pl", ...) when
the text clearly is in that language, and ``None`` when it cannot say with confidence: very short
messages ("ok", "yes please"), numbers, postcodes, dates, names, text mixing languages, or text in
a language we do not serve. A wrong guess would switch someone's conversation into a language
they cannot read, so the detector would rather say nothing.

How it decides:

- The letters are counted by script first. Gurmukhi, Gujarati and Bengali letters each belong to
  one of our languages only, so they decide at once. Text mixing scripts is refused.
- Otherwise Lingua (lingua-language-detector, statistical n-gram models that ship inside the
  package, no network) compares only our 11 languages. It answers only for text with enough
  words and letters, when its top language is far enough ahead of the next one.

The thresholds below were chosen on measurement (tests/data/language_samples.yml: realistic
messages in every language, and English messages that must never be taken for another
language); tests/test_language_detection.py holds them to it.

The detector is built once per process, on first use (or ``preload()``), and shared: it is
thread-safe.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from lingua import LanguageDetector

__all__ = ["detect_locale", "preload", "LANGUAGE_OF_LOCALE"]

# Our locales, by the name Lingua gives each language.
LANGUAGE_OF_LOCALE = {
    "en": "ENGLISH", "cy": "WELSH", "pl": "POLISH", "ro": "ROMANIAN", "pa": "PUNJABI", "ur": "URDU",
    "pt": "PORTUGUESE", "es": "SPANISH", "ar": "ARABIC", "bn": "BENGALI", "gu": "GUJARATI",
}

# Scripts only one of our languages is written in (Punjabi in Shahmukhi would be Arabic script,
# and is then read as Urdu, which a Punjabi reader in the UK usually reads too).
UNIQUE_SCRIPTS = {"GURMUKHI": "pa", "GUJARATI": "gu", "BENGALI": "bn"}

# Measured thresholds (see the module's docstring).
MIN_LETTERS = 12  # fewer letters than this is too little to go on ("ok thanks", "tak")
MIN_LETTERS_UNIQUE_SCRIPT = 3  # the script alone says which language: one real word is enough
MIN_WORDS_LATIN = 3  # a Latin-script message needs at least this many words of letters
MIN_WORDS_ARABIC = 2  # Arabic and Urdu share a script but differ in common words and letters
MIN_SCRIPT_SHARE = 0.85  # at least this share of the letters in one script, or it is "mixed"
MIN_CONFIDENCE = 0.75  # Lingua's relative confidence of its top language (they add up to 1)
MIN_ENGLISH_CONFIDENCE = 0.5  # English is the default: saying "English" switches nothing odd

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+", re.I)
# UK postcodes and anything with a digit in it (dates, phone numbers, references).
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_APOSTROPHES = "'’"

_lock = threading.Lock()
_detector: "LanguageDetector | None" = None
_languages: dict = {}


def _build() -> "LanguageDetector":
    from lingua import Language, LanguageDetectorBuilder

    languages = {getattr(Language, name): locale for locale, name in LANGUAGE_OF_LOCALE.items()}
    detector = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    _languages.update(languages)
    return detector


def preload() -> None:
    """Loads the language models now (they take a few seconds), rather than on the first message."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = _build()


def _script(character: str) -> str:
    try:
        name = unicodedata.name(character)
    except ValueError:
        return "OTHER"
    return name.split(" ", 1)[0]


def _words(text: str) -> list[str]:
    """The words of a text: runs of letters and the marks that go with them (Indic vowel signs
    are marks, not letters), joined by apostrophes; anything with a digit in it is not a word."""
    words, current, digits = [], [], False
    for character in text + " ":
        category = unicodedata.category(character)
        if category[0] in "LM" or (character in _APOSTROPHES and current):
            current.append(character)
        elif category[0] == "N" and current is not None and not character.isspace():
            digits = True
            current.append(character)
        else:
            word = "".join(current).strip(_APOSTROPHES)
            if word and not digits:
                words.append(word)
            current, digits = [], False
    return words


def detect_locale(text: str) -> str | None:
    """The locale ``text`` is confidently written in, or None. See the module's docstring."""
    if not isinstance(text, str):
        return None
    words = _words(_POSTCODE.sub(" ", _URL.sub(" ", text)))
    letters = [c for w in words for c in w if c not in _APOSTROPHES]
    if not letters:
        return None
    counts: dict[str, int] = {}
    for character in letters:
        script = _script(character)
        counts[script] = counts.get(script, 0) + 1
    script, most = max(counts.items(), key=lambda item: item[1])
    if most / len(letters) < MIN_SCRIPT_SHARE:
        return None  # mixed scripts: mixed languages, or a name in another alphabet
    if script in UNIQUE_SCRIPTS:
        return UNIQUE_SCRIPTS[script] if len(letters) >= MIN_LETTERS_UNIQUE_SCRIPT else None
    if len(letters) < MIN_LETTERS:
        return None
    if script == "ARABIC":
        if len(words) < MIN_WORDS_ARABIC:
            return None
    elif script == "LATIN":
        if len(words) < MIN_WORDS_LATIN:
            return None
    else:
        return None  # Cyrillic, Chinese...: not a language we serve

    preload()
    values = _detector.compute_language_confidence_values(" ".join(words))
    if not values:
        return None
    best = values[0]
    locale = _languages.get(best.language)
    if locale is None:
        return None
    needed = MIN_ENGLISH_CONFIDENCE if locale == "en" else MIN_CONFIDENCE
    return locale if best.value >= needed else None
