"""Plain-English "when it runs" from Open Referral schedules (iCalendar rules plus opening
times): "Tuesdays, 10am to midday", "First Thursday of the month, 2pm to 4pm".

Times follow the GOV.UK style guide: 10am, 5:30pm, midday, midnight, "to" rather than a dash.
"""
from __future__ import annotations

import re
from typing import Iterable, Protocol

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
WEEK = list(DAY_NAMES)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


class ScheduleLike(Protocol):
    freq: str | None
    interval: int | None
    byday: str | None
    bymonthday: str | None
    opens_at: str | None
    closes_at: str | None
    description: str | None


def clock(value: str | None) -> str | None:
    """'09:30' -> '9:30am', '12:00' -> 'midday', '14:00:00' -> '2pm'."""
    match = re.match(r"^(\d{1,2}):(\d{2})", value or "")
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if minute == 0 and hour in (0, 24):
        return "midnight"
    if minute == 0 and hour == 12:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def times(opens_at: str | None, closes_at: str | None) -> str:
    start, end = clock(opens_at), clock(closes_at)
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else ""


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _days(byday: str | None) -> list[tuple[int | None, str]]:
    """'1TH,3TH' -> [(1, 'TH'), (3, 'TH')]; unknown parts are ignored."""
    found = []
    for part in (byday or "").upper().replace(" ", "").split(","):
        match = BYDAY.match(part)
        if match:
            found.append((int(match[1]) if match[1] else None, match[2]))
    return found


def _weekly(days: list[str], interval: int) -> str:
    ordered = sorted(set(days), key=WEEK.index)
    if interval == 2 and len(ordered) == 1:
        return f"every other {DAY_NAMES[ordered[0]]}"
    prefix = f"every {interval} weeks on " if interval > 1 else ""
    if len(ordered) == 7:
        return prefix + "every day"
    span = WEEK[WEEK.index(ordered[0]):WEEK.index(ordered[-1]) + 1]
    if len(ordered) >= 3 and ordered == span:  # a run of days: "Monday to Friday"
        return prefix + f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
    return prefix + _join([DAY_NAMES[d] + "s" for d in ordered])


def _monthly(days: list[tuple[int | None, str]], bymonthday: str | None) -> str:
    if days:
        by_weekday: dict[str, list[int]] = {}
        for ordinal, day in days:
            by_weekday.setdefault(day, []).append(ordinal or 1)
        parts = []
        for day, ordinals in by_weekday.items():
            names = _join([ORDINALS.get(o, f"{o}th") for o in sorted(ordinals, key=lambda o: (o < 0, o))])
            parts.append(f"{names} {DAY_NAMES[day]}{'s' if len(ordinals) > 1 else ''}")
        return _join(parts) + " of the month"
    numbers = [int(n) for n in re.findall(r"-?\d+", bymonthday or "")]
    if numbers:
        return "on the " + _join([_day_of_month(n) for n in numbers]) + " of each month"
    return "monthly"


def _day_of_month(n: int) -> str:
    if n == -1:
        return "last day"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(schedule: ScheduleLike) -> str:
    """One schedule in words, or '' if it says nothing we can use."""
    freq = (schedule.freq or "").upper()
    days = _days(schedule.byday)
    if freq == "WEEKLY" and days:
        when = _weekly([d for _, d in days], schedule.interval or 1)
    elif freq == "MONTHLY":
        when = _monthly(days, schedule.bymonthday)
    elif schedule.description:
        return schedule.description.strip()
    else:
        when = ""
    hours = times(schedule.opens_at, schedule.closes_at)
    text = ", ".join(part for part in (when, hours) if part)
    return text[:1].upper() + text[1:]


def summary(schedules: Iterable[ScheduleLike]) -> str | None:
    """All of a service's schedules in one line, or None if none says when it runs."""
    parts = []
    for schedule in schedules:
        text = describe(schedule)
        if text and text not in parts:
            parts.append(text)
    return "; ".join(parts) or None
