"""What attachment processing produces, the limits it applies, and how it refuses a file."""

from __future__ import annotations

from dataclasses import dataclass

from cna_relay.problems import FieldError, RelayError
from cna_relay.settings import RelaySettings

JPEG = "image/jpeg"
PDF = "application/pdf"
# What citizens may attach (the app's file picker filter, `GET /v1/config`); images leave as JPEG.
ACCEPTED_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", PDF)


@dataclass(frozen=True, slots=True)
class ProcessedAttachment:
    """A file safe to store, mail and hand to InvGate: re-encoded image or checked PDF."""

    filename: str
    content_type: str
    data: bytes
    width: int | None
    height: int | None
    original_size: int
    sha256: str  # of `data`


@dataclass(frozen=True, slots=True)
class AttachmentLimits:
    max_bytes: int = 15 * 1024 * 1024
    max_side_px: int = 2048
    max_pixels: int = 80_000_000
    jpeg_quality: int = 85
    # Bounds the work of inflating a PDF's object streams to look inside them.
    max_pdf_inflated_bytes: int = 64 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: RelaySettings) -> AttachmentLimits:
        return cls(
            max_bytes=settings.max_attachment_bytes,
            max_side_px=settings.image_max_side_px,
            max_pixels=settings.image_max_pixels,
        )


class AttachmentRejected(RelayError):
    """A file the relay will not store; `errors[0].code` says why (codes in the package docstring)."""


def unsupported(field: str, reason: str) -> AttachmentRejected:
    """415 `unsupported_attachment`; `reason` is a field code such as `corrupt_file`."""
    return AttachmentRejected("unsupported_attachment", status=415, errors=[FieldError(field, reason)])


def too_large(field: str, max_bytes: int) -> AttachmentRejected:
    max_mb = max(1, max_bytes // (1024 * 1024))
    return AttachmentRejected(
        "attachment_too_large",
        status=413,
        params={"max_mb": max_mb},
        errors=[FieldError(field, "file_too_large", {"max_mb": max_mb})],
    )
