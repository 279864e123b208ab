"""Fills in an answer's placeholders: council details from council.yml, amounts from figures.

Placeholders look like ``{{phone.general}}`` or ``{{figure.carers_allowance_weekly}}`` (see
content/README.md). Formatting follows the reader's locale, so "£86.45 a week" becomes
"86,45 £ tygodniowo" style text in Polish once the catalog translates "{amount} a week".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

from babel import Locale
from babel.dates import format_time, get_day_names
from babel.numbers import format_currency, format_decimal, get_currency_symbol

from .council import DAYS, Council
from .i18n import babel_locale, translations

PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_.]+)\s*\}\}")
FORMATS = ("money", "money_week", "money_month", "number")


@dataclass(frozen=True)
class FigureValue:
    key: str
    value: Decimal
    format: str
    applies: str


class UnknownPlaceholder(KeyError):
    pass


def money(value: Decimal, locale: str) -> str:
    """An amount in pounds, without pence when it is whole, with the £ sign in every locale."""
    loc = babel_locale(locale)
    pattern = Locale.parse(loc).currency_formats["standard"].pattern
    if value == value.to_integral_value():
        pattern = pattern.replace(".00", "")
    text = format_currency(value, "GBP", format=pattern, locale=loc, currency_digits=False)
    return text.replace(get_currency_symbol("GBP", loc), "£")


def format_figure(figure: FigureValue, locale: str) -> str:
    gettext = translations(locale).gettext
    if figure.format == "number":
        return format_decimal(figure.value, locale=babel_locale(locale))
    amount = money(figure.value, locale)
    if figure.format == "money_week":
        return gettext("{amount} a week").format(amount=amount)
    if figure.format == "money_month":
        return gettext("{amount} a month").format(amount=amount)
    return amount


def _clock(value, locale: str) -> str:
    if locale == "en":  # GOV.UK style, not CLDR's "08:30": 8:30am, 5pm
        return format_time(value, "ha" if value.minute == 0 else "h:mma", locale=babel_locale(locale))
    return format_time(value, format="short", locale=babel_locale(locale))


def opening_hours(council: Council, locale: str) -> str:
    """The opening hours in words, grouping days that share hours: "Monday to Thursday, ..."."""
    gettext = translations(locale).gettext
    names = get_day_names("wide", locale=babel_locale(locale))
    groups: list[list] = []  # [first_day_index, last_day_index, span]
    for index, day in enumerate(DAYS):
        span = council.hours.get(day)
        if span is None:
            continue
        if groups and groups[-1][2] == span and groups[-1][1] == index - 1:
            groups[-1][1] = index
        else:
            groups.append([index, index, span])
    parts = []
    for first, last, (start, end) in groups:
        days = names[first] if first == last else gettext("{first} to {last}").format(
            first=names[first], last=names[last])
        times = gettext("{start} to {end}").format(start=_clock(start, locale), end=_clock(end, locale))
        parts.append(gettext("{days}, {times}").format(days=days, times=times))
    # The punctuation is the catalog's too: Arabic and Urdu write "،" and "؛".
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text = gettext("{earlier}; {later}").format(earlier=text, later=part)
    return text


def values(council: Council, figures: Iterable[FigureValue], locale: str) -> dict[str, str]:
    """Every placeholder's text for this council, these figures and this locale."""
    table = council.placeholders()
    table["hours"] = opening_hours(council, locale)
    for figure in figures:
        table[f"figure.{figure.key}"] = format_figure(figure, locale)
        table[f"figure.{figure.key}.year"] = figure.applies
    return table


def placeholders_in(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def fill(text: str, table: Mapping[str, str], strict: bool = False) -> str:
    """Replaces each placeholder. Unknown ones stay visible (or raise when strict), never vanish."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in table:
            return table[name]
        if strict:
            raise UnknownPlaceholder(name)
        return match.group(0)
    return PLACEHOLDER.sub(replace, text or "")
