"""`GET /v1/config`: what the app needs before anyone logs in (no auth, cacheable).

Municipality branding, languages, the password rules the app checks while typing, report and
attachment limits, the map (tiles, attribution, opening view) and the boundary GeoJSON. The
answer only changes with the relay's configuration, so it carries an ETag and may be cached
for a few minutes; a matching `If-None-Match` gets 304.
"""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from cna_app.contract.wire import ConfigView, LatLon, MapConfig, MunicipalityView, ReportLimits
from cna_relay.deps import Context
from cna_relay.geo.services import Geo, GeoServices
from cna_relay.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES
from cna_relay.reports.attachments import ACCEPTED_CONTENT_TYPES
from cna_relay.settings import RelaySettings

router = APIRouter(prefix="/v1", tags=["config"])

CACHE_CONTROL = "public, max-age=300"


def config_view(settings: RelaySettings, geo: GeoServices) -> ConfigView:
    view = geo.map_view
    return ConfigView(
        municipality=MunicipalityView(
            name=settings.municipality_name,
            primary_color=settings.municipality_color,
            logo_url=settings.municipality_logo_url,
            website=settings.municipality_website,
        ),
        languages=list(LANGUAGES),
        default_language=DEFAULT_LANGUAGE,
        password_policy=settings.password_policy.to_wire(),
        report=ReportLimits(
            description_max_length=settings.description_max_length,
            max_attachments=settings.max_attachments,
            max_attachment_bytes=settings.max_attachment_bytes,
            attachment_types=list(ACCEPTED_CONTENT_TYPES),
            image_max_side_px=settings.image_max_side_px,
        ),
        map=MapConfig(
            tile_url=settings.tile_url,
            attribution=settings.tile_attribution,
            center=LatLon(lat=round(view.centre.lat, 6), lon=round(view.centre.lon, 6)),
            zoom=view.zoom,
            min_zoom=view.min_zoom,
            max_zoom=view.max_zoom,
        ),
        boundary=geo.boundary.geojson,
    )


@router.get("/config", response_model=ConfigView)
async def get_config(request: Request, context: Context, geo: Geo) -> Response:
    body = json.dumps(config_view(context.settings, geo), separators=(",", ":"), sort_keys=True).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag, "Vary": "Accept-Encoding"}
    wanted = _etags(request.headers.get("if-none-match", ""))
    if etag in wanted or "*" in wanted:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=JSONResponse.media_type, headers=headers)


def _etags(header: str) -> set[str]:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")[:20]}
    return {tag for tag in tags if tag}
