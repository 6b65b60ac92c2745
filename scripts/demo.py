"""Start the whole CNA demo on this machine and keep it running until Ctrl-C.

    mail sink (SMTP + web page) → map tiles → address search → InvGate simulator → relay → app (web)

Every part runs as its own process, exactly as it would be deployed, on the embedded defaults
(SQLite). The relay's database is fresh on each start because the simulator keeps its tickets
and customers in memory: stale InvGate ids from an earlier run would point nowhere.
Ports can be changed with CNA_DEMO_<NAME>_PORT (e.g. CNA_DEMO_APP_PORT=8560), the working folder
(database, logs) with CNA_DEMO_DIR.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
RUN_DIR = Path(os.environ.get("CNA_DEMO_DIR", ROOT / "var" / "demo"))
PYTHON = sys.executable
SIM_API_USER = "cna-api"
# The simulator's own default key; the relay refuses such a key outside dev (see RelaySettings).
SIM_API_KEY = "cna-dev-key"


def port(name: str, default: int) -> int:
    return int(os.environ.get(f"CNA_DEMO_{name.upper()}_PORT", default))


@dataclass
class Service:
    name: str
    argv: list[str]
    health_url: str
    show: list[tuple[str, str]]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None


def services() -> list[Service]:
    smtp, mail_web = port("smtp", 1025), port("mail", 8025)
    tiles, sim, relay, app = port("tiles", 8090), port("sim", 8081), port("relay", 8080), port("app", 8550)
    geocoder = port("geocoder", 8095)
    local = "http://127.0.0.1"
    tiles_dir = ROOT / "assets" / "tiles"
    tile_args = ["--dir", str(tiles_dir)] if tiles_dir.is_dir() else []
    return [
        Service(
            "mail sink",
            [PYTHON, "-m", "invgate_sim.mailsink", "--smtp-port", str(smtp), "--http-port", str(mail_web)],
            f"{local}:{mail_web}/api/messages",
            [("Mail sink (every mail the demo sends)", f"{local}:{mail_web}/")],
        ),
        Service(
            "map tiles",
            [PYTHON, "-m", "invgate_sim.tiles", "--port", str(tiles), *tile_args],
            f"{local}:{tiles}/14/8364/5467.png",
            [],
        ),
        Service(
            "address search",
            [PYTHON, "-m", "invgate_sim.geocoder", "--port", str(geocoder), "--demo"],
            f"{local}:{geocoder}/search?q=Ieperstraat&format=json",
            [],
        ),
        Service(
            "InvGate simulator",
            [
                PYTHON,
                "-m",
                "invgate_sim",
                "--port",
                str(sim),
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                str(smtp),
                "--admin",
                "--notify",
                "ticket_created=off",
            ],
            f"{local}:{sim}/",
            [("InvGate board (tickets, customers, mails)", f"{local}:{sim}/")],
            env={"INVGATE_SIM_API_USER": SIM_API_USER, "INVGATE_SIM_API_KEY": SIM_API_KEY},
        ),
        Service(
            "relay",
            [PYTHON, "-m", "cna_relay", "serve", "--port", str(relay)],
            f"{local}:{relay}/readyz",
            [("Relay API (OpenAPI docs)", f"{local}:{relay}/docs")],
            env={
                "CNA_RELAY_ENVIRONMENT": "dev",
                "CNA_RELAY_DATABASE_URL": f"sqlite+aiosqlite:///{RUN_DIR / 'relay.db'}",
                "CNA_RELAY_INVGATE_URL": f"{local}:{sim}/api/v1/",
                "CNA_RELAY_INVGATE_API_USER": SIM_API_USER,
                "CNA_RELAY_INVGATE_API_KEY": SIM_API_KEY,
                "CNA_RELAY_SMTP_HOST": "127.0.0.1",
                "CNA_RELAY_SMTP_PORT": str(smtp),
                "CNA_RELAY_TILE_URL": f"{local}:{tiles}/{{z}}/{{x}}/{{y}}.png",
                "CNA_RELAY_GEOCODER_DOMAIN": f"127.0.0.1:{geocoder}",
                "CNA_RELAY_GEOCODER_SCHEME": "http",
                "CNA_RELAY_APP_URL": f"{local}:{app}",
                "CNA_RELAY_PUBLIC_URL": f"{local}:{relay}",
            },
        ),
        Service(
            "app",
            [PYTHON, str(ROOT / "main.py")],
            f"{local}:{app}/",
            [("CNA app — start here", f"{local}:{app}/")],
            env={"CNA_APP_WEB": "1", "CNA_APP_PORT": str(app), "CNA_RELAY_URL": f"{local}:{relay}"},
        ),
    ]


def start(service: Service) -> None:
    logs = RUN_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    service.log = (logs / f"{service.name.replace(' ', '-')}.log").open("wb")
    env = {**os.environ, **service.env}
    env.pop("DISPLAY", None)  # the app serves the web client instead of opening a window
    service.process = subprocess.Popen(
        service.argv, cwd=ROOT, env=env, stdout=service.log, stderr=subprocess.STDOUT
    )


def wait_healthy(service: Service, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert service.process is not None
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} stopped at start-up; see var/demo/logs/")
        try:
            if httpx.get(service.health_url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{service.name} did not answer on {service.health_url} within {timeout:.0f} s")


def stop_all(running: list[Service]) -> None:
    for service in reversed(running):
        if service.process and service.process.poll() is None:
            service.process.send_signal(signal.SIGINT)
    for service in reversed(running):
        if service.process:
            try:
                service.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                service.process.kill()
        if service.log:
            service.log.close()


def main() -> int:
    if RUN_DIR.exists():
        shutil.rmtree(RUN_DIR)
    RUN_DIR.mkdir(parents=True)
    running: list[Service] = []
    try:
        for service in services():
            print(f"starting {service.name} ...", flush=True)
            start(service)
            running.append(service)
            wait_healthy(service)
        print_welcome(running)
        while all(service.process and service.process.poll() is None for service in running):
            time.sleep(0.5)
        print("a demo process stopped; see var/demo/logs/", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    finally:
        stop_all(running)


def print_welcome(running: list[Service]) -> None:
    print("\nCNA demo is running (Ctrl-C stops everything):\n", flush=True)
    for service in running:
        for label, url in service.show:
            print(f"  {label:<45} {url}")
    app_url = running[-1].show[0][1]
    print(
        "\nOpen the app, tap 'Maak een melding' and 'Aanmaken' to sign up; the verification code "
        "arrives in the mail sink.\nLogs: var/demo/logs/\n",
        flush=True,
    )
    if os.environ.get("DISPLAY"):
        webbrowser.open(app_url)


if __name__ == "__main__":
    raise SystemExit(main())
