"""Crisis detection: is this message about immediate danger to someone's life or safety?

Every message is checked before anything else acts on it (see crisis_gate.py). The result has
three levels:

- ``crisis``: suicidal thoughts or intent, self-harm, a medical emergency, danger or abuse
  happening now. The bot answers with 999 first and the other emergency numbers.
- ``concern``: it might be (low mood, "I can't cope anymore", a fall this morning, a hedged
  worry about abuse). The bot answers the question and shows the numbers above the answer.
- ``none``.

How it works, and why:

1. Normalise: lower case, accents folded ("sinucid", "matar-me" and "matarme" match the same
   rule), Arabic-script letter variants unified, Indic vowel signs kept, straight apostrophes,
   contractions and SMS spellings expanded ("im gonna kms" -> "i am going to kill myself"),
   repeated letters squeezed, and long key words corrected by edit distance ("sucidal",
   "unconcious", "breathin"). People in crisis type fast, on small phones, and do not proofread.
   Each language has its own view of the message: English contractions and text-speak must not
   turn Spanish "al" into "all" or Romanian "n-am" into "and am".
2. Remove idioms that look like danger but are not ("this heat is killing me", "I nearly had a
   heart attack when I saw the bill", "he's fallen out with his sister"), so they cannot match.
3. Match the rules in crisis_patterns.yml, readable by a clinical safety reviewer: each has a
   level, a category and a regular expression over the normalised text.
4. A safety net for what the rules miss: two small naive Bayes models trained when the detector
   starts on crisis_corpus/ (crisis lines by category; ordinary lines and every NLU training
   example as "none"). One sees words and word pairs and is trusted to call a crisis when it is
   very sure; the other also sees four-letter pieces of words, which reach through typos and
   new wordings, and is used only to show the numbers as a concern (it is too eager to be
   trusted with more). Rules give precision; the models give reach to wordings nobody wrote a
   rule for. `make bench` measures all of it on held-out sets nobody tuned on.
5. Soften, never silence: a crisis rule in a message that is plainly about the past ("last
   year", "years ago", "used to"), or a hedged report of abuse ("I think her carer hits her"),
   becomes a concern, so the numbers are still shown. A crisis the models call in a message
   about the past becomes a concern too.

Every language's rules are checked on every message, whatever language the resident picked:
people write in the language they are thinking in, switch mid-sentence, and type Urdu or Panjabi
in Latin letters. English and the shared settings are in crisis_patterns.yml; each other
language has its own crisis_patterns_<locale>.yml, in the same shape.

Rules are plain data so a safety fix needs no retraining; the detector is pure Python (standard
library and PyYAML) so the Rasa server and the product's own tests share it.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Pattern, Tuple

import yaml

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.yml")  # English and shared settings
CORPUS_DIR = Path(__file__).with_name("crisis_corpus")
NLU_DIR = Path(__file__).resolve().parent.parent / "data" / "nlu"
LEVELS = ("none", "concern", "crisis")
MAX_CHARS = 2000  # longer messages are checked in full, in windows of this size


@dataclass(frozen=True)
class Assessment:
    level: str  # "crisis" | "concern" | "none"
    category: Optional[str] = None  # "suicide", "self_harm", "medical", "danger", "abuse"
    rule: Optional[str] = None  # the id of the rule that decided; never the user's text


NONE = Assessment("none")


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    category: Optional[str]
    pattern: Pattern[str]
    softenable: bool  # may a past or hedged context turn this crisis into a concern?


@dataclass
class Language:
    """One language's view of a message, and the rules that read it."""
    locale: str
    replacements: Dict[str, str]
    keywords: Tuple[str, ...]
    idioms: List[Pattern[str]]
    past: List[Pattern[str]]
    hedges: List[Pattern[str]]
    hedged_categories: frozenset
    rules: List[Rule]
    contractions: bool  # English "can't", "he'll": written out before the apostrophe goes


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), giving up past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class NaiveBayes:
    """Multinomial naive Bayes over sets of features, with add-half smoothing."""

    def __init__(self, examples: List[Tuple[str, List[str]]]) -> None:
        self.priors: Dict[str, float] = {}
        self.likelihoods: Dict[str, Dict[str, float]] = {}
        self.unseen: Dict[str, float] = {}
        counts: Dict[str, Dict[str, int]] = {}
        sizes: Dict[str, int] = {}
        for label, features in examples:
            sizes[label] = sizes.get(label, 0) + 1
            bag = counts.setdefault(label, {})
            for feature in set(features):
                bag[feature] = bag.get(feature, 0) + 1
        self.vocabulary = {f for bag in counts.values() for f in bag}
        total = sum(sizes.values())
        for label, bag in counts.items():
            denominator = sum(bag.values()) + 0.5 * len(self.vocabulary)
            self.priors[label] = math.log(sizes[label] / total)
            self.likelihoods[label] = {f: math.log((n + 0.5) / denominator) for f, n in bag.items()}
            self.unseen[label] = math.log(0.5 / denominator)

    def probabilities(self, features: List[str]) -> Dict[str, float]:
        known = [f for f in set(features) if f in self.vocabulary]
        scores = {label: prior + sum(self.likelihoods[label].get(f, self.unseen[label]) for f in known)
                  for label, prior in self.priors.items()}
        top = max(scores.values())
        weights = {label: math.exp(score - top) for label, score in scores.items()}
        total = sum(weights.values())
        return {label: weight / total for label, weight in weights.items()}


