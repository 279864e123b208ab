"""Reading a resident's answers to the referral questions: dates, phone numbers, e-mail
addresses, postcodes and the choice words people type instead of pressing a button.

Each parser returns the clean value, or None when the text is not a valid answer.
"""
from __future__ import annotations

import datetime as dt
import re

import phonenumbers

MONTHS = {name: index for index, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][ABD-HJLNP-UW-Z]{2})\b")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[a-z]{2,}$", re.I)
SKIP_WORDS = {"skip", "skip it", "pass", "dont know", "don't know", "not sure", "prefer not to say", "no"}


def words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip() + " "


def has_any(text: str, options: tuple[str, ...]) -> bool:
    padded = words(text)
    return any(f" {option} " in padded for option in options)


def date_of_birth(text: str, today: dt.date | None = None) -> dt.date | None:
    """A plausible date of birth (age 0 to 120) in the formats people type in the UK."""
    today = today or dt.date.today()
    text = (text or "").strip().lower()
    found = None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(g) for g in match.groups())
        found = (year, month, day)
    elif match := re.fullmatch(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
        found = (year, month, day)
    elif match := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+),?\s+(\d{2}|\d{4})", text):
        month = MONTHS.get(match.group(2))
        found = (int(match.group(3)), month, int(match.group(1))) if month else None
    if not found:
        return None
    year, month, day = found
    if year < 100:  # "3/4/45": the most recent year that is not in the future
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return None
    return born if today.replace(year=today.year - 120) <= born <= today else None


def phone(text: str) -> str | None:
    """A valid UK (or international, with +) phone number in E.164 form."""
    digits = re.sub(r"[^\d+]", "", text or "")
    if len(digits) < 7:
        return None
    try:
        number = phonenumbers.parse(digits, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    number = phonenumbers.parse(e164, "GB")
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 44
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def email(text: str) -> str | None:
    candidate = (text or "").strip().strip(".").lower()
    return candidate if EMAIL.match(candidate) and len(candidate) <= 254 else None


def postcode(text: str) -> str | None:
    """A UK postcode in its standard form ("QQ1 2AB"), wherever it is in the text."""
    match = POSTCODE.search((text or "").upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def looks_like_postcode(text: str) -> bool:
    """Something that was meant as a postcode, even if it is not a valid one."""
    compact = re.sub(r"\s", "", text or "")
    return 4 <= len(compact) <= 8 and bool(re.search(r"\d", compact)) and compact.isalnum()


def skipped(text: str) -> bool:
    return words(text).strip() in SKIP_WORDS
