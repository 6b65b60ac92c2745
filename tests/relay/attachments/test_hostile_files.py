"""Hostile and broken uploads: each is refused with the right problem, before any harm is done."""

from __future__ import annotations

import pytest

from cna_relay.i18n import Catalog
from cna_relay.problems import problem_body
from cna_relay.reports.attachments import AttachmentLimits, AttachmentRejected, process_attachment
from cna_relay.settings import RelaySettings
from tests.support import images


def rejected(data: bytes, name: str = "file", **options: object) -> AttachmentRejected:
    with pytest.raises(AttachmentRejected) as caught:
        process_attachment(name, data, **options)  # type: ignore[arg-type]
    return caught.value


def reason(error: AttachmentRejected) -> tuple[str, int, str]:
    assert len(error.errors) == 1
    return error.code, error.status, error.errors[0].code


def test_a_16_mb_file_is_too_large_before_anything_looks_at_it() -> None:
    error = rejected(images.oversized(16 * 1024 * 1024))
    assert reason(error) == ("attachment_too_large", 413, "file_too_large")
    assert error.params == {"max_mb": 15}
    body = problem_body(error, "nl", Catalog.bundled())
    assert "15 MB" in body["detail"] and "15 MB" in body["errors"][0]["message"]


def test_exactly_the_limit_is_still_accepted() -> None:
    data = images.jpeg(64, 64)
    limits = AttachmentLimits(max_bytes=len(data))
    assert process_attachment("x.jpg", data, limits=limits).content_type == "image/jpeg"
    assert (
        reason(rejected(data, limits=AttachmentLimits(max_bytes=len(data) - 1)))[0] == "attachment_too_large"
    )


def test_the_size_limit_comes_from_settings() -> None:
    error = rejected(images.jpeg(200, 200), settings=RelaySettings(max_attachment_bytes=1000))
    assert error.code == "attachment_too_large"


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(lambda: images.png_bomb(9_000), id="decodable 9000x9000 PNG: our limit, below Pillow's"),
        pytest.param(images.png_bomb, id="decodable 12000x12000 PNG: past Pillow's own warning"),
        pytest.param(images.png_header_bomb, id="header claiming 100000x100000"),
    ],
)
def test_decompression_bombs_are_refused_before_decoding(bomb: object) -> None:
    data = bomb()  # type: ignore[operator]
    assert len(data) < 1024 * 1024
    assert reason(rejected(data, "bomb.png")) == ("unsupported_attachment", 415, "image_too_large")


def test_the_pixel_limit_comes_from_settings() -> None:
    error = rejected(images.jpeg(400, 300), settings=RelaySettings(image_max_pixels=100_000))
    assert reason(error)[2] == "image_too_large"


def test_a_png_named_pdf_is_judged_by_its_content() -> None:
    processed = process_attachment("factuur.pdf", images.png())
    assert (processed.content_type, processed.filename) == ("image/jpeg", "factuur.jpg")


def test_a_jpeg_declared_as_pdf_is_judged_by_its_content() -> None:
    # The relay never receives the declared type; the name is all a client can lie with.
    processed = process_attachment("contract.pdf.exe", images.jpeg())
    assert (processed.content_type, processed.filename) == ("image/jpeg", "contract_pdf.jpg")


def test_an_html_page_with_a_script_and_an_image_inside_is_refused() -> None:
    assert reason(rejected(images.html_polyglot(), "photo.png")) == (
        "unsupported_attachment",
        415,
        "unsupported_type",
    )


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"<?php system($_GET['c']); ?>",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",  # a Windows executable
        b"PK\x03\x04" + b"\x00" * 100,  # a ZIP (docx, jar, apk)
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00",  # GIF is not accepted
        b"\x00\x00\x00\x20ftypavif\x00\x00\x00\x00avifmif1miaf\x00\x00\x00\x00",  # AVIF
        b"BM" + b"\x00" * 60,  # BMP
        b"II*\x00" + b"\x00" * 60,  # TIFF
        b"\x00" * 100,
        b"plain text that mentions %PDF-1.7 and JFIF",
    ],
)
def test_other_kinds_of_file_are_unsupported(data: bytes) -> None:
    assert reason(rejected(data, "x.jpg")) == ("unsupported_attachment", 415, "unsupported_type")


def test_an_empty_file_is_refused() -> None:
    assert reason(rejected(b"", "leeg.jpg"))[2] == "empty_file"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (images.jpeg()[:1500], "truncated.jpg"),
        (images.jpeg()[:-200], "cut-at-the-end.jpg"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 500, "header-only.jpg"),
        (images.png()[:300], "truncated.png"),
        (images.png().replace(b"IDAT", b"IDAX"), "no-image-data.png"),
        (images.webp()[:40], "truncated.webp"),
        (images.heic()[:200], "truncated.heic"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "garbage.webp"),
    ],
)
def test_truncated_and_corrupt_images_are_refused(data: bytes, name: str) -> None:
    assert reason(rejected(data, name)) == ("unsupported_attachment", 415, "corrupt_file")


def test_the_error_names_the_field_the_caller_gave() -> None:
    error = rejected(b"<html/>", field="attachments.2")
    assert error.errors[0].field == "attachments.2"


def test_refusals_read_well_in_every_language() -> None:
    catalog = Catalog.bundled()
    for data in (b"<html/>", images.png_header_bomb(), images.jpeg()[:1500]):
        error = rejected(data)
        for language in ("nl", "fr", "en"):
            body = problem_body(error, language, catalog)
            message = body["errors"][0]["message"]
            assert message and not message.startswith("field."), message
