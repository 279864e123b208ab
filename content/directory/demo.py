"""The demo directory: Open Referral UK JSON and postcode centroids for the fictional
Castlebridge Council, loaded on first start so the signposting works out of the box.

It is only ever loaded for a council whose ``council.yml`` says ``fictional: true``: a real
council's residents must never be pointed at made-up services.
"""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import council as council_config

from .importer import import_services, import_taxonomies
from .models import Place, Postcode, Service
from .postcodes import load_places, load_postcodes, read_places_file, read_postcode_file

DATA = Path(__file__).resolve().parent / "data"
SERVICES_FILE = DATA / "services.json"
TAXONOMIES_FILE = DATA / "taxonomies.json"
POSTCODES_FILE = DATA / "postcodes.csv"
PLACES_FILE = DATA / "places.csv"


def load_demo_directory(session: Session) -> int:
    """Imports the demo taxonomies and services (again, if they are there). Returns how many services."""
    import_taxonomies(session, json.loads(TAXONOMIES_FILE.read_text(encoding="utf-8")))
    return import_services(session, json.loads(SERVICES_FILE.read_text(encoding="utf-8")))


def load_demo_places(session: Session) -> int:
    """Loads the demo postcodes and place names. Returns how many postcodes."""
    load_places(session, read_places_file(PLACES_FILE))
    return load_postcodes(session, read_postcode_file(POSTCODES_FILE))


def _count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def load_demo_if_empty(session: Session, fictional: bool | None = None) -> bool:
    """On first start, fills an empty directory with the demo services, and an empty postcode
    table with the demo area. Never touches data that is there. Returns whether it loaded anything."""
    if fictional is None:
        fictional = council_config.current().fictional
    if not fictional:
        return False
    loaded = False
    if not _count(session, Service):
        load_demo_directory(session)
        loaded = True
    if not _count(session, Postcode) and not _count(session, Place):
        load_demo_places(session)
        loaded = True
    session.flush()
    return loaded
