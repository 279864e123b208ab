"""The directory as a read-only Open Referral UK 3.0 API at /oruk (HSDS 3.0, UK profile).

Open to everyone, no sign-in, every response with ``Access-Control-Allow-Origin: *`` (the UK
compliance rules), so other councils' tools and the standard's validator can read it. Endpoints
and parameters follow the standard's openapi.json (vendored in content/directory/standard/);
``postcode`` and ``proximity`` on /services are a Front Door extension. Bad parameters get a
400 and unknown ids a 404, both as JSON, never a 500.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
import uuid
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from flask import Blueprint, current_app, jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound

from content import db
from content.directory import STANDARD, exporter
from content.directory.models import (Location, Organization, Service, ServiceAtLocation, Taxonomy,
                                      TaxonomyTerm)
from content.directory.postcodes import normalise_district, resolve_district, resolve_postcode
from content.directory.queries import Ranked, ServiceFilter, conditions, rank, service_locations, services_query

log = logging.getLogger(__name__)
blueprint = Blueprint("oruk", __name__, url_prefix="/oruk")

OPENAPI_FILE = STANDARD / "openapi.json"
PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 100
MAX_PAGE = 1_000_000  # beyond any directory; larger numbers overflow the databases' integers
LOCATED = (selectinload(Service.organization),
           selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location)
           .selectinload(Location.addresses))


@blueprint.record_once
def _no_csrf(state) -> None:
    # Read-only and cookie-free: there is nothing to forge, and a POST should get a plain 405.
    csrf = state.app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(blueprint)


# --- every response: CORS, and errors as JSON ------------------------------------------------

@blueprint.after_request
def _cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.setdefault("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
    return response


def _error(status: int, message: str):
    response = jsonify({"status": status, "error": message})
    response.status_code = status
    return response


@blueprint.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return _error(exc.code or 500, exc.description or exc.name)


@blueprint.errorhandler(Exception)
def _unexpected(exc: Exception):
    log.exception("the /oruk API failed")
    return _error(500, "Something went wrong on our side. Please try again later.")


# Unknown paths and methods under /oruk would otherwise get Flask's HTML error pages, without
# the CORS header. These routes catch them inside the blueprint.
@blueprint.route("/<path:anything>", methods=["GET", "HEAD"])
def _unknown(anything: str):
    raise NotFound(f"There is no /oruk/{anything}. See /oruk/ for this API's description.")


@blueprint.route("/", methods=["POST", "PUT", "PATCH", "DELETE"])
@blueprint.route("/<path:anything>", methods=["POST", "PUT", "PATCH", "DELETE"])
def _read_only(anything: str = ""):
    raise MethodNotAllowed(["GET", "HEAD", "OPTIONS"], "This API is read-only: use GET.")


# --- parameters ------------------------------------------------------------------------------

@contextmanager
def _session() -> Iterator[Session]:
    url = current_app.config.get("DATABASE_URL") or db.database_url()
    with Session(db.engine_for(url)) as session:
        yield session


@blueprint.before_request
def _no_control_characters():
    # A NUL byte cannot go into a PostgreSQL query; nobody types one, so it is a bad request.
    if any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value) for _, value in request.args.items(multi=True)):
        raise BadRequest("Query parameters cannot contain control characters.")


def _integer(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}.") from None
    if not minimum <= value <= maximum:
        raise BadRequest(f"{name} must be between {minimum} and {maximum}.")
    return value


def _paging() -> tuple[int, int]:
    # per_page above the maximum is trimmed rather than refused: a client asking for "all" still works.
    per_page = _integer("per_page", DEFAULT_PER_PAGE, 1, 1_000_000)
    return _integer("page", 1, 1, MAX_PAGE), min(per_page, MAX_PER_PAGE)


def _uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise BadRequest(f"{what} must be a UUID, not {value!r}.") from None


def _uuid_arg(name: str) -> str | None:
    raw = request.args.get(name)
    return _uuid(raw.strip(), name) if raw and raw.strip() else None


def _uuid_list_arg(name: str) -> tuple[str, ...]:
    raw = request.args.get(name) or ""
    return tuple(_uuid(part.strip(), name) for part in raw.split(",") if part.strip())


def _datetime_arg(name: str) -> dt.datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    # An unencoded "+" in a query string arrives as a space: "...T09:00:00 01:00".
    text = re.sub(r"(T[\d:.]+) (\d{2}:?\d{2})$", r"\1+\2", raw.strip())
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{name} must be an ISO 8601 date or date and time, not {raw!r}.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _boolean_arg(name: str) -> bool:
    raw = (request.args.get(name) or "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadRequest(f"{name} must be true or false, not {raw!r}.")


def _filter() -> ServiceFilter:
    return ServiceFilter(
        text=request.args.get("search") or None, taxonomy_term_ids=_uuid_list_arg("taxonomy_term_id"),
        taxonomy_id=_uuid_arg("taxonomy_id"), organization_id=_uuid_arg("organization_id"),
        modified_after=_datetime_arg("modified_after"))


def _proximity() -> float | None:
    raw = request.args.get("proximity")
    if raw is None or raw.strip() == "":
        return None
    try:
        metres = float(raw)
    except ValueError:
        raise BadRequest(f"proximity must be a distance in metres, not {raw!r}.") from None
    if not math.isfinite(metres) or metres <= 0:
        raise BadRequest("proximity must be a distance in metres greater than 0.")
    return metres


def _near(session: Session) -> tuple[tuple[float, float] | None, float | None]:
    """The point to measure from (the postcode's centroid) and the proximity, if asked for."""
    postcode = (request.args.get("postcode") or "").strip()
    proximity = _proximity()
    if not postcode:
        if proximity is not None:
            raise BadRequest("proximity needs a postcode to measure from.")
        return None, None
    found = resolve_postcode(session, postcode) or (
        resolve_district(session, postcode) if normalise_district(postcode) else None)
    if found is None:
        raise BadRequest(f"{postcode!r} is not a postcode we know; give a full UK postcode in this "
                         "council's area.")
    return (found[0], found[1]), proximity


def _page(contents: list[dict], total: int, page: int, per_page: int) -> dict:
    pages = math.ceil(total / per_page)
    return {"total_items": total, "total_pages": pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= pages, "empty": not contents, "contents": contents}


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _paged_rows(session: Session, query, page: int, per_page: int) -> tuple[list, int]:
    rows = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return rows, _count(session, query)


def _with_distance(fields: dict, ranked: Ranked) -> dict:
    if ranked.distance_m is not None:
        fields["distance"] = round(ranked.distance_m)  # metres; a Front Door extension
    return fields


# --- the endpoints ---------------------------------------------------------------------------

@blueprint.get("")
@blueprint.get("/")
def meta():
    return jsonify({
        "version": "3.0",
        "profile": PROFILE,
        "openapi_url": url_for("oruk.openapi", _external=True),
        "description": "A directory of local care and support services, published by Front Door "
                       "as Open Referral UK 3.0.",
    })


@lru_cache(maxsize=1)
def _openapi_document() -> dict:
    with open(OPENAPI_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@blueprint.get("/openapi.json")
def openapi():
    document = dict(_openapi_document())
    document["servers"] = [{"url": url_for("oruk.meta", _external=True).rstrip("/")}]
    return jsonify(document)


@blueprint.get("/services")
def services():
    page, per_page = _paging()
    wanted = _filter()
    with _session() as session:
        near, proximity = _near(session)
        query = services_query(session, wanted).options(*LOCATED)
        if near is None:
            rows, total = _paged_rows(session, query, page, per_page)
            contents = [exporter.service_summary(s) for s in rows]
        else:
            ranked = rank(session, list(session.scalars(query)), service_locations, near, proximity)
            total = len(ranked)
            chosen = ranked[(page - 1) * per_page:page * per_page]
            contents = [_with_distance(exporter.service_summary(r.item), r) for r in chosen]
        return jsonify(_page(contents, total, page, per_page))


@blueprint.get("/services/<service_id>")
def service(service_id: str):
    service_id = _uuid(service_id, "The service id")
    with _session() as session:
        found = exporter.load_full_services(session, [service_id])
        if not found:
            raise NotFound(f"There is no service {service_id}.")
        index = exporter.attribute_index(session, exporter.link_ids(found))
        return jsonify(exporter.service_full(found[0], index))


@blueprint.get("/taxonomies")
def taxonomies():
    page, per_page = _paging()
    with _session() as session:
        rows, total = _paged_rows(session, select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id), page, per_page)
        return jsonify(_page([exporter.taxonomy(t) for t in rows], total, page, per_page))


@blueprint.get("/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str):
    taxonomy_id = _uuid(taxonomy_id, "The taxonomy id")
    with _session() as session:
        found = session.get(Taxonomy, taxonomy_id)
        if found is None:
            raise NotFound(f"There is no taxonomy {taxonomy_id}.")
        terms = session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy_id)
                                .order_by(TaxonomyTerm.name, TaxonomyTerm.id))
        return jsonify(exporter.taxonomy(found, terms))


