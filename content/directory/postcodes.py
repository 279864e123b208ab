"""Postcode and place centroids: loading them, and turning what a resident types into a point.

Councils load their own area from open data: the ONS Postcode Directory (ONSPD, a CSV with a
header; ``pcds``, ``lat``, ``long``, ``doterm``...) or OS Code-Point Open (CSVs without a header:
postcode, quality, easting, northing...). Place names come from a small CSV of ``name,lat,long``.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from .geo import grid_to_wgs84
from .models import Place, Postcode

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b", re.IGNORECASE)
BATCH = 2000
CODEPOINT_NO_COORDINATES = "90"  # Code-Point Open's quality value for "no coordinates"


class PostcodeFileError(ValueError):
    """The file is neither an ONSPD nor a Code-Point Open CSV."""


@dataclass(frozen=True)
class Centroid:
    postcode: str
    latitude: float
    longitude: float
    local_authority: str = ""


def normalise_postcode(text: str) -> str | None:
    """'qq12ab', ' QQ1  2AB ' -> 'QQ1 2AB'; anything that is not a full postcode -> None."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = POSTCODE.match(compact)
    return f"{match[1]} {match[2]}" if match else None


def normalise_district(text: str) -> str | None:
    """'qq1' -> 'QQ1'; anything that is not a postcode district -> None ('QQ7 1' is a sector)."""
    text = (text or "").strip().upper()
    return text if DISTRICT.match(text) else None


