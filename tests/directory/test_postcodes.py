"""Loading postcode centroids from ONSPD and Code-Point Open, and resolve_place."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from content.directory import postcodes, resolve_place
from content.directory.geo import haversine_m
from content.directory.models import Postcode

ONSPD = """pcd,pcd2,pcds,dointr,doterm,oslaua,oseast1m,osnrth1m,lat,long
"QQ1 1AA","QQ1  1AA","QQ1 1AA",198001,,E99999999,480000,340000,52.912200,-0.845500
"QQ1 9XX","QQ1  9XX","QQ1 9XX",198001,202001,E99999999,480000,340000,52.911000,-0.846000
"QQ1 9YY","QQ1  9YY","QQ1 9YY",200001,,E99999999,,,99.999999,0.000000
"QQ2 5AB","QQ2  5AB","QQ2 5AB",199001,,E99999999,480100,340200,52.930000,-0.840000
"AB1 0AA","AB1  0AA","AB1 0AA",198001,,S12000033,385386,801193,57.101474,-2.242851
"""

# Code-Point Open has no header: postcode, quality, easting, northing, country, NHS codes,
# county, district, ward. The first row is OS test point TP20, the second has no coordinates.
CODEPOINT = """"LS1 9ZZ",10,422242,433819,"E92000001","E19000003","E18000003","","E08000035","E05001420"
"LS1 9ZY",90,0,0,"E92000001","","","","E08000035",""
"""


@pytest.fixture
def csv_file(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text)
        return path
    return write


def test_postcodes_are_normalised_however_they_are_typed():
    assert postcodes.normalise_postcode(" qq1  2ab ") == "QQ1 2AB"
    assert postcodes.normalise_postcode("QQ102AB") == "QQ10 2AB"
    assert postcodes.normalise_postcode("EC1A1BB") == "EC1A 1BB"
    for bad in ("", "QQ1", "QQ1 2A", "hello", "12345"):
        assert postcodes.normalise_postcode(bad) is None
    assert postcodes.normalise_district(" qq7 ") == "QQ7" and postcodes.normalise_district("QQ7 1") is None
    assert postcodes.place_key("Thornley St. Mary's") == "thornley st marys"


@pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
def test_onspd_loads_live_postcodes_of_the_councils_districts(session, csv_file):
    session.execute(Postcode.__table__.delete())
    path = csv_file("onspd.csv", ONSPD)
    count = postcodes.load_postcodes(session, postcodes.read_postcode_file(path), districts=["QQ1", "QQ2"])
    assert count == 2  # terminated, no-coordinates and out-of-area rows are skipped
    rows = {p.postcode: p for p in session.scalars(select(Postcode))}
    assert set(rows) == {"QQ1 1AA", "QQ2 5AB"}
    assert (rows["QQ1 1AA"].latitude, rows["QQ1 1AA"].longitude) == (52.9122, -0.8455)
    assert (rows["QQ2 5AB"].district, rows["QQ2 5AB"].sector) == ("QQ2", "QQ2 5")
    # Loading again replaces rather than duplicates; --all keeps every district.
    assert postcodes.load_postcodes(session, postcodes.read_postcode_file(path)) == 3
    assert session.scalar(select(func.count()).select_from(Postcode)) == 3
    assert postcodes.load_postcodes(session, postcodes.read_postcode_file(path), local_authority="S12000033") == 1


@pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
def test_code_point_open_grid_references_are_converted(session, csv_file):
    path = csv_file("ls.csv", CODEPOINT)
    assert postcodes.load_postcodes(session, postcodes.read_postcode_file(path), districts=["LS1"]) == 1
    row = session.get(Postcode, "LS1 9ZZ")
    assert haversine_m(row.latitude, row.longitude, 53.8002151963, -1.66379168242) < 10
    assert session.get(Postcode, "LS1 9ZY") is None


def test_a_file_of_something_else_is_refused(csv_file):
    with pytest.raises(postcodes.PostcodeFileError):
        list(postcodes.read_postcode_file(csv_file("other.csv", "name,age\nAnn,3\n")))


@pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
def test_resolve_place_understands_postcodes_districts_and_place_names(session):
    assert resolve_place(session, "QQ6 1AA") == (52.9431, -0.8958, "QQ6 1AA")
    assert resolve_place(session, "qq61aa") == resolve_place(session, " QQ6  1AA ") == (52.9431, -0.8958, "QQ6 1AA")
    lat, lon, label = resolve_place(session, "qq7")
    assert label == "QQ7" and haversine_m(lat, lon, 52.968, -0.933) < 1000
    assert resolve_place(session, "Wendford") == (52.9432, -0.8958, "Wendford")
    assert resolve_place(session, "  WENDFORD ") == resolve_place(session, "wendford")
    assert resolve_place(session, "ashbywend")[2] == resolve_place(session, "Ashby  Wend")[2] == "Ashby Wend"
    assert resolve_place(session, "thornley st. mary")[2] == "Thornley St Mary"
    assert resolve_place(session, "Castlebridge town centre")[2] == "Castlebridge town centre"
    # Inside a longer phrase, as people type it.
    assert resolve_place(session, "dementia cafe in Upper Wend please")[2] == "Upper Wend"
    assert resolve_place(session, "my postcode is qq9 1aa")[2] == "QQ9 1AA"
    # A new postcode in a known sector falls back to the sector's centre.
    lat, lon, label = resolve_place(session, "QQ6 1ZZ")
    assert label == "QQ6 1ZZ" and haversine_m(lat, lon, 52.9431, -0.8958) < 1000


@pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
def test_unknown_places_resolve_to_nothing(session):
    for text in ("Atlantis", "SW1A 1AA", "ZZ99 3VZ", "AB1", "", "   ", "near me"):
        assert resolve_place(session, text) is None, text
