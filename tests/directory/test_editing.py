"""Editing the directory by hand (content/directory/editing.py, and the times the admin's forms
read): phone numbers, postcodes, schedules, categories and removing a service."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from admin.directory_forms import parse_time
from content.directory import editing, schedules
from content.directory.models import Attribute, Contact, Location, Schedule, Service
from content.directory.search import category_term_ids

COFFEE_MORNING = "606f7065-3c22-5c7e-9fe6-911dcbdf2fc0"


def test_phone_numbers_must_be_uk_ones_and_drama_numbers_only_for_a_fictional_council():
    assert editing.uk_phone("0161 496 0000") == editing.PhoneNumber("0161 496 0000", None)
    assert editing.uk_phone("+44 20 7946 0000 ext. 123") == editing.PhoneNumber("020 7946 0000", "123")
    assert editing.uk_phone("07700900982") is None  # Ofcom's drama range: nobody's number
    assert editing.uk_phone("07700900982", allow_drama=True) == editing.PhoneNumber("07700 900982", None)
    assert editing.uk_phone("01632 960 301", allow_drama=True).number == "01632 960301"
    for bad in ("+33 1 23 45 67 89", "12345", "999", "call us", ""):
        assert editing.uk_phone(bad, allow_drama=True) is None, bad


def test_a_place_is_put_on_the_map_only_by_a_postcode_in_the_table(session):
    point = editing.postcode_point(session, "qq6 1aa")
    assert point.postcode == "QQ6 1AA" and point.latitude == pytest.approx(52.9, abs=0.2)
    # The bot guesses from the sector for a postcode it lacks; a place's own position must not.
    assert editing.postcode_point(session, "QQ6 1ZZ") is None
    assert editing.postcode_point(session, "not a postcode") is None


@pytest.mark.parametrize("frequency, days, weeks, expected, words", [
    ("weekly", ["TH", "TU"], [], ("WEEKLY", 1, "TU,TH"), "Tuesdays and Thursdays, 10am to midday"),
    ("fortnightly", ["SA"], [], ("WEEKLY", 2, "SA"), "Every other Saturday, 10am to midday"),
    ("monthly", ["TH"], [3, 1], ("MONTHLY", 1, "1TH,3TH"), "First and third Thursdays of the month, 10am to midday"),
    ("monthly", ["MO"], [-1], ("MONTHLY", 1, "-1MO"), "Last Monday of the month, 10am to midday"),
])
def test_the_schedule_form_becomes_an_icalendar_rule_and_back(frequency, days, weeks, expected, words):
    details = editing.schedule_details(frequency, days, weeks, "10:00", "12:00", None)
    assert (details.freq, details.interval, details.byday) == expected
    schedule = Schedule(freq=details.freq, interval=details.interval, byday=details.byday, opens_at="10:00",
                        closes_at="12:00")
    assert schedules.describe(schedule) == words
    choices = editing.schedule_choices(schedule)
    assert (choices["frequency"], choices["days"], sorted(choices["weeks"])) == (frequency, sorted(
        days, key=editing.WEEKDAYS.index), sorted(weeks))


def test_a_schedule_in_words_only_is_said_as_written():
    details = editing.schedule_details("other", ["MO"], [], None, None, "By appointment, Monday to Friday")
    assert (details.freq, details.byday) == (None, None)
    assert schedules.describe(Schedule(**details.__dict__)) == "By appointment, Monday to Friday"


def test_times_are_read_the_way_people_write_them():
    assert [parse_time(t) for t in ("10", "9:30", "09.30", "2pm", "2:30 PM", "12am", "12pm", "midday", "23:59")] == [
        "10:00", "09:30", "09:30", "14:00", "14:30", "00:00", "12:00", "12:00", "23:59"]
    assert [parse_time(t) for t in ("24:00", "13pm", "9:60", "half ten", "")] == [None] * 5


def test_categories_are_set_exactly_and_unknown_terms_refused(session):
    service = session.get(Service, COFFEE_MORNING)
    before = service.last_modified
    lunch, dementia = category_term_ids(session, "lunch-clubs")[0], category_term_ids(session, "dementia")[0]
    kept = sorted(editing.category_ids(session, COFFEE_MORNING))[0]
    added, removed = editing.set_categories(session, service, [kept, lunch, dementia])
    assert added == {lunch, dementia} and kept not in removed
    assert editing.category_ids(session, COFFEE_MORNING) == {kept, lunch, dementia}
    assert service.last_modified.replace(tzinfo=None) > before.replace(tzinfo=None)  # both UTC
    with pytest.raises(ValueError):
        editing.set_categories(session, service, ["00000000-0000-0000-0000-000000000000"])


def test_removing_a_service_leaves_its_places_and_organisation_for_others(session):
    service = editing.full_service(session, COFFEE_MORNING)
    location_id, org_id = service.service_at_locations[0].location_id, service.organization_id
    contact_ids = [c.id for c in service.contacts]
    editing.remove_service(session, service)
    session.commit()
    assert session.get(Service, COFFEE_MORNING) is None
    assert session.get(Location, location_id) is not None and org_id
    assert session.scalar(select(func.count()).select_from(Attribute).where(
        Attribute.link_id.in_([COFFEE_MORNING, *contact_ids]))) == 0
    assert session.scalar(select(func.count()).select_from(Schedule).where(Schedule.service_id == COFFEE_MORNING)) == 0
    assert session.scalar(select(func.count()).select_from(Contact).where(Contact.service_id == COFFEE_MORNING)) == 0
