"""Signposting actions on a real content store holding the demo directory."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.signpost import ActionFindServices, ValidateServiceSearchForm, category_in
from content import db
from content.directory.demo import load_demo_if_empty
from tests.catalogs import compile_messages


@pytest.fixture
def directory_db(content_db):
    with db.session_scope() as session:
        load_demo_if_empty(session, fictional=True)
    return content_db


def tracker(text, slots=None, requested=None, locale=None):
    metadata = {"locale": locale} if locale else {}
    latest = {"intent": {"name": "find_service", "confidence": 0.95}, "text": text, "metadata": metadata,
              "entities": []}
    slots = dict(slots or {}, requested_slot=requested)
    return Tracker("t", slots, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None,
                   {"name": "service_search_form"}, "action_listen")


def run(action, track):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, {"forms": {"service_search_form": {
        "required_slots": ["service_category", "service_location"]}}}))
    return dispatcher.messages, events


@pytest.mark.parametrize("text, code", [
    ("is there a carers group near me", "carers-support"),
    ("dementia cafe in Wendford", "dementia-cafes"),
    ("any lunch clubs round here", "lunch-clubs"),
    ("my mum is lonely, is there a befriending service", "befriending"),
    ("somewhere to get a wheelchair fixed", "wheelchair-repair"),
    ("where is my nearest library", None),
])
def test_the_kind_of_service_is_read_from_the_question(text, code):
    assert category_in(text) == code


def test_a_request_that_says_what_and_where_needs_no_questions(directory_db):
    _, events = run(ValidateServiceSearchForm(), tracker("dementia cafe in Wendford"))
    found = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert found["service_category"] == "dementia-cafes" and found["service_location"]["label"] == "Wendford"


def test_the_nearest_services_are_listed_with_distance_times_and_contact(directory_db):
    wendford = {"lat": 52.9432, "lon": -0.8958, "label": "Wendford"}
    messages, events = run(ActionFindServices(), tracker("", {"service_category": "dementia-cafes",
                                                              "service_location": wendford}))
    custom = next(m["custom"] for m in messages if m.get("custom"))
    texts = [m["text"] for m in messages if m.get("text")]
    assert custom["kind"] == "signpost" and custom["services"] and custom["place"] == "Wendford"
    assert texts[0] == "Dementia cafes near Wendford:"
    distances = [float(t.split("(")[1].split(" ")[0]) for t in texts[1:] if " miles)" in t.split("\n")[0]]
    assert distances == sorted(distances), "nearest first"
    assert any("Memory Cafe" in t for t in texts[1:]) and any("When:" in t for t in texts[1:])
    assert SlotSet("service_category", None) in events


def test_a_search_in_polish_says_when_each_service_runs_in_polish(directory_db):
    compile_messages()
    wendford = {"lat": 52.9432, "lon": -0.8958, "label": "Wendford"}
    messages, _ = run(ActionFindServices(), tracker("", {"service_category": "dementia-cafes",
                                                         "service_location": wendford}, locale="pl"))
    texts = [m["text"] for m in messages if m.get("text")]
    assert texts[0] == "Kawiarenki dla osób z demencją w pobliżu: Wendford"
    when = {t.split("\n")[0]: next(line for line in t.split("\n") if line.startswith("Kiedy: ")) for t in texts[1:]}
    assert when == {
        "**Millbrook Memory Cafe** (2,4 mili)": "Kiedy: 3. wtorek miesiąca, 10:30–12:30",
        "**Castlebridge Memory Cafe** (3,0 mili)": "Kiedy: 1. czwartek miesiąca, 14:00–16:00",
        "**Thornley St Mary Memory Cafe** (9,0 mili)": "Kiedy: Piątek co dwa tygodnie, 14:00–16:00",
    }


def test_nothing_near_gives_a_clear_answer_and_a_phone_number(directory_db):
    far_away = {"lat": 55.9533, "lon": -3.1883, "label": "Edinburgh"}
    messages, _ = run(ActionFindServices(), tracker("", {"service_category": "lunch-clubs",
                                                          "service_location": far_away}))
    text = "\n".join(m["text"] for m in messages if m.get("text"))
    assert "I could not find anything for Lunch clubs within 10 miles of Edinburgh." in text
    assert "01632 960 000" in text
