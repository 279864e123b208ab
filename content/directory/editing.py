"""Changing the directory by hand: what the staff admin's directory pages do to the tables.

Every change is written straight into the Open Referral UK tables, so ``/oruk`` and the bot's
``search_services`` see it on their next request. Each change stamps ``last_modified`` on the
services it touches (``/oruk/services?modified_after=`` finds them). Nothing here commits: the
caller commits the change together with its audit entry.

Checks that need the database (is this postcode in the postcode table?) are here; checks of
what someone typed (formats, required fields) and the words that explain them are the admin's.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import phonenumbers
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from .models import (STATUSES, Accessibility, Address, Attribute, Contact, Location, Organization, Phone,
                     Postcode, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm)
from .postcodes import normalise_postcode
from .queries import ServiceFilter, conditions
from .search import FRONTDOOR_TAXONOMY

CATEGORY = "category"  # the link_type of a service's taxonomy terms, as in the demo data
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKS_OF_MONTH = (1, 2, 3, 4, -1)  # first to fourth, and last
# Ofcom keeps 01632 960xxx and 07700 900xxx for drama: they are never anyone's number, which is
# why the fictional demo council uses them (and why phonenumbers does not call them valid).
DRAMA_RANGES = re.compile(r"^(?:1632960|7700900)\d{3}$")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def touch(services: Iterable[Service]) -> None:
    stamp = now()
    for service in services:
        service.last_modified = stamp


# --- what people type ---------------------------------------------------------------------

@dataclass(frozen=True)
class PhoneNumber:
    number: str  # "01632 960301": the national format residents dial
    extension: str | None


def uk_phone(text: str, allow_drama: bool = False) -> PhoneNumber | None:
    """A UK phone number in the national format, with any extension ("... ext 2") apart;
    None if it is not a UK number phonenumbers knows (Ofcom's drama ranges only when allowed)."""
    try:
        parsed = phonenumbers.parse((text or "").strip(), "GB")
    except phonenumbers.NumberParseException:
        return None
    national = str(parsed.national_number)
    valid = phonenumbers.is_valid_number(parsed) and phonenumbers.region_code_for_number(parsed) == "GB"
    drama = allow_drama and parsed.country_code == 44 and bool(DRAMA_RANGES.match(national))
    if not (valid or drama):
        return None
    extension, parsed.extension = parsed.extension, None
    return PhoneNumber(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL), extension or None)


@dataclass(frozen=True)
class Point:
    postcode: str  # "QQ6 1AA"
    latitude: float
    longitude: float


def postcode_point(session: Session, text: str) -> Point | None:
    """The postcode's centroid from the postcode table, or None if the table does not hold it.
    (Unlike the bot's ``resolve_postcode`` there is no falling back to the sector: a place's
    coordinates must be its own postcode's.)"""
    postcode = normalise_postcode(text)
    row = session.get(Postcode, postcode) if postcode else None
    return Point(row.postcode, row.latitude, row.longitude) if row else None


# --- finding services for the admin list -------------------------------------------------

def list_services(session: Session, *, text: str | None = None, term_id: str | None = None,
                  status: str | None = None, page: int = 1, per_page: int = 25) -> tuple[list[Service], int]:
    """One page of services (any status) in name order, and how many match in all. The text
    and category filters are the ones /oruk and the bot use."""
    wanted = conditions(session, ServiceFilter(text=text, taxonomy_term_ids=(term_id,) if term_id else ()))
    if status:
        wanted.append(Service.status == status)
    total = session.scalar(select(func.count()).select_from(Service).where(*wanted)) or 0
    rows = session.scalars(select(Service).where(*wanted).options(selectinload(Service.organization))
                           .order_by(Service.name, Service.id).offset((page - 1) * per_page).limit(per_page))
    return list(rows), total


def full_service(session: Session, service_id: str) -> Service | None:
    return session.scalar(select(Service).where(Service.id == service_id).options(
        selectinload(Service.organization), selectinload(Service.schedules),
        selectinload(Service.phones), selectinload(Service.contacts).selectinload(Contact.phones),
        selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location)
        .selectinload(Location.addresses)))


