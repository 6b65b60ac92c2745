"""Location services: the municipality's boundary, the map's opening view and address search.

The report intake uses `Geo` (a route dependency) or `geo_of(app)`::

    point = parse_point(location["lat"], location["lon"], field="location")
    gps = location["source"] == "gps"
    geo.boundary.ensure_inside(point, tolerance_m=gps_tolerance(location.get("accuracy_m")) if gps else 0.0)
"""

from cna_relay.geo.boundary import Boundary, BoundaryError, gps_tolerance
from cna_relay.geo.points import GeoPoint, parse_point
from cna_relay.geo.services import Geo, GeoServices, build_geo_services, geo_of, install_geo, load_boundary

__all__ = [
    "Boundary",
    "BoundaryError",
    "Geo",
    "GeoPoint",
    "GeoServices",
    "build_geo_services",
    "geo_of",
    "gps_tolerance",
    "install_geo",
    "load_boundary",
    "parse_point",
]
