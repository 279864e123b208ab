"""When a service runs, in the reader's language: the days, the times, "every other Friday" and
"the first Thursday of the month" as each language says them. English keeps the GOV.UK style
(tests/directory/test_search.py), and a description staff wrote is shown as they wrote it."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from content.directory.schedules import clock, describe, summary
from tests.catalogs import compile_messages


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    compile_messages()


def rule(**fields):
    base = dict(freq=None, interval=None, byday=None, bymonthday=None, opens_at=None, closes_at=None,
                description=None)
    return SimpleNamespace(**{**base, **fields})


TUESDAYS = rule(freq="WEEKLY", byday="TU", opens_at="10:00", closes_at="12:00")
EVERY_OTHER_FRIDAY = rule(freq="WEEKLY", interval=2, byday="FR", opens_at="14:00", closes_at="16:00")
FIRST_THURSDAY = rule(freq="MONTHLY", byday="1TH", opens_at="14:00", closes_at="16:00")
FIRST_AND_THIRD_THURSDAYS = rule(freq="MONTHLY", byday="1TH,3TH", opens_at="12:30", closes_at="14:00")
LAST_MONDAY = rule(freq="MONTHLY", byday="-1MO")
TIMES_ONLY = rule(opens_at="10:00", closes_at="14:00")
SHOWN = (TUESDAYS, EVERY_OTHER_FRIDAY, FIRST_THURSDAY, FIRST_AND_THIRD_THURSDAYS, LAST_MONDAY, TIMES_ONLY)


@pytest.mark.parametrize("locale, expected", [
    ("en", ["Tuesdays, 10am to midday", "Every other Friday, 2pm to 4pm", "First Thursday of the month, 2pm to 4pm",
            "First and third Thursdays of the month, 12:30pm to 2pm", "Last Monday of the month", "10am to 2pm"]),
    ("cy", ["Bob Dydd Mawrth, 10:00 tan 12:00", "Dydd Gwener bob pythefnos, 14:00 tan 16:00",
            "Dydd Iau cyntaf y mis, 14:00 tan 16:00", "Dydd Iau 1af a 3ydd y mis, 12:30 tan 14:00",
            "Dydd Llun olaf y mis", "10:00 tan 14:00"]),
    ("pl", ["Co tydzień: wtorek, 10:00–12:00", "Piątek co dwa tygodnie, 14:00–16:00",
            "1. czwartek miesiąca, 14:00–16:00", "1. i 3. czwartek miesiąca, 12:30–14:00",
            "Ostatni(a) poniedziałek miesiąca", "10:00–14:00"]),
    ("ar", ["أيام الثلاثاء، من 10:00 ص إلى 12:00 م", "يوم الجمعة كل أسبوعين، من 2:00 م إلى 4:00 م",
            "يوم الخميس الأول من كل شهر، من 2:00 م إلى 4:00 م",
            "يوم الخميس الأول والثالث من كل شهر، من 12:30 م إلى 2:00 م", "يوم الاثنين الأخير من كل شهر",
            "من 10:00 ص إلى 2:00 م"]),
])
def test_when_a_service_runs_is_written_in_the_readers_language(locale, expected):
    assert [describe(schedule, locale) for schedule in SHOWN] == expected


@pytest.mark.parametrize("locale, expected", [
    ("en", "Mondays, Wednesdays and Fridays, 10am to 3:30pm"),
    ("cy", "Bob Dydd Llun, Dydd Mercher, a Dydd Gwener, 10:00 tan 15:30"),  # "a", never CLDR's "a(c)"
    ("pl", "Co tydzień: poniedziałek, środa i piątek, 10:00–15:30"),
    ("ar", "أيام الاثنين والأربعاء والجمعة، من 10:00 ص إلى 3:30 م"),
])
def test_several_days_are_listed_the_languages_way(locale, expected):
    assert describe(rule(freq="WEEKLY", byday="FR,MO,WE", opens_at="10:00", closes_at="15:30"), locale) == expected


@pytest.mark.parametrize("locale, expected", [
    ("en", "Monday to Friday, 9am to 5pm; On the 1st and 15th of each month, from 6pm"),
    ("cy", "Dydd Llun - Dydd Gwener, 09:00 tan 17:00; Diwrnod 1 a diwrnod 15 bob mis, o 18:00 ymlaen"),
    ("pl", "Poniedziałek–piątek, 09:00–17:00; 1. i 15. dnia każdego miesiąca, od 18:00"),
    ("ar", "من الاثنين إلى الجمعة، من 9:00 ص إلى 5:00 م؛ في اليومين 1 و15 من كل شهر، ابتداءً من 6:00 م"),
])
def test_a_services_schedules_make_one_line_with_the_languages_punctuation(locale, expected):
    weekdays = rule(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at="09:00", closes_at="17:00")
    dates = rule(freq="MONTHLY", bymonthday="1,15", opens_at="18:00")
    assert summary([weekdays, dates], locale) == expected


def test_every_few_weeks_counts_in_the_languages_plural():
    every = [rule(freq="WEEKLY", interval=n, byday="MO,TH") for n in (3, 5)]
    assert [describe(r, "pl") for r in every] == ["Poniedziałek i czwartek co 3 tygodnie",
                                                  "Poniedziałek i czwartek co 5 tygodni"]
    assert [describe(r, "ar") for r in every] == ["الاثنين والخميس كل 3 أسابيع", "الاثنين والخميس كل 5 أسابيع"]
    assert describe(every[0], "en") == "Every 3 weeks on Mondays and Thursdays"


def test_what_staff_wrote_stays_as_written_and_an_empty_schedule_says_nothing():
    by_arrangement = rule(description="By arrangement with the coordinator.")
    assert [describe(by_arrangement, locale) for locale in ("en", "cy", "ar")] == [
        "By arrangement with the coordinator."] * 3
    assert summary([rule()], "pl") is None and summary([], "cy") is None


def test_times_are_the_languages_own_and_english_keeps_midday_and_midnight():
    assert [clock(t) for t in ("12:00", "00:00", "24:00", "09:30")] == ["midday", "midnight", "midnight", "9:30am"]
    assert [clock(t, "pl") for t in ("12:00", "24:00", "09:30", "25:00")] == ["12:00", "00:00", "09:30", None]
    assert clock("14:00", "ar") == "2:00 م"
