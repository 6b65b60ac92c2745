"""Photos: any accepted format in, a clean upright JPEG of at most 2,048 px out."""

from __future__ import annotations

import asyncio
import hashlib
import io

import pytest
from PIL import Image

from cna_relay.reports.attachments import AttachmentLimits, process_attachment, process_attachment_async
from cna_relay.settings import RelaySettings
from tests.support import images

# Segments a clean baseline JPEG may hold: APP0 (JFIF), quantisation and Huffman tables, frame, scan.
CLEAN_MARKERS = {0xE0, 0xDB, 0xC4, 0xC0, 0xDA}


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    image.load()
    return image


def assert_no_metadata(data: bytes) -> None:
    image = decoded(data)
    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(0x8825)  # GPS
    for key in ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp", "photoshop"):
        assert key not in image.info, key
    assert set(images.jpeg_markers(data)) <= CLEAN_MARKERS
    assert b"Exif" not in data[:4096] and b"xmpmeta" not in data and b"Ieperstraat" not in data


def red_at(image: Image.Image, x: float, y: float) -> bool:
    r, _g, b = image.convert("RGB").getpixel((int(x * (image.width - 1)), int(y * (image.height - 1))))
    return r > 150 and b < 100


def test_phone_jpeg_loses_exif_gps_xmp_icc_and_comment() -> None:
    original = images.jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is really there
    processed = process_attachment("IMG_0042.JPG", original)
    assert (processed.content_type, processed.filename) == ("image/jpeg", "IMG_0042.jpg")
    assert_no_metadata(processed.data)
    assert (processed.width, processed.height) == (400, 300)
    assert processed.original_size == len(original)
    assert processed.sha256 == hashlib.sha256(processed.data).hexdigest()


@pytest.mark.parametrize(
    ("orientation", "size", "red_corner"),
    [
        (1, (400, 300), (0.1, 0.5)),  # as stored: red on the left
        (3, (400, 300), (0.9, 0.5)),  # upside down: red on the right
        (6, (300, 400), (0.5, 0.1)),  # rotated 90° clockwise: red on top
        (8, (300, 400), (0.5, 0.9)),  # rotated 90° anticlockwise: red at the bottom
        (2, (400, 300), (0.9, 0.5)),  # mirrored
    ],
)
def test_exif_orientation_is_applied(
    orientation: int, size: tuple[int, int], red_corner: tuple[float, float]
) -> None:
    processed = process_attachment("photo.jpg", images.jpeg(orientation=orientation))
    image = decoded(processed.data)
    assert image.size == size == (processed.width, processed.height)
    assert red_at(image, *red_corner)
    assert_no_metadata(processed.data)


def test_big_photos_are_downscaled_to_the_long_side_limit() -> None:
    processed = process_attachment("big.jpg", images.jpeg(4032, 3024))
    assert (processed.width, processed.height) == (2048, 1536)
    assert decoded(processed.data).size == (2048, 1536)


def test_portrait_photos_are_limited_on_their_height() -> None:
    processed = process_attachment("tall.png", images.png(1000, 3000))
    assert (processed.width, processed.height) == (683, 2048)


def test_the_side_limit_comes_from_settings() -> None:
    processed = process_attachment(
        "x.jpg", images.jpeg(1200, 900), settings=RelaySettings(image_max_side_px=600)
    )
    assert max(processed.width or 0, processed.height or 0) == 600


def test_small_photos_are_not_enlarged() -> None:
    processed = process_attachment("small.jpg", images.jpeg(64, 48))
    assert (processed.width, processed.height) == (64, 48)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P", "LA", "L", "1", "I;16"])
def test_pngs_of_every_mode_become_rgb_jpegs(mode: str) -> None:
    processed = process_attachment("scan.png", images.png(mode=mode))
    image = decoded(processed.data)
    assert image.mode == "RGB"
    assert (processed.filename, image.size) == ("scan.jpg", (300, 200))
    assert_no_metadata(processed.data)
    assert b"GPS 50.87" not in processed.data


def test_transparency_is_flattened_on_white() -> None:
    image = decoded(process_attachment("logo.png", images.transparent_palette_png()).data)
    r, g, b = image.getpixel((60, 30))  # the transparent right half
    assert min(r, g, b) > 240
    assert red_at(image, 0.1, 0.5)


def test_sixteen_bit_greys_keep_their_gradient() -> None:
    image = decoded(process_attachment("depth.png", images.png(mode="I;16")).data)
    top, bottom = image.getpixel((150, 2))[0], image.getpixel((150, 197))[0]
    assert top < 30 and bottom > 220  # scaled, not clipped to white


def test_cmyk_jpegs_come_out_in_rgb_with_the_right_colours() -> None:
    image = decoded(process_attachment("print.jpg", images.cmyk_jpeg()).data)
    assert image.mode == "RGB"
    assert red_at(image, 0.1, 0.5) and not red_at(image, 0.9, 0.5)


def test_webp_is_converted() -> None:
    processed = process_attachment("photo.webp", images.webp())
    assert (processed.content_type, processed.filename, processed.width) == ("image/jpeg", "photo.jpg", 300)
    assert_no_metadata(processed.data)


def test_animated_webp_keeps_the_first_frame() -> None:
    image = decoded(process_attachment("anim.webp", images.webp(animated=True)).data)
    assert red_at(image, 0.1, 0.5)  # frame 2 is all green


@pytest.mark.parametrize(("orientation", "size"), [(1, (320, 240)), (6, (240, 320))])
def test_heic_from_an_iphone_is_converted_upright(orientation: int, size: tuple[int, int]) -> None:
    original = images.heic(orientation=orientation)
    assert original[4:12] == b"ftypheic"
    processed = process_attachment("IMG_1234.HEIC", original)
    assert (processed.content_type, processed.filename) == ("image/jpeg", "IMG_1234.jpg")
    assert (processed.width, processed.height) == size
    assert red_at(decoded(processed.data), 0.1, 0.1)
    assert_no_metadata(processed.data)


def test_data_appended_after_the_image_does_not_survive() -> None:
    processed = process_attachment("innocent.jpg", images.jpeg_with_trailing_script())
    assert b"<script>" not in processed.data
    assert_no_metadata(processed.data)


def test_limits_can_be_given_without_settings() -> None:
    processed = process_attachment("x.jpg", images.jpeg(500, 500), limits=AttachmentLimits(max_side_px=100))
    assert (processed.width, processed.height) == (100, 100)


async def test_async_wrapper_processes_in_a_thread_without_blocking_the_loop() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    processed = await process_attachment_async("big.jpg", images.jpeg(3000, 2000))
    task.cancel()
    assert processed.width == 2048
    assert ticks > 1  # the loop kept running while the photo was decoded
