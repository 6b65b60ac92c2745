"""The README's demo command starts every part, and they are wired to each other."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("smtp", "mail", "tiles", "geocoder", "sim", "relay", "app")


@pytest.mark.slow
def test_the_demo_starts_every_part_and_a_sign_up_reaches_the_mail_sink(tmp_path: Path) -> None:
    ports = {name: free_port() for name in PARTS}
    env = {**os.environ, **{f"CNA_DEMO_{name.upper()}_PORT": str(port) for name, port in ports.items()}}
    env["CNA_DEMO_DIR"] = str(tmp_path / "demo")
    env.pop("DISPLAY", None)
    demo = subprocess.Popen(
        [sys.executable, "scripts/demo.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = _read_until(demo, "CNA demo is running", timeout=120)
        for name in ("mail", "sim", "relay", "app"):
            assert f"127.0.0.1:{ports[name]}" in output
        relay = f"http://127.0.0.1:{ports['relay']}"
        assert httpx.get(f"{relay}/readyz", timeout=5).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{ports['app']}/", timeout=5).status_code == 200
        config = httpx.get(f"{relay}/v1/config", timeout=5).json()
        assert config["map"]["tile_url"].startswith(f"http://127.0.0.1:{ports['tiles']}/")
        tile = config["map"]["tile_url"].format(z=12, x=2082, y=1365)
        assert httpx.get(tile, timeout=5).headers["content-type"] == "image/png"
        body = {
            "email": "demo.test@example.be",
            "password": "Zonnebloem-42!",
            "first_name": "D",
            "last_name": "T",
        }
        assert httpx.post(f"{relay}/v1/accounts", json=body, timeout=10).status_code == 202
        mail_api = f"http://127.0.0.1:{ports['mail']}/api/messages"
        deadline = time.monotonic() + 20
        while not httpx.get(mail_api, timeout=5).json():
            assert time.monotonic() < deadline, "the verification mail never reached the mail sink"
            time.sleep(0.2)
        [message] = httpx.get(mail_api, timeout=5).json()
        assert re.search(r"\b\d{6}\b", message["text"])
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            demo.kill()
            raise
    assert demo.returncode == 0


def _read_until(process: subprocess.Popen[str], marker: str, *, timeout: float) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            # The URL table follows the marker.
            lines += [process.stdout.readline() for _ in range(8)]
            return "".join(lines)
    raise AssertionError("the demo did not start:\n" + "".join(lines))
