"""Attachments prepared on the device (`cna_app.services.photos`): upright, without a byte of
metadata, at most the relay's size, as JPEG; the camera's position read first; everything the
relay would refuse refused here with its reason, whatever the file's name claims."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cna_app.contract.files import Kind, pdf_looks_whole, sniff
from cna_app.services.exif_gps import position_from_gps_ifd
from cna_app.services.photos import (
    AttachmentLimits,
    AttachmentRefused,
    IncomingFile,
    display_name,
    prepare_attachment,
    safe_filename,
)
from tests.support import images

LIMITS = AttachmentLimits()


def prepared(data: bytes, name: str = "foto.jpg", limits: AttachmentLimits = LIMITS, **options: object):  # type: ignore[no-untyped-def]
    return prepare_attachment(IncomingFile(name, data), limits, **options)  # type: ignore[arg-type]


def refusal(data: bytes, name: str = "x", limits: AttachmentLimits = LIMITS) -> tuple[str, str]:
    with pytest.raises(AttachmentRefused) as caught:
        prepared(data, name, limits)
    return caught.value.code, caught.value.reason


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_phone_photo_is_turned_upright_shrunk_and_stripped() -> None:
    original = images.jpeg(4000, 3000, orientation=6)  # a portrait shot stored sideways
    result = prepared(original)
    image = opened(result.data)
    assert image.format == "JPEG" and image.size == (1536, 2048)
    assert image.getpixel((image.width // 2, 10))[0] > 150  # red on top: turned the right way
    assert not image.getexif() and "icc_profile" not in image.info and "comment" not in image.info
    assert (
        b"Exif" not in result.data[:4096]
        and b"xmpmeta" not in result.data
        and b"Ieperstraat" not in result.data
    )
    assert images.jpeg_markers(result.data)[:1] == [0xE0] and 0xE1 not in images.jpeg_markers(result.data)
    assert len(result.data) < len(original) and result.original_size == len(original)


def test_the_cameras_position_is_read_before_the_metadata_goes() -> None:
    result = prepared(images.jpeg(640, 480))
    assert result.position is not None
    assert (result.position.lat, result.position.lon) == pytest.approx((50.872611, 2.987250), abs=1e-5)
    assert prepared(images.jpeg(640, 480, gps=False)).position is None


def test_the_long_side_follows_the_relays_setting() -> None:
    small = AttachmentLimits(max_side_px=512)
    assert max(opened(prepared(images.jpeg(2000, 1000), limits=small).data).size) == 512
    assert opened(prepared(images.jpeg(300, 200)).data).size == (300, 200)  # never enlarged


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "I;16", "1"])
def test_every_png_mode_becomes_an_rgb_jpeg(mode: str) -> None:
    image = opened(prepared(images.png(120, 80, mode=mode), "a.png").data)
    assert image.mode == "RGB"


def test_transparency_is_flattened_on_white() -> None:
    image = opened(prepared(images.transparent_palette_png(), "logo.png").data)
    assert image.getpixel((60, 30))[0] > 240  # the transparent half is white, not black


def test_webp_cmyk_and_heic_are_converted() -> None:
    assert opened(prepared(images.webp(animated=True), "a.webp").data).format == "JPEG"
    assert opened(prepared(images.cmyk_jpeg(), "drukwerk.jpg").data).mode == "RGB"
    heic = prepared(images.heic(320, 240, orientation=6), "IMG_0001.HEIC")
    assert heic.content_type == "image/jpeg" and heic.name == "IMG_0001.jpg"
    assert opened(heic.data).size == (240, 320) and heic.position is not None


def test_without_a_heic_decoder_the_photo_goes_as_it_is_for_the_relay_to_convert() -> None:
    original = images.heic()
    result = prepared(original, "IMG_0001.HEIC", decode_heif=False)
    assert result.content_type == "image/heic" and result.data == original and result.preview is None


def test_a_pdf_is_kept_byte_for_byte_and_a_broken_one_refused() -> None:
    document = images.pdf()
    result = prepared(document, "plan.PDF")
    assert result.data == document and result.content_type == "application/pdf" and result.name == "plan.pdf"
    assert refusal(document[:-20]) == ("unsupported_attachment", "corrupt_file")
    assert pdf_looks_whole(document) and not pdf_looks_whole(b"%PDF-9.9\n" + document[9:])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty_file"),
        (b"GIF89a" + b"\x00" * 64, "unsupported_type"),
        (images.html_polyglot(), "unsupported_type"),
        (b"PK\x03\x04zipfile", "unsupported_type"),
        (images.jpeg(64, 64)[:300], "corrupt_file"),
        (images.png_header_bomb(), "image_too_large"),
    ],
)
def test_files_the_relay_refuses_are_refused_by_content(data: bytes, reason: str) -> None:
    assert refusal(data, "onschuldig.jpg") == ("unsupported_attachment", reason)


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    assert refusal(images.png_bomb(), "klein.png")[1] == "image_too_large"


def test_the_relays_size_limit_applies_to_what_would_be_sent() -> None:
    tight = AttachmentLimits(max_bytes=1000)
    assert refusal(images.pdf() + b"%" * 2000, "groot.pdf", tight) == (
        "attachment_too_large",
        "file_too_large",
    )
    assert prepared(
        images.jpeg(3000, 2000), limits=AttachmentLimits(max_bytes=2_000_000)
    ).data  # shrinks under it
    assert refusal(images.jpeg(400, 300, gps=False), "a.jpg", tight) == (
        "attachment_too_large",
        "file_too_large",
    )


def test_types_the_relay_does_not_list_are_refused() -> None:
    only_photos = AttachmentLimits(accepted_types=frozenset({"image/jpeg"}))
    assert refusal(images.pdf(), "plan.pdf", only_photos) == ("unsupported_attachment", "unsupported_type")


def test_limits_from_a_broken_config_stay_usable() -> None:
    wire = {
        "description_max_length": 10,
        "max_attachments": 500,
        "max_attachment_bytes": -1,
        "attachment_types": [],
        "image_max_side_px": 3,
    }
    limits = AttachmentLimits.from_wire(wire)  # type: ignore[arg-type]
    assert limits.max_attachments == 10 and limits.max_bytes == 15 * 1024 * 1024
    assert limits.max_side_px == 256 and "application/pdf" in limits.accepted_types


def test_sniffing_matches_the_relays_signatures() -> None:
    assert sniff(images.jpeg(8, 8)) is Kind.JPEG
    assert sniff(images.png(8, 8)) is Kind.PNG
    assert sniff(images.webp(8, 8)) is Kind.WEBP
    assert sniff(images.heic(64, 64)) is Kind.HEIF
    assert sniff(images.pdf()) is Kind.PDF
    avif = b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1miaf"
    assert sniff(avif) is None


@pytest.mark.parametrize(
    ("declared", "shown", "sent"),
    [
        ("IMG_0001.HEIC", "IMG_0001.HEIC", "IMG_0001.jpg"),
        ("C:\\Users\\an\\Foto's\\put.jpeg", "put.jpeg", "put.jpg"),
        ("../../etc/passwd", "passwd", "passwd.jpg"),
        ("plan\u202egpj.exe", "plangpj.exe", "plangpj.jpg"),
        ('"<script>".png', '"<script>".png', "script.jpg"),
        ("", "bijlage", "bijlage.jpg"),
    ],
)
def test_file_names_are_tamed(declared: str, shown: str, sent: str) -> None:
    assert display_name(declared) == shown
    assert safe_filename(declared, "jpg") == sent


@pytest.mark.parametrize(
    "gps",
    [
        {1: "N", 2: (50.0, 52.0, float("nan")), 3: "E", 4: (2.0, 59.0, 14.1)},
        {1: "N", 2: (50.0, 75.0, 0.0), 3: "E", 4: (2.0, 59.0, 14.1)},
        {1: "X", 2: (50.0, 52.0, 21.4), 3: "E", 4: (2.0, 59.0, 14.1)},
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},
        {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (2.0, 0.0, 0.0)},
        {1: "N", 2: "50,52", 3: "E", 4: (2.0, 59.0, 14.1)},
        {1: "N", 2: (50.0, 52.0, 21.4)},
        {},
    ],
)
def test_nonsense_in_the_gps_fields_gives_no_position(gps: dict[int, object]) -> None:
    assert position_from_gps_ifd(gps) is None


def test_south_and_west_and_byte_references_are_understood() -> None:
    point = position_from_gps_ifd({1: b"S\x00", 2: (33, 52, 4), 3: "W", 4: (151.0,)})
    assert point is not None
    assert (point.lat, point.lon) == pytest.approx((-(33 + 52 / 60 + 4 / 3600), -151.0))
