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

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from cna_relay.reports.attachments.model import AttachmentLimits, AttachmentRejected, unsupported
from cna_relay.reports.attachments.sniff import Kind

_PILLOW_FORMATS = {Kind.JPEG: "JPEG", Kind.PNG: "PNG", Kind.WEBP: "WEBP"}
_SIXTEEN_BIT = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})
_BACKGROUND = (255, 255, 255)
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
        image = _open(data, kind, limits, field=field)
        image = _decode(image, kind, limits)
        image = _normalise_mode(ImageOps.exif_transpose(image))
        # Downscale first: the colour transform then works on ≤ 4 MP instead of the full photo.
        image.thumbnail((limits.max_side_px, limits.max_side_px), Image.Resampling.LANCZOS)
        image = _flatten(_to_srgb(image))
        return EncodedImage(_encode(image, limits.jpeg_quality), image.width, image.height)
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


def _decode(image: Image.Image, kind: Kind, limits: AttachmentLimits) -> Image.Image:
    """Decode the first frame; big JPEGs at 1/2, 1/4 or 1/8 scale (still ≥ the target size)."""
    if kind is Kind.JPEG:
        image.draft("RGB", (limits.max_side_px, limits.max_side_px))
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # animated WebP/PNG: the first frame is the photo
    image.load()
    return image


def _normalise_mode(image: Image.Image) -> Image.Image:
    """8-bit RGB, RGBA or CMYK (the modes resizing and colour management handle well)."""
    if image.mode in _SIXTEEN_BIT:
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode in ("RGB", "RGBA", "CMYK"):
        return image
    transparent = image.mode in ("LA", "PA", "La", "RGBa") or "transparency" in image.info
    return image.convert("RGBA" if transparent else "RGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours from an embedded ICC profile (Display P3, Adobe RGB, CMYK) mapped to sRGB."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode != "CMYK" and ImageCms.getProfileDescription(source).strip().startswith("sRGB"):
            return image
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile: keep the pixels as they are
    return converted if converted is not None else image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB at last: transparency composited on white, CMYK without a profile converted plainly."""
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, _BACKGROUND)
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image if image.mode == "RGB" else image.convert("RGB")


def _encode(image: Image.Image, quality: int) -> bytes:
    # Pillow copies a JPEG comment from `info` into the output unless told otherwise.
    image.info.clear()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, exif=b"", comment=b"")
    return out.getvalue()
