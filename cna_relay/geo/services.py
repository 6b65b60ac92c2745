"""The location services of one relay app, built once from settings and found by routes via `Geo`.

boundary    Boundary      is a point ours? (`ensure_inside` for the report intake)
map_view    MapView       where the app's map opens
geocoding   GeocodingService
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from cna_relay.context import RelayContext
from cna_relay.geo.boundary import Boundary
from cna_relay.geo.cache import GeocodeCache
from cna_relay.geo.geocoders import Geocoder, build_geocoder
from cna_relay.geo.mapview import MapView, map_view
from cna_relay.geo.service import GeocodingPolicy, GeocodingService, Sleep
from cna_relay.settings import RelaySettings


@dataclass(frozen=True)
class GeoServices:
    boundary: Boundary
    map_view: MapView
    geocoding: GeocodingService


def load_boundary(settings: RelaySettings) -> Boundary:
    """The configured boundary, or the bundled demo one; raises `BoundaryError` when unusable."""
    name = settings.municipality_name
    if settings.boundary_path is None:
        return Boundary.bundled(municipality=name)
    return Boundary.load(settings.boundary_path, municipality=name)


def build_geo_services(
    context: RelayContext, *, geocoder: Geocoder | None = None, sleep: Sleep | None = None
) -> GeoServices:
    settings = context.settings
    # One boundary per relay: reuse the context's when the core builds one (report intake).
    shared = getattr(context, "boundary", None)
    boundary = shared if isinstance(shared, Boundary) else load_boundary(settings)
    # `map_zoom` overrides the fitted opening zoom only when an operator set it.
    zoom = settings.map_zoom if "map_zoom" in settings.model_fields_set else None
    view = map_view(boundary.bbox, max_zoom=settings.map_max_zoom, zoom=zoom)
    service = GeocodingService(
        geocoder or build_geocoder(settings, boundary.bbox),
        boundary,
        cache=GeocodeCache(context.db, context.clock),
        pacer=context.pacer,
        clock=context.clock,
        policy=GeocodingPolicy.from_settings(settings),
        sleep=sleep or asyncio.sleep,
    )
    return GeoServices(boundary=boundary, map_view=view, geocoding=service)


def install_geo(app: FastAPI, context: RelayContext) -> GeoServices:
    """Build the services, make them reachable through `Geo`, and mount `/v1/geocode`, `/v1/reverse`."""
    from cna_relay.geo import routes  # routes import `Geo` from here

    services = build_geo_services(context)
    app.state.geo = services
    app.include_router(routes.router)
    return services


def get_geo(request: Request) -> GeoServices:
    services = request.app.state.geo
    assert isinstance(services, GeoServices)
    return services


def geo_of(app: FastAPI) -> GeoServices:
    services = app.state.geo
    assert isinstance(services, GeoServices)
    return services


Geo = Annotated[GeoServices, Depends(get_geo)]
