"""Start-up times of the processes an operator launches, next to a bare Python start.

    python bench/startup.py [--rounds 5]

For each command: the median time from launch until it has printed its URL and answers HTTP on
it (the simulator promises well under 3 s), over a few rounds. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def time_until_answering(argv: list[str], url: str) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{argv} exited with {process.returncode}")
            try:
                httpx.get(url, timeout=0.5)
                return time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.01)
    finally:
        process.terminate()
        process.wait(timeout=10)


def time_bare_python() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    baseline = statistics.median(time_bare_python() for _ in range(rounds))
    print(f"Start-up until answering HTTP, median of {rounds} (baseline `python -c pass`: {baseline:.3f} s)")
    commands = {
        "InvGate simulator (python -m invgate_sim)": ("invgate_sim", "/"),
        "mail sink (python -m invgate_sim.mailsink)": ("invgate_sim.mailsink", "/api/messages"),
        "map tiles (python -m invgate_sim.tiles)": ("invgate_sim.tiles", "/1/0/0.png"),
    }
    for label, (module, path) in commands.items():
        times = []
        for _ in range(rounds):
            port = free_port()
            argv = [sys.executable, "-m", module, "--port", str(port)]
            if module == "invgate_sim.mailsink":
                argv = [
                    sys.executable,
                    "-m",
                    module,
                    "--smtp-port",
                    str(free_port()),
                    "--http-port",
                    str(port),
                ]
            times.append(time_until_answering(argv, f"http://127.0.0.1:{port}{path}"))
        median = statistics.median(times)
        print(f"  {label:<45} {median:.3f} s  ({median / baseline:.0f}x a bare start)")


if __name__ == "__main__":
    main()