@blueprint.get("/taxonomy_terms")
def taxonomy_terms():
    page, per_page = _paging()
    query = select(TaxonomyTerm).order_by(TaxonomyTerm.taxonomy, TaxonomyTerm.name, TaxonomyTerm.id)
    taxonomy_id, parent_id = _uuid_arg("taxonomy_id"), _uuid_arg("parent_id")
    if taxonomy_id:
        query = query.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    if parent_id:
        query = query.where(TaxonomyTerm.parent_id == parent_id)
    if _boolean_arg("top_only"):
        query = query.where(TaxonomyTerm.parent_id.is_(None))
    vocabulary = (request.args.get("vocabulary") or "").strip()
    if vocabulary:
        query = query.where(func.lower(TaxonomyTerm.taxonomy) == vocabulary.lower())
    with _session() as session:
        rows, total = _paged_rows(session, query, page, per_page)
        return jsonify(_page([exporter.taxonomy_term(t) for t in rows], total, page, per_page))


@blueprint.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str):
    term_id = _uuid(term_id, "The taxonomy term id")
    with _session() as session:
        found = session.get(TaxonomyTerm, term_id)
        if found is None:
            raise NotFound(f"There is no taxonomy term {term_id}.")
        return jsonify(exporter.taxonomy_term(found))


