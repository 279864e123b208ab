"""Reading the answers people type to the referral questions."""
import datetime as dt

import pytest

from actions import referral_answers as answers

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("text, expected", [
    ("12/03/1945", dt.date(1945, 3, 12)),
    ("12-3-45", dt.date(1945, 3, 12)),
    ("3rd March 1945", dt.date(1945, 3, 3)),
    ("14 feb 52", dt.date(1952, 2, 14)),
    ("1945-03-12", dt.date(1945, 3, 12)),
    ("1/1/20", dt.date(2020, 1, 1)),
    ("31/02/1950", None),      # no such day
    ("1/1/2030", None),        # in the future
    ("1/1/1890", None),        # older than anyone
    ("last tuesday", None),
])
def test_dates_of_birth_in_the_ways_people_write_them(text, expected):
    assert answers.date_of_birth(text, TODAY) == expected


@pytest.mark.parametrize("text, expected", [
    ("07911 123456", "+447911123456"),
    ("+44 7911 123456", "+447911123456"),
    ("(020) 7946 0000", "+442079460000"),
    ("0123", None),
    ("call me maybe", None),
])
def test_uk_phone_numbers_are_validated_with_libphonenumber(text, expected):
    assert answers.phone(text) == expected


def test_email_addresses():
    assert answers.email(" Sam@Example.org. ") == "sam@example.org"
    assert answers.email("sam@@example") is None and answers.email("not an email") is None


@pytest.mark.parametrize("text, expected", [
    ("qq1 2ab", "QQ1 2AB"), ("my postcode is SW1A1AA thanks", "SW1A 1AA"), ("M1 1AE", "M1 1AE"),
    ("12345", None), ("QQ1 2CI", None),  # C and I are never used in the last part
])
def test_uk_postcodes_are_found_and_put_in_standard_form(text, expected):
    assert answers.postcode(text) == expected
