"""What a clean photo is, for the app (before upload) and the relay (after it): one pipeline.

Upright (EXIF orientation applied), 8-bit, at most `max_side` on its long side, colours mapped to
sRGB before the ICC profile goes, transparency on white, and written as a fresh baseline JPEG that
carries no EXIF, XMP, ICC or comment, so a GPS position in the original cannot survive. Opening
the file (and refusing bombs and broken files) stays with each side: the relay trusts nothing.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from cna_app.contract.files import Kind

_SIXTEEN_BIT = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})
_BACKGROUND = (255, 255, 255)


def clean_photo(image: Image.Image, kind: Kind, *, max_side: int) -> Image.Image:
    """The decoded, upright, sRGB, RGB picture of an opened (not yet decoded) `image`."""
    if kind is Kind.JPEG:
        image.draft("RGB", (max_side, max_side))  # decode big JPEGs at 1/2, 1/4 or 1/8 scale directly
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # animated WebP/PNG: the first frame is the photo
    image.load()
    icc = image.info.get("icc_profile")
    upright = normalise_mode(ImageOps.exif_transpose(image))
    # Downscale first: the colour transform then works on ≤ 4 MP instead of the full photo.
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return flatten(to_srgb(upright, icc))


def normalise_mode(image: Image.Image) -> Image.Image:
    """8-bit RGB, RGBA or CMYK: the modes resizing and colour management handle well."""
    if image.mode in _SIXTEEN_BIT:
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode in ("RGB", "RGBA", "CMYK"):
        return image
    transparent = image.mode in ("LA", "PA", "La", "RGBa") or "transparency" in image.info
    return image.convert("RGBA" if transparent else "RGB")


def to_srgb(image: Image.Image, icc: object) -> Image.Image:
    """Colours from an embedded profile (Display P3, Adobe RGB, CMYK) mapped to sRGB; without
    LittleCMS in the build, or with a broken profile, the pixels stay as they are."""
    if not isinstance(icc, bytes) or not icc:
        return image
    try:
        from PIL import ImageCms
    except ImportError:  # some mobile builds of Pillow come without LittleCMS
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode != "CMYK" and ImageCms.getProfileDescription(source).strip().startswith("sRGB"):
            return image
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def flatten(image: Image.Image) -> Image.Image:
    """RGB at last: transparency composited on white, CMYK without a profile converted plainly."""
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, _BACKGROUND)
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image if image.mode == "RGB" else image.convert("RGB")


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """A JPEG of the pixels only: a fresh image has no `info` for EXIF, XMP, ICC or a comment."""
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()
