"""`GET /v1/config`: the whole `ConfigView`, from settings and the boundary, cacheable, no auth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from cna_app.contract.password import PasswordPolicy
from cna_app.contract.wire import ConfigView
from cna_relay.app import create_app
from cna_relay.geo.boundary import Boundary, BoundaryError
from cna_relay.geo.points import GeoPoint
from cna_relay.settings import RelaySettings
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import RelayHarness, running_relay

EXCLAVES = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[4.0, 51.0], [4.1, 51.0], [4.1, 51.1], [4.0, 51.1], [4.0, 51.0]]],
        [[[4.2, 51.0], [4.3, 51.0], [4.3, 51.05], [4.2, 51.05], [4.2, 51.0]]],
    ],
}


async def test_config_is_a_complete_config_view(relay: RelayHarness) -> None:
    response = await relay.client.get("/v1/config")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    TypeAdapter(ConfigView).validate_python(body, strict=True)
    assert set(body) == set(ConfigView.__annotations__)


async def test_config_carries_the_relays_settings(relay: RelayHarness) -> None:
    body = (await relay.client.get("/v1/config")).json()
    settings = relay.context.settings
    assert body["municipality"] == {
        "name": "Gemeente Zonnebeke",
        "primary_color": settings.municipality_color,
        "logo_url": None,
        "website": None,
    }
    assert body["languages"] == ["nl", "fr", "en"] and body["default_language"] == "nl"
    assert body["password_policy"] == PasswordPolicy().to_wire()
    assert body["report"] == {
        "description_max_length": 4000,
        "max_attachments": 3,
        "max_attachment_bytes": 15 * 1024 * 1024,
        "attachment_types": [
            "image/jpeg",
            "image/png",
            "image/webp",
            "image/heic",
            "image/heif",
            "application/pdf",
        ],
        "image_max_side_px": 2048,
    }


async def test_map_opens_on_the_municipality(relay: RelayHarness) -> None:
    body = (await relay.client.get("/v1/config")).json()
    bundled = Boundary.bundled(municipality="x")
    assert body["boundary"] == bundled.geojson
    view = body["map"]
    assert view["tile_url"] == "http://127.0.0.1:8090/{z}/{x}/{y}.png"
    assert view["attribution"]
    assert bundled.bbox.contains(GeoPoint(view["center"]["lat"], view["center"]["lon"]))
    assert (view["min_zoom"], view["zoom"], view["max_zoom"]) == (10, 12, 19)


async def test_config_is_cacheable_and_revalidates_with_its_etag(relay: RelayHarness) -> None:
    first = await relay.client.get("/v1/config")
    assert first.headers["cache-control"] == "public, max-age=300"
    etag = first.headers["etag"]
    again = await relay.client.get("/v1/config", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    listed = await relay.client.get("/v1/config", headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    stale = await relay.client.get("/v1/config", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.json() == first.json()
    garbage = await relay.client.get("/v1/config", headers={"If-None-Match": "\x7f" * 300 + "," * 500})
    assert garbage.status_code == 200


async def test_config_follows_an_operators_settings(
    sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path
) -> None:
    boundary = tmp_path / "proefdorp.geojson"
    boundary.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": EXCLAVES}))
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        municipality_name="Gemeente Proefdorp",
        municipality_logo_url="https://proefdorp.example/logo.png",
        boundary_path=boundary,
        tile_url="https://tiles.example/{z}/{x}/{y}.png",
        tile_attribution="© OpenStreetMap contributors",
        map_zoom=13,
        map_max_zoom=18,
        max_attachments=2,
        image_max_side_px=1600,
    ) as relay:
        body = (await relay.client.get("/v1/config")).json()
    assert body["municipality"]["name"] == "Gemeente Proefdorp"
    assert body["municipality"]["logo_url"] == "https://proefdorp.example/logo.png"
    assert body["boundary"] == EXCLAVES
    assert body["map"]["tile_url"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert body["map"]["attribution"] == "© OpenStreetMap contributors"
    assert (body["map"]["zoom"], body["map"]["max_zoom"]) == (13, 18)
    assert body["map"]["center"] == {"lat": 51.05, "lon": 4.15}
    assert (body["report"]["max_attachments"], body["report"]["image_max_side_px"]) == (2, 1600)


def test_a_relay_with_an_unusable_boundary_does_not_start(tmp_path: Path) -> None:
    boundary = tmp_path / "lambert.geojson"
    ring = [[60000, 170000], [61000, 170000], [61000, 171000], [60000, 170000]]
    boundary.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    settings = RelaySettings(environment="test", database_url=sqlite_url(tmp_path), boundary_path=boundary)
    with pytest.raises(BoundaryError, match="WGS84"):
        create_app(settings)
