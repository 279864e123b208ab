"""Crisis detection: is this message about immediate danger to someone's life or safety?

Every message is checked before anything else acts on it (see crisis_gate.py). The result has
three levels:

- ``crisis``: suicidal thoughts or intent, self-harm, a medical emergency, danger or abuse
  happening now. The bot answers with 999 first and the other emergency numbers.
- ``concern``: it might be (low mood, "I can't cope anymore", a fall this morning, a hedged
  worry about abuse). The bot answers the question and shows the numbers above the answer.
- ``none``.

How it works, and why:

1. Normalise: lower case, straight apostrophes, contractions and SMS spellings expanded
   ("im gonna kms" -> "i am going to kill myself"), repeated letters squeezed, and long key
   words corrected by edit distance ("sucidal", "unconcious", "breathin"). People in crisis
   type fast, on small phones, and do not proofread.
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
   becomes a concern, so the numbers are still shown.

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

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.yml")
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


class CrisisDetector:
    def __init__(self, patterns_path: Optional[Path] = None, corpus_dir: Path = CORPUS_DIR) -> None:
        data = yaml.safe_load(Path(patterns_path or PATTERNS_FILE).read_text(encoding="utf-8"))
        self.replacements: Dict[str, str] = {str(k): str(v) for k, v in data["replacements"].items()}
        self.keywords: Tuple[str, ...] = tuple(data["keywords"])
        macros = {name: f"(?:{value})" for name, value in data["macros"].items()}
        self.idioms = [re.compile(self._expand(p, macros)) for p in data["idioms"]]
        self.past = [re.compile(self._expand(p, macros)) for p in data["past"]]
        self.hedges = [re.compile(self._expand(p, macros)) for p in data["hedges"]]
        self.hedged_categories = frozenset(data["hedged_categories"])
        self.rules: List[Rule] = []
        for locale, rules in data["rules"].items():
            for item in rules:
                self.rules.append(Rule(
                    id=f"{locale}.{item['id']}",
                    level=item["level"],
                    category=item.get("category"),
                    pattern=re.compile(self._expand(item["pattern"], macros)),
                    softenable=item.get("softenable", True),
                ))
        self._known = set(self.keywords)
        model = data.get("model") or {}
        self.model_crisis = float(model.get("crisis_at", 0.7))
        self.model_concern = float(model.get("concern_at", 0.3))
        self.min_words = int(model.get("min_words", 5))
        self.danger_words = frozenset(model.get("danger_words") or ())
        examples = self._examples(corpus_dir)
        self.model = NaiveBayes([(label, word_features(c)) for label, c in examples]) if examples else None
        self.reach_model = NaiveBayes([(label, piece_features(c)) for label, c in examples]) if examples else None

    def _examples(self, corpus_dir: Path) -> List[Tuple[str, str]]:
        """(label, cleaned text) for every line the models learn from."""
        examples = []
        for path in sorted(corpus_dir.glob("*_crisis.txt")):
            for line in corpus_lines(path):
                category, _, text = line.partition("|")
                examples.append((category, self.clean(text)))
        ordinary = [t for p in sorted(corpus_dir.glob("*_ordinary.txt")) for t in corpus_lines(p)]
        return examples + [("none", self.clean(text)) for text in ordinary + nlu_examples()]

    def clean(self, text: str) -> str:
        clean = self.normalise(text)
        for idiom in self.idioms:
            clean = idiom.sub(" ", clean)
        return clean

    @staticmethod
    def _expand(pattern: str, macros: Dict[str, str]) -> str:
        return re.sub(r"\{([A-Z_]+)\}", lambda m: macros[m.group(1)], pattern)

    # -- normalising -------------------------------------------------------------------------

    def normalise(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text or "").lower()
        text = re.sub(r"[\u2018\u2019\u02bc`´]", "'", text)
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
        text = re.sub(r"[^\w\s]|_", " ", text)  # punctuation becomes a word break
        text = re.sub(r"(\w)\1{2,}", r"\1\1", text)  # "sooo" -> "soo", "pleeease" -> "pleease"
        words = []
        for word in text.split():
            word = self.replacements.get(word, word)
            words.append(word if " " in word else self._correct(word))
        return " " + " ".join(words) + " "

    @lru_cache(maxsize=4096)
    def _correct(self, word: str) -> str:
        """A long word one or two edits from a key word becomes that key word."""
        if len(word) < 6 or word in self._known or not word.isalpha():
            return word
        limit = 1 if len(word) < 9 else 2
        for keyword in self.keywords:
            if abs(len(keyword) - len(word)) <= limit and _edit_distance(word, keyword, limit) <= limit:
                return keyword
        return word

    # -- assessing ---------------------------------------------------------------------------

    def assess(self, text: str, locale: Optional[str] = None) -> Assessment:
        """The level of danger in one message. Never raises, whatever the input."""
        try:
            if not isinstance(text, str) or not text.strip():
                return NONE
            chunks = [text[i:i + MAX_CHARS] for i in range(0, len(text), MAX_CHARS)] or [text]
            return max((self._assess(chunk) for chunk in chunks), key=lambda a: LEVELS.index(a.level))
        except Exception:  # a bug here must never stop a reply; the numbers are the safe side
            return Assessment("concern", None, "error")

    def _assess(self, text: str) -> Assessment:
        clean = self.clean(text)
        best = self._rules(clean)
        if best.level == "crisis" or self.model is None:
            return best
        return max(best, self._model_says(clean), key=lambda a: LEVELS.index(a.level))

    def _model_says(self, clean: str) -> Assessment:
        words = clean.split()
        lexical = any(word in self.danger_words for word in words)
        sure = self.model.probabilities(word_features(clean))
        if lexical and 1.0 - sure.get("none", 0.0) >= self.model_crisis:
            return Assessment("crisis", _top_category(sure), "model")
        if not any(word in self.model.vocabulary for word in words):
            return NONE  # no word it has ever seen ("blorp fnargle"): nothing to go on
        if not lexical and len(words) < self.min_words:
            return NONE  # "goodbye then", "nope not now": too little to go on
        eager = self.reach_model.probabilities(piece_features(clean))
        if 1.0 - eager.get("none", 0.0) >= self.model_concern:
            return Assessment("concern", _top_category(eager), "model")
        return NONE

    def _rules(self, clean: str) -> Assessment:
        best = NONE
        past = any(p.search(clean) for p in self.past)
        hedged = any(h.search(clean) for h in self.hedges)
        for rule in self.rules:
            if not rule.pattern.search(clean):
                continue
            level = rule.level
            if level == "crisis" and rule.softenable and (
                    past or (hedged and rule.category in self.hedged_categories)):
                level = "concern"
            if LEVELS.index(level) > LEVELS.index(best.level):
                best = Assessment(level, rule.category, rule.id)
                if level == "crisis":
                    break
        return best
