"""What the bot asks the directory: "is there a carers group near me", "dementia cafe in
Wendford". The conversation finds the words, the category and the place; this module returns the
nearest matching services, each with what a reply needs to show.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..i18n import DEFAULT_LOCALE
from . import schedules
from .models import Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .queries import ServiceFilter, rank, service_locations, services_query

FRONTDOOR_TAXONOMY = "frontdoor"  # the name of Front Door's own category list
FICTIONAL_MARK = re.compile(r"^\s*fictional demo (service|organi[sz]ation)\.\s*", re.IGNORECASE)
SHORT = 160  # characters: about two lines in the chat widget
METRES_PER_MILE = 1609.344


@dataclass(frozen=True)
class ServiceMatch:
    """One service to show: what it is, how far, when, and how to get in touch."""

    service_id: str
    name: str
    organization_name: str | None
    short_description: str
    distance_m: int | None  # from the point searched from, to the service's nearest location
    when: str | None  # "Tuesdays, 10am to midday", in the language asked for; None if the directory does not say
    phone: str | None
    email: str | None
    url: str | None
    where: str | None  # the venue: "Wendford Village Hall, The Green, Wendford QQ6 1AA"

    @property
    def distance_text(self) -> str | None:
        """'0.4 miles' (people in the UK think in miles), or None with no distance."""
        if self.distance_m is None:
            return None
        miles = self.distance_m / METRES_PER_MILE
        if miles < 0.1:
            return "less than 0.1 miles"
        return "1 mile" if round(miles, 1) == 1 else f"{miles:.1f} miles"


def short_description(description: str | None) -> str:
    """The first sentence of the description, without the demo data's "Fictional demo
    service." label (the organisation's name already says so), at most about two lines."""
    text = FICTIONAL_MARK.sub("", description or "").strip()
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    if len(first) <= SHORT:
        return first
    return first[:SHORT].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _venue(location: Location | None) -> str | None:
    if location is None or location.location_type == "virtual":
        return None
    parts = [location.name] if location.name else []
    if location.addresses:
        address = location.addresses[0]
        parts += [address.address_1, f"{address.city} {address.postal_code}".strip()]
    return ", ".join(p for p in parts if p) or None


def _contact(service: Service) -> tuple[str | None, str | None, str | None]:
    """Phone, email and web address: the service's own, else a named contact's, else the
    organisation's."""
    phones = [p.number for p in service.phones] + [p.number for c in service.contacts for p in c.phones]
    emails = [service.email] + [c.email for c in service.contacts]
    org = service.organization
    if org is not None:
        emails.append(org.email)
    email = next((e for e in emails if e), None)
    return (phones[0] if phones else None), email, service.url or (org.website if org else None)


def _match(service: Service, distance: float | None, location: Location | None, locale: str) -> ServiceMatch:
    phone, email, url = _contact(service)
    return ServiceMatch(
        service_id=service.id, name=service.name,
        organization_name=service.organization.name if service.organization else None,
        short_description=short_description(service.description),
        distance_m=None if distance is None else round(distance),
        when=schedules.summary(service.schedules, locale), phone=phone, email=email, url=url, where=_venue(location))


def search_services(session: Session, *, text: str | None = None,
                    taxonomy_term_ids: Sequence[str] | None = None,
                    near: tuple[float, float] | None = None, limit: int | None = 5,
                    within_m: float | None = None, locale: str = DEFAULT_LOCALE) -> list[ServiceMatch]:
    """Active services matching every word of ``text`` and any of ``taxonomy_term_ids`` (or a
    term below one), nearest to ``near`` (latitude, longitude) first, at most ``limit`` of them.

    Services without a place (phone lines, home visits) follow the ones that have one; with
    ``within_m`` only services within that many metres are kept. Without ``near`` the order is
    alphabetical and every ``distance_m`` is None. ``when`` is written in ``locale``'s language."""
    wanted = ServiceFilter(text=text, taxonomy_term_ids=tuple(taxonomy_term_ids or ()), active_only=True)
    query = services_query(session, wanted).options(
        selectinload(Service.organization), selectinload(Service.schedules),
        selectinload(Service.phones), selectinload(Service.contacts),
        selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location)
        .selectinload(Location.addresses))
    ranked = rank(session, list(session.scalars(query)), service_locations, near, within_m)
    if limit is not None:
        ranked = ranked[:limit]
    return [_match(r.item, r.distance_m, r.location, locale) for r in ranked]


def category_term_ids(session: Session, *codes: str) -> list[str]:
    """The ids of Front Door categories by code ('dementia', 'carers-support', 'lunch-clubs'...),
    for ``search_services(taxonomy_term_ids=...)``. Unknown codes are ignored."""
    return list(session.scalars(
        select(TaxonomyTerm.id).join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(Taxonomy.name == FRONTDOOR_TAXONOMY, TaxonomyTerm.code.in_(codes))))
