"""Log-in benchmark: the cost of a password check under several argon2id parameter sets, and of an
authenticated request, each next to a baseline measured in the same run.

    python bench/login.py               # about a minute on 2 cores
    python bench/login.py --rounds 50   # steadier medians

Figures are printed, never asserted. The chosen parameters and why are in
docs/adr/0003-accounts-and-sessions.md; re-run this on the production host before changing them.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from argon2 import PasswordHasher, Type

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cna_relay.app import create_app  # noqa: E402
from cna_relay.settings import RelaySettings  # noqa: E402

PASSWORD = "Zonnebloem-42!"
# (time cost, memory KiB, parallelism): OWASP's floors, RFC 9106's second choice, and our default.
PARAMETER_SETS = [
    (1, 8 * 1024, 1),
    (2, 19 * 1024, 1),
    (3, 12 * 1024, 1),
    (3, 64 * 1024, 1),
    (3, 64 * 1024, 4),
    (4, 128 * 1024, 1),
]


def median_ms(work: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


async def amedian_ms(work: Callable[[], Awaitable[object]], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def bench_password_checks(rounds: int) -> None:
    baseline = median_ms(lambda: hashlib.sha256(PASSWORD.encode()).hexdigest(), rounds)
    print(f"password check (verify), median of {rounds}; baseline sha256: {baseline:.4f} ms")
    print(f"  {'t':>2} {'m (MiB)':>8} {'p':>2} {'verify ms':>10} {'x baseline':>12}")
    for time_cost, memory_kib, parallelism in PARAMETER_SETS:
        hasher = PasswordHasher(time_cost, memory_kib, parallelism, hash_len=32, salt_len=16, type=Type.ID)
        stored = hasher.hash(PASSWORD)
        verify = median_ms(lambda hasher=hasher, stored=stored: hasher.verify(stored, PASSWORD), rounds)
        ratio = verify / baseline
        print(f"  {time_cost:>2} {memory_kib // 1024:>8} {parallelism:>2} {verify:>10.1f} {ratio:>12.0f}")


async def bench_requests(rounds: int, argon2: tuple[int, int, int]) -> None:
    time_cost, memory_kib, parallelism = argon2
    with tempfile.TemporaryDirectory() as folder:
        settings = RelaySettings(
            environment="test",
            database_url=f"sqlite+aiosqlite:///{folder}/bench.db",
            argon2_time_cost=time_cost,
            argon2_memory_kib=memory_kib,
            argon2_parallelism=parallelism,
            smtp_port=1,  # no mail goes out: the worker does not run
        )
        app = create_app(settings, run_worker=False)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://relay.bench") as client:
                await report_requests(client, rounds, argon2)


async def report_requests(client: httpx.AsyncClient, rounds: int, argon2: tuple[int, int, int]) -> None:
    body = {"email": "bench@example.be", "password": PASSWORD, "first_name": "Bench", "last_name": "Mark"}
    assert (await client.post("/v1/accounts", json=body)).status_code == 202
    login = await client.post("/v1/auth/login", json={"email": body["email"], "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    health = await amedian_ms(lambda: client.get("/healthz"), rounds)
    me = await amedian_ms(lambda: client.get("/v1/me", headers=headers), rounds)
    # Few rounds: each counts against the per-address log-in limit (10 per quarter hour).
    few = min(rounds, 9)
    wrong = await amedian_ms(
        lambda: client.post("/v1/auth/login", json={"email": body["email"], "password": "Verkeerd-1!x"}), few
    )
    unknown = await amedian_ms(
        lambda: client.post(
            "/v1/auth/login", json={"email": "nobody@example.be", "password": "Verkeerd-1!x"}
        ),
        few,
    )
    print(
        f"\nrequests (in-process ASGI, SQLite), argon2 t={argon2[0]} m={argon2[1] // 1024} MiB p={argon2[2]}"
    )
    print(f"  GET /healthz (baseline)           {health:8.2f} ms")
    print(f"  GET /v1/me (bearer token)         {me:8.2f} ms   x{me / health:.1f} baseline")
    print(f"  POST /v1/auth/login wrong pw      {wrong:8.2f} ms   (median of {few})")
    print(f"  POST /v1/auth/login unknown addr  {unknown:8.2f} ms   (should match the line above)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    bench_password_checks(args.rounds)
    defaults = RelaySettings()
    chosen = (defaults.argon2_time_cost, defaults.argon2_memory_kib, defaults.argon2_parallelism)
    asyncio.run(bench_requests(args.rounds, chosen))


if __name__ == "__main__":
    main()
