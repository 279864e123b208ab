"""Held-out NLU evaluation of one trained model on many held-out files, loading the model once.

Runs in the Rasa environment (it imports Rasa), from the repository root or anywhere:

    .venv/rasa/bin/python tests/bench/nlu_eval.py --model models/frontdoor.tar.gz \\
        --out results.json tests/nlu/heldout_*.yml

For each file it reports, in the JSON written to --out:

- ``accuracy``, ``weighted_f1``, ``report`` (per intent): the intent with the fallback undone,
  exactly as ``rasa test nlu`` measures it (the same numbers, one model load for every file).
- ``understood``: the share answered with the right intent in production, where a fallback
  ("not understood") counts as wrong.
- ``fallbacks``: how many lines production would not have understood.
- ``errors``: every line whose intent was wrong, with what the classifier chose.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(ROOT / "bot"))  # the pipeline's own components
sys.path.insert(0, str(ROOT))

FALLBACK = "nlu_fallback"


def classifier_choice(result: dict) -> str | None:
    """The intent with the fallback undone, as ``rasa test nlu`` does it (rasa.nlu.test).

    Note that where only the unknown-words gate said "not understood" (the fallback is not in the
    ranking), this is the ranking's second intent, as in ``rasa test nlu``."""
    from rasa.nlu.classifiers import fallback_classifier

    if fallback_classifier.is_fallback_classifier_prediction(result):
        result = fallback_classifier.undo_fallback_prediction(result)
    return (result.get("intent") or {}).get("name")


def metrics(targets: list[str], predictions: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, classification_report

    report = classification_report(targets, predictions, output_dict=True, zero_division=0)
    return {"accuracy": accuracy_score(targets, predictions),
            "weighted_f1": report["weighted avg"]["f1-score"], "report": report}


async def evaluate(model: Path, files: list[Path]) -> dict:
    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    results = {}
    for path in files:
        examples = [e for e in load_data(str(path)).nlu_examples if e.get("intent")]
        targets, chosen, produced, errors = [], [], [], []
        for example in examples:
            text, intent = example.get("text"), example.get("intent")
            result = await agent.processor.parse_message(UserMessage(text=text), tracker=None,
                                                         only_output_properties=False)
            choice = classifier_choice(result) or FALLBACK
            final = (result.get("intent") or {}).get("name") or FALLBACK
            targets.append(intent)
            chosen.append(choice)
            produced.append(final)
            if choice != intent or final != intent:
                errors.append({"text": text, "intent": intent, "classifier": choice, "production": final,
                               "confidence": round(float((result.get("intent") or {}).get("confidence") or 0), 3)})
        summary = metrics(targets, chosen)
        summary.update(n=len(targets), fallbacks=sum(p == FALLBACK for p in produced),
                       understood=sum(p == t for p, t in zip(produced, targets)) / max(len(targets), 1),
                       errors=errors)
        results[path.stem] = summary
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import structlog  # Rasa logs every parse at debug level

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    results = asyncio.run(evaluate(args.model.resolve(), [f.resolve() for f in args.files]))
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
