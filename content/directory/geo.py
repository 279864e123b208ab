"""Distances on the Earth, and British National Grid coordinates to latitude and longitude.

Pure Python on purpose: distances are worked out in Python so that search behaves the same on
SQLite and PostgreSQL without PostGIS, and OS Code-Point Open gives eastings and northings that
must become WGS84 latitude and longitude before they are any use.
"""
from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG); haversine is within 0.5% of the ellipsoid


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres between two WGS84 points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def is_on_earth(lat: float | None, lon: float | None) -> bool:
    """Whether a latitude and longitude can be measured from (imported data is not always so)."""
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


# --- British National Grid -----------------------------------------------------------------
# Constants from Ordnance Survey, "A guide to coordinate systems in Great Britain" (v3.6):
# the Airy 1830 ellipsoid, the National Grid's Transverse Mercator projection, and the
# seven-parameter Helmert transformation from OSGB36 to WGS84 (good to about 5 metres; OSTN15
# is better but is a 15 MB grid, and a postcode centroid is no more precise than that anyway).

AIRY_1830 = (6_377_563.396, 6_356_256.909)  # semi-major and semi-minor axes, metres
GRS80 = (6_378_137.000, 6_356_752.3141)  # WGS84's ellipsoid, to the millimetre
F0 = 0.9996012717  # scale factor on the central meridian
PHI0, LAMBDA0 = math.radians(49), math.radians(-2)  # true origin
E0, N0 = 400_000.0, -100_000.0  # false origin
# OSGB36 -> WGS84: translations in metres, scale in parts per million, rotations in arc seconds.
HELMERT = {"tx": 446.448, "ty": -125.157, "tz": 542.060, "s": -20.4894,
           "rx": 0.1502, "ry": 0.2470, "rz": 0.8421}


def _meridional_arc(phi: float, a: float, b: float) -> float:
    """M: the distance along the central meridian from the true origin's latitude to phi."""
    n = (a - b) / (a + b)
    d, s = phi - PHI0, phi + PHI0
    return b * F0 * (
        (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
        - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(d) * math.cos(s)
        + (15 / 8 * n**2 + 15 / 8 * n**3) * math.sin(2 * d) * math.cos(2 * s)
        - 35 / 24 * n**3 * math.sin(3 * d) * math.cos(3 * s)
    )


def grid_to_osgb36(easting: float, northing: float) -> tuple[float, float]:
    """Inverse Transverse Mercator: National Grid easting and northing to OSGB36 latitude and
    longitude in degrees (OS guide, annex C.2)."""
    a, b = AIRY_1830
    e2 = 1 - (b * b) / (a * a)
    phi = PHI0
    m = 0.0
    # Iterate on latitude until the meridional arc matches the northing to 0.01 mm.
    while True:
        phi = (northing - N0 - m) / (a * F0) + phi
        m = _meridional_arc(phi, a, b)
        if abs(northing - N0 - m) < 0.00001:
            break
    sin_phi, cos_phi, tan_phi = math.sin(phi), math.cos(phi), math.tan(phi)
    nu = a * F0 / math.sqrt(1 - e2 * sin_phi**2)
    rho = a * F0 * (1 - e2) / (1 - e2 * sin_phi**2) ** 1.5
    eta2 = nu / rho - 1
    sec_phi = 1 / cos_phi
    vii = tan_phi / (2 * rho * nu)
    viii = tan_phi / (24 * rho * nu**3) * (5 + 3 * tan_phi**2 + eta2 - 9 * tan_phi**2 * eta2)
    ix = tan_phi / (720 * rho * nu**5) * (61 + 90 * tan_phi**2 + 45 * tan_phi**4)
    x = sec_phi / nu
    xi = sec_phi / (6 * nu**3) * (nu / rho + 2 * tan_phi**2)
    xii = sec_phi / (120 * nu**5) * (5 + 28 * tan_phi**2 + 24 * tan_phi**4)
    xiia = sec_phi / (5040 * nu**7) * (61 + 662 * tan_phi**2 + 1320 * tan_phi**4 + 720 * tan_phi**6)
    de = easting - E0
    lat = phi - vii * de**2 + viii * de**4 - ix * de**6
    lon = LAMBDA0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return math.degrees(lat), math.degrees(lon)


def _to_cartesian(lat: float, lon: float, ellipsoid: tuple[float, float]) -> tuple[float, float, float]:
    a, b = ellipsoid
    e2 = 1 - (b * b) / (a * a)
    phi, lam = math.radians(lat), math.radians(lon)
    nu = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    return (nu * math.cos(phi) * math.cos(lam), nu * math.cos(phi) * math.sin(lam),
            (1 - e2) * nu * math.sin(phi))


def _from_cartesian(x: float, y: float, z: float, ellipsoid: tuple[float, float]) -> tuple[float, float]:
    a, b = ellipsoid
    e2 = 1 - (b * b) / (a * a)
    p = math.hypot(x, y)
    phi = math.atan2(z, p * (1 - e2))
    for _ in range(10):  # converges to well under a millimetre in three or four rounds
        nu = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
        phi = math.atan2(z + e2 * nu * math.sin(phi), p)
    return math.degrees(phi), math.degrees(math.atan2(y, x))


def osgb36_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """Moves a point from the OSGB36 datum to WGS84 with the Helmert transformation."""
    x, y, z = _to_cartesian(lat, lon, AIRY_1830)
    h = HELMERT
    s = h["s"] * 1e-6
    rx, ry, rz = (math.radians(h[k] / 3600) for k in ("rx", "ry", "rz"))
    x2 = h["tx"] + (1 + s) * x - rz * y + ry * z
    y2 = h["ty"] + rz * x + (1 + s) * y - rx * z
    z2 = h["tz"] - ry * x + rx * y + (1 + s) * z
    return _from_cartesian(x2, y2, z2, GRS80)


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """National Grid easting and northing (as in Code-Point Open) to WGS84 latitude, longitude."""
    return osgb36_to_wgs84(*grid_to_osgb36(easting, northing))
