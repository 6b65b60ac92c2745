"""Builders for attachment test files: real images and PDFs, and hostile ones.

Photos are two-coloured (red left half, blue right half) so a test can tell which way up the
relay turned them. `jpeg_markers` lists a JPEG's segments, to prove metadata is gone.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib

from PIL import Image, ImageCms

RED, BLUE = (220, 20, 20), (20, 40, 220)
# A position in Zonnebeke, as a phone writes it: degrees, minutes, seconds.
GPS_IFD = {1: "N", 2: (50.0, 52.0, 21.4), 3: "E", 4: (2.0, 59.0, 14.1)}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="50,52.36N"/></x:xmpmeta>'


def two_colour(width: int = 400, height: int = 300, mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image.convert(mode)


def exif_bytes(*, orientation: int = 1, gps: bool = True) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 15 Pro"
    if gps:
        exif.get_ifd(0x8825).update(GPS_IFD)
    return exif.tobytes()


def jpeg(
    width: int = 400,
    height: int = 300,
    *,
    orientation: int = 1,
    gps: bool = True,
    comment: bytes = b"shot at Ieperstraat 12",
    icc: bool = True,
    quality: int = 90,
) -> bytes:
    """A phone-like JPEG: EXIF (GPS, make, orientation), XMP, an ICC profile and a comment."""
    out = io.BytesIO()
    options: dict[str, object] = {"exif": exif_bytes(orientation=orientation, gps=gps), "xmp": XMP}
    if icc:
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    two_colour(width, height).save(out, "JPEG", quality=quality, comment=comment, **options)
    return out.getvalue()


def cmyk_jpeg(width: int = 120, height: int = 80) -> bytes:
    out = io.BytesIO()
    two_colour(width, height).convert("CMYK").save(out, "JPEG", quality=90)
    return out.getvalue()


def png(width: int = 300, height: int = 200, *, mode: str = "RGB", text: str = "GPS 50.87,2.98") -> bytes:
    """A PNG in `mode` (RGB, RGBA, P, LA, I;16, 1, ...) with a tEXt chunk."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text)
    if mode == "I;16":
        image = Image.linear_gradient("L").resize((width, height)).convert("I")
        image = image.point(lambda value: value * 256).convert("I;16")
    elif mode in ("RGBA", "LA"):
        image = two_colour(width, height, "RGBA")
        image.putalpha(Image.linear_gradient("L").resize((width, height)))
        image = image.convert(mode)
    else:
        image = two_colour(width, height).convert(mode)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def transparent_palette_png(width: int = 64, height: int = 64) -> bytes:
    image = Image.new("P", (width, height), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.paste(1, (0, 0, width // 2, height))
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)
    return out.getvalue()


def webp(width: int = 300, height: int = 200, *, animated: bool = False) -> bytes:
    out = io.BytesIO()
    first = two_colour(width, height)
    if animated:
        second = Image.new("RGB", (width, height), (0, 200, 0))
        first.save(out, "WEBP", save_all=True, append_images=[second], duration=100, exif=exif_bytes())
    else:
        first.save(out, "WEBP", quality=90, exif=exif_bytes())
    return out.getvalue()


def heic(width: int = 320, height: int = 240, *, orientation: int = 1) -> bytes:
    import pillow_heif

    heif = pillow_heif.from_pillow(two_colour(width, height))
    out = io.BytesIO()
    heif.save(out, quality=80, exif=exif_bytes(orientation=orientation))
    return out.getvalue()


@functools.cache
def png_bomb(side: int = 12_000) -> bytes:
    """A real, decodable grey PNG of side² pixels that compresses to a few hundred kilobytes."""
    row = b"\x00" + b"\x00" * side
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return _png_file(side, side, bit_depth=8, colour_type=0, idat=body)


def png_header_bomb(side: int = 100_000) -> bytes:
    """A PNG whose header claims side² pixels, followed by a token of data."""
    return _png_file(side, side, bit_depth=8, colour_type=0, idat=zlib.compress(b"\x00" * 1024))


def _png_file(width: int, height: int, *, bit_depth: int, colour_type: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def oversized(size: int = 16 * 1024 * 1024) -> bytes:
    """A JPEG signature padded to `size` bytes."""
    start = jpeg(64, 64)
    return start + b"\x00" * (size - len(start))


def html_polyglot() -> bytes:
    """An HTML page with a script that also carries a PNG after it."""
    return b"<html><body><script>alert(document.cookie)</script></body></html>\n" + png(16, 16)


def jpeg_with_trailing_script() -> bytes:
    """A valid JPEG with an HTML/JS payload appended after its end marker."""
    return jpeg(64, 64) + b"<script>alert(1)</script>"


# ---- PDF ------------------------------------------------------------------------------------


def pdf(*extra_catalog: str, objects: tuple[str, ...] = (), version: str = "1.7") -> bytes:
    """A one-page PDF with a correct xref table; `extra_catalog` entries go into the catalog."""
    catalog = "<< /Type /Catalog /Pages 2 0 R " + " ".join(extra_catalog) + " >>"
    content = b"BT /F1 24 Tf 72 720 Td (Melding: kapotte straatlamp) Tj ET"
    bodies = [
        catalog.encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *(item.encode() for item in objects),
    ]
    return _pdf_file(bodies, version=version)


def pdf_with_object_stream(
    hidden: str = "<< /S /JavaScript /JS (app.alert(1)) >>", *, stream_filter: str = "/FlateDecode"
) -> bytes:
    """A PDF whose name tree object lives inside a compressed object stream (PDF 1.5+)."""
    header = b"6 0 "
    packed = header + hidden.encode()
    data = zlib.compress(packed) if stream_filter == "/FlateDecode" else packed.hex().encode() + b">"
    stream = b"<< /Type /ObjStm /N 1 /First %d /Filter %s /Length %d >>\nstream\n" % (
        len(header),
        stream_filter.encode(),
        len(data),
    )
    return _pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names 6 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"<< /Producer (test) >>",
            stream + data + b"\nendstream",
        ],
        version="1.5",
    )


def _pdf_file(bodies: list[bytes], *, version: str = "1.7") -> bytes:
    out = bytearray(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def jpeg_markers(data: bytes) -> list[int]:
    """The marker bytes of a JPEG's segments before the image data (0xE0 APP0, 0xE1 APP1, 0xFE COM...)."""
    markers, position = [], 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        position += 2 + length
    return markers
