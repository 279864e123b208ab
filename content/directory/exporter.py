"""Writes the directory as Open Referral UK 3.0 JSON: the objects the /oruk API returns and the
file ``python -m content.directory export`` writes.

The UK profile's schemas allow no nulls (a field is a string or absent), so empty fields are
left out. A few HSDS 3.0 fields the UK profile does not list are added where they carry
something people need (service and contact ``phones``, contact ``email``, language ``name`` and
``code``, taxonomy term ``code``); the standard allows extra properties.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from .models import (Attribute, Location, Organization, Phone, Service, ServiceAtLocation, Taxonomy,
                     TaxonomyTerm)

Attributes = dict[str, list[Attribute]]  # link_id -> the attributes linked to it

# Loads everything a full service needs in a handful of queries instead of hundreds.
FULL_SERVICE = (
    selectinload(Service.organization).selectinload(Organization.identifiers),
    selectinload(Service.schedules), selectinload(Service.service_areas),
    selectinload(Service.languages), selectinload(Service.funding), selectinload(Service.cost_options),
    selectinload(Service.phones).selectinload(Phone.languages),
    selectinload(Service.contacts), selectinload(Service.service_at_locations)
    .selectinload(ServiceAtLocation.location).selectinload(Location.addresses),
    selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location)
    .selectinload(Location.accessibility),
)


def _clean(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value is not None}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _amount(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- taxonomies ------------------------------------------------------------------------------

def taxonomy_term(term: TaxonomyTerm) -> dict:
    return _clean({
        "id": term.id, "name": term.name, "description": term.description or term.name,
        "code": term.code, "parent_id": term.parent_id, "taxonomy": term.taxonomy,
        "taxonomy_id": term.taxonomy_id, "term_uri": term.term_uri, "term": term.name,
    })


def taxonomy(item: Taxonomy, terms: Iterable[TaxonomyTerm] | None = None) -> dict:
    fields = _clean({"id": item.id, "name": item.name, "description": item.description or item.name,
                     "uri": item.uri, "version": item.version})
    if terms is not None:
        fields["taxonomy_terms"] = [taxonomy_term(t) for t in terms]
    return fields


def attribute_index(session: Session, link_ids: Iterable[str] | None = None) -> Attributes:
    """The attributes (with their terms) of the given objects, or of everything."""
    query = select(Attribute).options(joinedload(Attribute.taxonomy_term)).order_by(Attribute.id)
    if link_ids is not None:
        ids = list(set(link_ids))
        if not ids:
            return {}
        query = query.where(Attribute.link_id.in_(ids))
    index: Attributes = {}
    for attribute in session.scalars(query):
        index.setdefault(attribute.link_id, []).append(attribute)
    return index


def attributes(index: Attributes, link_id: str) -> list[dict]:
    return [_clean({"id": a.id, "link_id": a.link_id, "link_type": a.link_type, "link_entity": a.link_entity,
                    "taxonomy_term_id": a.taxonomy_term_id, "value": a.value,
                    "taxonomy_term": taxonomy_term(a.taxonomy_term)})
            for a in index.get(link_id, [])]


# --- organisations ---------------------------------------------------------------------------

def organization_summary(org: Organization) -> dict:
    return _clean({"id": org.id, "name": org.name, "description": org.description or org.name,
                   "email": org.email, "website": org.website, "logo": org.logo, "uri": org.uri,
                   "parent_organization_id": org.parent_organization_id})


def organization_full(org: Organization, index: Attributes, services: Iterable[Service] | None = None) -> dict:
    identifiers = [{**_clean({"id": i.id, "organization_id": org.id, "identifier_scheme": i.identifier_scheme,
                              "identifier_type": i.identifier_type, "identifier": i.identifier}),
                    "attributes": attributes(index, i.id)} for i in org.identifiers]
    fields = {**organization_summary(org), "organization_identifiers": identifiers,
              "attributes": attributes(index, org.id)}
    if services is not None:
        fields["services"] = [service_summary(s, with_organization=False) for s in services]
    return fields


# --- locations -------------------------------------------------------------------------------

def location_summary(location: Location) -> dict:
    return _clean({"id": location.id, "location_type": location.location_type, "name": location.name,
                   "description": location.description, "latitude": location.latitude,
                   "longitude": location.longitude, "external_identifier": location.external_identifier,
                   "external_identifier_type": location.external_identifier_type})


def location_full(location: Location, index: Attributes) -> dict:
    addresses = [{**_clean({
        "id": a.id, "location_id": location.id, "attention": a.attention, "address_1": a.address_1,
        "address_2": a.address_2, "city": a.city, "region": a.region, "state_province": a.state_province,
        "postal_code": a.postal_code, "country": a.country, "address_type": a.address_type,
    }), "attributes": attributes(index, a.id)} for a in location.addresses]
    access = [{**_clean({"id": a.id, "location_id": location.id, "description": a.description,
                         "details": a.details, "url": a.url, "accessibility": a.description}),
               "attributes": attributes(index, a.id)} for a in location.accessibility]
    return {**location_summary(location), "addresses": addresses, "accessibility": access,
            "attributes": attributes(index, location.id)}


# --- services --------------------------------------------------------------------------------

def service_summary(service: Service, with_organization: bool = True) -> dict:
    """The one-to-one fields: an item of ``GET /services``."""
    fields = _clean({
        "id": service.id, "organization_id": service.organization_id, "name": service.name,
        "description": service.description, "url": service.url, "email": service.email,
        "status": service.status, "fees": service.fees, "accreditations": service.accreditations,
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "assured_date": _date(service.assured_date), "assurer_email": service.assurer_email,
        "alert": service.alert, "last_modified": _datetime(service.last_modified),
    })
    if with_organization and service.organization is not None:
        fields["organization"] = organization_summary(service.organization)
    return fields


def _languages(items) -> list[dict]:
    return [_clean({"id": lang.id, "service_id": lang.service_id, "phone_id": lang.phone_id,
                    "name": lang.name, "code": lang.code, "note": lang.note}) for lang in items]


def _phones(items) -> list[dict]:
    return [{**_clean({"id": p.id, "service_id": p.service_id, "contact_id": p.contact_id, "number": p.number,
                       "extension": p.extension, "type": p.type, "description": p.description}),
             "languages": _languages(p.languages)} for p in items]


def _schedules(service: Service) -> list[dict]:
    return [_clean({
        "id": s.id, "service_id": service.id, "service_at_location_id": s.service_at_location_id,
        "valid_from": _date(s.valid_from), "valid_to": _date(s.valid_to), "dtstart": s.dtstart,
        "freq": s.freq, "interval": s.interval, "byday": s.byday, "bymonthday": s.bymonthday,
        "description": s.description, "opens_at": s.opens_at, "closes_at": s.closes_at,
        "schedule_link": s.schedule_link, "attending_type": s.attending_type, "notes": s.notes,
    }) for s in service.schedules]


def service_at_location_full(link: ServiceAtLocation, index: Attributes) -> dict:
    return _clean({"id": link.id, "service_id": link.service_id, "location_id": link.location_id,
                   "description": link.description, "location": location_full(link.location, index)})


def service_full(service: Service, index: Attributes, with_locations: bool = True) -> dict:
    """Everything about a service: ``GET /services/{id}`` and the export file."""
    fields = service_summary(service, with_organization=False)
    org = service.organization
    fields.update({
        "schedules": _schedules(service),
        "service_areas": [_clean({"id": a.id, "service_id": service.id, "name": a.name, "extent": a.extent,
                                  "extent_type": a.extent_type, "uri": a.uri, "service_area": a.name})
                          for a in service.service_areas],
        "languages": _languages(service.languages),
        "funding": [_clean({"id": f.id, "service_id": service.id, "source": f.source}) for f in service.funding],
        "cost_options": [_clean({
            "id": c.id, "service_id": service.id, "valid_from": _date(c.valid_from), "valid_to": _date(c.valid_to),
            "option": c.option, "amount": _amount(c.amount), "amount_description": c.amount_description,
        }) for c in service.cost_options],
        "contacts": [{**_clean({"id": c.id, "service_id": service.id, "name": c.name, "title": c.title,
                                "email": c.email}),
                      "phones": _phones(c.phones), "attributes": attributes(index, c.id)} for c in service.contacts],
        "phones": _phones(service.phones),
        "attributes": attributes(index, service.id),
    })
    if with_locations:
        fields["service_at_locations"] = [service_at_location_full(link, index)
                                          for link in service.service_at_locations]
    if org is not None:
        fields["organization"] = organization_full(org, index)
    return fields


def link_ids(services: Iterable[Service]) -> set[str]:
    """Every id a service's attributes may hang from: the service and its nested objects."""
    ids: set[str] = set()
    for service in services:
        ids.add(service.id)
        ids.update(c.id for c in service.contacts)
        if service.organization is not None:
            ids.add(service.organization.id)
            ids.update(i.id for i in service.organization.identifiers)
        for link in service.service_at_locations:
            ids.add(link.location.id)
            ids.update(a.id for a in link.location.addresses)
            ids.update(a.id for a in link.location.accessibility)
    return ids


def load_full_services(session: Session, ids: Iterable[str] | None = None) -> list[Service]:
    query = select(Service).options(*FULL_SERVICE).order_by(Service.name, Service.id)
    if ids is not None:
        query = query.where(Service.id.in_(list(ids)))
    return list(session.scalars(query))


def export_services(session: Session) -> list[dict]:
    """The whole directory as a list of fully nested services."""
    services = load_full_services(session)
    index = attribute_index(session, link_ids(services))
    return [service_full(s, index) for s in services]
