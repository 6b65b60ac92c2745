"""Attachment processing: (declared name, bytes) → a file safe to store, mail and send to InvGate.

The type is decided by the content (signature, then a successful decode), never by the name or
the declared type. Images (JPEG, PNG, WebP, HEIC/HEIF) leave as clean JPEGs (upright, no
metadata, ≤ `image_max_side_px`); PDFs are checked and kept byte for byte. Refusals are
`AttachmentRejected` (a `RelayError`) whose one field error says why:

    attachment_too_large  413  file_too_large     more than `max_attachment_bytes`
    unsupported_attachment 415 empty_file         nothing in it
                               unsupported_type   not one of the accepted kinds (HTML, ZIP, GIF, ...)
                               corrupt_file       truncated or damaged; a PDF without header/trailer/pages
                               image_too_large    more pixels than `image_max_pixels` (decompression bomb)
                               active_content     a PDF with JavaScript, actions or embedded files
                               encrypted_pdf      an encrypted PDF (cannot be inspected)

`process_attachment` is CPU-bound and blocking; async callers use `process_attachment_async`.
"""

from __future__ import annotations

import asyncio
import hashlib

from cna_app.contract.files import Kind, sniff
from cna_relay.reports.attachments.images import process_image
from cna_relay.reports.attachments.model import (
    ACCEPTED_CONTENT_TYPES,
    JPEG,
    PDF,
    AttachmentLimits,
    AttachmentRejected,
    ProcessedAttachment,
    too_large,
    unsupported,
)
from cna_relay.reports.attachments.names import sanitise_filename
from cna_relay.reports.attachments.pdf import check_pdf
from cna_relay.reports.attachments.thumbnails import make_thumbnail
from cna_relay.settings import RelaySettings

__all__ = [
    "ACCEPTED_CONTENT_TYPES",
    "AttachmentLimits",
    "AttachmentRejected",
    "ProcessedAttachment",
    "make_thumbnail",
    "process_attachment",
    "process_attachment_async",
    "sanitise_filename",
]


def process_attachment(
    filename: str | None,
    data: bytes,
    *,
    settings: RelaySettings | None = None,
    limits: AttachmentLimits | None = None,
    field: str = "attachments",
) -> ProcessedAttachment:
    """Process one uploaded file under `limits` (default: from `settings`, else built-in).

    `field` names the file in the error (e.g. "attachments.2").
    """
    limits = limits or (AttachmentLimits.from_settings(settings) if settings else AttachmentLimits())
    if len(data) > limits.max_bytes:
        raise too_large(field, limits.max_bytes)
    if not data:
        raise unsupported(field, "empty_file")
    kind = sniff(data)
    if kind is None:
        raise unsupported(field, "unsupported_type")
    if kind is Kind.PDF:
        check_pdf(data, limits, field=field)
        return _processed(filename, PDF, "pdf", data, original_size=len(data))
    image = process_image(data, kind, limits, field=field)
    return _processed(
        filename, JPEG, "jpg", image.data, original_size=len(data), width=image.width, height=image.height
    )


async def process_attachment_async(
    filename: str | None,
    data: bytes,
    *,
    settings: RelaySettings | None = None,
    limits: AttachmentLimits | None = None,
    field: str = "attachments",
) -> ProcessedAttachment:
    """`process_attachment` in a worker thread, so decoding never blocks the event loop."""
    return await asyncio.to_thread(
        process_attachment, filename, data, settings=settings, limits=limits, field=field
    )


def _processed(
    filename: str | None,
    content_type: str,
    extension: str,
    data: bytes,
    *,
    original_size: int,
    width: int | None = None,
    height: int | None = None,
) -> ProcessedAttachment:
    return ProcessedAttachment(
        filename=sanitise_filename(filename, extension=extension),
        content_type=content_type,
        data=data,
        width=width,
        height=height,
        original_size=original_size,
        sha256=hashlib.sha256(data).hexdigest(),
    )
