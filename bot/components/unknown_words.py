"""The unknown-words gate: a message made almost entirely of words the assistant has never seen
("zxqv plmokn", a mistyped password, another language with no training data) is "not
understood", however confident the classifier is. DIET's confidence on such input is often
high and meaningless; the share of known words is a plain, reliable signal.

It learns the vocabulary of the NLU training data when the model is trained. A word one typing
slip away from a known word ("hii", "thanx", "helo") counts as known: people on phones mistype,
and gibberish is rarely one slip from a real word.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# Letters, and the combining marks that are part of a word (Gurmukhi, Bengali and Gujarati vowel
# signs, Arabic harakat, Latin accents typed as marks): without them "ਮੈਨੂੰ" would split in pieces.
WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u064b-\u065f\u0670\u0900-\u0dff])+")
FALLBACK_INTENT = "nlu_fallback"


def words(text: str, pattern: "re.Pattern[str]" = WORD) -> List[str]:
    return [w.lower() for w in pattern.findall(text or "")]


def deletions(word: str) -> Set[str]:
    """The word and every way of dropping one letter: two words within one insertion, deletion or
    substitution of each other share at least one of these (the symmetric-delete trick)."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def one_slip(a: str, b: str) -> bool:
    """True when a and b differ by one inserted, dropped, changed or swapped letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    rest_a, rest_b = a[i:], b[i:]
    return (rest_a[1:] == rest_b[1:] or rest_a[1:] == rest_b or rest_a == rest_b[1:]
            or (len(rest_a) >= 2 and rest_a[:2] == rest_b[1::-1] and rest_a[2:] == rest_b[2:]))


def slip_index(vocabulary: Set[str]) -> Dict[str, Set[str]]:
    """Each one-letter deletion of a known word (of three letters or more) -> those words."""
    index: Dict[str, Set[str]] = {}
    for word in vocabulary:
        if len(word) >= 3:
            for variant in deletions(word):
                index.setdefault(variant, set()).add(word)
    return index


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGate(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Below this share of known words, the message is not understood. The word pattern is
        # configuration so that changing it retrains the vocabulary (Rasa caches by config).
        return {"min_known_share": 0.3, "word_pattern": WORD.pattern}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[Set[str]] = None) -> None:
        self.min_known_share = float(config["min_known_share"])
        self.word = re.compile(config["word_pattern"])
        self.model_storage, self.resource = model_storage, resource
        self.vocabulary = vocabulary or set()
        self.near = slip_index(self.vocabulary)

    def known(self, word: str) -> bool:
        if word in self.vocabulary:
            return True
        if len(word) < 2:
            return False
        return any(one_slip(word, candidate)
                   for variant in deletions(word) for candidate in self.near.get(variant, ()))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnknownWordsGate":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnknownWordsGate":
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / "vocabulary.json").read_text(encoding="utf-8")))
        except ValueError:  # not trained yet
            vocabulary = set()
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = {w for message in training_data.training_examples for w in words(message.get(TEXT), self.word)}
        with self.model_storage.write_to(self.resource) as directory:
            (directory / "vocabulary.json").write_text(json.dumps(sorted(vocabulary)), encoding="utf-8")
        return self.resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = words(text, self.word)
            if not self.vocabulary or not found or text.startswith("/"):
                continue
            share = sum(self.known(w) for w in found) / len(found)
            if share < self.min_known_share:
                message.set(INTENT, {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0 - share},
                            add_to_output=True)
        return messages
