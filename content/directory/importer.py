"""Reads Open Referral UK 3.0 JSON into the directory.

Accepts what ``GET /services/{id}`` returns (one fully nested service) or a list of them, and
taxonomies with their terms. Importing is an upsert: a service that is already there is replaced
as a whole; organisations, locations and taxonomy terms, which services share, are updated.
Nested objects that arrive without an id get a stable one, so importing the same file twice
changes nothing.
"""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from .models import (STATUSES, Accessibility, Address, Attribute, Contact, CostOption, Funding,
                     Language, Location, Organization, OrganizationIdentifier, Phone, Schedule,
                     Service, ServiceArea, ServiceAtLocation, Taxonomy, TaxonomyTerm)

# For the ids of nested objects that came without one (derived from their parent's id).
NAMESPACE = uuid.UUID("6f1c3c55-41b8-4a57-9a43-1d8a3e0f5b20")


class OrukImportError(ValueError):
    """The data is not Open Referral UK as we can read it; the message says where."""


# --- reading fields ------------------------------------------------------------------------

def _uuid(value: Any, where: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise OrukImportError(f"{where}: {value!r} is not a UUID") from None


def _id(obj: dict, parent_id: str, field: str, index: int, where: str) -> str:
    if obj.get("id"):
        return _uuid(obj["id"], f"{where}.id")
    return str(uuid.uuid5(NAMESPACE, f"{parent_id}/{field}/{index}"))


def _text(obj: dict, key: str) -> str | None:
    """The field as text, exactly as given (exports should match imports), or None if blank."""
    value = obj.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value)
    return value if value.strip() else None


def _int(obj: dict, key: str, where: str) -> int | None:
    if obj.get(key) in (None, ""):
        return None
    try:
        return int(float(obj[key]))
    except (TypeError, ValueError):
        raise OrukImportError(f"{where}.{key}: {obj[key]!r} is not a number") from None


def _amount(obj: dict, key: str, where: str) -> Decimal | None:
    if obj.get(key) in (None, ""):
        return None
    try:
        return Decimal(str(obj[key]))
    except InvalidOperation:
        raise OrukImportError(f"{where}.{key}: {obj[key]!r} is not a number") from None


def _date(obj: dict, key: str, where: str) -> dt.date | None:
    if not obj.get(key):
        return None
    try:
        return dt.date.fromisoformat(str(obj[key])[:10])
    except ValueError:
        raise OrukImportError(f"{where}.{key}: {obj[key]!r} is not a date (YYYY-MM-DD)") from None


