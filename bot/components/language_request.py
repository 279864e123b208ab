"""Asking for another language in words: "Cymraeg", "po polsku", "in Polish please", "can I have
this in Urdu", "اردو میں", "بالعربية", "ਪੰਜਾਬੀ", "বাংলায়", "ગુજરાતીમાં", "em português"...

A deterministic recogniser over the table in language_requests.yml, not a statistical model:
a language's name is a closed set of words, and a wrong switch is worse than none. A message is a
request to switch when

- it names exactly one of our languages (in English, in itself, or in another of ours), and
- every other word in it is a request word ("in", "please", "speak", "po", "yn", "em", "میں"...).

So a question that merely mentions a language ("is there a Polish carers group", "I need a
Welsh-speaking carer", "I don't speak Urdu") is not a switch: it has words that are not request
words. A message of request words and a word for "language" alone ("change language", "newid
iaith", "zmień język") asks for the list of languages.

Pure Python and PyYAML, so the Rasa server (language_gate.py) and the product's tests share it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional

import yaml

TABLE = Path(__file__).resolve().parent / "language_requests.yml"
MAX_WORDS = 12  # a request to switch is short; anything longer is a question

# Arabic-script letters people type in more than one form (Arabic and Urdu keyboards differ).
_ARABIC_FORMS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ي": "ی", "ى": "ی", "ې": "ی", "ئ": "ی",
    "ك": "ک",
    "ة": "ه", "ۃ": "ه", "ہ": "ه", "ھ": "ه", "ۀ": "ه",
    "ؤ": "و",
})
_ARABIC_MARKS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}  # vowel marks, tatweel
_FOLD = {"ł": "l", "ß": "ss", "ø": "o", "đ": "d", "ı": "i"}


@dataclass(frozen=True)
class LanguageRequest:
    """A message asking for a language: ``locale`` is the one asked for, or None for the list."""

    locale: Optional[str]


def _fold(character: str) -> str:
    """One character, compared as the table compares: Latin without accents, Arabic in one form."""
    if character in _ARABIC_MARKS:
        return ""
    if "LATIN" in unicodedata.name(character, ""):
        folded = _FOLD.get(character)
        if folded:
            return folded
        return "".join(c for c in unicodedata.normalize("NFD", character) if not unicodedata.combining(c))
    return character.translate(_ARABIC_FORMS)


def words(text: str) -> List[str]:
    """The message's words, normalised: lower case, accents folded, Arabic-script forms unified;
    an apostrophe parts words ("chi'n" -> "chi", "n"). Indic vowel signs are kept: they are part
    of the word."""
    text = unicodedata.normalize("NFC", text).casefold()
    found: List[str] = []
    current: List[str] = []
    for character in text + " ":
        if unicodedata.category(character)[0] in "LMN":
            current.append(_fold(character))
        elif current:
            found.append(unicodedata.normalize("NFC", "".join(current)))
            current = []
    return [w for w in found if w]


class Table:
    def __init__(self, names: Dict[str, str], request_words: FrozenSet[str], language_words: FrozenSet[str]):
        self.names = names  # normalised word -> locale
        self.request_words = request_words
        self.language_words = language_words

    @classmethod
    def load(cls, path: Path = TABLE) -> "Table":
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        names: Dict[str, str] = {}
        for locale, entries in raw["names"].items():
            for entry in entries:
                for word in words(str(entry)):
                    if names.setdefault(word, locale) != locale:
                        raise ValueError(f"{path.name}: {entry!r} names both {names[word]} and {locale}")
        request = frozenset(w for entries in raw["request_words"].values() for e in entries for w in words(str(e)))
        language = frozenset(w for e in raw["language_words"] for w in words(str(e)))
        clash = sorted((request | language) & names.keys())
        if clash:
            raise ValueError(f"{path.name}: these are both names and request words: {clash}")
        return cls(names, request, language)

    def recognise(self, text: str) -> Optional[LanguageRequest]:
        """The language a message asks for, a request for the list, or None (not a request)."""
        if not isinstance(text, str) or text.lstrip().startswith("/"):
            return None  # a button's payload says what it means itself
        found = words(text)
        if not found or len(found) > MAX_WORDS:
            return None
        named = {self.names[w] for w in found if w in self.names}
        others = [w for w in found if w not in self.names and w not in self.request_words
                  and w not in self.language_words]
        if others or len(named) > 1:
            return None
        if named:
            return LanguageRequest(named.pop())
        if any(w in self.language_words for w in found):
            return LanguageRequest(None)
        return None


@lru_cache(maxsize=1)
def table() -> Table:
    return Table.load()


def recognise(text: str) -> Optional[LanguageRequest]:
    return table().recognise(text)
