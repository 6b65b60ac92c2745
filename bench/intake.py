"""Report intake benchmark: what "persist first, answer at once" buys, and how a burst drains.

    python bench/intake.py            # about two minutes on 2 cores
    python bench/intake.py --quick    # fewer rounds, for a smoke run

Prints, in one run:
1. time to a receipt for a report with 3 photos of about 1 MB while the InvGate simulator adds
   2 s of latency, next to a baseline that forwards to InvGate inside the request (median, p95);
2. reports accepted per second on SQLite (text only, and with 3 photos), 8 clients at once;
3. the time to deliver a burst of 300 reports under a 50-per-minute ticket limit, time-scaled
   10x (the simulator's minute lasts 6 s), next to the ideal burst / limit.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cna_relay.app import context_of, create_app  # noqa: E402
from cna_relay.invgate import Attachment, BasicCredentials, InvGateClient, NewTicket, Secret  # noqa: E402
from cna_relay.reports.attachments import process_attachment_async  # noqa: E402
from cna_relay.settings import RelaySettings  # noqa: E402
from invgate_sim import SimConfig  # noqa: E402
from invgate_sim import create_app as create_sim  # noqa: E402
from invgate_sim.mailsink import MailSink  # noqa: E402

API_USER, API_KEY = "cna-api", "bench-key"
PASSWORD = "Zonnebloem-42!"
INSIDE = {"lat": 50.8717, "lon": 2.9866, "source": "pin", "address": "Ieperstraat 12, 8980 Zonnebeke"}
# The simulated minute lasts 6 real seconds: fast enough for a bench, slow enough that the limit,
# not this 2-core machine, decides the pace (in-process delivery runs at about 10 tickets/s here).
SCALE = 10
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def photo_of_about_1_mb(seed: int) -> bytes:
    """A noisy photo: noise does not compress, so ~1 MB of JPEG like a real phone picture."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (1100, 1000), rng.randbytes(1100 * 1000 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Stack:
    """Simulator + mail sink + relay in this process (ASGI, no sockets): only the code is measured."""

    def __init__(self, tmp: Path, *, sim_overrides: dict[str, Any], relay_overrides: dict[str, Any]) -> None:
        self.mail = MailSink(http_port=None).start()
        sim_config = SimConfig(
            api_user=API_USER, api_key=API_KEY, smtp_host="127.0.0.1", smtp_port=self.mail.smtp_port,
            notifications={"ticket_created": False}, **sim_overrides,
        )  # fmt: skip
        self.sim_app = create_sim(sim_config)
        self.sim = self.sim_app.state.sim
        settings = RelaySettings(
            environment="test",
            database_url=f"sqlite+aiosqlite:///{tmp / f'relay-{uuid.uuid4().hex[:6]}.db'}",
            invgate_url="http://invgate.test/api/v1/",
            invgate_api_user=API_USER,
            invgate_api_key=API_KEY,
            smtp_port=self.mail.smtp_port,
            argon2_time_cost=1,
            argon2_memory_kib=8 * 1024,
            **relay_overrides,
        )
        self.app = create_app(
            settings,
            invgate_transport=httpx.ASGITransport(app=self.sim_app),
            run_worker=relay_overrides.get("embedded_worker", False),
        )
        self.context = context_of(self.app)
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://relay.test", timeout=120
        )

    async def __aenter__(self) -> Stack:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        await self._lifespan.__aexit__(None, None, None)
        self.mail.stop()

    async def citizen(self, email: str) -> dict[str, str]:
        body = {"email": email, "password": PASSWORD, "first_name": "Bench", "last_name": "Mark"}
        assert (await self.client.post("/v1/accounts", json=body)).status_code == 202
        await self.context.build_dispatcher(worker_id="bench").drain()
        [message] = await self.mail.wait_for_async(lambda m: email in str(m["To"]), timeout=20)
        code = _CODE.search(message.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
        assert code is not None
        pair = (
            await self.client.post("/v1/accounts/verify", json={"email": email, "code": code.group(1)})
        ).json()
        await self.context.build_dispatcher(worker_id="bench").drain()  # the customer record
        return {"Authorization": f"Bearer {pair['access_token']}"}

    async def submit(
        self, headers: dict[str, str], photos: list[bytes], description: str = "Put in de weg"
    ) -> float:
        report = {"id": str(uuid.uuid4()), "description": description, "location": INSIDE}
        files: list[Any] = [("report", (None, json.dumps(report), "application/json"))]
        files += [("attachments", (f"foto{n}.jpg", data, "image/jpeg")) for n, data in enumerate(photos)]
        started = time.perf_counter()
        response = await self.client.post("/v1/reports", files=files, headers=headers)
        elapsed = time.perf_counter() - started
        assert response.status_code == 202, response.text
        return elapsed


async def timed_rounds(rounds: int, action: Callable[[], Awaitable[float]]) -> list[float]:
    return [await action() for _ in range(rounds)]


async def receipt_latency(tmp: Path, rounds: int) -> None:
    photos = [photo_of_about_1_mb(seed) for seed in range(3)]
    size_mb = sum(map(len, photos)) / 1e6
    async with Stack(tmp, sim_overrides={}, relay_overrides={}) as stack:
        stack.sim.faults.add_latency(2.0)
        headers = await stack.citizen("latency@example.be")
        relay = await timed_rounds(rounds, lambda: stack.submit(headers, photos))
        client = InvGateClient(
            base_url="http://invgate.test/api/v1/", credentials=BasicCredentials(API_USER, Secret(API_KEY)),
            transport=httpx.ASGITransport(app=stack.sim_app),
        )  # fmt: skip

        customer = next(user.id for user in stack.sim.users.values() if user.is_external)

        async def inline() -> float:
            # The baseline: the same attachment processing, then InvGate inside the request.
            started = time.perf_counter()
            processed = await asyncio.gather(
                *(process_attachment_async(f"f{n}.jpg", d) for n, d in enumerate(photos))
            )
            await client.create_ticket(
                NewTicket(
                    creator_id=stack.sim.integration_agent.id,
                    customer_id=customer,
                    category_id=20,
                    priority_id=2,
                    type_id=1,
                    title="Put in de weg",
                    description="Put in de weg",
                    attachments=tuple(Attachment(p.filename, p.data, p.content_type) for p in processed),
                )
            )
            return time.perf_counter() - started

        baseline = await timed_rounds(rounds, inline)
        await client.aclose()
    print(
        f"1. Time to a receipt, report with 3 photos ({size_mb:.1f} MB), InvGate latency 2 s, {rounds} rounds"
    )
    for label, values in (
        ("relay (persist, answer, forward later)", relay),
        ("baseline (InvGate in request)", baseline),
    ):
        print(
            f"   {label:<40} median {statistics.median(values):.3f} s, p95 {percentile(values, 0.95):.3f} s"
        )

    print(
        f"   ratio baseline / relay (median): {statistics.median(baseline) / statistics.median(relay):.1f}x\n"
    )


async def throughput(tmp: Path, count: int) -> None:
    photos = [photo_of_about_1_mb(seed) for seed in range(3)]
    async with Stack(tmp, sim_overrides={}, relay_overrides={}) as stack:
        headers = [await stack.citizen(f"burger{n}@example.be") for n in range(8)]
        results = {}
        for label, files in (("text only", []), ("3 photos of ~1 MB", photos)):
            total = count if not files else max(8, count // 4)
            started = time.perf_counter()
            for start in range(0, total, 8):
                await asyncio.gather(*(stack.submit(headers[n], files) for n in range(min(8, total - start))))
            results[label] = total / (time.perf_counter() - started)
    print("2. Reports accepted per second on SQLite (8 clients at once, receipts only)")
    for label, rate in results.items():
        print(f"   {label:<20} {rate:7.1f} reports/s")
    print()


async def burst(tmp: Path, count: int) -> None:
    limit = 50
    start = time.time()

    def scaled_clock() -> float:
        return start + (time.time() - start) * SCALE

    async with Stack(
        tmp,
        sim_overrides={"rate_limits": {"POST incident": limit}, "clock": scaled_clock},
        relay_overrides={
            "invgate_ticket_rate_per_minute": limit * SCALE,
            "worker_concurrency": 4,
            "embedded_worker": False,
        },
    ) as stack:
        headers = [await stack.citizen(f"burst{n}@example.be") for n in range(10)]
        for number in range(count):
            await stack.submit(headers[number % 10], [], description=f"Zwerfvuil, melding {number}")
        stop = asyncio.Event()
        dispatcher = stack.context.build_dispatcher(worker_id="burst")
        started = time.perf_counter()
        worker = asyncio.create_task(dispatcher.run(stop))
        while len(stack.sim.tickets) < count:  # noqa: ASYNC110 - the simulator has no event to wait on
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        stop.set()
        await worker
        refused = sum(1 for entry in stack.sim.requests_to("incident", "POST") if entry.status == 429)
    ideal = count / limit * 60 / SCALE
    print(f"3. Burst of {count} reports under a {limit}-per-minute ticket limit (time-scaled {SCALE}x)")
    print(f"   delivered in {elapsed:.2f} s; ideal burst/limit {ideal:.2f} s; ratio {elapsed / ideal:.2f}")
    minutes = elapsed * SCALE / 60
    print(
        f"   in InvGate minutes: {minutes:.2f} against the ideal {count / limit:.2f}; 429 answers: {refused}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        await receipt_latency(tmp, rounds=5 if args.quick else 15)
        await throughput(tmp, count=40 if args.quick else 200)
        await burst(tmp, count=100 if args.quick else 300)


if __name__ == "__main__":
    asyncio.run(main())
