"""Understanding residents in every locale: the training data in bot/data/nlu/<locale>/, the
held-out sets in tests/nlu/heldout_<locale>.yml, and the trained model's accuracy on each.

The held-out sets are written apart from the training data and must never overlap it: a held-out
line that is also a training line (after the normalising below) measures memory, not
understanding. (The English held-out sets go with the English data: `make bench` counts how many
of their lines are also training lines.)
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NLU = ROOT / "bot" / "data" / "nlu"
HELDOUT = ROOT / "tests" / "nlu"
MODEL = ROOT / "models" / "frontdoor.tar.gz"
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
LOCALES = ["cy", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu"]

TOPICS = ["needs_assessment", "carers_assessment", "carers_support", "financial_assessment",
          "direct_payments", "equipment", "home_adaptations", "telecare", "reablement",
          "hospital_discharge", "respite", "care_homes", "safeguarding", "contact_us"]
CONVERSATION = ["greet", "thank", "goodbye", "help", "bot_challenge", "human_handoff", "out_of_scope",
                "affirm", "deny", "request_referral", "find_service", "stop"]
# Sent by buttons, set by the crisis gate, or by the table of ways to ask for a language: never
# the classifier's to learn.
NOT_TYPED = {"choose", "crisis", "change_language"}

# Intent accuracy on each held-out set (fallbacks undone, as `rasa test nlu` counts it) that the
# trained model must keep. Each floor is set a few points under what was measured for the model
# trained from bot/config.yml (logistic regression, character 3- to 5-grams) with every locale's
# data, on 23 November 2026 (the measured figure is in the comment): about 5 points, 6 or 7 of a
# locale's 132 held-out lines, and 3.5 points for English's 481, so a small change to the English
# data or the pipeline passes and a real loss of understanding in any language fails. Raise a
# floor when the data gets better; never lower one without saying why.
FLOORS = {
    "en": 0.94,  # measured 97.7%
    "cy": 0.86,  # measured 90.9%
    "pl": 0.79,  # measured 84.1% (72.0% before 300 more varied Polish lines)
    "ro": 0.78,  # measured 82.6%
    "pa": 0.81,  # measured 86.4%
    "ur": 0.76,  # measured 81.1%
    "pt": 0.82,  # measured 87.1%
    "es": 0.80,  # measured 84.8%
    "ar": 0.77,  # measured 81.8% (73.5% before 300 more varied Arabic lines)
    "bn": 0.81,  # measured 86.4%
    "gu": 0.76,  # measured 81.1%
}


def examples(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: dict[str, list[str]] = defaultdict(list)
    for block in data.get("nlu") or []:
        if "intent" in block:
            found[block["intent"]] += [line[2:].strip() for line in str(block["examples"]).splitlines()
                                       if line.startswith("- ")]
    return found


def merged(paths) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for intent, lines in examples(path).items():
            found[intent] += lines
    return found


ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ی", "ي": "ی", "ك": "ک",
                                "ة": "ہ", "ه": "ہ", "ۀ": "ہ", "ـ": None})


def normalise(text: str) -> str:
    """The same line however it is typed: case, punctuation, spacing, Latin accents and the
    Arabic-script letters people type interchangeably (hamza seats, ta marbuta, yeh, kaf, heh)."""
    text = unicodedata.normalize("NFD", text.casefold())
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn" and kept and ord(kept[-1]) < 0x250:  # an accent on a Latin letter
            continue
        if category == "Mn" and "\u064b" <= char <= "\u065f":  # Arabic vowel marks
            continue
        kept.append(" " if category[0] in "PSZ" else char)
    text = unicodedata.normalize("NFC", "".join(kept)).translate(ARABIC_LETTERS)
    return re.sub(r"\s+", " ", text).strip()


def locale_training(locale: str) -> dict[str, list[str]]:
    return merged(sorted((NLU / locale).glob("*.yml")))


def all_training() -> dict[str, list[tuple[str, str]]]:
    """Every training line (normalised) with its intent and where it comes from."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted(NLU.rglob("*.yml")):
        for intent, lines in examples(path).items():
            for line in lines:
                found[normalise(line)].append((intent, str(path.relative_to(ROOT))))
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_is_trained_on_every_intent_residents_type(locale):
    training = locale_training(locale)
    assert training, f"no training data in bot/data/nlu/{locale}/"
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    assert set(training) <= set(domain["intents"]) - NOT_TYPED
    short = {intent: len(training.get(intent, [])) for intent in TOPICS if len(training.get(intent, [])) < 12}
    short |= {intent: len(training.get(intent, [])) for intent in CONVERSATION if len(training.get(intent, [])) < 6}
    assert not short, f"{locale}: too few training examples (12 per topic, 6 per other intent): {short}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_a_heldout_set(locale):
    heldout = examples(HELDOUT / f"heldout_{locale}.yml")
    short = {intent: len(heldout.get(intent, [])) for intent in TOPICS if len(heldout.get(intent, [])) < 5}
    short |= {intent: len(heldout.get(intent, [])) for intent in CONVERSATION if len(heldout.get(intent, [])) < 3}
    assert not short, f"{locale}: too few held-out examples (5 per topic, 3 per other intent): {short}"
    assert set(heldout) <= set(TOPICS) | set(CONVERSATION)


@pytest.mark.parametrize("name", sorted(p.stem for p in HELDOUT.glob("heldout_*.yml")))
def test_no_heldout_line_is_a_training_line(name):
    # English's sets too: a held-out line that is also a training line flatters the accuracy.
    training = all_training()
    heldout = examples(HELDOUT / f"{name}.yml")
    overlap = [f"{intent}: {line}  (in {training[normalise(line)][0][1]})"
               for intent, lines in heldout.items() for line in lines if normalise(line) in training]
    assert not overlap, "held-out lines also in the training data:\n" + "\n".join(overlap)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_heldout_line_is_there_twice(locale):
    lines = [normalise(line) for group in examples(HELDOUT / f"heldout_{locale}.yml").values() for line in group]
    assert not [line for line, count in Counter(lines).items() if count > 1]


def test_no_locale_training_line_is_there_twice_or_under_two_intents():
    repeated = [f"{line}: {places}" for line, places in all_training().items()
                if len(places) > 1 and any(f"/nlu/{locale}/" in place for _, place in places for locale in LOCALES)]
    assert not repeated, "training lines given more than once:\n" + "\n".join(repeated)


@pytest.fixture(scope="module")
def heldout_results(tmp_path_factory) -> dict:
    """The trained model's results on every held-out set (tests/bench/nlu_eval.py, one model load)."""
    out = tmp_path_factory.mktemp("nlu") / "results.json"
    files = [HELDOUT / f"heldout_{locale}.yml" for locale in FLOORS]
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([str(RASA_PYTHON), str(ROOT / "tests" / "bench" / "nlu_eval.py"), "--model", str(MODEL),
                             "--out", str(out), *map(str, files)],
                            cwd=ROOT / "bot", env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("locale", list(FLOORS))
def test_the_model_keeps_each_locales_accuracy_floor(heldout_results, locale):
    result = heldout_results[f"heldout_{locale}"]
    wrong = "\n".join(f"  {e['intent']} -> {e['classifier']}: {e['text']}" for e in result["errors"]
                      if e["classifier"] != e["intent"])
    assert result["accuracy"] >= FLOORS[locale], (
        f"{locale}: held-out accuracy {result['accuracy']:.1%} is under its floor {FLOORS[locale]:.0%}:\n{wrong}")
