"""Open Referral UK JSON in and out, the demo directory's rules, the commands and first start."""
from __future__ import annotations

import csv
import json
import re
import uuid

import pytest
from sqlalchemy import delete, func, select

from content import council, db
from content.__main__ import main as content_main
from content.directory import STANDARD, area, demo, exporter, importer, load_demo_if_empty, models
from content.directory.__main__ import main as directory_main
from content.directory.postcodes import normalise_postcode

from .oruk_schemas import assert_valid, schema

BACKENDS = pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
EXAMPLE = json.loads((STANDARD / "example_service_full.json").read_text())
DEMO = json.loads(demo.SERVICES_FILE.read_text())
DRAMA_NUMBERS = re.compile(r"^(01632 960 ?\d{3}|0808 157 ?0\d{3})$")  # Ofcom's numbers for drama
RESERVED_DOMAIN = re.compile(r"(^|\.)example\.(org|com|net|gov\.uk)$")


def contains(whole, part, path="") -> list[str]:
    """Where ``whole`` lacks something ``part`` has (extra fields in ``whole`` are fine)."""
    if isinstance(part, dict):
        if not isinstance(whole, dict):
            return [f"{path}: not an object"]
        return [m for key, value in part.items()
                for m in (contains(whole[key], value, f"{path}.{key}") if key in whole else [f"{path}.{key}: missing"])]
    if isinstance(part, list):
        if not isinstance(whole, list) or len(whole) != len(part):
            return [f"{path}: {len(part)} items expected"]
        if all(isinstance(p, dict) and "id" in p for p in part):  # objects with ids: any order
            by_id = {w.get("id"): w for w in whole}
            return [m for p in part for m in contains(by_id.get(p["id"]), p, f"{path}[{p['id']}]")]
        return [m for i, (w, p) in enumerate(zip(whole, part)) for m in contains(w, p, f"{path}[{i}]")]
    return [] if whole == part else [f"{path}: {whole!r} != {part!r}"]


def empty_directory(session) -> None:
    for model in (models.Attribute, models.Service, models.Location, models.Organization,
                  models.TaxonomyTerm, models.Taxonomy):
        session.execute(delete(model))
    session.flush()


@BACKENDS
def test_the_standards_example_service_survives_import_and_export_intact(session):
    importer.import_services(session, EXAMPLE)
    session.flush()
    exported = next(s for s in exporter.export_services(session) if s["id"] == EXAMPLE["id"])
    assert contains(exported, EXAMPLE) == []
    assert_valid(exported, schema("compiled/service.json"))
    # Importing the same service again replaces it rather than adding a second copy.
    importer.import_services(session, [EXAMPLE])
    assert session.scalar(select(func.count()).select_from(models.Service)
                          .where(models.Service.name == "Community Counselling")) == 1


@BACKENDS
def test_export_then_import_gives_back_the_same_directory(session):
    first = exporter.export_services(session)
    assert len(first) == len(DEMO)
    empty_directory(session)
    assert exporter.export_services(session) == []
    importer.import_services(session, json.loads(json.dumps(first)))
    session.flush()
    assert exporter.export_services(session) == first
    demo_by_id = {s["id"]: s for s in DEMO}
    for service in first:
        assert contains(service, demo_by_id[service["id"]]) == [], service["name"]


@BACKENDS
def test_bad_data_is_refused_with_where_it_went_wrong(session):
    cases = [
        ({"id": "not-a-uuid", "name": "x", "status": "active"}, "service.id"),
        ({"id": str(uuid.uuid4()), "status": "active"}, "service.name"),
        ({"id": str(uuid.uuid4()), "name": "x", "status": "sometimes"}, "service.status"),
        ({"id": str(uuid.uuid4()), "name": "x", "schedules": [{"valid_from": "soon"}]}, "service.schedules[0].valid_from"),
        ({"id": str(uuid.uuid4()), "name": "x", "attributes": [{"taxonomy_term_id": str(uuid.uuid4())}]},
         "service.attributes[0].taxonomy_term_id"),
        ({"id": str(uuid.uuid4()), "name": "x", "service_at_locations": "here"}, "service.service_at_locations"),
    ]
    for data, where in cases:
        with pytest.raises(importer.OrukImportError, match=re.escape(where)):
            importer.import_services(session, data)
        session.rollback()


def test_the_demo_directory_is_big_enough_and_plainly_fictional():
    assert len(DEMO) >= 40
    for service in DEMO:
        org = service["organization"]
        assert service["description"].startswith("Fictional demo service."), service["name"]
        assert org["name"].endswith("(fictional)") and org["description"].startswith("Fictional demo organisation.")
        numbers = [p["number"] for p in service["phones"]] + [
            p["number"] for c in service["contacts"] for p in c.get("phones", [])]
        assert numbers and all(DRAMA_NUMBERS.match(n) for n in numbers), numbers
        for address in (service["email"], org["email"], service.get("assurer_email", "")):
            assert RESERVED_DOMAIN.search(address.rsplit("@", 1)[-1]), address
        for url in (service["url"], org["website"]):
            assert RESERVED_DOMAIN.search(re.match(r"https://([^/]+)", url)[1]), url
        assert_valid(service, schema("compiled/service.json"))


