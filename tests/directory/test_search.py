"""search_services, what the bot asks the directory, and the plain-English schedules."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from content.directory import ServiceMatch, category_term_ids, resolve_place, search_services
from content.directory.schedules import clock, summary
from content.directory.search import short_description

BACKENDS = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)


def near(session, place: str) -> tuple[float, float]:
    lat, lon, _ = resolve_place(session, place)
    return lat, lon


@BACKENDS
def test_a_category_near_a_place_lists_the_nearest_first_with_what_a_reply_needs(session):
    results = search_services(session, taxonomy_term_ids=category_term_ids(session, "dementia-cafes"),
                              near=near(session, "Thornley St Mary"))
    assert [m.name for m in results] == [
        "Thornley St Mary Memory Cafe", "Castlebridge Memory Cafe", "Millbrook Memory Cafe"]
    distances = [m.distance_m for m in results]
    assert distances == sorted(distances) and distances[0] < 200
    first = results[0]
    assert isinstance(first, ServiceMatch)
    assert first.organization_name == "Wend Valley Dementia Support (fictional)"
    assert first.when == "Every other Friday, 2pm to 4pm"
    assert first.phone.startswith("01632 960 ") and first.email.endswith(".example.org")
    assert first.url.startswith("https://") and "example.org" in first.url
    assert first.where == "Thornley St Mary Community Room, High Street, Thornley St Mary QQ10 1AA"
    assert first.short_description.startswith("A small, quiet memory cafe") and "Fictional" not in first.short_description
    assert first.distance_text == "less than 0.1 miles" and results[-1].distance_text.endswith(" miles")


@BACKENDS
def test_a_parent_category_includes_the_ones_below_it_and_the_limit_holds(session):
    exercise = search_services(session, taxonomy_term_ids=category_term_ids(session, "exercise"),
                               near=near(session, "QQ1 1AA"), limit=None)
    names = {m.name for m in exercise}
    assert {"Riverside Health Walk", "Strength and Balance Classes", "Chair-Based Exercise at the Community Hub",
            "Walk and Talk"} <= names
    assert len(exercise) == 7  # 2 chair-based, 3 walks (one a wellbeing walk), 2 falls prevention
    default = search_services(session, taxonomy_term_ids=category_term_ids(session, "exercise"))
    assert len(default) == 5  # the default limit


@BACKENDS
def test_words_are_matched_in_names_descriptions_organisations_and_categories(session):
    wendford = near(session, "Wendford")
    carers = search_services(session, text="is there a carers group near me", near=wendford)
    assert carers[0].name == "Wendford Carers' Support Group" and carers[0].distance_m < 200
    assert {"Dementia Carers' Support Group", "Carers' Coffee Morning"} <= {m.name for m in carers}
    assert [m.name for m in search_services(session, text="dementia café", near=wendford)][:1] == [
        "Millbrook Memory Cafe"]
    assert search_services(session, text="wheelchairs repairs")[0].name == "Wheelchair Repair and Maintenance"
    assert search_services(session, text="scuba diving lessons") == []


@BACKENDS
def test_within_keeps_only_services_close_enough_and_closed_ones_are_never_offered(session):
    stoke_wend = near(session, "Stoke Wend")
    lunch = category_term_ids(session, "lunch-clubs")
    close = search_services(session, taxonomy_term_ids=lunch, near=stoke_wend, within_m=5000)
    # Stoke Wend's own luncheon club is temporarily closed, so the nearest open one is in Fenby.
    assert [m.name for m in close] == ["Fenby Village Lunch Club"]
    assert all(m.distance_m <= 5000 for m in close)
    assert search_services(session, taxonomy_term_ids=lunch, near=stoke_wend, within_m=100) == []


@BACKENDS
def test_services_without_a_place_come_after_those_with_one(session):
    results = search_services(session, taxonomy_term_ids=category_term_ids(session, "benefits-advice"),
                              near=near(session, "Millbrook"), limit=None)
    placed = [m.distance_m is not None for m in results]
    assert placed == sorted(placed, reverse=True) and not placed[-1]
    assert results[0].name == "Village Money Advice Outreach" and results[0].where.startswith("Millbrook Memorial Hall")
    line = next(m for m in results if m.name == "Pension Credit Check Phone Line")
    assert line.where is None and line.when == "Monday to Friday, 9am to 5pm"


@BACKENDS
def test_without_a_place_the_order_is_alphabetical_and_there_are_no_distances(session):
    results = search_services(session, text="lunch", limit=3)
    assert [m.name for m in results] == sorted(m.name for m in results) and len(results) == 3
    assert all(m.distance_m is None and m.distance_text is None for m in results)
    assert category_term_ids(session, "no-such-category") == []


def rule(**fields):
    base = dict(freq=None, interval=None, byday=None, bymonthday=None, opens_at=None, closes_at=None,
                description=None)
    return SimpleNamespace(**{**base, **fields})


def test_schedules_read_like_a_person_wrote_them():
    assert summary([rule(freq="WEEKLY", byday="TU", opens_at="10:00", closes_at="12:00")]) == "Tuesdays, 10am to midday"
    assert summary([rule(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at="09:00", closes_at="17:00")]) == \
        "Monday to Friday, 9am to 5pm"
    assert summary([rule(freq="WEEKLY", byday="FR,MO,WE", opens_at="10:00", closes_at="15:30")]) == \
        "Mondays, Wednesdays and Fridays, 10am to 3:30pm"
    assert summary([rule(freq="WEEKLY", interval=2, byday="SA", opens_at="10:00")]) == "Every other Saturday, from 10am"
    assert summary([rule(freq="WEEKLY", byday="MO,TU,WE,TH,FR,SA,SU", opens_at="22:00", closes_at="07:00")]) == \
        "Every day, 10pm to 7am"
    assert summary([rule(freq="MONTHLY", byday="1TH", opens_at="14:00", closes_at="16:00")]) == \
        "First Thursday of the month, 2pm to 4pm"
    assert summary([rule(freq="MONTHLY", byday="1TH,3TH", opens_at="12:30", closes_at="14:00")]) == \
        "First and third Thursdays of the month, 12:30pm to 2pm"
    assert summary([rule(freq="MONTHLY", byday="-1MO")]) == "Last Monday of the month"
    assert summary([rule(freq="MONTHLY", bymonthday="1,15")]) == "On the 1st and 15th of each month"
    assert summary([rule(description="By arrangement.")]) == "By arrangement."
    assert summary([rule(freq="WEEKLY", byday="TU", opens_at="10:00", closes_at="12:00"),
                    rule(freq="MONTHLY", byday="2WE", opens_at="18:00", closes_at="20:00")]) == \
        "Tuesdays, 10am to midday; Second Wednesday of the month, 6pm to 8pm"
    assert summary([]) is None and summary([rule()]) is None


def test_times_follow_the_gov_uk_style():
    assert [clock(t) for t in ("09:30", "12:00", "00:00", "13:00", "18:45:00", "noon")] == [
        "9:30am", "midday", "midnight", "1pm", "6:45pm", None]


def test_short_descriptions_lose_the_demo_label_and_stay_short():
    assert short_description("Fictional demo service. A cafe. With cake.") == "A cafe."
    long = short_description("word " * 80)
    assert len(long) <= 161 and long.endswith("…")
    assert short_description(None) == ""
