"""The council's configuration: name, numbers, opening hours, links and area.

Everything council-specific comes from one YAML file (``council.yml`` at the top of the
repository, or the file named by ``FRONTDOOR_COUNCIL_CONFIG``), so a council changes one file
to make Front Door its own.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "council.yml"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REQUIRED_PHONES = ("adult_social_care", "general", "out_of_hours", "safeguarding")
REQUIRED_CRISIS = ("emergency", "samaritans", "nhs_non_emergency")


class ConfigError(ValueError):
    """The council file is missing something the product needs."""


@dataclass(frozen=True)
class Council:
    name: str
    short_name: str
    service_name: str
    nation: str
    timezone: str
    fictional: bool
    phones: dict[str, str]
    emails: dict[str, str]
    links: dict[str, str]
    crisis: dict[str, str]
    area: str
    hours: dict[str, tuple[dt.time, dt.time]]
    closed_dates: frozenset[dt.date]
    postcode_districts: tuple[str, ...] = ()  # empty: every postcode is accepted
    # Working days within which the team contacts someone who asked for help, by urgency.
    contact_within_days: dict[str, int] = field(default_factory=lambda: {"today": 0, "week": 2, "later": 5})

    def covers(self, postcode: str) -> bool:
        """Whether a (normalised) postcode is in the council's area."""
        district = postcode.split(" ")[0].upper()
        return not self.postcode_districts or district in self.postcode_districts

    def local_now(self, now: dt.datetime | None = None) -> dt.datetime:
        zone = ZoneInfo(self.timezone)
        return (now or dt.datetime.now(dt.timezone.utc)).astimezone(zone)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        """Whether the front door's phones are answered at this moment."""
        local = self.local_now(now)
        if local.date() in self.closed_dates:
            return False
        span = self.hours.get(DAYS[local.weekday()])
        return bool(span) and span[0] <= local.time() < span[1]

    def placeholders(self) -> dict[str, str]:
        """The values content placeholders such as ``{{phone.general}}`` stand for."""
        values = {
            "council.name": self.name,
            "council.short_name": self.short_name,
            "council.service_name": self.service_name,
            "council.area": self.area,
        }
        for group, items in (("phone", self.phones), ("email", self.emails), ("link", self.links)):
            values.update({f"{group}.{key}": value for key, value in items.items()})
        return values


def _parse_hours(raw: dict) -> dict[str, tuple[dt.time, dt.time]]:
    hours = {}
    for day, span in (raw or {}).items():
        if day not in DAYS:
            raise ConfigError(f"hours: '{day}' is not a day of the week")
        try:
            start, end = (dt.time.fromisoformat(str(t)) for t in span)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"hours: {day} must be two times like ['08:30', '17:00']") from exc
        if start >= end:
            raise ConfigError(f"hours: {day} closes before it opens")
        hours[day] = (start, end)
    return hours


def parse(raw: dict) -> Council:
    """Builds a Council from the YAML mapping, saying clearly what is wrong if anything is."""
    if not isinstance(raw, dict):
        raise ConfigError("the council file must be a mapping")
    missing = [k for k in ("name", "service_name", "phones", "hours", "crisis", "links") if not raw.get(k)]
    missing += [f"phones.{k}" for k in REQUIRED_PHONES if not (raw.get("phones") or {}).get(k)]
    missing += [f"crisis.{k}" for k in REQUIRED_CRISIS if not (raw.get("crisis") or {}).get(k)]
    if missing:
        raise ConfigError("the council file is missing: " + ", ".join(missing))
    try:
        ZoneInfo(raw.get("timezone", "Europe/London"))
    except Exception as exc:  # zoneinfo raises several kinds for bad keys
        raise ConfigError(f"timezone: unknown time zone {raw.get('timezone')!r}") from exc
    return Council(
        name=raw["name"],
        short_name=raw.get("short_name", raw["name"]),
        service_name=raw["service_name"],
        nation=raw.get("nation", "england"),
        timezone=raw.get("timezone", "Europe/London"),
        fictional=bool(raw.get("fictional", False)),
        phones={k: str(v) for k, v in raw["phones"].items()},
        emails={k: str(v) for k, v in (raw.get("emails") or {}).items()},
        links={k: str(v) for k, v in raw["links"].items()},
        crisis={k: str(v) for k, v in raw["crisis"].items()},
        area=(raw.get("area") or {}).get("description", ""),
        hours=_parse_hours(raw["hours"]),
        closed_dates=frozenset(dt.date.fromisoformat(str(d)) for d in raw.get("closed_dates") or ()),
        postcode_districts=tuple(str(d).upper() for d in (raw.get("area") or {}).get("postcode_districts") or ()),
        contact_within_days={str(k): int(v) for k, v in ((raw.get("referrals") or {}).get(
            "contact_within_working_days") or {"today": 0, "week": 2, "later": 5}).items()},
    )


def load(path: str | Path | None = None) -> Council:
    path = Path(path or os.environ.get("FRONTDOOR_COUNCIL_CONFIG") or DEFAULT_PATH)
    with open(path, encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def current() -> Council:
    """The running council's configuration, read once per process."""
    return load()
