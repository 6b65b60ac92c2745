"""The map-tile server: drawn and pre-rendered tiles, CORS for flet-map, bounds, continuity."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image

from invgate_sim.tiles import ROAD, TILE, TileSource, create_tile_app


async def get(path: str, tiles_dir: Path | None = None) -> httpx.Response:
    app = create_tile_app(tiles_dir)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://tiles.test"
    ) as http:
        return await http.get(path)


async def test_a_drawn_tile_is_a_256_px_png_with_cors() -> None:
    response = await get("/15/16800/10950.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["access-control-allow-origin"] == "*"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (TILE, TILE)
    colours = image.convert("RGB").getcolors(maxcolors=TILE * TILE) or []
    assert len(colours) > 3  # a map, not a blank square


@pytest.mark.parametrize("path", ["/0/1/0.png", "/2/4/0.png", "/2/0/-1.png", "/23/0/0.png", "/-1/0/0.png"])
async def test_tiles_outside_the_world_are_404_with_cors(path: str) -> None:
    response = await get(path)
    assert response.status_code == 404
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/a/b/c.png", "/1/1/1.jpg", "/../../etc/passwd", "/1/1/1.png/../../x"])
async def test_malformed_paths_never_read_files(path: str, tmp_path: Path) -> None:
    response = await get(path, tmp_path)
    assert response.status_code in {404, 422}


async def test_pre_rendered_tiles_win_over_drawing(tmp_path: Path) -> None:
    tile = tmp_path / "5" / "16" / "10.png"
    tile.parent.mkdir(parents=True)
    tile.write_bytes(b"\x89PNG prerendered")
    assert (await get("/5/16/10.png", tmp_path)).content == b"\x89PNG prerendered"
    assert (await get("/5/16/11.png", tmp_path)).content != b"\x89PNG prerendered"


def test_drawn_tiles_are_cached_and_stable() -> None:
    source = TileSource()
    first = source.tile(14, 8400, 5475)
    assert first is not None and source.tile(14, 8400, 5475) is first
    assert TileSource().tile(14, 8400, 5475) == first  # same drawing on every run


def _edge(png: bytes, column: int) -> list[bool]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return [image.getpixel((column, row)) == ROAD for row in range(TILE)]


def test_roads_continue_across_tile_edges() -> None:
    source = TileSource()
    for x in range(8400, 8406):
        left, right = source.tile(14, x, 5475), source.tile(14, x + 1, 5475)
        assert left is not None and right is not None
        # A horizontal road leaving the left tile enters the right one on the same rows.
        assert _edge(left, TILE - 1) == _edge(right, 0)
    assert any(any(_edge(source.tile(14, x, 5475) or b"", 0)) for x in range(8400, 8410))
