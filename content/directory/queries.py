"""Finding services: the filters the /oruk API and the bot share, and ranking by distance.

Text search is deliberately simple and the same on SQLite and PostgreSQL: every word the person
typed (less filler such as "near" or "me") must appear in the service's name, description,
organisation or category. Distances are computed in Python with the haversine formula from the
locations' coordinates, or from their postcode's centroid when a location has none.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from .geo import haversine_m, is_on_earth
from .models import ACTIVE, Attribute, Location, Organization, Postcode, Service, TaxonomyTerm
from .postcodes import normalise_postcode

# Words that say nothing about which service someone wants.
FILLER = frozenset("""
    a an and any are anything around at can do does for find from get have help i im in is it
    know local looking me my near nearby need of on or please some somewhere the there to want
    what where which who with you your
""".split())


@dataclass(frozen=True)
class ServiceFilter:
    text: str | None = None
    taxonomy_term_ids: tuple[str, ...] = ()
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: dt.datetime | None = None
    active_only: bool = False


def search_words(text: str | None) -> list[str]:
    """'Dementia cafés near me' -> ['dementia', 'cafe']: lower case, no accents, no filler,
    and a plural 's' dropped so that 'groups' finds 'group' and 'carers' finds "carer's"."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = []
    for word in re.findall(r"[a-z0-9]+", plain):
        if word in FILLER:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in words:
            words.append(word)
    return words


def with_descendants(session: Session, term_ids: Iterable[str]) -> set[str]:
    """The terms and every term below them: asking for "exercise" finds walking groups too."""
    found = set(term_ids)
    frontier = set(found)
    while frontier:
        children = set(session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id.in_(frontier))))
        frontier = children - found
        found |= frontier
    return found


def _linked_term(*conditions: ColumnElement) -> ColumnElement:
    return exists(select(Attribute.id).join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
                  .where(Attribute.link_id == Service.id, Attribute.link_entity == "service", *conditions))


def _word_matches(word: str) -> ColumnElement:
    pattern = f"%{word}%"  # words are letters and digits only, so nothing needs escaping
    return or_(Service.name.ilike(pattern), Service.description.ilike(pattern),
               Service.organization.has(Organization.name.ilike(pattern)),
               _linked_term(TaxonomyTerm.name.ilike(pattern)))


def conditions(session: Session, wanted: ServiceFilter) -> list[ColumnElement]:
    found = [_word_matches(word) for word in search_words(wanted.text)]
    if wanted.taxonomy_term_ids:
        found.append(_linked_term(TaxonomyTerm.id.in_(with_descendants(session, wanted.taxonomy_term_ids))))
    if wanted.taxonomy_id:
        found.append(_linked_term(TaxonomyTerm.taxonomy_id == wanted.taxonomy_id))
    if wanted.organization_id:
        found.append(Service.organization_id == wanted.organization_id)
    if wanted.modified_after:
        found.append(Service.last_modified >= wanted.modified_after)
    if wanted.active_only:
        found.append(Service.status == ACTIVE)
    return found


def services_query(session: Session, wanted: ServiceFilter):
    """The services that pass the filter, in name order."""
    return select(Service).where(*conditions(session, wanted)).order_by(Service.name, Service.id)


# --- distance ----------------------------------------------------------------------------

def location_points(session: Session, locations: Iterable[Location]) -> dict[str, tuple[float, float]]:
    """Each location's point: its own coordinates, else its address's postcode centroid."""
    points, by_postcode = {}, {}
    for location in locations:
        if is_on_earth(location.latitude, location.longitude):
            points[location.id] = (location.latitude, location.longitude)
            continue
        for address in location.addresses:
            postcode = normalise_postcode(address.postal_code)
            if postcode:
                by_postcode.setdefault(postcode, []).append(location.id)
                break
    if by_postcode:
        for row in session.scalars(select(Postcode).where(Postcode.postcode.in_(list(by_postcode)))):
            for location_id in by_postcode[row.postcode]:
                points[location_id] = (row.latitude, row.longitude)
    return points


@dataclass(frozen=True)
class Ranked:
    item: object  # a Service or a ServiceAtLocation
    distance_m: float | None
    location: Location | None


def _nearest(locations: Sequence[Location], points: dict, lat: float, lon: float) -> tuple[float | None, Location | None]:
    best: tuple[float | None, Location | None] = (None, locations[0] if locations else None)
    for location in locations:
        if location.id in points:
            distance = haversine_m(lat, lon, *points[location.id])
            if best[0] is None or distance < best[0]:
                best = (distance, location)
    return best


def rank(session: Session, items: Sequence, locations_of, near: tuple[float, float] | None,
         within_m: float | None = None) -> list[Ranked]:
    """Items nearest first (those we cannot place come last), keeping only those within
    ``within_m`` metres when given. Without ``near``, items keep their order."""
    if near is None:
        return [Ranked(item, None, next(iter(locations_of(item)), None)) for item in items]
    points = location_points(session, {loc.id: loc for item in items for loc in locations_of(item)}.values())
    ranked = [Ranked(item, *_nearest(list(locations_of(item)), points, near[0], near[1])) for item in items]
    if within_m is not None:
        ranked = [r for r in ranked if r.distance_m is not None and r.distance_m <= within_m]
    return sorted(ranked, key=lambda r: (r.distance_m is None, r.distance_m or 0))


def service_locations(service: Service) -> list[Location]:
    return [link.location for link in service.service_at_locations if link.location is not None]
