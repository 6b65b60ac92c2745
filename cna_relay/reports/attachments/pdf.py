"""PDFs: stored as sent, but only when they look like a document and carry nothing active.

Checks: the file starts with a `%PDF-1.x`/`%PDF-2.0` header and ends with a trailer
(`startxref` … `%%EOF`); it has a page tree; it is not encrypted (encrypted object streams cannot
be inspected); and no dictionary names an action or attachment that runs or opens something in
the viewer of the municipality's staff: JavaScript, OpenAction, additional actions, Launch,
embedded files, rich media, XFA forms, form submission. Names are compared after decoding `#xx`
escapes (`/J#61vaScript`), and compressed object streams are inflated (within a bound) so that
nothing hides in them; an object stream in a filter we cannot decode is refused.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from cna_app.contract.files import pdf_looks_whole
from cna_relay.reports.attachments.model import AttachmentLimits, unsupported

ACTIVE_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "OpenAction",
        "AA",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToE",
        "GoToR",
    }
)
_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb"\bstream(?:\r\n|\n|\r)")
_FLATE = frozenset({"FlateDecode", "Fl"})
_FILTERS = _FLATE | {
    "LZWDecode", "LZW", "ASCIIHexDecode", "AHx", "ASCII85Decode", "A85", "RunLengthDecode", "RL",
    "CCITTFaxDecode", "CCF", "JBIG2Decode", "DCTDecode", "DCT", "JPXDecode", "Crypt",
}  # fmt: skip


def check_pdf(data: bytes, limits: AttachmentLimits, *, field: str) -> None:
    """Return when `data` is an inert PDF; raise `AttachmentRejected` otherwise."""
    if not pdf_looks_whole(data):
        raise unsupported(field, "corrupt_file")
    names = set(_names_outside_streams(data))
    names |= _names_in_object_streams(data, limits, field=field)
    if "Encrypt" in names:
        raise unsupported(field, "encrypted_pdf")
    if names & ACTIVE_NAMES:
        raise unsupported(field, "active_content")
    if not names & {"Pages", "Page"}:
        raise unsupported(field, "corrupt_file")


def _names(chunk: bytes) -> Iterator[str]:
    for match in _NAME.finditer(chunk):
        raw = _ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), match.group(1))
        yield raw.decode("latin-1")


def _segments(data: bytes) -> Iterator[tuple[bytes, bytes | None]]:
    """(text before a stream, the stream's raw bytes) pairs; the last has no stream."""
    position = 0
    while (start := _STREAM_START.search(data, position)) is not None:
        end = data.find(b"endstream", start.end())
        if end < 0:
            break
        yield data[position : start.start()], data[start.end() : end]
        position = end + len(b"endstream")
    yield data[position:], None


def _names_outside_streams(data: bytes) -> Iterator[str]:
    # Stream bodies (images, fonts) are binary: scanning them would find "/JS " by pure chance.
    for text, _stream in _segments(data):
        yield from _names(text)


def _names_in_object_streams(data: bytes, limits: AttachmentLimits, *, field: str) -> set[str]:
    found: set[str] = set()
    budget = limits.max_pdf_inflated_bytes
    for text, stream in _segments(data):
        if stream is None:
            continue
        # The whole stretch since the previous stream, not just "the" dictionary: cutting at an
        # `obj` keyword could be fooled by one inside a string. Fails closed.
        dict_names = set(_names(text))
        if "ObjStm" not in dict_names:
            continue
        filters = dict_names & _FILTERS
        if not filters <= _FLATE:
            raise unsupported(field, "corrupt_file")
        content = _inflate(stream, budget, field=field) if filters else stream
        budget -= len(content)
        found.update(_names(content))
    return found


def _inflate(stream: bytes, budget: int, *, field: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(stream, max(budget, 0) + 1)
    except zlib.error as exc:
        raise unsupported(field, "corrupt_file") from exc
    if len(content) > budget or inflater.unconsumed_tail:
        raise unsupported(field, "corrupt_file")  # an inflation bomb, or past our budget
    return content
