"""File names: safe to show, mail and store, whatever the client sent."""

from __future__ import annotations

import pytest

from cna_relay.reports.attachments import process_attachment, sanitise_filename
from tests.support import images


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("foto.jpg", "foto.jpg"),
        ("Straatlamp kapot.HEIC", "Straatlamp kapot.jpg"),
        ("../../etc/passwd", "passwd.jpg"),
        ("..\\..\\Windows\\System32\\evil.jpg", "evil.jpg"),
        ("/var/lib/secret.png", "secret.jpg"),
        ("C:\\Users\\jan\\Desktop\\foto.png", "foto.jpg"),
        ("foto\x00.php", "foto.jpg"),
        ("name\nwith\rlines\t.jpg", "namewithlines.jpg"),
        ("rechts\u202egpj.exe", "rechtsgpj.jpg"),  # a bidi override would show "exe.jpg"
        ("zero\u200bwidth.jpg", "zerowidth.jpg"),
        ("shell.php.jpg", "shell_php.jpg"),
        ('a<b>c:"d|e?f*.jpg', "a_b_c__d_e_f.jpg"),
        (".htaccess", "htaccess.jpg"),
        ("..", "bijlage.jpg"),
        ("", "bijlage.jpg"),
        (None, "bijlage.jpg"),
        ("   ", "bijlage.jpg"),
        ("\x00\x01\x02", "bijlage.jpg"),
        ("CON.jpg", "CON_bijlage.jpg"),
        ("nul", "nul_bijlage.jpg"),
        ("Café Ö.jpg", "Café Ö.jpg"),
        ("e\u0301te\u0301.jpg", "été.jpg"),  # decomposed accents come out composed (NFC)
    ],
)
def test_names_are_made_safe(declared: str | None, expected: str) -> None:
    assert sanitise_filename(declared, extension="jpg") == expected


def test_names_are_bounded_in_characters_and_bytes() -> None:
    assert sanitise_filename("a" * 5000 + ".jpg", extension="jpg") == "a" * 80 + ".jpg"
    emoji = sanitise_filename("📷" * 100, extension="jpg")
    assert len(emoji.encode()) <= 210


def test_the_extension_always_matches_the_real_content() -> None:
    assert process_attachment("report.exe", images.pdf()).filename == "report.pdf"
    assert process_attachment("report.pdf", images.webp()).filename == "report.jpg"