def place_key(name: str) -> str:
    """How place names are compared: 'Thornley St. Mary's' -> 'thornley st marys'."""
    text = (name or "").lower().replace("&", " and ")
    text = re.sub(r"['\u2019]", "", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _centroid_row(postcode: str) -> dict:
    outward, inward = postcode.split(" ")
    return {"postcode": postcode, "district": outward, "sector": f"{outward} {inward[0]}"}


# --- reading the open data files -------------------------------------------------------------

def read_onspd(rows: Iterable[dict]) -> Iterator[Centroid]:
    """Live postcodes with coordinates from ONSPD rows (dicts keyed by lower-case column)."""
    for row in rows:
        if (row.get("doterm") or "").strip():
            continue  # terminated: the postcode is no longer in use
        postcode = normalise_postcode(row.get("pcds") or row.get("pcd") or row.get("pcd2") or "")
        try:
            lat, lon = float(row["lat"]), float(row["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if postcode is None or not (-90 <= lat <= 90) or (lat, lon) == (0, 0):
            continue  # ONSPD puts 99.999999 where a postcode has no grid reference
        authority = row.get("oslaua") or next(
            (value for key, value in row.items() if re.fullmatch(r"lad\d*cd", key or "")), "")
        yield Centroid(postcode, lat, lon, (authority or "").strip())


def read_codepoint(rows: Iterable[list[str]]) -> Iterator[Centroid]:
    """Postcodes from Code-Point Open rows, grid references converted to WGS84."""
    for row in rows:
        if len(row) < 4:
            continue
        postcode = normalise_postcode(row[0])
        if postcode is None or row[1].strip() == CODEPOINT_NO_COORDINATES:
            continue
        try:
            easting, northing = float(row[2]), float(row[3])
        except ValueError:
            continue
        if easting == 0 and northing == 0:
            continue
        lat, lon = grid_to_wgs84(easting, northing)
        authority = row[8].strip() if len(row) > 8 else ""
        yield Centroid(postcode, round(lat, 6), round(lon, 6), authority)


def read_postcode_file(path: str | Path) -> Iterator[Centroid]:
    """Reads an ONSPD or Code-Point Open CSV, telling them apart by the first row."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        first = next(reader, None)
        if first is None:
            return
        header = [cell.strip().lower() for cell in first]
        if {"lat", "long"} <= set(header) and {"pcds", "pcd", "pcd2"} & set(header):
            yield from read_onspd(dict(zip(header, row)) for row in reader)
        elif normalise_postcode(first[0]) is not None:
            yield from read_codepoint([first])
            yield from read_codepoint(reader)
        elif header and header[0] == "postcode":  # Code-Point Open with its header added
            yield from read_codepoint(reader)
        else:
            raise PostcodeFileError(
                f"{path}: expected the ONS Postcode Directory (columns pcds, lat, long) "
                "or OS Code-Point Open (postcode, quality, easting, northing, ...)")


def read_places_file(path: str | Path) -> list[tuple[str, float, float]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return [(row["name"].strip(), float(row["lat"]), float(row["long"]))
                for row in csv.DictReader(handle) if (row.get("name") or "").strip()]


# --- loading -----------------------------------------------------------------------------

def wanted(centroid: Centroid, districts: set[str] | None, local_authority: str | None) -> bool:
    if districts and centroid.postcode.split(" ")[0] not in districts:
        return False
    return not local_authority or centroid.local_authority == local_authority


def load_postcodes(session: Session, centroids: Iterable[Centroid], *,
                   districts: Iterable[str] | None = None, local_authority: str | None = None) -> int:
    """Adds or replaces postcode centroids, keeping only the council's districts or local
    authority when given (the national files hold 2.7 million postcodes). Returns how many."""
    keep = {d.upper() for d in districts} if districts else None
    count, batch = 0, {}
    for centroid in centroids:
        if wanted(centroid, keep, local_authority):
            batch[centroid.postcode] = centroid
        if len(batch) >= BATCH:
            count += _write_batch(session, batch)
            batch = {}
    return count + _write_batch(session, batch)


def _write_batch(session: Session, batch: dict[str, Centroid]) -> int:
    if not batch:
        return 0
    session.execute(delete(Postcode).where(Postcode.postcode.in_(list(batch))))
    session.execute(insert(Postcode), [
        {**_centroid_row(c.postcode), "latitude": c.latitude, "longitude": c.longitude}
        for c in batch.values()])
    return len(batch)


def load_places(session: Session, places: Iterable[tuple[str, float, float]]) -> int:
    count = 0
    for name, lat, lon in places:
        key = place_key(name)
        place = session.scalar(select(Place).where(Place.key == key)) or Place(key=key)
        place.name, place.latitude, place.longitude = name, lat, lon
        session.add(place)
        count += 1
    session.flush()
    return count


# --- resolving what someone typed ---------------------------------------------------------

Point = tuple[float, float, str]  # latitude, longitude, a label for what was recognised


def _average(session: Session, column, value: str) -> tuple[float, float] | None:
    lat, lon = session.execute(
        select(func.avg(Postcode.latitude), func.avg(Postcode.longitude)).where(column == value)).one()
    return (float(lat), float(lon)) if lat is not None else None


def resolve_postcode(session: Session, text: str) -> Point | None:
    """A full postcode's centroid; a postcode missing from the table (a new build, say) falls
    back to its sector, then its district, so long as we hold that area."""
    postcode = normalise_postcode(text)
    if postcode is None:
        return None
    row = session.get(Postcode, postcode)
    if row is not None:
        return row.latitude, row.longitude, postcode
    keys = _centroid_row(postcode)
    found = _average(session, Postcode.sector, keys["sector"]) or _average(
        session, Postcode.district, keys["district"])
    return (*found, postcode) if found else None


def resolve_district(session: Session, text: str) -> Point | None:
    district = normalise_district(text)
    found = _average(session, Postcode.district, district) if district else None
    return (*found, district) if found else None


def _places(session: Session) -> list[Place]:
    return list(session.scalars(select(Place)))


def resolve_place_name(session: Session, text: str) -> Point | None:
    wanted_key = place_key(text).replace(" ", "")
    if not wanted_key:
        return None
    for place in _places(session):
        if place.key.replace(" ", "") == wanted_key:  # forgiving of spacing: "Ashbywend"
            return place.latitude, place.longitude, place.name
    return None


def _find_inside(session: Session, text: str) -> Point | None:
    """A postcode, district or place named inside a longer phrase ("a cafe in Wendford")."""
    for match in POSTCODE_IN_TEXT.finditer(text):
        found = resolve_postcode(session, match[0])
        if found:
            return found
    words = f" {place_key(text)} "
    for place in sorted(_places(session), key=lambda p: -len(p.key)):  # longest name first
        if f" {place.key} " in words:
            return place.latitude, place.longitude, place.name
    for word in words.split():
        found = resolve_district(session, word)
        if found:
            return found
    return None


def resolve_place(session: Session, text: str) -> Point | None:
    """Where someone means, as (latitude, longitude, label), or None if we do not know it.

    Accepts a full postcode ("QQ1 2AB", "qq12ab"), a postcode district ("QQ1"), or a place name
    from the places table ("Wendford", "wendford "), in any case and spacing. A full postcode
    from outside the area gives None rather than a guess."""
    text = (text or "").strip()
    if not text:
        return None
    if normalise_postcode(text):
        return resolve_postcode(session, text)
    return (resolve_district(session, text) or resolve_place_name(session, text)
            or _find_inside(session, text))
