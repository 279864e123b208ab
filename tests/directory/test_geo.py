"""Distances and the British National Grid conversion, against Ordnance Survey's published points."""
from __future__ import annotations

import pytest

from content.directory.geo import grid_to_osgb36, grid_to_wgs84, haversine_m, is_on_earth

# Ordnance Survey's OSTN15 test points: National Grid easting and northing, and the true ETRS89
# (WGS84 to within a metre) latitude and longitude. The Helmert transformation is good to ~5 m.
OS_TEST_POINTS = {
    "Caister water tower (the OS guide's worked example)": (651409.903, 313177.270, 52.658007, 1.716073),
    "TP09 London": (530624.974, 178388.464, 51.48936564950, -0.11992557180),
    "TP20 Leeds": (422242.186, 433818.701, 53.8002151963, -1.66379168242),
    "TP30 Inverness": (267056.768, 846176.972, 57.4862500072, -4.21926398555),
}


def test_inverse_transverse_mercator_matches_the_os_worked_example():
    # "A guide to coordinate systems in Great Britain", annex C: 52°39'27.2531"N 1°43'4.5177"E.
    lat, lon = grid_to_osgb36(651409.903, 313177.270)
    assert lat == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert lon == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)


@pytest.mark.parametrize("name", OS_TEST_POINTS)
def test_grid_references_become_wgs84_within_ten_metres(name):
    easting, northing, lat, lon = OS_TEST_POINTS[name]
    assert haversine_m(*grid_to_wgs84(easting, northing), lat, lon) < 10


def test_haversine_distances():
    assert haversine_m(52.9, -0.8, 52.9, -0.8) == 0
    # One degree of latitude is about 111.2 km on the mean sphere.
    assert haversine_m(52, -1, 53, -1) == pytest.approx(111_195, rel=1e-3)
    # London (Charing Cross) to Edinburgh (Waverley): about 534 km as the crow flies.
    assert haversine_m(51.5073, -0.1276, 55.9521, -3.1890) == pytest.approx(534_000, rel=0.01)
    assert haversine_m(52.9, -0.8, 52.95, -0.85) == haversine_m(52.95, -0.85, 52.9, -0.8)


def test_points_off_the_earth_are_not_measured():
    assert is_on_earth(52.9, -0.8) and not is_on_earth(100, 101) and not is_on_earth(None, -0.8)
