"""The council configuration file: validation, opening hours and placeholders."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from content import council, render

ROOT = Path(__file__).resolve().parent.parent
RAW = yaml.safe_load((ROOT / "council.yml").read_text())
UTC = dt.timezone.utc


def test_the_demo_council_says_it_is_fictional():
    demo = council.load(ROOT / "council.yml")
    assert demo.fictional is True
    assert "FICTIONAL" in (ROOT / "council.yml").read_text()
    # Ofcom's drama range, so no real person is ever phoned from the demo.
    assert all(number.replace(" ", "").startswith(("01632960", "0808157", "1800101632960"))
               for number in demo.phones.values())


@pytest.mark.parametrize("moment, open_", [
    (dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC), True),     # Monday 9:00 GMT
    (dt.datetime(2026, 11, 23, 8, 15, tzinfo=UTC), False),   # before 8:30
    (dt.datetime(2026, 11, 27, 16, 45, tzinfo=UTC), False),  # Friday closes at 16:30
    (dt.datetime(2026, 11, 28, 11, 0, tzinfo=UTC), False),   # Saturday
    (dt.datetime(2026, 12, 25, 11, 0, tzinfo=UTC), False),   # Christmas Day, a Friday
    (dt.datetime(2027, 6, 7, 7, 45, tzinfo=UTC), True),      # 8:45 British Summer Time
])
def test_whether_the_team_is_open_follows_local_time_and_bank_holidays(moment, open_):
    assert council.load(ROOT / "council.yml").is_open(moment) is open_


def test_opening_hours_read_as_words():
    assert render.opening_hours(council.load(ROOT / "council.yml"), "en") == (
        "Monday to Thursday, 8:30am to 5pm; Friday, 8:30am to 4:30pm")


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw["phones"].pop("out_of_hours"), "phones.out_of_hours"),
    (lambda raw: raw["crisis"].pop("samaritans"), "crisis.samaritans"),
    (lambda raw: raw["hours"].update(monday=["17:00", "09:00"]), "monday closes before it opens"),
    (lambda raw: raw["hours"].update(funday=["09:00", "17:00"]), "'funday' is not a day"),
    (lambda raw: raw.update(timezone="Mars/Olympus"), "unknown time zone"),
])
def test_a_broken_config_says_exactly_what_is_wrong(change, message):
    raw = yaml.safe_load((ROOT / "council.yml").read_text())
    change(raw)
    with pytest.raises(council.ConfigError, match=message):
        council.parse(raw)


def test_another_council_is_one_file_away(tmp_path, monkeypatch):
    raw = dict(RAW, name="Westshire Council", fictional=False)
    path = tmp_path / "westshire.yml"
    path.write_text(yaml.safe_dump(raw))
    monkeypatch.setenv("FRONTDOOR_COUNCIL_CONFIG", str(path))
    assert council.load().name == "Westshire Council"
    assert council.load().placeholders()["council.name"] == "Westshire Council"
