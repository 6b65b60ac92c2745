"""Thumbnails for "Mijn meldingen": small square JPEGs."""

from __future__ import annotations

import io

from PIL import Image

from cna_relay.reports.attachments import make_thumbnail, process_attachment
from tests.support import images


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    image.load()
    return image


def test_a_photo_thumbnail_is_a_centre_crop() -> None:
    photo = process_attachment("p.jpg", images.jpeg(800, 400, orientation=6))
    thumbnail = opened(make_thumbnail(photo))
    assert thumbnail.size == (256, 256)
    assert len(thumbnail.getexif()) == 0
    r, _, b = thumbnail.getpixel((128, 10))  # upright: red half on top
    assert r > 150 and b < 100


def test_thumbnail_size_can_be_chosen() -> None:
    photo = process_attachment("p.png", images.png(300, 200))
    assert opened(make_thumbnail(photo, size=96)).size == (96, 96)


def test_a_pdf_gets_a_document_icon() -> None:
    document = process_attachment("d.pdf", images.pdf())
    first, second = make_thumbnail(document), make_thumbnail(document)
    icon = opened(first)
    assert icon.size == (256, 256)
    assert first == second  # drawn the same every time
    r, g, b = icon.getpixel((128, 150))  # the red "PDF" band
    assert r > 150 and g < 100 and b < 100
