""""When it runs" in words, in the reader's language, from Open Referral schedules (iCalendar
rules plus opening times): "Tuesdays, 10am to midday", "First Thursday of the month, 2pm to 4pm";
in Welsh "Bob Dydd Mawrth, 10:00 tan 12:00", in Polish "1. czwartek miesiąca, 14:00–16:00".

Every phrase is a whole sentence in the messages catalog with named placeholders, so each language
can order and word it its own way; day names, times, numbers and lists come from Babel (CLDR).
English times follow the GOV.UK style guide: 10am, 5:30pm, midday, midnight, "to" rather than a
dash. A schedule's free-text description is shown as staff wrote it.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Protocol

from babel.dates import format_time, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal

from ..i18n import DEFAULT_LOCALE, babel_locale, translations

WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # in Babel's order: 0 is Monday
ORDINALS = (1, 2, 3, 4, 5, -1)  # first to fifth, and last, of a weekday in the month
BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")
WELSH_AND = re.compile(r"a\(c\) (?=(\w))")  # CLDR's Welsh "a(c)": "ac" before a vowel, else "a"


class ScheduleLike(Protocol):
    freq: str | None
    interval: int | None
    byday: str | None
    bymonthday: str | None
    opens_at: str | None
    closes_at: str | None
    description: str | None


class Unreadable(Exception):
    """A rule this module cannot put into words truthfully (a seventh Monday of the month)."""


def _parse(value: str | None) -> tuple[int, int] | None:
    match = re.match(r"^(\d{1,2}):(\d{2})", value or "")
    return (int(match[1]), int(match[2])) if match else None


def clock(value: str | None, locale: str = DEFAULT_LOCALE) -> str | None:
    """'09:30' -> '9:30am', '12:00' -> 'midday', '14:00:00' -> '2pm' in English; in other
    languages their own way ('14:00', '2:00 م')."""
    parsed = _parse(value)
    if not parsed:
        return None
    hour, minute = parsed
    if locale != DEFAULT_LOCALE:
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            return None
        return format_time(dt.time(hour % 24, minute), format="short", locale=babel_locale(locale))
    if minute == 0 and hour in (0, 24):
        return "midnight"
    if minute == 0 and hour == 12:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def times(opens_at: str | None, closes_at: str | None, locale: str = DEFAULT_LOCALE) -> str:
    _ = translations(locale).gettext
    start, end = clock(opens_at, locale), clock(closes_at, locale)
    if start and end:
        return _("{start} to {end}").format(start=start, end=end)
    if start:
        return _("from {start}").format(start=start)
    return _("until {end}").format(end=end) if end else ""


def _list(items: list[str], locale: str) -> str:
    """'Mondays, Wednesdays and Fridays': the language's own commas and word for "and"."""
    text = format_list(items, locale=babel_locale(locale))
    return WELSH_AND.sub(lambda m: "ac " if m[1].lower() in "aeiouwyâêîôûŵŷ" else "a ", text)


def _days(byday: str | None) -> list[tuple[int | None, str]]:
    """'1TH,3TH' -> [(1, 'TH'), (3, 'TH')]; unknown parts are ignored."""
    found = []
    for part in (byday or "").upper().replace(" ", "").split(","):
        match = BYDAY.match(part)
        if match:
            found.append((int(match[1]) if match[1] else None, match[2]))
    return found


