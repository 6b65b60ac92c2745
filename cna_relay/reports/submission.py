"""Read `POST /v1/reports`: a multipart form (`report` JSON part + `attachments` files), or a plain
JSON body for a report without files. Limits are enforced while reading."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request

from cna_relay.problems import FieldError, PayloadTooLarge, RelayError, ValidationFailed
from cna_relay.reports.intake import IncomingFile
from cna_relay.settings import RelaySettings

REPORT_PART_MAX = 64 * 1024
# More file parts than this is not a report but an attack; up to it we answer "too many files".
MAX_FILE_PARTS = 10
_READ_CHUNK = 256 * 1024


@dataclass(frozen=True, slots=True)
class Submission:
    report_json: bytes
    files: list[IncomingFile]


async def read_submission(request: Request, settings: RelaySettings) -> Submission:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        return Submission(await request.body(), [])
    if not content_type.startswith("multipart/form-data"):
        raise RelayError("malformed_request", status=415)
    form = await request.form(max_files=MAX_FILE_PARTS, max_fields=5, max_part_size=REPORT_PART_MAX)
    try:
        report = form.get("report")
        if report is None:
            raise ValidationFailed([FieldError("report", "required")])
        report_json = await _read_text_part(report)
        uploads = [item for item in form.getlist("attachments") if isinstance(item, UploadFile)]
        if len(uploads) > settings.max_attachments:
            raise RelayError("too_many_attachments", status=422, params={"max": settings.max_attachments})
        files = [await _read_file(upload, settings.max_attachment_bytes) for upload in uploads]
        return Submission(report_json, files)
    finally:
        await form.close()


async def _read_text_part(part: UploadFile | str) -> bytes:
    if isinstance(part, str):
        return part.encode("utf-8", errors="surrogatepass")
    data = await part.read(REPORT_PART_MAX + 1)
    if len(data) > REPORT_PART_MAX:
        raise PayloadTooLarge("payload_too_large")
    return data


async def _read_file(upload: UploadFile, limit: int) -> IncomingFile:
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge("attachment_too_large", params={"max_mb": limit // (1024 * 1024)})
        chunks.append(chunk)
    return IncomingFile(filename=upload.filename or "", data=b"".join(chunks))
