"""Photos: decoded safely, turned upright, stripped of every byte of metadata, re-encoded as JPEG.

Order matters: the pixel count is checked from the header before any pixel is decoded (JPEGs
are then decoded at a reduced scale when they are far larger than needed); the EXIF orientation
is applied before the metadata goes; colours are converted to sRGB before the ICC profile goes.
The output is a fresh baseline JPEG written without EXIF, XMP, ICC or comments, so a GPS
position in the original cannot survive.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from cna_app.contract.files import Kind
from cna_app.contract.photos import clean_photo, encode_jpeg
from cna_relay.reports.attachments.model import AttachmentLimits, AttachmentRejected, unsupported

_PILLOW_FORMATS = {Kind.JPEG: "JPEG", Kind.PNG: "PNG", Kind.WEBP: "WEBP"}
# Decoding errors of a damaged file: Pillow and libheif report them with these.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    UnidentifiedImageError,
    Image.DecompressionBombError,
)


@dataclass(frozen=True, slots=True)
class EncodedImage:
    data: bytes
    width: int
    height: int


def process_image(data: bytes, kind: Kind, limits: AttachmentLimits, *, field: str) -> EncodedImage:
    """A clean JPEG of at most `limits.max_side_px` on its long side, or `AttachmentRejected`."""
    try:
        image = clean_photo(_open(data, kind, limits, field=field), kind, max_side=limits.max_side_px)
        return EncodedImage(encode_jpeg(image, limits.jpeg_quality), image.width, image.height)
    except AttachmentRejected:
        raise
    except Image.DecompressionBombWarning as exc:  # raised as an error where warnings are errors
        raise unsupported(field, "image_too_large") from exc
    except _DECODE_ERRORS as exc:
        raise unsupported(field, "corrupt_file") from exc


def _open(data: bytes, kind: Kind, limits: AttachmentLimits, *, field: str) -> Image.Image:
    """Read the header only; refuse before decoding when the picture has too many pixels."""
    try:
        if kind is Kind.HEIF:
            image = _open_heif(data, limits, field=field)
        else:
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[kind]])
    except Image.DecompressionBombError as exc:  # Pillow's own, higher, limit
        raise unsupported(field, "image_too_large") from exc
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > limits.max_pixels:
        raise unsupported(field, "image_too_large")
    return image


def _open_heif(data: bytes, limits: AttachmentLimits, *, field: str) -> Image.Image:
    import pillow_heif  # imported on first use: it is a large native library

    heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
    width, height = heif.size
    if width * height > limits.max_pixels:
        raise unsupported(field, "image_too_large")
    image: Image.Image = heif.to_pillow()
    return image
