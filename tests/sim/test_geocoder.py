"""The simulated geocoder's demo mode: Zonnebeke's streets, found by name and by position."""

from __future__ import annotations

import httpx

from cna_relay.geo import Boundary, GeoPoint
from invgate_sim.geocoder import demo_places, running_geocoder_stub
from tests.sim.test_cli import read_lines, start, stop
from tests.support.servers import free_port


def test_every_demo_place_lies_inside_the_demo_municipality() -> None:
    boundary = Boundary.bundled(municipality="Zonnebeke")
    places = demo_places()
    assert len(places) >= 20
    for place in places:
        assert boundary.covers(GeoPoint(float(place["lat"]), float(place["lon"]))), place["display_name"]


def test_demo_search_and_reverse_answer_like_nominatim() -> None:
    with running_geocoder_stub(places=demo_places(), reverse_radius_deg=0.01) as stub:
        base = f"http://{stub.domain}"
        found = httpx.get(
            f"{base}/search",
            params={"q": "Berten Pilstraat, Zonnebeke", "format": "json", "addressdetails": 1},
        ).json()
        assert [hit["address"]["road"] for hit in found] == ["Berten Pilstraat"]
        near = httpx.get(f"{base}/reverse", params={"lat": 50.8720, "lon": 2.9870, "format": "json"}).json()
        assert near["address"]["village"] == "Zonnebeke"
        far = httpx.get(f"{base}/reverse", params={"lat": 51.2, "lon": 4.4, "format": "json"}).json()
        assert far == {"error": "Unable to geocode"}


def test_the_geocoder_command_serves_the_demo_gazetteer() -> None:
    port = free_port()
    process = start(["invgate_sim.geocoder", "--port", str(port), "--demo"])
    try:
        [line] = read_lines(process, 1)
        assert line.endswith(f"http://127.0.0.1:{port}")
        hits = httpx.get(
            f"http://127.0.0.1:{port}/search",
            params={"q": "Tynecotstraat", "format": "json", "addressdetails": 1},
        ).json()
        assert hits and hits[0]["address"]["road"] == "Tynecotstraat"
    finally:
        stop(process)