def corpus_lines(path: Path) -> List[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def nlu_examples(directory: Path = NLU_DIR) -> List[str]:
    """The English NLU examples (bot/data/nlu/*.yml). The other locales' examples, in
    bot/data/nlu/<locale>/, are left out on purpose: the models judge English only, and a
    message mostly in words they never learnt is left to its own language's rules."""
    examples = []
    for path in sorted(directory.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            examples += [line[2:].strip() for line in str(block.get("examples", "")).splitlines()
                         if line.startswith("- ")]
    return examples


def word_features(clean: str) -> List[str]:
    words = clean.split()
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


def piece_features(clean: str) -> List[str]:
    """Words, pairs, and four-letter pieces of each word ("<sui", "uici", "cida"...)."""
    return word_features(clean) + [f"<{w}>"[i:i + 4] for w in clean.split() for i in range(len(w) - 1)]


def _top_category(probabilities: Dict[str, float]) -> Optional[str]:
    return max((c for c in probabilities if c != "none"), key=probabilities.get, default=None)


# -- folding scripts, so that one spelling of a pattern matches the ways people type it -------

# Latin letters that carry no separable accent.
_LATIN_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})
# Arabic script (Arabic and Urdu): short vowels, tatweel and Quranic marks are dropped; the
# letters that keyboards and writers use interchangeably become one. Urdu's yeh barree (ے) stays.
_ARABIC = str.maketrans({
    **{chr(c): None for c in range(0x064B, 0x0660)}, "\u0670": None, "\u0640": None,
    **{chr(c): None for c in range(0x06D6, 0x06EE)},
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ی", "ي": "ی", "ئ": "ی", "ؤ": "و", "ك": "ک",
    "ة": "ه", "ہ": "ه", "ۃ": "ه", "ۂ": "ه", "ھ": "ه", "ں": "ن",
    **{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)},
})
# Gurmukhi, Bengali and Gujarati: nasal marks, the doubling mark and nukta are often left out
# when typing on a phone ("ਚਾਹੁਦਾ" for "ਚਾਹੁੰਦਾ"), so they never decide a match. Vowel signs stay.
_INDIC = str.maketrans({c: None for c in "\u0a01\u0a02\u0a70\u0a71\u0a3c\u0981\u09bc\u0a81\u0a82\u0abc"})
# Invisible joiners and direction marks split words for no reason a reader can see.
_INVISIBLE = str.maketrans({c: None for c in "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff"})


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and (ch < "\u0250" or "\u1e00" <= ch <= "\u1eff")


