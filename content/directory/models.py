"""The service directory's tables, in the shape of Open Referral UK 3.0 (the HSDS 3.0 UK profile).

One table per HSDS object, with HSDS field names, so the importer and exporter are a plain
mapping and a council's own Open Referral data fits without translation. ids are UUID strings,
as the standard asks. Table names start with ``dir_`` so that generic names such as ``contacts``
or ``languages`` cannot collide with the rest of the application's tables.

Two tables are not HSDS: ``dir_postcodes`` and ``dir_places``, the centroids that turn "QQ1 2AB"
or "Wendford" into a point, so that distances work offline.
"""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from content.models import Base

UUID_LENGTH = 36
ACTIVE = "active"
STATUSES = (ACTIVE, "inactive", "defunct", "temporarily closed")


def new_id() -> str:
    return str(uuid.uuid4())


def _id() -> Mapped[str]:
    return mapped_column(String(UUID_LENGTH), primary_key=True, default=new_id)


def _parent(target: str, nullable: bool = False) -> Mapped:
    # Children go with their parent: deleting a service deletes its schedules, contacts...
    return mapped_column(String(UUID_LENGTH), ForeignKey(target, ondelete="CASCADE"),
                         nullable=nullable, index=True)


def _children(target: str) -> Mapped:
    # Ordered by id so that exports are the same from one run (and one database) to the next.
    return relationship(target, cascade="all, delete-orphan", order_by=f"{target}.id")


class Organization(Base):
    __tablename__ = "dir_organizations"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    logo: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(Text)
    # Not a foreign key: an imported organisation may name a parent outside this directory.
    parent_organization_id: Mapped[str | None] = mapped_column(String(UUID_LENGTH))

    identifiers: Mapped[list[OrganizationIdentifier]] = _children("OrganizationIdentifier")
    services: Mapped[list[Service]] = relationship(back_populates="organization")


class OrganizationIdentifier(Base):
    """A third-party identifier such as a charity or company number."""

    __tablename__ = "dir_organization_identifiers"

    id: Mapped[str] = _id()
    organization_id: Mapped[str] = _parent("dir_organizations.id")
    identifier_scheme: Mapped[str | None] = mapped_column(Text)
    identifier_type: Mapped[str] = mapped_column(Text)
    identifier: Mapped[str] = mapped_column(Text)


class Service(Base):
    __tablename__ = "dir_services"

    id: Mapped[str] = _id()
    organization_id: Mapped[str | None] = mapped_column(
        String(UUID_LENGTH), ForeignKey("dir_organizations.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ACTIVE)
    fees: Mapped[str | None] = mapped_column(Text)
    accreditations: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    assured_date: Mapped[dt.date | None] = mapped_column(Date)
    assurer_email: Mapped[str | None] = mapped_column(Text)
    alert: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    organization: Mapped[Organization | None] = relationship(back_populates="services")
    schedules: Mapped[list[Schedule]] = _children("Schedule")
    service_areas: Mapped[list[ServiceArea]] = _children("ServiceArea")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="ServiceAtLocation.id")
    languages: Mapped[list[Language]] = _children("Language")
    funding: Mapped[list[Funding]] = _children("Funding")
    cost_options: Mapped[list[CostOption]] = _children("CostOption")
    contacts: Mapped[list[Contact]] = _children("Contact")
    phones: Mapped[list[Phone]] = _children("Phone")


class Location(Base):
    """A place where services are delivered. Shared: many services can meet in one hall."""

    __tablename__ = "dir_locations"

    id: Mapped[str] = _id()
    location_type: Mapped[str] = mapped_column(String(20), default="physical")
    name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    external_identifier: Mapped[str | None] = mapped_column(Text)
    external_identifier_type: Mapped[str | None] = mapped_column(Text)

    addresses: Mapped[list[Address]] = _children("Address")
    accessibility: Mapped[list[Accessibility]] = _children("Accessibility")


class Address(Base):
    __tablename__ = "dir_addresses"

    id: Mapped[str] = _id()
    location_id: Mapped[str] = _parent("dir_locations.id")
    attention: Mapped[str | None] = mapped_column(Text)
    address_1: Mapped[str] = mapped_column(Text)
    address_2: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    state_province: Mapped[str] = mapped_column(Text)
    postal_code: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    address_type: Mapped[str] = mapped_column(String(20), default="physical")


class Accessibility(Base):
    __tablename__ = "dir_accessibility"

    id: Mapped[str] = _id()
    location_id: Mapped[str] = _parent("dir_locations.id")
    description: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)


class ServiceAtLocation(Base):
    __tablename__ = "dir_service_at_locations"

    id: Mapped[str] = _id()
    service_id: Mapped[str] = _parent("dir_services.id")
    location_id: Mapped[str] = _parent("dir_locations.id")
    description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship()


