"""A simulated geocoder: a small real HTTP server standing in for Nominatim and the Flemish
Geolocation API, for tests and for the offline demo (`python -m invgate_sim.geocoder --demo`).

Answers `/search` and `/reverse` (Nominatim, `format=json`: lat/lon as strings, `address` with
`addressdetails=1`, `{"error": "Unable to geocode"}` when nothing is near) and
`/geolocation/v4/Location?q=|latlon=&c=` (Flemish API) from the fixture below, honouring
`countrycodes`, `viewbox`/`bounded` and `limit` as the real services do. Every request is
recorded (path, parameters, headers) so tests can assert on what the relay sent; `fail_next`,
`malformed_next` and `delay_s` inject faults. Binds 127.0.0.1 only.

The default places are the tests' fixture; `--demo` serves a gazetteer of Zonnebeke's streets
(`seed_data/demo_places.json`: real names, approximate positions) and answers a reverse query
with the nearest street within a kilometre, as Nominatim does in a built-up area.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlparse

from invgate_sim.serve import say

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright"


def _place(osm_id: int, lat: float, lon: float, address: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "place_id": 100000 + osm_id,
        "licence": LICENCE,
        "osm_type": "way",
        "osm_id": osm_id,
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": extra.pop("cls", "highway"),
        "type": extra.pop("type", "residential"),
        "importance": extra.pop("importance", 0.1),
        "display_name": ", ".join(
            [*address.values(), "West-Vlaanderen", "Vlaanderen", "België / Belgique / Belgien"]
        ),
        "address": {
            **address,
            "state": "Vlaanderen",
            "country": "België / Belgique / Belgien",
            "country_code": "be",
        },
        "boundingbox": [
            f"{lat - 0.001:.7f}",
            f"{lat + 0.001:.7f}",
            f"{lon - 0.001:.7f}",
            f"{lon + 0.001:.7f}",
        ],
        **extra,
    }


# Coordinates: Zonnebeke (inside the bundled boundary), Moorslede (inside its bbox, outside the
# municipality), Ieper (west of the bbox) and Gent (far away).
PLACES: list[dict[str, Any]] = [
    _place(
        1,
        50.8712,
        2.9832,
        {"house_number": "12", "road": "Ieperstraat", "village": "Zonnebeke", "postcode": "8980"},
    ),
    _place(2, 50.8722, 2.9868, {"road": "Kerkstraat", "village": "Zonnebeke", "postcode": "8980"}),
    _place(3, 50.8891, 3.0580, {"road": "Kerkstraat", "town": "Moorslede", "postcode": "8890"}),
    _place(4, 50.8512, 2.8851, {"road": "Kerkstraat", "city": "Ieper", "postcode": "8900"}),
    _place(5, 51.0543, 3.7174, {"road": "Kerkstraat", "city": "Gent", "postcode": "9000"}),
    _place(
        6,
        50.8874,
        2.9999,
        {
            "tourism": "Tyne Cot Cemetery",
            "road": "Tynecotstraat",
            "village": "Passendale",
            "postcode": "8980",
        },
        cls="tourism",
        type="attraction",
    ),
]


@dataclass
class Recorded:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float


@dataclass
class GeocoderStub:
    """Fixture server state; `domain` is what the relay's `geocoder_domain` should be."""

    host: str
    port: int
    requests: list[Recorded] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=lambda: list(PLACES))
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    malformed: int = 0
    answers: list[Any] = field(default_factory=list)
    delay_s: float = 0.0
    # Degrees around a point where `/reverse` still finds a place (~200 m by default).
    reverse_radius_deg: float = 0.002
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def domain(self) -> str:
        return f"{self.host}:{self.port}"

    def fail_next(self, count: int = 1, *, status: int = 503, headers: dict[str, str] | None = None) -> None:
        with self.lock:
            self.failures.extend([(status, headers or {})] * count)

    def malformed_next(self, count: int = 1) -> None:
        """The next answers are HTML served as JSON (an overloaded proxy in front of the provider)."""
        with self.lock:
            self.malformed += count

    def answer_next(self, body: Any) -> None:
        """The next request gets exactly this JSON body, whatever it asked."""
        with self.lock:
            self.answers.append(body)

    def paths(self) -> list[str]:
        return [item.path for item in self.requests]

    def last(self) -> Recorded:
        return self.requests[-1]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        stub = self.server.stub
        url = urlparse(self.path)
        params = {key: values[-1] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
        stub.requests.append(Recorded(url.path, params, dict(self.headers.items()), time.monotonic()))
        if stub.delay_s:
            time.sleep(stub.delay_s)
        with stub.lock:
            failure = stub.failures.pop(0) if stub.failures else None
            broken = stub.malformed > 0
            stub.malformed -= 1 if broken else 0
            canned = [stub.answers.pop(0)] if stub.answers and failure is None else []
        if canned:
            self._send(200, canned[0])
        elif failure is not None:
            self._send(failure[0], {"error": "injected failure"}, failure[1])
        elif broken:
            self._send_raw(200, b"<html>Service temporarily unavailable</html>", "application/json")
        elif url.path == "/search":
            self._send(200, _search(stub.places, params))
        elif url.path == "/reverse":
            self._send(200, _reverse(stub.places, params, stub.reverse_radius_deg))
        elif url.path == "/geolocation/v4/Location":
            self._send(200, _flemish(stub.places, params, stub.reverse_radius_deg))
        else:
            self._send(404, {"error": "not found"})

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

    def _send_raw(self, status: int, body: bytes, media: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stub: GeocoderStub


def _matches(place: dict[str, Any], text: str) -> bool:
    address = place.get("address", {})
    names = [address.get("road", ""), address.get(place.get("type", ""), "")]
    return any(name and name.casefold() in text.casefold() for name in names)


def _search(places: list[dict[str, Any]], params: dict[str, str]) -> Any:
    if params.get("format") not in ("json", "jsonv2"):
        return {"error": "this stub speaks json only"}
    hits = [place for place in places if _matches(place, params.get("q", ""))]
    if "countrycodes" in params:
        hits = [p for p in hits if p["address"]["country_code"] in params["countrycodes"].split(",")]
    if params.get("bounded") == "1" and "viewbox" in params:
        x1, y1, x2, y2 = map(float, params["viewbox"].split(","))
        hits = [
            p
            for p in hits
            if min(x1, x2) <= float(p["lon"]) <= max(x1, x2) and min(y1, y2) <= float(p["lat"]) <= max(y1, y2)
        ]
    hits = hits[: int(params.get("limit", 10))]
    return [_shape(place, params.get("addressdetails") == "1") for place in hits]


def _reverse(places: list[dict[str, Any]], params: dict[str, str], radius_deg: float) -> Any:
    lat, lon = float(params["lat"]), float(params["lon"])
    best = min(places, key=lambda p: _distance(lat, lon, p))
    if _distance(lat, lon, best) > radius_deg:  # nothing here
        return {"error": "Unable to geocode"}
    return _shape(best, params.get("addressdetails", "1") == "1")


def _flemish(places: list[dict[str, Any]], params: dict[str, str], radius_deg: float) -> Any:
    if "latlon" in params:
        lat, lon = map(float, params["latlon"].split(","))
        hits = sorted(
            (p for p in places if _distance(lat, lon, p) <= radius_deg), key=lambda p: _distance(lat, lon, p)
        )
    else:
        hits = [p for p in places if _matches(p, params.get("q", ""))]
    results = []
    for place in hits[: int(params.get("c", 1))]:
        address = place["address"]
        position = {
            "Lat_WGS84": float(place["lat"]),
            "Lon_WGS84": float(place["lon"]),
            "X_Lambert72": 0.0,
            "Y_Lambert72": 0.0,
        }
        locality = address.get("village") or address.get("town") or address.get("city")
        results.append(
            {
                "Municipality": locality,
                "Zipcode": address["postcode"],
                "Thoroughfarename": address.get("road"),
                "Housenumber": address.get("house_number"),
                "ID": place["place_id"],
                "FormattedAddress": f"{address.get('road')}, {address['postcode']} {locality}",
                "Location": position,
                "LocationType": "crab_straat",
                "BoundingBox": {"LowerLeft": position, "UpperRight": position},
            }
        )
    return {"LocationResult": results}


def _shape(place: dict[str, Any], with_address: bool) -> dict[str, Any]:
    shaped = dict(place)
    if not with_address:
        shaped.pop("address")
    return shaped


def _distance(lat: float, lon: float, place: dict[str, Any]) -> float:
    return math.hypot(lat - float(place["lat"]), lon - float(place["lon"]))


def demo_places() -> list[dict[str, Any]]:
    """Zonnebeke's streets for the offline demo, in the shape Nominatim answers."""
    data = json.loads(
        resources.files("invgate_sim").joinpath("seed_data").joinpath("demo_places.json").read_text("utf-8")
    )
    return [_place(item["osm_id"], item["lat"], item["lon"], item["address"]) for item in data["places"]]


@contextlib.contextmanager
def running_geocoder_stub(
    port: int = 0, *, places: list[dict[str, Any]] | None = None, reverse_radius_deg: float = 0.002
) -> Iterator[GeocoderStub]:
    server = _Server(("127.0.0.1", port), _Handler)
    host, port = server.server_address[:2]
    server.stub = GeocoderStub(host=str(host), port=int(port), reverse_radius_deg=reverse_radius_deg)
    if places is not None:
        server.stub.places = places
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    """`python -m invgate_sim.geocoder [--port 8095] [--demo]`; point the relay at it with
    CNA_RELAY_GEOCODER_DOMAIN=127.0.0.1:8095 CNA_RELAY_GEOCODER_SCHEME=http."""
    parser = argparse.ArgumentParser(prog="python -m invgate_sim.geocoder", description="Simulated geocoder")
    parser.add_argument("--port", type=int, default=8095)
    parser.add_argument("--demo", action="store_true", help="serve the Zonnebeke demo gazetteer")
    args = parser.parse_args(argv)
    places = demo_places() if args.demo else None
    with running_geocoder_stub(
        args.port, places=places, reverse_radius_deg=0.01 if args.demo else 0.002
    ) as running:
        say(f"Simulated geocoder (Nominatim and Flemish API): http://{running.domain}")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
