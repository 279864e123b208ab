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
4. Soften, never silence: a crisis rule in a message that is plainly about the past ("last
   year", "years ago", "used to"), or a hedged report of abuse ("I think her carer hits her"),
   becomes a concern, so the numbers are still shown.

Rules are plain data so a safety fix needs no retraining; the detector is pure Python (standard
library and PyYAML) so the Rasa server and the product's own tests share it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Pattern, Tuple

import yaml

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.yml")
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


class CrisisDetector:
    def __init__(self, patterns_path: Optional[Path] = None) -> None:
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
        clean = self.normalise(text)
        for idiom in self.idioms:
            clean = idiom.sub(" ", clean)
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
