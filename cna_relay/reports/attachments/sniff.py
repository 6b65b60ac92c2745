"""What a file is, decided from its first bytes; names and declared types are never asked."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    HEIF = "heif"
    PDF = "pdf"


# ISO-BMFF brands of HEIF/HEIC still images and sequences (AVIF is not accepted).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})


def sniff(data: bytes) -> Kind | None:
    """The kind of `data` by its signature, or None. PDFs must start with their header: a file
    with anything before `%PDF-` (an HTML page, a script) is a polyglot, not a document."""
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if len(data) >= 16 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Kind.WEBP
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    if _is_heif(data):
        return Kind.HEIF
    return None


def _is_heif(data: bytes) -> bool:
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(data[:4], "big")
    if not 16 <= box_size <= min(len(data), 4096) or box_size % 4:
        return False
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, box_size, 4)}
    return bool(brands & _HEIF_BRANDS) and data[8:12] not in _AVIF_BRANDS