def fold(text: str) -> str:
    """The spelling every pattern and every message is compared in (case is left alone, so
    this can also fold a regular expression): accents off Latin letters, Arabic-script and
    Indic variants unified, invisible characters gone. Other scripts' letters are kept."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if text.isascii():
        return text
    kept: List[str] = []
    latin = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if latin:
                continue  # an accent on a Latin letter
        else:
            latin = _is_latin(ch)
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_LATIN_EXTRA).translate(_ARABIC).translate(_INDIC)


def _words_only(text: str) -> str:
    """Punctuation and symbols become word breaks. Letters, digits and the vowel signs of
    Indic scripts (which Python's regular expressions do not count as word characters) are kept."""
    if text.isascii():
        return re.sub(r"[^\w\s]|_", " ", text)
    return "".join(ch if ch.isalnum() or ch.isspace() or unicodedata.category(ch)[0] == "M" else " "
                   for ch in text)


class CrisisDetector:
    def __init__(self, patterns_path: Optional[Path] = None, corpus_dir: Path = CORPUS_DIR,
                 locale_paths: Optional[List[Path]] = None) -> None:
        path = Path(patterns_path or PATTERNS_FILE)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.macros = {name: f"(?:{fold(value)})" for name, value in data["macros"].items()}
        self.languages: List[Language] = [self._language("en", data, contractions=True)]
        if locale_paths is None:
            locale_paths = sorted(path.parent.glob(f"{path.stem}_*.yml"))
        for locale_path in locale_paths:
            extra = yaml.safe_load(locale_path.read_text(encoding="utf-8"))
            self.languages.append(self._language(str(extra["locale"]), extra, contractions=False))
        self.english = self.languages[0]
        self.rules: List[Rule] = [rule for language in self.languages for rule in language.rules]
        model = data.get("model") or {}
        self.model_crisis = float(model.get("crisis_at", 0.7))
        self.model_concern = float(model.get("concern_at", 0.3))
        self.min_words = int(model.get("min_words", 5))
        self.min_known_share = float(model.get("min_known_share", 0.0))
        self.danger_words = frozenset(model.get("danger_words") or ())
        examples = self._examples(corpus_dir)
        self.model = NaiveBayes([(label, word_features(c)) for label, c in examples]) if examples else None
        self.reach_model = NaiveBayes([(label, piece_features(c)) for label, c in examples]) if examples else None

    def _language(self, locale: str, data: dict, contractions: bool) -> Language:
        macros = dict(self.macros)
        for name, value in (data.get("macros") or {}).items() if locale != "en" else ():
            if name in macros:
                raise ValueError(f"crisis patterns {locale}: macro {name} is already defined")
            macros[name] = f"(?:{fold(value)})"

        def compile_(pattern: str) -> Pattern[str]:
            return re.compile(self._expand(fold(pattern), macros))

        rules = data["rules"]
        if isinstance(rules, dict):  # crisis_patterns.yml: {"en": [...]}
            rules = rules[locale]
        return Language(
            locale=locale,
            replacements={fold(str(k)).lower(): fold(str(v)).lower() for k, v in (data.get("replacements") or {}).items()},
            keywords=tuple(fold(k).lower() for k in data.get("keywords") or ()),
            idioms=[compile_(p) for p in data.get("idioms") or ()],
            past=[compile_(p) for p in data.get("past") or ()],
            hedges=[compile_(p) for p in data.get("hedges") or ()],
            hedged_categories=frozenset(data.get("hedged_categories") or ()),
            rules=[Rule(id=f"{locale}.{item['id']}", level=item["level"], category=item.get("category"),
                        pattern=compile_(item["pattern"]), softenable=item.get("softenable", True))
                   for item in rules],
            contractions=contractions,
        )

    @property
    def keywords(self) -> Tuple[str, ...]:
        return self.english.keywords

    def _examples(self, corpus_dir: Path) -> List[Tuple[str, str]]:
        """(label, cleaned text) for every line the models learn from."""
        examples = []
        for path in sorted(corpus_dir.glob("*_crisis.txt")):
            for line in corpus_lines(path):
                category, _, text = line.partition("|")
                examples.append((category, self.clean(text)))
        ordinary = [t for p in sorted(corpus_dir.glob("*_ordinary.txt")) for t in corpus_lines(p)]
        return examples + [("none", self.clean(text)) for text in ordinary + nlu_examples()]

    def clean(self, text: str, locale: str = "en") -> str:
        """The message as one language's rules read it: normalised, idioms removed."""
        language = self._by_locale(locale)
        return self._clean(self._folded(text), language)

    def _clean(self, folded: str, language: Language) -> str:
        clean = self._view(folded, language)
        for idiom in language.idioms:
            clean = idiom.sub(" ", clean)
        return clean

    def _by_locale(self, locale: str) -> Language:
        return next((language for language in self.languages if language.locale == locale), self.english)

    @staticmethod
    def _expand(pattern: str, macros: Dict[str, str]) -> str:
        return re.sub(r"\{([A-Z_]+)\}", lambda m: macros[m.group(1)], pattern)

    # -- normalising -------------------------------------------------------------------------

    def normalise(self, text: str, locale: str = "en") -> str:
        return self._view(self._folded(text), self._by_locale(locale))

    @staticmethod
    def _folded(text: str) -> str:
        text = fold(text or "").lower()
        return re.sub(r"[\u2018\u2019\u02bc`´]", "'", text)

    def _view(self, text: str, language: Language) -> str:
        if language.contractions:
            # Contractions first, while the apostrophe still tells "he'll" from "hell".
            text = re.sub(r"\b(can)'t\b", r"\1 not", text)
            text = re.sub(r"\bwon't\b", "will not", text)
            text = re.sub(r"n't\b", " not", text)
            text = re.sub(r"'ll\b", " will", text)
            text = re.sub(r"'re\b", " are", text)
            text = re.sub(r"'ve\b", " have", text)
            text = re.sub(r"\bi'm\b", "i am", text)
            text = re.sub(r"'d\b", " would", text)
            text = text.replace("'", "")
        text = _words_only(text)  # elsewhere an apostrophe is a word break: Welsh "mae'n" -> "mae n"
        text = re.sub(r"(\w)\1{2,}", r"\1\1", text)  # "sooo" -> "soo", "pleeease" -> "pleease"
        words = []
        for word in text.split():
            word = language.replacements.get(word, word)
            words.append(word if " " in word or not language.keywords else self._correct(word, language.locale))
        return " " + " ".join(words) + " "

    @lru_cache(maxsize=8192)
    def _correct(self, word: str, locale: str) -> str:
        """A long word one or two edits from a key word becomes that key word."""
        keywords = self._by_locale(locale).keywords
        if len(word) < 6 or word in keywords or not word.isalpha():
            return word
        limit = 1 if len(word) < 9 else 2
        for keyword in keywords:
            if abs(len(keyword) - len(word)) <= limit and _edit_distance(word, keyword, limit) <= limit:
                return keyword
        return word

    # -- assessing ---------------------------------------------------------------------------

    def assess(self, text: str, locale: Optional[str] = None) -> Assessment:
        """The level of danger in one message. Never raises, whatever the input.

        ``locale`` (the language the resident picked) changes nothing: every language's rules
        read every message, because people do not always write in the language they picked."""
        try:
            if not isinstance(text, str) or not text.strip():
                return NONE
            chunks = [text[i:i + MAX_CHARS] for i in range(0, len(text), MAX_CHARS)] or [text]
            return max((self._assess(chunk) for chunk in chunks), key=lambda a: LEVELS.index(a.level))
        except Exception:  # a bug here must never stop a reply; the numbers are the safe side
            return Assessment("concern", None, "error")

    def _assess(self, text: str) -> Assessment:
        folded = self._folded(text)
        best = NONE
        english = ""
        for language in self.languages:
            clean = self._clean(folded, language)
            if language is self.english:
                english = clean
            found = self._rules(clean, language)
            if found.level == "crisis":
                return found
            best = max(best, found, key=lambda a: LEVELS.index(a.level))
        if self.model is None:
            return best
        guess = self._model_says(english)
        if guess.level == "crisis" and any(p.search(english) for p in self.english.past):
            # Soften, never silence, holds for the models too: "he gets chest pains when he
            # walks up hills" is a concern, whatever the words remind them of.
            guess = Assessment("concern", guess.category, guess.rule)
        return max(best, guess, key=lambda a: LEVELS.index(a.level))

    def _model_says(self, clean: str) -> Assessment:
        words = clean.split()
        lexical = any(word in self.danger_words for word in words)
        sure = self.model.probabilities(word_features(clean))
        if lexical and 1.0 - sure.get("none", 0.0) >= self.model_crisis:
            return Assessment("crisis", _top_category(sure), "model")
        known = sum(word in self.model.vocabulary for word in words)
        if not known:
            return NONE  # no word it has ever seen ("blorp fnargle"): nothing to go on
        if known < self.min_known_share * len(words):
            return NONE  # mostly words it never learnt: another language, left to its own rules
        if not lexical and len(words) < self.min_words:
            return NONE  # "goodbye then", "nope not now": too little to go on
        eager = self.reach_model.probabilities(piece_features(clean))
        if 1.0 - eager.get("none", 0.0) >= self.model_concern:
            return Assessment("concern", _top_category(eager), "model")
        return NONE

    def _rules(self, clean: str, language: Language) -> Assessment:
        best = NONE
        past = any(p.search(clean) for p in language.past)
        hedged = any(h.search(clean) for h in language.hedges)
        for rule in language.rules:
            if not rule.pattern.search(clean):
                continue
            level = rule.level
            if level == "crisis" and rule.softenable and (
                    past or (hedged and rule.category in language.hedged_categories)):
                level = "concern"
            if LEVELS.index(level) > LEVELS.index(best.level):
                best = Assessment(level, rule.category, rule.id)
                if level == "crisis":
                    break
        return best