def test_the_demo_directory_covers_every_category_the_bot_signposts_to():
    taxonomies = json.loads(demo.TAXONOMIES_FILE.read_text())
    frontdoor = next(t for t in taxonomies if t["name"] == "frontdoor")
    codes = {t["id"]: t["code"] for t in frontdoor["taxonomy_terms"]}
    used = {codes.get(a["taxonomy_term_id"]) for s in DEMO for a in s["attributes"]}
    assert set(codes.values()) - {"dementia", "equipment", "exercise", "transport"} <= used  # parents via children
    for taxonomy in taxonomies:
        assert_valid(taxonomy, schema("taxonomy.json"))
        assert all(uuid.UUID(t["id"]) for t in taxonomy["taxonomy_terms"])


def test_the_demo_area_is_made_up_and_matches_council_yml():
    districts = area.postcode_districts()
    assert districts == [f"QQ{n}" for n in range(1, 11)]
    assert area.centre() == (52.912, -0.845)
    with open(demo.POSTCODES_FILE) as handle:
        rows = list(csv.DictReader(handle))
    assert set(rows[0]) == {"pcds", "lat", "long"} and len(rows) >= 40
    for row in rows:
        postcode = normalise_postcode(row["pcds"])
        assert postcode == row["pcds"] and postcode.split()[0] in districts
        assert 52.8 < float(row["lat"]) < 53.1 and -1.0 < float(row["long"]) < -0.7  # the East Midlands
    assert {postcode.split()[0] for postcode in (r["pcds"] for r in rows)} == set(districts)
    with open(demo.PLACES_FILE) as handle:
        places = list(csv.DictReader(handle))
    assert 10 <= len(places) <= 15 and {"Castlebridge", "Wendford"} <= {p["name"] for p in places}
    venues = {a["postal_code"] for s in DEMO for link in s["service_at_locations"]
              for a in link["location"]["addresses"]}
    assert venues <= {r["pcds"] for r in rows}


@BACKENDS
def test_the_commands_import_export_and_load_postcodes(database_url, tmp_path, capsys, monkeypatch):
    source = tmp_path / "example.json"
    source.write_text(json.dumps(EXAMPLE))
    assert directory_main(["import", str(source)]) == 0
    out = tmp_path / "out.json"
    assert directory_main(["export", str(out)]) == 0
    assert [s["name"] for s in json.loads(out.read_text())] == ["Community Counselling"]
    onspd = tmp_path / "onspd.csv"
    onspd.write_text("pcds,doterm,lat,long\nQQ1 1AA,,52.9122,-0.8455\nQQ1 1AB,201901,52.9,-0.8\nAB1 0AA,,57.1,-2.2\n")
    assert directory_main(["load-postcodes", str(onspd)]) == 0  # council.yml's districts: QQ only
    assert directory_main(["load-demo"]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "nope"}')
    assert directory_main(["import", str(bad)]) == 1
    real = council.Council(**{**vars(council.current()), "fictional": False})
    monkeypatch.setattr(council, "current", lambda: real)
    assert directory_main(["load-demo"]) == 1  # never the made-up services for a real council
    printed = capsys.readouterr()
    assert "imported 1 services" in printed.out and "loaded 1 postcodes (QQ1" in printed.out
    assert "is not a UUID" in printed.err and "fictional: false" in printed.err
    with db.session_scope(db.engine_for(database_url)) as session:
        assert session.get(models.Postcode, "AB1 0AA") is None
        assert session.scalar(select(func.count()).select_from(models.Service)) == len(DEMO) + 1


@BACKENDS
def test_first_start_loads_the_demo_once_and_only_for_a_fictional_council(database_url):
    db.migrate(database_url)
    with db.session_scope(db.engine_for(database_url)) as session:
        assert load_demo_if_empty(session, fictional=False) is False
        assert session.scalar(select(func.count()).select_from(models.Service)) == 0
    assert council.current().fictional
    assert content_main(["init"]) == 0
    with db.session_scope(db.engine_for(database_url)) as session:
        assert session.scalar(select(func.count()).select_from(models.Service)) == len(DEMO)
        assert session.scalar(select(func.count()).select_from(models.Postcode)) > 0
        session.execute(delete(models.Attribute))
        session.execute(delete(models.Service).where(models.Service.name != "Riverside Day Centre"))
        assert load_demo_if_empty(session) is False  # a directory with anything in it is left alone
        assert session.scalar(select(func.count()).select_from(models.Service)) == 1