def _datetime(obj: dict, key: str, where: str) -> dt.datetime | None:
    if not obj.get(key):
        return None
    try:
        value = dt.datetime.fromisoformat(str(obj[key]))
    except ValueError:
        raise OrukImportError(f"{where}.{key}: {obj[key]!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _objects(obj: dict, key: str, where: str) -> list[dict]:
    items = obj.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise OrukImportError(f"{where}.{key}: expected a list of objects")
    return items


def _each(obj: dict, key: str, parent_id: str, where: str):
    """(id, item, path) for each object in a list field, with ids filled in."""
    for index, item in enumerate(_objects(obj, key, where)):
        path = f"{where}.{key}[{index}]"
        yield _id(item, parent_id, key, index, path), item, path


# --- building rows -------------------------------------------------------------------------

def _address(item: dict, address_id: str) -> Address:
    return Address(
        id=address_id, attention=_text(item, "attention"), address_1=_text(item, "address_1") or "",
        address_2=_text(item, "address_2"), city=_text(item, "city") or "", region=_text(item, "region"),
        state_province=_text(item, "state_province") or "", postal_code=_text(item, "postal_code") or "",
        country=(_text(item, "country") or "GB")[:2].upper(), address_type=_text(item, "address_type") or "physical")


def _accessibility(item: dict, access_id: str) -> Accessibility:
    return Accessibility(id=access_id, description=_text(item, "description") or _text(item, "accessibility"),
                         details=_text(item, "details"), url=_text(item, "url"))


def _number(obj: dict, key: str, where: str) -> float | None:
    if obj.get(key) in (None, ""):
        return None
    try:
        return float(obj[key])
    except (TypeError, ValueError):
        raise OrukImportError(f"{where}.{key}: {obj[key]!r} is not a number") from None


def _languages(owner: dict, parent_id: str, where: str) -> list[Language]:
    return [Language(id=i, name=_text(item, "name"), code=_text(item, "code"), note=_text(item, "note"))
            for i, item, _ in _each(owner, "languages", parent_id, where)]


def _phones(owner: dict, parent_id: str, where: str) -> list[Phone]:
    phones = []
    for phone_id, item, path in _each(owner, "phones", parent_id, where):
        if not _text(item, "number"):
            raise OrukImportError(f"{path}.number: a phone needs a number")
        phones.append(Phone(id=phone_id, number=_text(item, "number"), extension=_text(item, "extension"),
                            type=_text(item, "type"), description=_text(item, "description"),
                            languages=_languages(item, phone_id, path)))
    return phones


def _schedule(item: dict, schedule_id: str, path: str, locations: set[str]) -> Schedule:
    # Keep the link to one of the service's locations; a link to anything else cannot hold.
    at_location = item.get("service_at_location_id")
    at_location = _uuid(at_location, f"{path}.service_at_location_id") if at_location else None
    return Schedule(
        id=schedule_id, service_at_location_id=at_location if at_location in locations else None,
        valid_from=_date(item, "valid_from", path), valid_to=_date(item, "valid_to", path),
        dtstart=_text(item, "dtstart"), freq=(_text(item, "freq") or "").upper() or None,
        interval=_int(item, "interval", path), byday=_text(item, "byday"), bymonthday=_text(item, "bymonthday"),
        description=_text(item, "description"), opens_at=_text(item, "opens_at"), closes_at=_text(item, "closes_at"),
        schedule_link=_text(item, "schedule_link"), attending_type=_text(item, "attending_type"),
        notes=_text(item, "notes"))


def _service_fields(data: dict, where: str) -> dict:
    status = _text(data, "status") or "active"
    if status not in STATUSES:
        raise OrukImportError(f"{where}.status: {status!r} is not one of {', '.join(STATUSES)}")
    name = _text(data, "name")
    if not name:
        raise OrukImportError(f"{where}.name: a service needs a name")
    return dict(
        name=name, description=_text(data, "description") or "", url=_text(data, "url"),
        email=_text(data, "email"), status=status, fees=_text(data, "fees"),
        accreditations=_text(data, "accreditations"), minimum_age=_int(data, "minimum_age", where),
        maximum_age=_int(data, "maximum_age", where), assured_date=_date(data, "assured_date", where),
        assurer_email=_text(data, "assurer_email"), alert=_text(data, "alert"),
        last_modified=_datetime(data, "last_modified", where) or dt.datetime.now(dt.timezone.utc))



def _service_children(service: Service, data: dict, where: str) -> None:
    """Everything a service owns outright, built fresh from the JSON."""
    service_id = service.id
    sal_ids = {link.id for link in service.service_at_locations}
    service.schedules = [_schedule(item, i, p, sal_ids) for i, item, p in _each(data, "schedules", service_id, where)]
    service.service_areas = [
        ServiceArea(id=i, name=_text(item, "name") or _text(item, "service_area"), extent=_text(item, "extent"),
                    extent_type=_text(item, "extent_type"), uri=_text(item, "uri"))
        for i, item, _ in _each(data, "service_areas", service_id, where)]
    service.languages = _languages(data, service_id, where)
    service.funding = [Funding(id=i, source=_text(item, "source"))
                       for i, item, _ in _each(data, "funding", service_id, where)]
    service.cost_options = [
        CostOption(id=i, valid_from=_date(item, "valid_from", p), valid_to=_date(item, "valid_to", p),
                   option=_text(item, "option"), amount=_amount(item, "amount", p),
                   amount_description=_text(item, "amount_description"))
        for i, item, p in _each(data, "cost_options", service_id, where)]
    service.contacts = [
        Contact(id=i, name=_text(item, "name"), title=_text(item, "title"), email=_text(item, "email"),
                phones=_phones(item, i, p))
        for i, item, p in _each(data, "contacts", service_id, where)]
    service.phones = _phones(data, service_id, where)


# --- importing --------------------------------------------------------------------------------

class Importer:
    """One import into one session. Services share organisations, locations and taxonomy terms;
    each of those is written once per import however many services name it, which keeps a
    directory of hundreds of services to seconds."""

    def __init__(self, session: Session):
        self.session = session
        self.done: set[tuple[type, str]] = set()

    def _first_time(self, model: type, object_id: str) -> bool:
        if (model, object_id) in self.done:
            return False
        self.done.add((model, object_id))
        return True

    def _replace(self, owner: object, attribute: str, items: list) -> None:
        # Empty the collection and flush before adding the new rows: they may reuse the old ids.
        if getattr(owner, attribute):
            setattr(owner, attribute, [])
            self.session.flush()
        setattr(owner, attribute, items)

    def _unlink(self, link_ids: list[str]) -> None:
        """Removes the attributes hanging from these objects, before they are written again."""
        if link_ids:
            self.session.execute(delete(Attribute).where(Attribute.link_id.in_(link_ids)))

    # taxonomies and attributes

    def taxonomy(self, taxonomy_id: str, name: str | None) -> None:
        if self._first_time(Taxonomy, taxonomy_id) and self.session.get(Taxonomy, taxonomy_id) is None:
            self.session.add(Taxonomy(id=taxonomy_id, name=name or "Imported taxonomy",
                                      description="Created when importing services that use its terms."))

    def term(self, data: dict, where: str, taxonomy_id: str | None = None) -> str:
        term_id = _uuid(data.get("id"), f"{where}.id")
        if not self._first_time(TaxonomyTerm, term_id):
            return term_id
        name = _text(data, "name") or _text(data, "term")
        if not name:
            raise OrukImportError(f"{where}.name: a taxonomy term needs a name")
        taxonomy_id = taxonomy_id or (_uuid(data["taxonomy_id"], f"{where}.taxonomy_id")
                                      if data.get("taxonomy_id") else None)
        if taxonomy_id:
            self.taxonomy(taxonomy_id, _text(data, "taxonomy"))
        term = self.session.get(TaxonomyTerm, term_id) or TaxonomyTerm(id=term_id)
        term.name, term.code = name, _text(data, "code")
        term.description = _text(data, "description") or ""
        term.parent_id = _uuid(data["parent_id"], f"{where}.parent_id") if data.get("parent_id") else None
        term.taxonomy, term.taxonomy_id = _text(data, "taxonomy"), taxonomy_id
        term.term_uri = _text(data, "term_uri")
        self.session.add(term)
        return term_id

    def attributes(self, owner: dict, link_id: str, entity: str, where: str) -> None:
        for attribute_id, item, path in _each(owner, "attributes", link_id, where):
            if isinstance(item.get("taxonomy_term"), dict):
                term_id = self.term(item["taxonomy_term"], f"{path}.taxonomy_term")
            else:
                term_id = _uuid(item.get("taxonomy_term_id"), f"{path}.taxonomy_term_id")
                if (TaxonomyTerm, term_id) not in self.done and self.session.get(TaxonomyTerm, term_id) is None:
                    raise OrukImportError(f"{path}.taxonomy_term_id: no taxonomy term {term_id}")
            self.session.add(Attribute(id=attribute_id, link_id=link_id, link_entity=entity,
                                       link_type=_text(item, "link_type"), taxonomy_term_id=term_id,
                                       value=_text(item, "value")))

    def taxonomies(self, data: list[dict] | dict) -> int:
        items = data if isinstance(data, list) else [data]
        for index, item in enumerate(items):
            where = f"taxonomies[{index}]"
            taxonomy_id = _uuid(item.get("id"), f"{where}.id")
            self.done.add((Taxonomy, taxonomy_id))
            taxonomy = self.session.get(Taxonomy, taxonomy_id) or Taxonomy(id=taxonomy_id)
            taxonomy.name = _text(item, "name") or "Unnamed taxonomy"
            taxonomy.description = _text(item, "description") or ""
            taxonomy.uri, taxonomy.version = _text(item, "uri"), _text(item, "version")
            self.session.add(taxonomy)
            for term_index, term in enumerate(_objects(item, "taxonomy_terms", where)):
                self.term(term, f"{where}.taxonomy_terms[{term_index}]", taxonomy_id)
        self.session.flush()
        return len(items)

    # organisations and locations: shared, so updated in place

    def organization(self, data: dict, where: str) -> str:
        org_id = _uuid(data.get("id"), f"{where}.id")
        if not self._first_time(Organization, org_id):
            return org_id
        org = self.session.get(Organization, org_id) or Organization(id=org_id)
        org.name = _text(data, "name") or org.name
        if not org.name:
            raise OrukImportError(f"{where}.name: an organisation needs a name")
        org.description = _text(data, "description") or org.description or ""
        for key in ("email", "website", "logo", "uri"):
            setattr(org, key, _text(data, key))
        org.parent_organization_id = (_uuid(data["parent_organization_id"], f"{where}.parent_organization_id")
                                      if data.get("parent_organization_id") else None)
        self.session.add(org)
        if "organization_identifiers" in data:  # a summary without them leaves them alone
            self._unlink([org_id] + [i.id for i in org.identifiers])
            identifiers = [
                (OrganizationIdentifier(id=i, identifier_scheme=_text(item, "identifier_scheme"),
                                        identifier_type=_text(item, "identifier_type") or "",
                                        identifier=_text(item, "identifier") or ""), item, path)
                for i, item, path in _each(data, "organization_identifiers", org_id, where)]
            self._replace(org, "identifiers", [row for row, _, _ in identifiers])
            self.attributes(data, org_id, "organization", where)
            for row, item, path in identifiers:
                self.attributes(item, row.id, "organization_identifier", path)
        return org_id

    def location(self, data: dict, where: str) -> str:
        location_id = _uuid(data.get("id"), f"{where}.id")
        if not self._first_time(Location, location_id):
            return location_id
        location = self.session.get(Location, location_id) or Location(id=location_id)
        location.location_type = _text(data, "location_type") or "physical"
        for key in ("name", "description", "external_identifier", "external_identifier_type"):
            setattr(location, key, _text(data, key))
        location.latitude = _number(data, "latitude", where)
        location.longitude = _number(data, "longitude", where)
        self.session.add(location)
        if "addresses" in data or "accessibility" in data:
            self._unlink([location_id] + [a.id for a in location.addresses] + [a.id for a in location.accessibility])
            addresses = [(_address(item, i), item, p) for i, item, p in _each(data, "addresses", location_id, where)]
            access = [(_accessibility(item, i), item, p)
                      for i, item, p in _each(data, "accessibility", location_id, where)]
            self._replace(location, "addresses", [row for row, _, _ in addresses])
            self._replace(location, "accessibility", [row for row, _, _ in access])
            self.attributes(data, location_id, "location", where)
            for row, item, path in addresses:
                self.attributes(item, row.id, "address", path)
            for row, item, path in access:
                self.attributes(item, row.id, "accessibility", path)
        return location_id

    # services: owned outright, so replaced whole

    def _organization_of(self, data: dict, where: str) -> str | None:
        if isinstance(data.get("organization"), dict):
            return self.organization(data["organization"], f"{where}.organization")
        if not data.get("organization_id"):
            return None
        org_id = _uuid(data["organization_id"], f"{where}.organization_id")
        if (Organization, org_id) not in self.done and self.session.get(Organization, org_id) is None:
            raise OrukImportError(f"{where}.organization_id: no organisation {org_id}")
        return org_id

    def _links(self, data: dict, service_id: str, where: str) -> list[ServiceAtLocation]:
        links = []
        for link_id, item, path in _each(data, "service_at_locations", service_id, where):
            if isinstance(item.get("location"), dict):
                location_id = self.location(item["location"], f"{path}.location")
            else:
                location_id = _uuid(item.get("location_id"), f"{path}.location_id")
                if (Location, location_id) not in self.done and self.session.get(Location, location_id) is None:
                    raise OrukImportError(f"{path}.location_id: no location {location_id}")
            links.append(ServiceAtLocation(id=link_id, location_id=location_id, description=_text(item, "description")))
        return links

    def service(self, data: dict, where: str = "service") -> Service:
        if not isinstance(data, dict):
            raise OrukImportError(f"{where}: expected a service object")
        service_id = _uuid(data.get("id"), f"{where}.id")
        if not self._first_time(Service, service_id):
            raise OrukImportError(f"{where}.id: service {service_id} appears more than once")
        fields = _service_fields(data, where)
        existing = self.session.get(Service, service_id)
        if existing is not None:  # replaced whole: delete it (and all it owns) first
            self._unlink([service_id] + [c.id for c in existing.contacts])
            self.session.delete(existing)
            self.session.flush()
        service = Service(id=service_id, organization_id=self._organization_of(data, where), **fields)
        self.session.add(service)
        service.service_at_locations = self._links(data, service_id, where)
        _service_children(service, data, where)
        self.attributes(data, service_id, "service", where)
        for contact, (_, item, path) in zip(service.contacts, _each(data, "contacts", service_id, where)):
            self.attributes(item, contact.id, "contact", path)
        return service

    def services(self, data: list[dict] | dict) -> int:
        items = [data] if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise OrukImportError("expected a service object or a list of them")
        # Written in one flush at the end (a few bulk inserts rather than thousands of statements);
        # lookups in between see only what was there before, which is all they ask about.
        with self.session.no_autoflush:
            for index, item in enumerate(items):
                self.service(item, "service" if isinstance(data, dict) else f"services[{index}]")
        self.session.flush()
        return len(items)


def import_services(session: Session, data: list[dict] | dict) -> int:
    """One fully nested service object or a list of them; returns how many were imported."""
    return Importer(session).services(data)


def import_service(session: Session, data: dict) -> Service:
    importer = Importer(session)
    with session.no_autoflush:
        service = importer.service(data)
    session.flush()
    return service


def import_taxonomies(session: Session, data: list[dict] | dict) -> int:
    """Taxonomy objects (as ``GET /taxonomies/{id}`` returns them), each with its terms."""
    return Importer(session).taxonomies(data)
