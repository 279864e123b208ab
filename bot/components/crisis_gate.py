"""The crisis gate: a Rasa NLU component that runs after the intent classifiers and before
anything else decides what to do, so a message about immediate danger is always answered as a
crisis whatever the classifier thought.

A clear crisis replaces the intent with ``crisis`` (confidence 1.0). A possible one ("concern")
keeps the intent and adds ``"safety": {"level": "concern", ...}`` to the parse data, so the
answer is given with the crisis numbers alongside it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.crisis import CrisisDetector

CRISIS_INTENT = "crisis"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGate(GraphComponent):
    def __init__(self, detector: CrisisDetector) -> None:
        self.detector = detector

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGate":
        # The patterns are read when the server starts, not stored in the model, so a safety
        # fix to the patterns never waits for retraining.
        return cls(CrisisDetector())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._check(message)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data

    def _check(self, message: Message) -> None:
        metadata = message.get("metadata") or {}
        locale: Optional[str] = metadata.get("locale") if isinstance(metadata, dict) else None
        assessment = self.detector.assess(message.get(TEXT) or "", locale)
        if assessment.level == "none":
            return
        safety = {"level": assessment.level, "category": assessment.category, "rule": assessment.rule}
        message.set("safety", safety, add_to_output=True)
        if assessment.level == "crisis":
            intent = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [intent] + [
                item for item in message.get(INTENT_RANKING_KEY) or [] if item.get(INTENT_NAME_KEY) != CRISIS_INTENT
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
