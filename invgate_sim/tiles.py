"""A local map-tile server for the e2e tests and the demo: `/{z}/{x}/{y}.png` (slippy-map scheme).

Tiles come from a folder of pre-rendered PNGs (`<dir>/<z>/<x>/<y>.png`) when it holds the tile, else
they are drawn with Pillow: a light background, parks and water blocks, a street grid whose roads run on
across tile edges, and a faint tile grid. Drawn tiles are cached. Every answer carries
`Access-Control-Allow-Origin: *` because flet-map fetches tiles cross-origin.

`python -m invgate_sim.tiles --port 8090 [--dir assets/tiles]`
"""

from __future__ import annotations

import argparse
import hashlib
import io
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI
from PIL import Image, ImageDraw
from starlette.middleware.base import RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

TILE = 256
MAX_ZOOM = 22
BLOCK = 320  # world pixels between main roads, at every zoom level
CACHE_SIZE = 4096
BACKGROUND, GRID = (242, 239, 233), (228, 224, 216)
PARK, WATER = (205, 230, 190), (170, 211, 223)
ROAD, ROAD_EDGE, LANE, BUILDING = (255, 255, 255), (214, 208, 198), (255, 255, 255), (232, 226, 218)
CORS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=86400"}


def _noise(*values: int) -> int:
    """A stable pseudo-random number per coordinate tuple, identical on every run and machine."""
    digest = hashlib.blake2b(repr(values).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big")


def _road_offset(z: int, axis: int, index: int) -> int:
    return BLOCK * index + _noise(z, axis, index) % (BLOCK // 3)


def render_tile(z: int, x: int, y: int) -> bytes:
    """Draw one 256×256 tile; roads are placed in world pixels, so neighbouring tiles line up."""
    image = Image.new("RGB", (TILE, TILE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for offset in range(0, TILE, TILE // 4):
        draw.line([(offset, 0), (offset, TILE)], fill=GRID)
        draw.line([(0, offset), (TILE, offset)], fill=GRID)
    left, top = x * TILE, y * TILE
    first_col, first_row = left // BLOCK - 1, top // BLOCK - 1
    blocks = [
        (col, row) for col in range(first_col, first_col + 4) for row in range(first_row, first_row + 4)
    ]
    for col, row in blocks:
        _draw_block(draw, z, col, row, left, top)
    width = max(3, min(14, z - 6))
    for axis, start, origin in ((0, first_col, left), (1, first_row, top)):
        for index in range(start, start + 4):
            position = _road_offset(z, axis, index) - origin
            _draw_road(draw, axis, position, width)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _draw_block(draw: ImageDraw.ImageDraw, z: int, col: int, row: int, left: int, top: int) -> None:
    """The area between two road pairs: a park, a pond, or houses along a side street."""
    x0 = _road_offset(z, 0, col) - left
    y0 = _road_offset(z, 1, row) - top
    x1 = _road_offset(z, 0, col + 1) - left
    y1 = _road_offset(z, 1, row + 1) - top
    kind = _noise(z, 7, col, row) % 7
    if kind <= 1:
        box = (x0 + 14, y0 + 14, x1 - 14, y1 - 14)
        draw.rounded_rectangle(box, radius=24, fill=PARK if kind == 0 else WATER)
        return
    middle = (y0 + y1) // 2
    for start in range(x0 + 16, x1 - 40, 44):  # two rows of houses along a side street
        draw.rectangle((start, y0 + 14, start + 30, middle - 10), fill=BUILDING)
        draw.rectangle((start, middle + 10, start + 30, y1 - 14), fill=BUILDING)
    draw.line([(x0, middle), (x1, middle)], fill=LANE, width=max(2, min(6, z - 10)))


def _draw_road(draw: ImageDraw.ImageDraw, axis: int, position: int, width: int) -> None:
    if not -width <= position <= TILE + width:
        return
    line = [(position, 0), (position, TILE)] if axis == 0 else [(0, position), (TILE, position)]
    draw.line(line, fill=ROAD_EDGE, width=width + 2)
    draw.line(line, fill=ROAD, width=width)


class TileSource:
    """Pre-rendered tiles from `tiles_dir` first, drawn tiles otherwise (kept in an LRU cache)."""

    def __init__(self, tiles_dir: Path | None = None) -> None:
        self.tiles_dir = tiles_dir.resolve() if tiles_dir else None
        self._cache: OrderedDict[tuple[int, int, int], bytes] = OrderedDict()

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        if not (0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
            return None
        stored = self._stored(z, x, y)
        if stored is not None:
            return stored
        key = (z, x, y)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        drawn = render_tile(z, x, y)
        self._cache[key] = drawn
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return drawn

    def _stored(self, z: int, x: int, y: int) -> bytes | None:
        if self.tiles_dir is None:
            return None
        # z, x and y are validated integers, so this path cannot leave the tiles folder.
        path = self.tiles_dir / str(z) / str(x) / f"{y}.png"
        return path.read_bytes() if path.is_file() else None


def create_tile_app(tiles_dir: Path | str | None = None) -> FastAPI:
    source = TileSource(Path(tiles_dir) if tiles_dir else None)
    app = FastAPI(title="Map tiles", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.tiles = source

    @app.get("/{z}/{x}/{y}.png")
    async def tile(z: int, x: int, y: int) -> Response:
        png = source.tile(z, x, y)
        if png is None:
            return Response(status_code=404, headers=CORS)
        return Response(png, media_type="image/png", headers=CORS)

    @app.middleware("http")
    async def cors_everywhere(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        return response

    return app


def main(argv: Sequence[str] | None = None) -> None:
    from invgate_sim.serve import bind, say, serve, url_of

    parser = argparse.ArgumentParser(prog="python -m invgate_sim.tiles", description="Local map-tile server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--dir", type=Path, default=None, help="folder of pre-rendered <z>/<x>/<y>.png tiles")
    args = parser.parse_args(argv)
    sock = bind(args.host, args.port)
    say(f"Tiles: {url_of(sock)}/{{z}}/{{x}}/{{y}}.png")
    serve(create_tile_app(args.dir), sock)


if __name__ == "__main__":
    main()