# --- categories -------------------------------------------------------------------------

def terms_by_taxonomy(session: Session) -> list[tuple[Taxonomy | None, list[TaxonomyTerm]]]:
    """Every taxonomy with its terms, each top-level term followed by the terms below it."""
    terms = list(session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name, TaxonomyTerm.id)))
    taxonomies = {t.id: t for t in session.scalars(select(Taxonomy))}
    groups: dict[str | None, list[TaxonomyTerm]] = {}
    for term in terms:
        groups.setdefault(term.taxonomy_id if term.taxonomy_id in taxonomies else None, []).append(term)

    def order(taxonomy_id: str | None) -> tuple:
        # Front Door's own categories first (the ones the assistant searches), terms of no
        # taxonomy we hold last.
        name = taxonomies[taxonomy_id].name if taxonomy_id else None
        return (name != FRONTDOOR_TAXONOMY, name is None, name or "")

    return [(taxonomies.get(i), _tree_order(groups[i])) for i in sorted(groups, key=order)]


def _tree_order(terms: list[TaxonomyTerm]) -> list[TaxonomyTerm]:
    ids = {t.id for t in terms}
    children: dict[str | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id if term.parent_id in ids else None, []).append(term)
    ordered: list[TaxonomyTerm] = []

    def walk(parent: str | None) -> None:
        for term in children.get(parent, []):
            ordered.append(term)
            walk(term.id)

    walk(None)
    return ordered


def category_ids(session: Session, service_id: str) -> set[str]:
    return set(session.scalars(select(Attribute.taxonomy_term_id).where(
        Attribute.link_id == service_id, Attribute.link_entity == "service")))


def set_categories(session: Session, service: Service, term_ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """Links the service to exactly these taxonomy terms; returns the ids added and removed."""
    wanted = set(term_ids)
    known = set(session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(wanted)))) if wanted else set()
    if known != wanted:
        raise ValueError(f"no taxonomy terms {sorted(wanted - known)}")
    current = category_ids(session, service.id)
    removed, added = current - wanted, wanted - current
    if removed:
        session.execute(delete(Attribute).where(Attribute.link_id == service.id, Attribute.link_entity == "service",
                                                Attribute.taxonomy_term_id.in_(removed)))
    for term_id in sorted(added):
        session.add(Attribute(link_id=service.id, link_entity="service", link_type=CATEGORY, taxonomy_term_id=term_id))
    if added or removed:
        touch([service])
    return added, removed


# --- services ---------------------------------------------------------------------------

SERVICE_FIELDS = ("name", "description", "status", "organization_id", "url", "email", "fees",
                  "minimum_age", "maximum_age")


def add_service(session: Session, **fields) -> Service:
    service = Service(**{key: fields.get(key) for key in SERVICE_FIELDS})
    service.description = service.description or ""
    if service.status not in STATUSES:
        raise ValueError(f"status {service.status!r}")
    session.add(service)
    touch([service])
    session.flush()
    return service


def change_service(service: Service, **fields) -> list[str]:
    """Sets the given fields; returns the names of those that changed."""
    changed = []
    for key in SERVICE_FIELDS:
        if key in fields and getattr(service, key) != fields[key]:
            setattr(service, key, fields[key])
            changed.append(key)
    if "status" in changed and service.status not in STATUSES:
        raise ValueError(f"status {service.status!r}")
    if changed:
        touch([service])
    return changed


def set_service_phone(service: Service, phone: PhoneNumber | None) -> bool:
    """The service's main phone number (the first of its phones, the one the assistant gives);
    None removes it. Returns whether anything changed."""
    first = service.phones[0] if service.phones else None
    if phone is None:
        if first is None:
            return False
        service.phones.remove(first)
    elif first is None:
        service.phones.append(Phone(number=phone.number, extension=phone.extension))
    elif (first.number, first.extension) != (phone.number, phone.extension):
        first.number, first.extension = phone.number, phone.extension
    else:
        return False
    touch([service])
    return True


