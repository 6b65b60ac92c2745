"""Content sniffing: the first bytes decide, nothing else."""

from __future__ import annotations

import pytest

from cna_app.contract.files import Kind, sniff
from tests.support import images


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (images.jpeg(16, 16), Kind.JPEG),
        (images.png(16, 16), Kind.PNG),
        (images.webp(16, 16), Kind.WEBP),
        (images.heic(16, 16), Kind.HEIF),
        (images.pdf(), Kind.PDF),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", Kind.HEIF),
        (b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00avifmif1", None),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomiso2", None),  # an MP4 video
        (b"\xff\xff\xff\xffftypheic", None),  # absurd box size
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
        (b" %PDF-1.7", None),
        (b"", None),
    ],
)
def test_kinds_are_recognised_by_signature(data: bytes, kind: Kind | None) -> None:
    assert sniff(data) == kind
