"""The council's area from ``council.yml``: which postcode districts it covers and its centre.

``content.council`` reads the rest of the file; these keys belong to the directory, so they are
read here without changing the shared configuration object.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from content.council import DEFAULT_PATH


def _area(path: str | Path | None = None) -> dict:
    path = Path(path or os.environ.get("FRONTDOOR_COUNCIL_CONFIG") or DEFAULT_PATH)
    with open(path, encoding="utf-8") as handle:
        return (yaml.safe_load(handle) or {}).get("area") or {}


def postcode_districts(path: str | Path | None = None) -> list[str]:
    """['QQ1', 'QQ2', ...], or [] if the council file does not list them."""
    return [str(d).strip().upper() for d in _area(path).get("postcode_districts") or []]


def centre(path: str | Path | None = None) -> tuple[float, float] | None:
    """The middle of the area as (latitude, longitude), if the council file gives it."""
    point = _area(path).get("centre") or {}
    try:
        return float(point["lat"]), float(point["lon"])
    except (KeyError, TypeError, ValueError):
        return None