def remove_service(session: Session, service: Service) -> None:
    """Deletes the service and everything it owns (schedules, contacts, phones, its links to
    places, its categories). Places and the organisation stay: others may use them."""
    link_ids = [service.id] + [c.id for c in service.contacts]
    session.execute(delete(Attribute).where(Attribute.link_id.in_(link_ids)))
    session.delete(service)
    session.flush()


# --- contacts ---------------------------------------------------------------------------

def set_contact(session: Session, service: Service, contact: Contact | None, *, name: str | None,
                title: str | None, email: str | None, phone: PhoneNumber | None) -> Contact:
    """Adds a contact to the service (contact None) or changes one of its contacts."""
    if contact is None:
        contact = Contact(service_id=service.id)
        service.contacts.append(contact)
    contact.name, contact.title, contact.email = name, title, email
    first = contact.phones[0] if contact.phones else None
    if phone is None and first is not None:
        contact.phones.remove(first)
    elif phone is not None and first is None:
        contact.phones.append(Phone(number=phone.number, extension=phone.extension))
    elif phone is not None:
        first.number, first.extension = phone.number, phone.extension
    touch([service])
    session.flush()
    return contact


def remove_contact(session: Session, service: Service, contact: Contact) -> None:
    session.execute(delete(Attribute).where(Attribute.link_id == contact.id))
    service.contacts.remove(contact)
    touch([service])
    session.flush()


# --- places -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PlaceDetails:
    name: str
    address_1: str
    address_2: str | None
    city: str
    state_province: str | None
    point: Point  # the postcode, checked against the postcode table, and its coordinates
    accessibility: str | None = None


def set_place(session: Session, location: Location | None, details: PlaceDetails) -> Location:
    """Creates a place (location None) or changes one, everywhere it is used. Its coordinates
    are its postcode's centroid."""
    if location is None:
        location = Location(location_type="physical")
        session.add(location)
    location.name = details.name
    location.latitude, location.longitude = details.point.latitude, details.point.longitude
    address = next((a for a in location.addresses if a.address_type == "physical"), None) or (
        location.addresses[0] if location.addresses else None)
    if address is None:
        address = Address(address_type="physical")
        location.addresses.append(address)
    address.address_1, address.address_2 = details.address_1, details.address_2
    address.city, address.state_province = details.city, details.state_province or ""
    address.postal_code, address.country = details.point.postcode, "GB"
    access = location.accessibility[0] if location.accessibility else None
    if details.accessibility and access is None:
        location.accessibility.append(Accessibility(description=details.accessibility))
    elif access is not None and details.accessibility:
        access.description = details.accessibility
    elif access is not None:
        location.accessibility.remove(access)
    session.flush()
    touch(services_at(session, location.id))
    return location


def services_at(session: Session, location_id: str) -> list[Service]:
    """Every service that meets at this place."""
    return list(session.scalars(select(Service).join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
                                .where(ServiceAtLocation.location_id == location_id).order_by(Service.name)))


def link_place(session: Session, service: Service, location: Location) -> ServiceAtLocation:
    link = ServiceAtLocation(location_id=location.id, location=location)
    service.service_at_locations.append(link)
    touch([service])
    session.flush()
    return link


def unlink_place(session: Session, service: Service, link: ServiceAtLocation) -> None:
    """The service no longer meets at this place. Its schedules for that place stay, as the
    service's own; the place stays in the directory for other services."""
    for schedule in service.schedules:
        if schedule.service_at_location_id == link.id:
            schedule.service_at_location_id, schedule.service_at_location = None, None
    service.service_at_locations.remove(link)
    touch([service])
    session.flush()


def places(session: Session) -> list[Location]:
    """Every physical place in the directory with an address, by name."""
    return list(session.scalars(select(Location).where(Location.addresses.any())
                                .options(selectinload(Location.addresses)).order_by(Location.name, Location.id)))


# --- schedules --------------------------------------------------------------------------

