"""Which of the reply contract's languages a message is written in, offline.

``detect_locale(text)`` returns a locale of ``content.i18n.LOCALES`` ("en", "cy", "pl", ...) when
the text clearly is in that language, and ``None`` when it cannot say with confidence: very short
messages ("ok", "diolch"), numbers, postcodes, dates, names, text mixing scripts, or text in a
language we do not serve. A wrong guess would switch someone's conversation into a language they
cannot read, so the detector would rather say nothing.

How it decides:

- Only the words count: links, e-mail addresses, postcodes and anything with a digit in it are
  left out.
- The letters are counted by script. Gurmukhi, Gujarati and Bengali letters each belong to one
  of our languages only, so they decide at once. Text mixing scripts (a word or more in a second
  one) is refused, as is a script
  none of our languages is written in (Cyrillic, Devanagari, Chinese...).
- In the Latin and Arabic scripts, Lingua (lingua-language-detector: statistical n-gram models
  that ship inside the package; nothing goes over the network) weighs our 11 languages against
  14 others that people in the UK also write (French, German, Italian, Dutch, Lithuanian,
  Latvian, Slovak, Czech, Hungarian, Turkish, Somali, Persian, Albanian, Tagalog). When one of
  those others comes first, the answer is None: without them, a French or Lithuanian message
  would come out as the nearest of ours, and English slang as Welsh or Romanian.
- A Latin-script message needs 3 words and 12 letters; a few words all with capitals
  ("Anna Kowalska", "Dafydd ap Gwilym") is a name, not a sentence.

Measured on tests/data/language_samples.yml (realistic messages in every locale, and messages
that must get None) and on every English message of the NLU data, the held-out set and the crisis
corpus (over 3,000): no English message is taken for another of our languages (the closest,
"is this chatgpt", gets 0.38 for Welsh), while the lowest confidence of a rightly detected message
is 0.58, so the threshold sits at 0.5. tests/test_language_detection.py holds it to that.

The detector is built once per process, on first use or ``preload()``, and shared (it is
thread-safe). Measured: about 120 MB of memory once its models are loaded (45 MB with our 11
languages alone), and a median of 0.5 ms a message (95th percentile 5 ms on a busy machine).
"""
from __future__ import annotations

import re
import threading
import unicodedata
from typing import TYPE_CHECKING, Dict, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    from lingua import LanguageDetector

__all__ = ["detect_locale", "preload", "LANGUAGE_OF_LOCALE"]

# Our locales, by the name Lingua gives each language.
LANGUAGE_OF_LOCALE = {
    "en": "ENGLISH", "cy": "WELSH", "pl": "POLISH", "ro": "ROMANIAN", "pa": "PUNJABI", "ur": "URDU",
    "pt": "PORTUGUESE", "es": "SPANISH", "ar": "ARABIC", "bn": "BENGALI", "gu": "GUJARATI",
}
# Languages we do not serve, weighed so that a message in one of them is not taken for ours.
OTHER_LANGUAGES = ("FRENCH", "GERMAN", "ITALIAN", "DUTCH", "LITHUANIAN", "LATVIAN", "SLOVAK", "CZECH",
                   "HUNGARIAN", "TURKISH", "SOMALI", "PERSIAN", "ALBANIAN", "TAGALOG")

# Scripts only one of our languages is written in. (Punjabi written in Shahmukhi is in the Arabic
# script and comes out as Urdu, which most Punjabi readers in the UK read too.)
UNIQUE_SCRIPTS = {"GURMUKHI": "pa", "GUJARATI": "gu", "BENGALI": "bn"}
LINGUA_SCRIPTS = ("LATIN", "ARABIC")

# Measured thresholds (see above).
MIN_LETTERS = 12  # letters (with their accents and vowel signs) a Latin or Arabic-script message needs
MIN_LETTERS_UNIQUE_SCRIPT = 3  # the script alone says which language: one real word is enough
MIN_WORDS = {"LATIN": 3, "ARABIC": 2}
MAX_NAME_WORDS = 4  # up to this many words, all capitalised, is taken for a name
MAX_OTHER_SCRIPT_LETTERS = 2  # a word in a second script ("mama ਦੀ help") makes the message mixed
MIN_CONFIDENCE = 0.5  # Lingua's relative confidence in its first language (all of them add up to 1)
# English needs less: no message in another language came out with English first, and English
# is what the service speaks anyway; with the 14 others weighed too, English confidence spreads.
MIN_CONFIDENCE_ENGLISH = 0.3

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+", re.I)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_APOSTROPHES = "'’"

