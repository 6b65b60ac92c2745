"""Attachments prepared on the device before upload: photos upright, without metadata, at most
`image_max_side_px` on the long side, as JPEG; PDFs checked and kept byte for byte.

Why here and not only on the relay (which processes every file again): a 12-megapixel photo is
4-8 MB straight from the camera and a few hundred kilobytes after this, which is the difference
between a report that goes and one that times out on a weak mobile connection. The position a
camera wrote into the photo is read *before* the metadata goes, so the form can offer it.

HEIC/HEIF photos are decoded with `pillow-heif` where it is installed (the `heic` extra: desktop
and web servers); without it they are sent as they are and the relay converts them.

Refusals use the relay's problem codes and limits (`AttachmentRefused.code`), so the app says
exactly what the relay would have said, before a byte is sent. `prepare_attachment` is
CPU-bound: callers run it off the UI thread (`prepare_attachment_async`).
"""

from __future__ import annotations

import asyncio
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Literal

from PIL import Image, UnidentifiedImageError

from cna_app.contract.files import Kind, accepted, pdf_looks_whole, sniff
from cna_app.contract.photos import clean_photo, encode_jpeg
from cna_app.contract.wire import ReportLimits
from cna_app.services.exif_gps import photo_position
from cna_app.services.geo import GeoPoint

JPEG = "image/jpeg"
PDF = "application/pdf"
HEIC = "image/heic"
# Decompression-bomb guard, as the relay's default (80 MP covers 64 MP phone cameras).
MAX_PIXELS = 80_000_000
# A photo straight from a camera may exceed the relay's limit: it shrinks here. This bounds
# what the device agrees to decode at all.
MAX_RAW_IMAGE_BYTES = 64 * 1024 * 1024
PREVIEW_SIDE_PX = 240
_PILLOW_FORMATS = {Kind.JPEG: "JPEG", Kind.PNG: "PNG", Kind.WEBP: "WEBP", Kind.HEIF: "HEIF"}
_MAX_STEM = 80
_UNSAFE = re.compile(r'[<>:"|?*\\/\x00-\x1f]')
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError, MemoryError)


class AttachmentRefused(Exception):
    """A file the relay would refuse: `code` is its problem code, `reason` the field code."""

    def __init__(self, code: str, reason: str, **params: object) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.params = params


