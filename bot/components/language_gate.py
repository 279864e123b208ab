"""The language gate: a Rasa NLU component that turns a request for another language, in words,
into the intent ``change_language`` with the entity ``locale`` ("po polsku" -> locale "pl"), or
``change_language`` alone for the list of languages ("change language").

It runs after the classifiers, so a request in a language the classifier was never trained on
is still understood, and before the crisis gate, so nothing it decides can hide a crisis. The
recogniser and its table are in language_request.py and language_requests.yml.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.language_request import Table

CHANGE_LANGUAGE = "change_language"
LOCALE_ENTITY = "locale"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
)
class LanguageGate(GraphComponent):
    def __init__(self, table: Table) -> None:
        self.table = table

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageGate":
        # Read when the server starts, not stored in the model: a new name for a language in the
        # table is live on restart, without retraining.
        return cls(Table.load())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._check(message)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data

    def _check(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        request = self.table.recognise(text)
        if request is None:
            return
        intent = {INTENT_NAME_KEY: CHANGE_LANGUAGE, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [intent] + [item for item in message.get(INTENT_RANKING_KEY) or []
                              if item.get(INTENT_NAME_KEY) != CHANGE_LANGUAGE]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if request.locale:
            entity = {
                ENTITY_ATTRIBUTE_TYPE: LOCALE_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: request.locale,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: len(text),
                EXTRACTOR: self.__class__.__name__,
            }
            others = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) != LOCALE_ENTITY]
            message.set(ENTITIES, others + [entity], add_to_output=True)
