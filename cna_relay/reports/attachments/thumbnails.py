"""Small square JPEGs for "Mijn meldingen": the first photo cropped to fit, or a document icon."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

from cna_relay.reports.attachments.model import JPEG, ProcessedAttachment

THUMBNAIL_PX = 256
_QUALITY = 80
_PAGE, _EDGE, _BAND, _INK = (255, 255, 255), (150, 150, 150), (196, 43, 28), (255, 255, 255)
_BACKGROUND = (236, 239, 241)


def make_thumbnail(processed: ProcessedAttachment, *, size: int = THUMBNAIL_PX) -> bytes:
    """A `size`×`size` JPEG: the photo centre-cropped, or a generic PDF icon for a document."""
    if processed.content_type != JPEG:
        return _encode(_document_icon(size))
    # Our own re-encoded JPEG: trusted, small, already upright and free of metadata.
    with Image.open(io.BytesIO(processed.data), formats=["JPEG"]) as photo:
        square = ImageOps.fit(photo.convert("RGB"), (size, size), Image.Resampling.LANCZOS)
    return _encode(square)


def _document_icon(size: int) -> Image.Image:
    """A page with a folded corner and a red "PDF" band, drawn the same on every machine."""
    icon = Image.new("RGB", (size, size), _BACKGROUND)
    draw = ImageDraw.Draw(icon)
    left, top, right, bottom = size * 0.25, size * 0.12, size * 0.75, size * 0.88
    fold = size * 0.14
    page = [(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)]
    draw.polygon(page, fill=_PAGE, outline=_EDGE, width=max(1, size // 96))
    draw.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=_EDGE)
    band_top, band_bottom = size * 0.52, size * 0.70
    draw.rectangle([left - size * 0.06, band_top, right - size * 0.02, band_bottom], fill=_BAND)
    font = ImageFont.load_default(size=int(size * 0.13))
    draw.text(
        ((left + right) / 2 - size * 0.04, (band_top + band_bottom) / 2),
        "PDF",
        fill=_INK,
        font=font,
        anchor="mm",
    )
    return icon


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=_QUALITY, optimize=True)
    return out.getvalue()