@dataclass(frozen=True)
class ScheduleDetails:
    freq: str | None  # WEEKLY, MONTHLY, or None for "described in words"
    interval: int | None
    byday: str | None  # "TU,TH" or, monthly, "1TH,3TH"
    opens_at: str | None  # "10:00"
    closes_at: str | None
    description: str | None


def schedule_details(frequency: str, days: Sequence[str], weeks: Sequence[int], opens_at: str | None,
                     closes_at: str | None, description: str | None) -> ScheduleDetails:
    """From the form's choices: frequency 'weekly', 'fortnightly', 'monthly' (on those weeks of
    the month) or 'other' (the description says it all)."""
    ordered = [d for d in WEEKDAYS if d in days]
    if frequency == "other":
        return ScheduleDetails(None, None, None, opens_at, closes_at, description)
    if frequency == "monthly":
        byday = ",".join(f"{week}{day}" for day in ordered for week in WEEKS_OF_MONTH if week in weeks)
        return ScheduleDetails("MONTHLY", 1, byday, opens_at, closes_at, description)
    return ScheduleDetails("WEEKLY", 2 if frequency == "fortnightly" else 1, ",".join(ordered),
                           opens_at, closes_at, description)


def schedule_choices(schedule: Schedule) -> dict:
    """The form's choices for an existing schedule (the reverse of ``schedule_details``)."""
    parts = [re.match(r"^([+-]?\d)?([A-Z]{2})$", p.strip()) for p in (schedule.byday or "").upper().split(",")]
    parts = [p for p in parts if p and p[2] in WEEKDAYS]
    freq = (schedule.freq or "").upper()
    if freq == "MONTHLY":
        frequency = "monthly"
    elif freq == "WEEKLY":
        frequency = "fortnightly" if schedule.interval == 2 else "weekly"
    else:
        frequency = "other"
    return {"frequency": frequency, "days": sorted({p[2] for p in parts}, key=WEEKDAYS.index),
            "weeks": sorted({int(p[1]) for p in parts if p[1]} or ({1} if frequency == "monthly" else set()),
                            key=WEEKS_OF_MONTH.index),
            "opens_at": schedule.opens_at, "closes_at": schedule.closes_at, "description": schedule.description}


def set_schedule(session: Session, service: Service, schedule: Schedule | None, details: ScheduleDetails) -> Schedule:
    """Adds a schedule to the service (schedule None) or changes one. Fields the form does not
    show (dates it is valid between, its place, notes) are kept."""
    if schedule is None:
        schedule = Schedule()
        service.schedules.append(schedule)
    schedule.freq, schedule.interval, schedule.byday = details.freq, details.interval, details.byday
    if details.freq != "MONTHLY":
        schedule.bymonthday = None
    schedule.opens_at, schedule.closes_at = details.opens_at, details.closes_at
    schedule.description = details.description
    touch([service])
    session.flush()
    return schedule


def remove_schedule(session: Session, service: Service, schedule: Schedule) -> None:
    service.schedules.remove(schedule)
    touch([service])
    session.flush()


# --- organisations ----------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "description", "email", "website")


def organisations(session: Session) -> list[tuple[Organization, int]]:
    """Every organisation by name, with how many services it runs."""
    counts = dict(session.execute(select(Service.organization_id, func.count()).group_by(Service.organization_id)).all())
    return [(org, counts.get(org.id, 0))
            for org in session.scalars(select(Organization).order_by(Organization.name, Organization.id))]


def set_organisation(session: Session, org: Organization | None, **fields) -> tuple[Organization, list[str]]:
    """Creates an organisation (org None) or changes one; returns it and the fields that changed.
    The services it runs are stamped as modified, since /oruk shows the organisation in each."""
    if org is None:
        org = Organization(description="")
        session.add(org)
    changed = []
    for key in ORGANISATION_FIELDS:
        value = fields.get(key, getattr(org, key))
        if key == "description":
            value = value or ""
        if getattr(org, key) != value:
            setattr(org, key, value)
            changed.append(key)
    session.flush()
    if changed:
        touch(session.scalars(select(Service).where(Service.organization_id == org.id)))
    return org, changed