_lock = threading.Lock()
_detector: "Optional[LanguageDetector]" = None
_locale_of: Dict[object, Optional[str]] = {}  # Lingua's Language -> our locale, None for the others


def _build() -> "LanguageDetector":
    from lingua import Language, LanguageDetectorBuilder

    locale_of: Dict[object, Optional[str]] = {getattr(Language, name): locale
                                              for locale, name in LANGUAGE_OF_LOCALE.items()}
    locale_of.update({getattr(Language, name): None for name in OTHER_LANGUAGES})
    detector = LanguageDetectorBuilder.from_languages(*locale_of).with_preloaded_language_models().build()
    _locale_of.update(locale_of)
    return detector


# Lingua reads each language's models when a text first needs them; these load the lot.
_WARM_UP = ("Can I get help at home for my mum? Czy mogę dostać pomoc? Mae angen help arnaf. "
            "Preciso de ajuda. Necesito ayuda. Am nevoie de ajutor.",
            "أحتاج إلى مساعدة في المنزل. مجھے گھر پر مدد چاہیے۔")


def preload() -> None:
    """Builds the detector and loads its models now rather than on the first message (the action
    server does this when it starts)."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                detector = _build()
                for text in _WARM_UP:
                    detector.compute_language_confidence_values(text)
                _detector = detector


def _script(character: str) -> str:
    try:
        return unicodedata.name(character).split(" ", 1)[0]
    except ValueError:
        return "OTHER"


def _words(text: str) -> List[str]:
    """The words of a text: runs of letters and the marks that go with them (Indic vowel signs and
    Arabic diacritics are marks, not letters), joined by apostrophes. A run with a digit in it
    (a date, a phone number, a reference) is not a word."""
    words: List[str] = []
    current: List[str] = []
    digits = False
    for character in text + " ":
        category = unicodedata.category(character)
        if category[0] in "LM" or (character in _APOSTROPHES and current):
            current.append(character)
        elif category[0] == "N":
            digits = True
            current.append(character)
        else:
            word = "".join(current).strip(_APOSTROPHES)
            if word and not digits:
                words.append(word)
            current, digits = [], False
    return words


def _looks_like_a_name(words: List[str]) -> bool:
    return len(words) <= MAX_NAME_WORDS and all(w[0].isupper() or w in ("ap", "ab", "de", "da", "van")
                                                 for w in words) and words[0][0].isupper()


def detect_locale(text: str) -> str | None:
    """The locale ``text`` is confidently written in, or None. See the module's docstring."""
    if not isinstance(text, str):
        return None
    words = _words(_POSTCODE.sub(" ", _URL.sub(" ", text)))
    letters = [c for word in words for c in word if c not in _APOSTROPHES]
    if not letters:
        return None
    counts: Dict[str, int] = {}
    for character in letters:
        script = _script(character)
        counts[script] = counts.get(script, 0) + 1
    script, most = max(counts.items(), key=lambda item: item[1])
    if len(letters) - most >= MAX_OTHER_SCRIPT_LETTERS:
        return None  # mixed scripts: mixed languages, or a name in another alphabet
    if script in UNIQUE_SCRIPTS:
        return UNIQUE_SCRIPTS[script] if len(letters) >= MIN_LETTERS_UNIQUE_SCRIPT else None
    if script not in LINGUA_SCRIPTS or len(letters) < MIN_LETTERS or len(words) < MIN_WORDS[script]:
        return None
    if script == "LATIN" and _looks_like_a_name(words):
        return None

    preload()
    assert _detector is not None
    values = _detector.compute_language_confidence_values(" ".join(words))
    if not values:
        return None
    locale = _locale_of.get(values[0].language)
    needed = MIN_CONFIDENCE_ENGLISH if locale == "en" else MIN_CONFIDENCE
    return locale if values[0].value >= needed else None