class _Words:
    """The phrases of one language. Each is looked up where it is used, with its words in full,
    so that `make translations-update` finds it."""

    def __init__(self, locale: str):
        self.locale = locale
        catalog = translations(locale)
        self.gettext, self.ngettext = catalog.gettext, catalog.ngettext
        self.pgettext = catalog.pgettext
        names = get_day_names("wide", locale=babel_locale(locale))
        self.day = {code: names[index] for index, code in enumerate(WEEK)}

    def number(self, value: int) -> str:
        return format_decimal(value, locale=babel_locale(self.locale))

    def weekly(self, days: list[str], interval: int) -> str:
        ordered = sorted(set(days), key=WEEK.index)
        if interval == 2 and len(ordered) == 1:
            return self.gettext("every other {day}").format(day=self.day[ordered[0]])
        span = WEEK[WEEK.index(ordered[0]):WEEK.index(ordered[-1]) + 1]
        if len(ordered) == 7:
            which = self.gettext("every day")
        elif len(ordered) >= 3 and ordered == span:  # a run of days: "Monday to Friday"
            which = self.gettext("{first} to {last}").format(first=self.day[ordered[0]], last=self.day[ordered[-1]])
        else:
            which = _list([self.pgettext("weekly schedule: one of its days", "{day}s").format(day=self.day[d])
                           for d in ordered], self.locale)
            if interval <= 1:
                return self.pgettext("weekly schedule: its days", "{days}").format(days=which)
        if interval <= 1:
            return which
        return self.ngettext("every {interval} week on {days}", "every {interval} weeks on {days}",
                             interval).format(interval=self.number(interval), days=which)

    def nth(self, ordinal: int, day: str) -> str:
        """'first Thursday': one weekday of the month."""
        texts = {
            1: self.pgettext("monthly schedule", "first {day}"),
            2: self.pgettext("monthly schedule", "second {day}"),
            3: self.pgettext("monthly schedule", "third {day}"),
            4: self.pgettext("monthly schedule", "fourth {day}"),
            5: self.pgettext("monthly schedule", "fifth {day}"),
            -1: self.pgettext("monthly schedule", "last {day}"),
        }
        return texts[ordinal].format(day=self.day[day])

    def ordinal(self, ordinal: int) -> str:
        """'first', in a list such as 'first and third Thursdays'."""
        return {
            1: self.pgettext("monthly schedule: in a list such as 'first and third'", "first"),
            2: self.pgettext("monthly schedule: in a list such as 'first and third'", "second"),
            3: self.pgettext("monthly schedule: in a list such as 'first and third'", "third"),
            4: self.pgettext("monthly schedule: in a list such as 'first and third'", "fourth"),
            5: self.pgettext("monthly schedule: in a list such as 'first and third'", "fifth"),
            -1: self.pgettext("monthly schedule: in a list such as 'first and third'", "last"),
        }[ordinal]

    def date(self, n: int) -> str:
        """'1st', '22nd', '23rd', '15th' or 'last day' of the month."""
        if n == -1:
            return self.pgettext("monthly schedule: a date such as 1st, 22nd, 23rd or 15th", "last day")
        if not 1 <= n <= 31:
            raise Unreadable(n)
        if 10 <= n % 100 <= 20 or n % 10 not in (1, 2, 3):
            text = self.pgettext("monthly schedule: a date such as 1st, 22nd, 23rd or 15th", "{number}th")
        elif n % 10 == 1:
            text = self.pgettext("monthly schedule: a date such as 1st, 22nd, 23rd or 15th", "{number}st")
        elif n % 10 == 2:
            text = self.pgettext("monthly schedule: a date such as 1st, 22nd, 23rd or 15th", "{number}nd")
        else:
            text = self.pgettext("monthly schedule: a date such as 1st, 22nd, 23rd or 15th", "{number}rd")
        return text.format(number=self.number(n))

    def monthly(self, days: list[tuple[int | None, str]], bymonthday: str | None) -> str:
        try:
            if days:
                by_weekday: dict[str, list[int]] = {}
                for ordinal, day in days:
                    by_weekday.setdefault(day, []).append(ordinal or 1)
                parts = []
                for day, ordinals in by_weekday.items():
                    ordinals = sorted(set(ordinals), key=lambda o: (o < 0, o))
                    if any(o not in ORDINALS for o in ordinals):
                        raise Unreadable(ordinals)
                    if len(ordinals) == 1:
                        parts.append(self.nth(ordinals[0], day))
                    else:
                        parts.append(self.pgettext("monthly schedule", "{ordinals} {day}s").format(
                            ordinals=_list([self.ordinal(o) for o in ordinals], self.locale), day=self.day[day]))
                return self.pgettext("monthly schedule", "{days} of the month").format(days=_list(parts, self.locale))
            numbers = [int(n) for n in re.findall(r"-?\d+", bymonthday or "")]
            if numbers:
                return self.ngettext("on the {days} of each month", "on the {days} of each month",
                                     len(numbers)).format(days=_list([self.date(n) for n in numbers], self.locale))
        except Unreadable:
            pass
        return self.pgettext("monthly schedule", "monthly")


def describe(schedule: ScheduleLike, locale: str = DEFAULT_LOCALE) -> str:
    """One schedule in words in the reader's language, or '' if it says nothing we can use."""
    words = _Words(locale)
    freq = (schedule.freq or "").upper()
    days = _days(schedule.byday)
    if freq == "WEEKLY" and days:
        when = words.weekly([d for _, d in days], schedule.interval or 1)
    elif freq == "MONTHLY":
        when = words.monthly(days, schedule.bymonthday)
    elif schedule.description:
        return schedule.description.strip()
    else:
        when = ""
    hours = times(schedule.opens_at, schedule.closes_at, locale)
    if when and hours:
        text = words.gettext("{days}, {times}").format(days=when, times=hours)
    else:
        text = when or hours
    return text[:1].upper() + text[1:]


def summary(schedules: Iterable[ScheduleLike], locale: str = DEFAULT_LOCALE) -> str | None:
    """All of a service's schedules in one line in the reader's language, or None if none says
    when it runs."""
    parts: list[str] = []
    for schedule in schedules:
        text = describe(schedule, locale)
        if text and text not in parts:
            parts.append(text)
    if not parts:
        return None
    _ = translations(locale).gettext
    text = parts[0]
    for part in parts[1:]:
        text = _("{earlier}; {later}").format(earlier=text, later=part)
    return text
