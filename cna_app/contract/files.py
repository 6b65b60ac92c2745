"""What an attachment is, decided from its first bytes: names and declared types are never asked.

One definition for both sides: the app refuses on selection what the relay would refuse after a
slow upload, and the relay decides again on every upload (it trusts nothing the app says).
"""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    HEIF = "heif"
    PDF = "pdf"


# The content types `GET /v1/config` lists per kind (either one accepts a HEIF file).
CONTENT_TYPES: dict[Kind, tuple[str, ...]] = {
    Kind.JPEG: ("image/jpeg",),
    Kind.PNG: ("image/png",),
    Kind.WEBP: ("image/webp",),
    Kind.HEIF: ("image/heic", "image/heif"),
    Kind.PDF: ("application/pdf",),
}

# ISO-BMFF brands of HEIF/HEIC stills and sequences; AVIF shares the box layout but is refused.
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_PDF_HEADER = re.compile(rb"%PDF-(?:1\.[0-7]|2\.0)[\r\n \t%]")
_PDF_TAIL = 2048


def sniff(data: bytes) -> Kind | None:
    """The kind of `data` by its signature, or None. A PDF must start with its header: anything
    before `%PDF-` (an HTML page, a script) makes it a polyglot, not a document."""
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


def accepted(kind: Kind, attachment_types: frozenset[str]) -> bool:
    """Whether the relay's configured types include this kind."""
    return any(content_type in attachment_types for content_type in CONTENT_TYPES[kind])


def pdf_looks_whole(data: bytes) -> bool:
    """A `%PDF-1.x`/`%PDF-2.0` header at the start and a trailer (`startxref` … `%%EOF`) at the end.

    Only the first check: the relay then looks inside for active content as well.
    """
    tail = data[-_PDF_TAIL:].rstrip(b"\r\n\t \x00")
    return bool(_PDF_HEADER.match(data[:16])) and tail.endswith(b"%%EOF") and b"startxref" in tail


def _is_heif(data: bytes) -> bool:
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(data[:4], "big")
    if not 16 <= box_size <= min(len(data), 4096) or box_size % 4:
        return False
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, box_size, 4)}
    return bool(brands & _HEIF_BRANDS) and data[8:12] not in _AVIF_BRANDS
