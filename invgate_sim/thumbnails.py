"""Small PNG previews of image attachments for the board and the mail sink."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

# Refuse to decode anything bigger than a 40-megapixel photo: a preview is not worth a memory bomb.
MAX_PIXELS = 40_000_000


def thumbnail_png(content: bytes, size: int = 160) -> bytes | None:
    """A PNG at most `size` px on its long side, or None when `content` is not a decodable image."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            image.draft("RGB", (size * 2, size * 2))
            preview = ImageOps.exif_transpose(image).convert("RGB")
            preview.thumbnail((size, size))
            out = io.BytesIO()
            preview.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None


def is_image(content_type: str) -> bool:
    return content_type.lower().startswith("image/")