def _link_summary(link: ServiceAtLocation) -> dict:
    return {"id": link.id, "service_id": link.service_id, "location_id": link.location_id,
            "location": exporter.location_summary(link.location), "service": exporter.service_summary(link.service)}


@blueprint.get("/service_at_locations")
def service_at_locations():
    page, per_page = _paging()
    wanted = _filter()
    with _session() as session:
        near, proximity = _near(session)
        query = (select(ServiceAtLocation).join(Service, Service.id == ServiceAtLocation.service_id)
                 .where(*conditions(session, wanted)).order_by(Service.name, ServiceAtLocation.id)
                 .options(selectinload(ServiceAtLocation.service).selectinload(Service.organization),
                          selectinload(ServiceAtLocation.location).selectinload(Location.addresses)))
        if near is None:
            rows, total = _paged_rows(session, query, page, per_page)
            contents = [_link_summary(link) for link in rows]
        else:
            ranked = rank(session, list(session.scalars(query)), lambda link: [link.location], near, proximity)
            total = len(ranked)
            chosen = ranked[(page - 1) * per_page:page * per_page]
            contents = [_with_distance(_link_summary(r.item), r) for r in chosen]
        return jsonify(_page(contents, total, page, per_page))


@blueprint.get("/service_at_locations/<link_id>")
def service_at_location(link_id: str):
    link_id = _uuid(link_id, "The service_at_location id")
    with _session() as session:
        link = session.get(ServiceAtLocation, link_id)
        if link is None:
            raise NotFound(f"There is no service_at_location {link_id}.")
        services_found = exporter.load_full_services(session, [link.service_id])
        index = exporter.attribute_index(session, exporter.link_ids(services_found))
        fields = exporter.service_at_location_full(link, index)
        fields["service"] = exporter.service_full(services_found[0], index, with_locations=False)
        # The standard's openapi.json describes this response with the *service* schema, which
        # requires name and status; carrying them too keeps validators that follow it happy.
        fields["name"], fields["status"] = link.service.name, link.service.status
        return jsonify(fields)


@blueprint.get("/organizations")
def organizations():
    page, per_page = _paging()
    query = select(Organization).order_by(Organization.name, Organization.id)
    search = (request.args.get("search") or "").strip()
    if search:
        query = query.where(Organization.name.icontains(search, autoescape=True))
    with _session() as session:
        rows, total = _paged_rows(session, query, page, per_page)
        return jsonify(_page([exporter.organization_summary(o) for o in rows], total, page, per_page))


@blueprint.get("/organizations/<organization_id>")
def organization(organization_id: str):
    organization_id = _uuid(organization_id, "The organization id")
    with _session() as session:
        org = session.get(Organization, organization_id)
        if org is None:
            raise NotFound(f"There is no organization {organization_id}.")
        index = exporter.attribute_index(session, [org.id] + [i.id for i in org.identifiers])
        owned = session.scalars(select(Service).where(Service.organization_id == org.id)
                                .order_by(Service.name, Service.id))
        return jsonify(exporter.organization_full(org, index, owned))