@dataclass(frozen=True, slots=True)
class AttachmentLimits:
    """The relay's limits (`ConfigView.report`), tamed: a broken config must not lock users out."""

    max_attachments: int = 3
    max_bytes: int = 15 * 1024 * 1024
    max_side_px: int = 2048
    accepted_types: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", PDF}
        )
    )
    jpeg_quality: int = 85

    @classmethod
    def from_wire(cls, limits: ReportLimits) -> AttachmentLimits:
        default = cls()
        return cls(
            max_attachments=max(0, min(limits["max_attachments"], 10)),
            max_bytes=limits["max_attachment_bytes"]
            if limits["max_attachment_bytes"] > 0
            else default.max_bytes,
            max_side_px=min(max(limits["image_max_side_px"], 256), 8192),
            accepted_types=frozenset(limits["attachment_types"]) or default.accepted_types,
        )

    @property
    def max_mb(self) -> int:
        return max(1, self.max_bytes // (1024 * 1024))


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file as the user handed it over (picker, paste, drop). `problem` is set by the picker
    when the bytes never arrived: the file was too large to fetch, or the transfer broke off."""

    name: str
    data: bytes
    problem: Literal["too_large", "transfer_failed"] | None = None


@dataclass(frozen=True, slots=True)
class PreparedAttachment:
    """What will be uploaded, plus what the form shows: a small preview and the photo's position."""

    name: str
    content_type: str
    data: bytes
    original_size: int
    preview: bytes | None = None
    position: GeoPoint | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def too_large(limits: AttachmentLimits) -> AttachmentRefused:
    return AttachmentRefused("attachment_too_large", "file_too_large", max_mb=limits.max_mb)


def prepare_attachment(
    incoming: IncomingFile, limits: AttachmentLimits, *, decode_heif: bool | None = None
) -> PreparedAttachment:
    """The file ready for upload, or `AttachmentRefused` with the relay's reason.

    `decode_heif` says whether this device converts HEIC (default: whether pillow-heif is here).
    """
    data = incoming.data
    if incoming.problem == "too_large":
        raise too_large(limits)
    if incoming.problem == "transfer_failed":
        raise AttachmentRefused("transfer_failed", "transfer_failed")
    if not data:
        raise AttachmentRefused("unsupported_attachment", "empty_file")
    kind = sniff(data)
    if kind is None or not accepted(kind, limits.accepted_types):
        raise AttachmentRefused("unsupported_attachment", "unsupported_type")
    if kind is Kind.PDF:
        return _pdf(incoming, limits)
    if kind is Kind.HEIF and not (decode_heif is not False and heif_supported()):
        return _as_is(incoming, HEIC, "heic", limits)
    if len(data) > MAX_RAW_IMAGE_BYTES:
        raise too_large(limits)
    prepared = _photo(incoming, kind, limits)
    if len(prepared.data) > limits.max_bytes:
        raise too_large(limits)
    return prepared


async def prepare_attachment_async(incoming: IncomingFile, limits: AttachmentLimits) -> PreparedAttachment:
    """`prepare_attachment` in a worker thread: decoding a photo takes a noticeable moment."""
    return await asyncio.to_thread(prepare_attachment, incoming, limits)


def heif_supported() -> bool:
    """Whether HEIC photos can be decoded here (pillow-heif installed and registered)."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def _pdf(incoming: IncomingFile, limits: AttachmentLimits) -> PreparedAttachment:
    if len(incoming.data) > limits.max_bytes:
        raise too_large(limits)
    if not pdf_looks_whole(incoming.data):
        raise AttachmentRefused("unsupported_attachment", "corrupt_file")
    return _as_is(incoming, PDF, "pdf", limits)


def _as_is(
    incoming: IncomingFile, content_type: str, extension: str, limits: AttachmentLimits
) -> PreparedAttachment:
    if len(incoming.data) > limits.max_bytes:
        raise too_large(limits)
    return PreparedAttachment(
        name=safe_filename(incoming.name, extension), content_type=content_type,
        data=incoming.data, original_size=len(incoming.data),
    )  # fmt: skip


def _photo(incoming: IncomingFile, kind: Kind, limits: AttachmentLimits) -> PreparedAttachment:
    try:
        with warnings.catch_warnings():
            # Pillow warns (and, where warnings are errors, raises) on big images: we check ourselves.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(incoming.data), formats=[_PILLOW_FORMATS[kind]])
            width, height = image.size
            if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                raise AttachmentRefused("unsupported_attachment", "image_too_large")
            position = photo_position(image)  # before anything drops the metadata
            upright = clean_photo(image, kind, max_side=limits.max_side_px)
    except AttachmentRefused:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own, higher, limit
        raise AttachmentRefused("unsupported_attachment", "image_too_large") from exc
    except _DECODE_ERRORS as exc:
        raise AttachmentRefused("unsupported_attachment", "corrupt_file") from exc
    return PreparedAttachment(
        name=safe_filename(incoming.name, "jpg"),
        content_type=JPEG,
        data=encode_jpeg(upright, limits.jpeg_quality),
        original_size=len(incoming.data),
        preview=_preview(upright),
        position=position,
    )


def _preview(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail((PREVIEW_SIDE_PX, PREVIEW_SIDE_PX), Image.Resampling.BILINEAR)
    return encode_jpeg(small, 75)


def display_name(declared: str) -> str:
    """The name to show for a file: last path part, printable characters only, bounded."""
    name = re.split(r"[\\/]", declared or "")[-1]
    name = "".join(
        ch for ch in unicodedata.normalize("NFC", name) if not unicodedata.category(ch).startswith("C")
    )
    return " ".join(name.split())[: _MAX_STEM + 10] or "bijlage"


def safe_filename(declared: str, extension: str) -> str:
    """`<stem>.<extension>` from the name the device gave: last path part, printable, bounded."""
    name = display_name(declared)
    stem, dot, _ = name.rpartition(".")
    stem = stem if dot and stem else name
    stem = " ".join(_UNSAFE.sub("_", stem).split()).strip(" ._-")[:_MAX_STEM]
    return f"{stem or 'bijlage'}.{extension}"
