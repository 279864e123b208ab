"""A plain-English check for advice: reading age, long sentences and jargon.

Reading age is the Flesch-Kincaid grade plus 5 (a US school grade is about five years below the
reader's age), with syllables counted by a heuristic that is close enough for plain English.
content/README.md asks for a reading age of about 9 and short sentences.

Jargon comes in two kinds. Some words are fine once explained ("reablement" is what the service
is called, so an answer may use it if it says what it is): they are flagged only when the text
does not explain them where they first appear. Wordy phrases ("in order to", "utilise") always
have a plainer alternative, so they are always flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .render import PLACEHOLDER

TARGET_READING_AGE = 9
LONG_SENTENCE = 25  # words

# term pattern -> (the word as staff see it, a plainer alternative)
EXPLAIN_OR_REPLACE = {
    r"domiciliary(?: care)?": ("domiciliary", "care at home, or help at home"),
    r"reablement": ("reablement", "short-term help to get back on your feet (or explain it)"),
    r"respite": ("respite", "a break from caring (or explain it)"),
    r"telecare": ("telecare", "alarms and sensors that get help (or explain it)"),
    r"safeguarding": ("safeguarding", "keeping adults safe from abuse or neglect (or explain it)"),
    r"means[- ]test(?:ed|ing)?": ("means test", "a check of your money (or explain it)"),
    r"deferred payments?": ("deferred payment", "paying later from the value of your home (or explain it)"),
    r"advocacy|advocates?": ("advocate", "someone who helps you say what you want (or explain it)"),
    r"personal budgets?": ("personal budget", "the money for your care (or explain it)"),
    r"statutory": ("statutory", "by law"),
    r"care packages?": ("care package", "your care and support"),
    r"multi-?disciplinary": ("multidisciplinary", "from different teams"),
    r"occupational therap(?:ist|y)": ("occupational therapist",
                                      "someone who helps you do everyday things safely (or explain it)"),
}
ALWAYS_REPLACE = {
    r"in order to": ("in order to", "to"),
    r"utili[sz](?:e|es|ed|ing|ation)": ("utilise", "use"),
    r"facilitat(?:e|es|ed|ing)": ("facilitate", "help, or make possible"),
    r"commenc(?:e|es|ed|ing)": ("commence", "start"),
    r"prior to": ("prior to", "before"),
    r"in receipt of": ("in receipt of", "getting"),
    r"in accordance with": ("in accordance with", "under, or as the rules say"),
    r"ascertain(?:s|ed|ing)?": ("ascertain", "find out"),
    r"endeavou?r(?:s|ed|ing)?": ("endeavour", "try"),
    r"subsequently": ("subsequently", "later, or then"),
    r"service users?": ("service user", "person, or you"),
    r"signpost(?:s|ed|ing)?": ("signpost", "point you to"),
    r"assist(?:s|ed|ing|ance)?": ("assist", "help"),
    r"approximately": ("approximately", "about"),
    r"sufficient": ("sufficient", "enough"),
    r"obtain(?:s|ed|ing)?": ("obtain", "get"),
    r"whilst": ("whilst", "while"),
    r"individuals?": ("individual", "person, or people"),
    r"eligibility criteria": ("eligibility criteria", "who can get help"),
}
# What follows a term when the text explains it: "reablement (short-term help...)",
# "Reablement is ...", "reablement, which ...", "reablement - help ...".
EXPLAINED_AFTER = re.compile(r"\s*(?:\(|,\s*(?:which|that|meaning|or)\b|[-–—:]\s|\s(?:is|are|means|mean)\b)", re.I)
# ... or what comes before it: "help at home, called reablement", "known as respite".
EXPLAINED_BEFORE = re.compile(r"\b(?:called|known as|named)\s+(?:a\s+|an\s+|the\s+)?$", re.I)
# ... or the sentence after it: "This means ...".
EXPLAINED_NEXT = re.compile(r"^(?:this|that|it|which)\s+(?:means|is|are)\b", re.I)

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“(]?[A-Z0-9{])")


@dataclass(frozen=True)
class JargonFinding:
    term: str
    plain: str
    sentence: str


@dataclass(frozen=True)
class Report:
    words: int
    sentences: int
    reading_age: float | None  # None when there are no words to judge
    long_sentences: list[str] = field(default_factory=list)
    jargon: list[JargonFinding] = field(default_factory=list)

    @property
    def reading_age_ok(self) -> bool:
        return self.reading_age is None or self.reading_age <= TARGET_READING_AGE

    @property
    def problems(self) -> int:
        return len(self.long_sentences) + len(self.jargon) + (0 if self.reading_age_ok else 1)


def plain_text(markdown: str) -> str:
    """The words a reader sees, roughly: no Markdown marks, links as their words, and each
    placeholder as one word (a phone number reads as one thing)."""
    text = PLACEHOLDER.sub("number", markdown or "")
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text, flags=re.M)
    return re.sub(r"[*_`]", "", text)


def sentences(markdown: str) -> list[str]:
    """Sentences, counting each paragraph, line and list item as ending one."""
    found = []
    for block in re.split(r"\n+", plain_text(markdown)):
        found += [s.strip() for s in SENTENCE_END.split(block) if WORD.search(s)]
    return found


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e: "care" 1, "assessment" 3, "reablement" 3."""
    word = word.lower().strip("'’-")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def reading_age(words: list[str], sentence_count: int) -> float | None:
    if not words or not sentence_count:
        return None
    grade = 0.39 * len(words) / sentence_count + 11.8 * sum(map(syllables, words)) / len(words) - 15.59
    return round(max(grade, 0) + 5, 1)


def _explained(sentence: str, match: re.Match, following: str) -> bool:
    return bool(EXPLAINED_AFTER.match(sentence, match.end()) or EXPLAINED_BEFORE.search(sentence[:match.start()])
                or EXPLAINED_NEXT.match(following))


def find_jargon(parts: list[str]) -> list[JargonFinding]:
    findings = []
    for table, explainable in ((EXPLAIN_OR_REPLACE, True), (ALWAYS_REPLACE, False)):
        for pattern, (term, plain) in table.items():
            regex = re.compile(rf"\b{pattern}\b", re.I)
            for index, sentence in enumerate(parts):
                match = regex.search(sentence)
                if not match:
                    continue
                following = parts[index + 1] if index + 1 < len(parts) else ""
                # Only the first use matters: once explained, later uses are fine.
                if not (explainable and _explained(sentence, match, following)):
                    findings.append(JargonFinding(term, plain, sentence))
                break
    return findings


def check(markdown: str) -> Report:
    parts = sentences(markdown)
    words = [w for s in parts for w in WORD.findall(s)]
    return Report(
        words=len(words),
        sentences=len(parts),
        reading_age=reading_age(words, len(parts)),
        long_sentences=[s for s in parts if len(WORD.findall(s)) > LONG_SENTENCE],
        jargon=find_jargon(parts),
    )
