"""Photo processing on the device: what a 12-megapixel phone photo costs to prepare, and what it saves.

    python bench/app_photos.py            # about a minute on 2 cores
    python bench/app_photos.py --quick    # fewer rounds, for a smoke run

Prints, in one run, for a 4000×3000 camera-like JPEG (EXIF with GPS and orientation, as a phone
writes it) and, when pillow-heif is installed, the same photo as HEIC:
1. the raw file size;
2. the time to prepare it on the device (`cna_app.services.photos.prepare_attachment`: upright,
   stripped, ≤ 2048 px, JPEG), median and p90 over the rounds, and the prepared size;
3. the bytes the report upload puts on the wire (the app's multipart body with 3 such photos)
   prepared vs sent as they are (the baseline), and what that means on a 1 and an 8 Mbit/s uplink;
4. the relay's own processing of what arrives (it processes every file again), prepared vs raw.
Figures are printed, never asserted. Times are this machine's, not a phone's: a phone CPU is
slower, so read them as ratios.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cna_app.services.multipart import MultipartBody, UploadFile  # noqa: E402
from cna_app.services.photos import AttachmentLimits, IncomingFile, heif_supported, prepare_attachment  # noqa: E402
from cna_relay.reports.attachments import process_attachment  # noqa: E402
from tests.support.images import exif_bytes  # noqa: E402

WIDTH, HEIGHT = 4000, 3000
REPORT = {
    "id": "00000000-0000-4000-8000-000000000000",
    "description": "Losliggende stoeptegel voor de bakker.",
    "location": {"lat": 50.8717, "lon": 2.9866, "source": "gps"},
}
UPLINKS_MBIT = (1.0, 8.0)


def camera_like_photo(seed: int = 12) -> Image.Image:
    """Shapes, gradients and sensor noise: compresses like a street photo, unlike pure noise."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(900):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        w, h = rng.randrange(20, 600), rng.randrange(20, 400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise((WIDTH, HEIGHT), 18).convert("RGB")
    return Image.blend(image, noise, 0.2)


def encoded(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=95, exif=exif_bytes(orientation=6))
    else:
        import pillow_heif

        pillow_heif.from_pillow(image).save(out, quality=50, exif=exif_bytes(orientation=6))
    return out.getvalue()


def timed(work: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"


def report_photo(name: str, raw: bytes, rounds: int) -> None:
    limits = AttachmentLimits()
    incoming = IncomingFile(name, raw)
    prepared = prepare_attachment(incoming, limits)
    device = timed(lambda: prepare_attachment(incoming, limits), rounds)
    print(f"\n{name}: 12-megapixel photo, {WIDTH}×{HEIGHT}")
    print(f"  raw file                     {megabytes(len(raw)):>12}")
    print(
        f"  prepared on the device       {megabytes(len(prepared.data)):>12}   "
        f"({len(prepared.data) / len(raw):.1%} of raw, {Image.open(io.BytesIO(prepared.data)).size} px)"
    )
    median, slow = statistics.median(device) * 1000, p90(device) * 1000
    print(f"  time to prepare (device)     median {median:7.0f} ms   p90 {slow:.0f} ms")

    as_is = MultipartBody(REPORT, [UploadFile(name, "image/jpeg", raw)] * 3).total  # type: ignore[arg-type]
    upload = UploadFile(prepared.name, prepared.content_type, prepared.data)
    sent = MultipartBody(REPORT, [upload] * 3).total  # type: ignore[arg-type]
    print(
        f"  report with 3 such photos on the wire   prepared {megabytes(sent)}   "
        f"unprepared {megabytes(as_is)}   ({as_is / sent:.1f}x more without)"
    )
    for mbit in UPLINKS_MBIT:
        fast, slow = (size * 8 / (mbit * 1_000_000) for size in (sent, as_is))
        print(
            f"    upload at {mbit:g} Mbit/s (computed)      prepared {fast:6.1f} s   unprepared {slow:6.1f} s"
        )

    relay_raw = timed(lambda: process_attachment(name, raw), max(3, rounds // 2))
    relay_prepared = timed(lambda: process_attachment(prepared.name, prepared.data), max(3, rounds // 2))
    print(
        f"  relay processing what arrives   prepared median {statistics.median(relay_prepared) * 1000:.0f} ms"
        f"   unprepared median {statistics.median(relay_raw) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (smoke run)")
    rounds = 3 if parser.parse_args().quick else 9
    photo = camera_like_photo()
    print(f"Photo preparation on the device ({rounds} rounds; medians; this machine's CPU)")
    report_photo("IMG_0001.jpg", encoded(photo, "JPEG"), rounds)
    if heif_supported():
        report_photo("IMG_0002.HEIC", encoded(photo, "HEIF"), rounds)
    else:
        print("\nHEIC: pillow-heif is not installed here; HEIC photos are sent as they are.")


if __name__ == "__main__":
    main()