class Schedule(Base):
    """When a service runs, as an iCalendar rule (freq, interval, byday...) plus opening times.
    A schedule belongs to a service, and optionally to one of its locations."""

    __tablename__ = "dir_schedules"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _parent("dir_services.id", nullable=True)
    service_at_location_id: Mapped[str | None] = _parent("dir_service_at_locations.id", nullable=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    dtstart: Mapped[str | None] = mapped_column(Text)
    freq: Mapped[str | None] = mapped_column(String(10))
    interval: Mapped[int | None] = mapped_column(Integer)
    byday: Mapped[str | None] = mapped_column(Text)
    bymonthday: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[str | None] = mapped_column(String(20))
    closes_at: Mapped[str | None] = mapped_column(String(20))
    schedule_link: Mapped[str | None] = mapped_column(Text)
    attending_type: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    # Tells the unit of work to write the service_at_location before the schedule that names it.
    service_at_location: Mapped[ServiceAtLocation | None] = relationship()


class ServiceArea(Base):
    __tablename__ = "dir_service_areas"

    id: Mapped[str] = _id()
    service_id: Mapped[str] = _parent("dir_services.id")
    name: Mapped[str | None] = mapped_column(Text)
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(Text)


class Contact(Base):
    """A named contact. Email and phones are HSDS 3.0 fields the UK profile leaves out."""

    __tablename__ = "dir_contacts"

    id: Mapped[str] = _id()
    service_id: Mapped[str] = _parent("dir_services.id")
    name: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)

    phones: Mapped[list[Phone]] = _children("Phone")


class Phone(Base):
    """A phone number of a service, or of one of its contacts."""

    __tablename__ = "dir_phones"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _parent("dir_services.id", nullable=True)
    contact_id: Mapped[str | None] = _parent("dir_contacts.id", nullable=True)
    number: Mapped[str] = mapped_column(Text)
    extension: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)

    languages: Mapped[list[Language]] = _children("Language")


class Language(Base):
    """A language a service (or a phone line) works in; name and code are HSDS 3.0 fields."""

    __tablename__ = "dir_languages"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _parent("dir_services.id", nullable=True)
    phone_id: Mapped[str | None] = _parent("dir_phones.id", nullable=True)
    name: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class CostOption(Base):
    __tablename__ = "dir_cost_options"

    id: Mapped[str] = _id()
    service_id: Mapped[str] = _parent("dir_services.id")
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    option: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    amount_description: Mapped[str | None] = mapped_column(Text)


class Funding(Base):
    __tablename__ = "dir_funding"

    id: Mapped[str] = _id()
    service_id: Mapped[str] = _parent("dir_services.id")
    source: Mapped[str | None] = mapped_column(Text)


class Taxonomy(Base):
    """A vocabulary: the LGA's service types, or Front Door's own categories."""

    __tablename__ = "dir_taxonomies"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(Text)

    terms: Mapped[list[TaxonomyTerm]] = relationship(back_populates="vocabulary")


class TaxonomyTerm(Base):
    __tablename__ = "dir_taxonomy_terms"

    id: Mapped[str] = _id()
    code: Mapped[str | None] = mapped_column(Text, index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    # Not a foreign key: imported terms may name a parent from a list we do not hold.
    parent_id: Mapped[str | None] = mapped_column(String(UUID_LENGTH), index=True)
    taxonomy: Mapped[str | None] = mapped_column(Text)  # the vocabulary's name, free text
    taxonomy_id: Mapped[str | None] = mapped_column(
        String(UUID_LENGTH), ForeignKey("dir_taxonomies.id"), index=True)
    term_uri: Mapped[str | None] = mapped_column(Text)

    vocabulary: Mapped[Taxonomy | None] = relationship(back_populates="terms")


class Attribute(Base):
    """Links a taxonomy term to a service (or, in imported data, to another object).

    HSDS links attributes to any kind of object through ``link_id`` and ``link_entity``; that
    cannot be a foreign key, so the importer and exporter look them up by ``link_id``."""

    __tablename__ = "dir_attributes"

    id: Mapped[str] = _id()
    link_id: Mapped[str] = mapped_column(String(UUID_LENGTH), index=True)
    link_entity: Mapped[str] = mapped_column(String(40), default="service")
    link_type: Mapped[str | None] = mapped_column(Text)
    taxonomy_term_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("dir_taxonomy_terms.id", ondelete="CASCADE"), index=True)
    value: Mapped[str | None] = mapped_column(Text)

    taxonomy_term: Mapped[TaxonomyTerm] = relationship()


class Postcode(Base):
    """A postcode's centroid (WGS84), from the ONS Postcode Directory or OS Code-Point Open."""

    __tablename__ = "dir_postcodes"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # "QQ1 2AB"
    sector: Mapped[str] = mapped_column(String(6), index=True)  # "QQ1 2"
    district: Mapped[str] = mapped_column(String(4), index=True)  # "QQ1"
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class Place(Base):
    """A town, village or neighbourhood people name instead of a postcode."""

    __tablename__ = "dir_places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # lower case, letters and digits only
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
