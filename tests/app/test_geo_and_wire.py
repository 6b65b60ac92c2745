"""Pure pieces under the report form: the boundary check (the relay's rules, without GEOS), the
pin-drag arithmetic, the streamed multipart body, and the contract check of stored locations."""

from __future__ import annotations

import json
import random
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cna_app.contract.wire import LocationIn, ProfileUpdateIn, ReportIn
from cna_app.services.geo import Boundary, GeoPoint, gps_tolerance, move_by_pixels, parse_boundary
from cna_app.services.multipart import MultipartBody, UploadFile
from cna_app.services.wire_check import WireShapeError, check_wire

SQUARE = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
HOLE = [[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0], [4.0, 4.0]]


def boundary(document: dict[str, Any]) -> Boundary:
    parsed = parse_boundary(document)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (5.0, 2.0, True),
        (0.0, 5.0, True),  # on the line counts as inside
        (10.0, 10.0, True),  # a corner too
        (5.0, 5.0, False),  # in the hole
        (4.0, 5.0, True),  # on the hole's line
        (10.000001, 5.0, False),
        (-5.0, 5.0, False),
    ],
)
def test_points_on_the_line_are_inside_and_holes_are_out(lon: float, lat: float, inside: bool) -> None:
    outline = boundary({"type": "Polygon", "coordinates": [SQUARE, HOLE]})
    assert outline.covers(GeoPoint(lat, lon)) is inside


def test_a_multipolygon_covers_each_part() -> None:
    far = [[[20.0, 0.0], [21.0, 0.0], [21.0, 1.0], [20.0, 0.0]]]
    outline = boundary({"type": "MultiPolygon", "coordinates": [[SQUARE], far]})
    assert outline.covers(GeoPoint(0.5, 20.6)) and not outline.covers(GeoPoint(0.5, 15.0))


def test_the_real_outline_agrees_with_the_relay() -> None:
    from cna_relay.geo.boundary import Boundary as RelayBoundary
    from cna_relay.geo.points import GeoPoint as RelayPoint

    relay = RelayBoundary.bundled(municipality="Zonnebeke")
    app = boundary(relay.geojson)
    rng = random.Random(4)
    for _ in range(2000):
        lat = rng.uniform(relay.bbox.south - 0.01, relay.bbox.north + 0.01)
        lon = rng.uniform(relay.bbox.west - 0.01, relay.bbox.east + 0.01)
        assert app.covers(GeoPoint(lat, lon)) == relay.covers(RelayPoint(lat, lon)), (lat, lon)
    outside = GeoPoint(50.8510, 2.8850)
    assert app.distance_m(outside) == pytest.approx(relay.distance_m(RelayPoint(50.8510, 2.8850)), rel=0.02)


def test_distance_and_gps_tolerance_follow_the_relay() -> None:
    square = [[2.93, 50.84], [3.05, 50.84], [3.05, 50.90], [2.93, 50.90], [2.93, 50.84]]
    outline = boundary({"type": "Polygon", "coordinates": [square]})
    west = GeoPoint(50.87, 2.93 - 0.0005)  # ~35 m west
    assert 30 < outline.distance_m(west) < 40
    assert outline.accepts(west, accuracy_m=40) and not outline.accepts(west, accuracy_m=20)
    assert gps_tolerance(None) == gps_tolerance(float("nan")) == gps_tolerance(-1) == 0
    assert gps_tolerance(500) == 50


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        {"type": "Polygon", "coordinates": []},
        {"type": "Point", "coordinates": [2.9, 50.8]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},  # too few positions
        {"type": "Polygon", "coordinates": [[[0, 0], [1, "0"], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, float("nan")]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [181, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [True, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[i * 1e-6, 0] for i in range(60_000)]]},
    ],
)
def test_an_unusable_boundary_leaves_the_decision_to_the_relay(document: Any) -> None:
    assert parse_boundary(document) is None


def test_dragging_by_pixels_moves_as_far_as_the_map_shows() -> None:
    start = GeoPoint(50.87, 2.98)
    assert move_by_pixels(start, 256, 0, zoom=0).lon == pytest.approx(180.0)  # clamped at the world's edge
    east = move_by_pixels(start, 100, 0, zoom=17)
    assert east.lat == pytest.approx(50.87, abs=1e-9) and east.lon - 2.98 == pytest.approx(
        100 * 360 / (256 * 2**17)
    )
    south = move_by_pixels(start, 0, 100, zoom=17)
    assert south.lat < 50.87 and south.lon == pytest.approx(2.98)
    assert move_by_pixels(GeoPoint(89.9, 0), 0, -1e9, zoom=3).valid  # clamped at the edge of the map


async def test_the_multipart_body_is_what_a_server_parses() -> None:
    seen: dict[str, Any] = {}

    async def endpoint(request: Request) -> JSONResponse:
        form = await request.form()
        seen["report"] = json.loads(str(form["report"]))
        seen["files"] = [(f.filename, f.content_type, await f.read()) for f in form.getlist("attachments")]
        seen["length"] = request.headers["content-length"]
        return JSONResponse({})

    app = Starlette(routes=[Route("/", endpoint, methods=["POST"])])
    report: ReportIn = {
        "id": "7d9f3b2e-0c55-4c51-9e36-3f5c8e2d1a00",
        "description": "Ëen “put”\r\nmet € en 日本",
        "location": {"lat": 50.87, "lon": 2.98, "source": "pin"},
    }
    files = [
        UploadFile('foto "1".jpg', "image/jpeg", b"\xff\xd8\xff" + bytes(range(256)) * 400),
        UploadFile("plan\nregel.pdf", "application/pdf", b"%PDF-1.7\r\n--cna-boundary-look-alike\r\n"),
    ]
    body = MultipartBody(report, files)
    progress: list[tuple[int, int]] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as client:
        await client.post(
            "/", content=body.stream(lambda s, t: progress.append((s, t))), headers=body.headers()
        )
    assert seen["report"] == report
    assert [(name, kind, data) for name, kind, data in seen["files"]] == [
        ("foto %221%22.jpg", "image/jpeg", files[0].data),
        ("plan%0Aregel.pdf", "application/pdf", files[1].data),
    ]
    assert int(seen["length"]) == body.total
    assert progress[0] == (0, body.total) and progress[-1] == (body.total, body.total)
    assert [sent for sent, _ in progress] == sorted(sent for sent, _ in progress)


def test_optional_contract_fields_may_be_missing_but_never_wrong() -> None:
    assert check_wire({"lat": 1.0, "lon": 2.0, "source": "pin"}, LocationIn)
    assert check_wire({}, ProfileUpdateIn) == {}
    for broken in (
        {"lat": 1.0, "source": "pin"},
        {"lat": 1.0, "lon": 2.0, "source": "pin", "accuracy_m": "5"},
    ):
        with pytest.raises(WireShapeError):
            check_wire(broken, LocationIn)
