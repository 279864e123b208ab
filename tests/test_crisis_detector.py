"""Crisis detection against the corpora in tests/data/crisis.

Missing a crisis is the worst failure Front Door can have, so every crisis line must be caught;
carers' stress and everyday questions must not be mistaken for one (a "concern", which shows
the numbers alongside the answer, is allowed for them).
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from components.crisis import Assessment, CrisisDetector
from tests.test_nlu_locales import merged

DATA = Path(__file__).resolve().parent.parent / "bot" / "components" / "crisis_corpus"
detector = CrisisDetector()


def lines(name: str) -> list[str]:
    return [line.strip() for line in (DATA / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


CRISIS = [tuple(line.split("|", 1)) for line in lines("en_crisis.txt")]
CONCERN = lines("en_concern.txt")
ORDINARY = lines("en_ordinary.txt")


def test_the_corpora_are_big_enough_to_mean_something():
    assert len(CRISIS) >= 80 and len(ORDINARY) >= 300 and len(CONCERN) >= 30


def test_every_crisis_message_is_caught():
    missed = [f"{category}|{text}" for category, text in CRISIS if detector.assess(text).level != "crisis"]
    assert not missed, "missed crises:\n" + "\n".join(missed)


def test_crisis_messages_get_the_right_kind_of_help():
    # The reply's second line depends on the category: a suicide line must not get the
    # "call 999, someone has collapsed" line, nor the other way round.
    wrong = []
    for category, text in CRISIS:
        found = detector.assess(text).category
        if category in ("suicide", "self_harm") and found not in ("suicide", "self_harm", "medical"):
            wrong.append(f"{category}->{found}|{text}")
        if category == "medical" and found not in ("medical", "suicide", "self_harm"):
            wrong.append(f"{category}->{found}|{text}")
    assert not wrong, "\n".join(wrong)


def test_borderline_messages_at_least_show_the_numbers():
    silent = [text for text in CONCERN if detector.assess(text).level == "none"]
    assert not silent, "these should show the crisis numbers:\n" + "\n".join(silent)


def test_ordinary_messages_are_never_a_crisis():
    false_alarms = [f"{a.rule}|{text}" for text in ORDINARY if (a := detector.assess(text)).level == "crisis"]
    assert not false_alarms, "ordinary messages taken for a crisis:\n" + "\n".join(false_alarms)


@pytest.mark.parametrize("text", ["", " ", "a" * 10_000, "😢😢😢", "أريد أن أموت", "میں ٹھیک نہیں ہوں",
                                  "\x00\x01", "'''", "ŵŷ", None, 42])
def test_any_input_is_assessed_without_raising(text):
    assert detector.assess(text).level in ("none", "concern", "crisis")


def test_a_crisis_deep_in_a_long_message_is_still_caught():
    text = "I have a question about my care plan. " * 200 + "I want to kill myself."
    assert detector.assess(text).level == "crisis"


def test_the_assessment_never_carries_the_users_words():
    result = detector.assess("my husband is beating me")
    assert result == Assessment("crisis", "abuse", result.rule)
    assert "beating" not in str(result) and result.rule.startswith("en.")


def test_misspelt_words_are_corrected_only_when_they_are_close():
    assert detector.normalise("im feeling sucidal tonite") == " i am feeling suicidal tonight "
    assert detector.normalise("he is unconcious") == " he is unconscious "
    assert "suicidal" not in detector.normalise("special")


HELDOUT = Path(__file__).parent / "data" / "crisis"
# (share of crises shown the numbers, share given the crisis reply, most ordinary messages taken
# for a crisis). Each set was measured once before anyone fixed what it found (heldout3: 95.5%,
# 72.3% and 4.4%; heldout4: 89.0%, 78.0% and 1.1%); the rule families written from those misses
# raised them to heldout3 100%, 93.1% and 0.3%, heldout4 100%, 100% and 0%. Sets fixed from are
# no longer blind, so their floors only stop the detector getting worse; a fresh set is the next
# honest measure.
FLOORS = {"heldout2": (0.85, 0.60, 0.03), "heldout3": (0.97, 0.90, 0.02), "heldout4": (0.97, 0.95, 0.02)}


def test_every_held_out_set_has_floors():
    assert sorted(p.name for p in HELDOUT.glob("heldout*")) == sorted(FLOORS)


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_on_messages_nobody_tuned_on_most_crises_still_get_the_numbers(folder):
    # Held-out sets measure how the detector does on wordings it has never seen. These floors
    # stop a change from quietly making it worse; `make bench` prints the full picture.
    shown_floor, crisis_floor, false_ceiling = FLOORS[folder]
    crises = [line.split("|", 1)[1] for line in (HELDOUT / folder / "en_crisis.txt").read_text().splitlines()
              if line.strip()]
    ordinary = [line for line in (HELDOUT / folder / "en_ordinary.txt").read_text().splitlines() if line.strip()]
    levels = [detector.assess(text).level for text in crises]
    shown = sum(level != "none" for level in levels) / len(crises)
    false_alarms = sum(detector.assess(text).level == "crisis" for text in ordinary) / len(ordinary)
    assert shown >= shown_floor, f"only {shown:.0%} of unseen crises were shown the numbers"
    assert levels.count("crisis") / len(crises) >= crisis_floor, f"only {levels.count('crisis') / len(crises):.0%} were a crisis"
    assert false_alarms <= false_ceiling, f"{false_alarms:.1%} of unseen ordinary messages were taken for a crisis"


@pytest.mark.parametrize("text", ["goodbye then", "nope not now", "sure thing",
                                  "ok see ya", "blorp fnargle"])
def test_short_everyday_replies_do_not_raise_the_alarm(text):
    assert detector.assess(text).level == "none"


def test_a_vague_decision_shows_the_numbers_at_most_never_a_crisis():
    assert detector.assess("i've decided not to go ahead").level in ("none", "concern")


def nlu_questions() -> list[tuple[str, str]]:
    """Every training and held-out NLU example in every locale, with its intent."""
    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "bot" / "data" / "nlu").rglob("*.yml")) + sorted((root / "tests" / "nlu").glob("*.yml"))
    return [(intent, text) for intent, lines in merged(paths).items() for text in lines]


def test_no_everyday_question_the_assistant_learns_from_gets_the_crisis_reply():
    # These are the questions residents ask about care ("living made easy website", "dad can't
    # get up from his chair"); a crisis reply to one hides the answer. Safeguarding examples
    # describe abuse, where the crisis reply with the safeguarding number can be right.
    questions = nlu_questions()
    assert len(questions) > 5000
    alarmed = [f"{intent}: {text}" for intent, text in questions
               if intent != "safeguarding" and detector.assess(text).level == "crisis"]
    assert not alarmed, "\n".join(alarmed)
