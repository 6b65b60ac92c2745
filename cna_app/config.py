"""Client settings: where the relay lives and how the app is served.

There are no environment variables on a phone, so the settings come from three layers, each
overriding the previous one:

1. the defaults below;
2. `cna_app/baked_settings.json`, written by the build step for mobile builds
   (`python -m cna_app.config --relay-url https://meldingen.gemeente.be` before `flet build`);
3. environment variables on desktop and web: `CNA_RELAY_URL`, `CNA_APP_PORT`, `CNA_APP_WEB`,
   `CNA_APP_UPLOAD_DIR`, `CNA_APP_STORAGE_DIR` (where report drafts are kept on desktop; mobile
   builds get Flet's `FLET_APP_STORAGE_DATA`), `CNA_APP_OUTBOX_RETRY_S` (seconds between tries of
   a report waiting on the device, e.g. `2,4,8,15,30,60`; the last one repeats).

`load_client_config()` reads them once in `main.py`; everything else receives the frozen
`ClientConfig`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_RELAY_URL = "http://127.0.0.1:8080"
DEFAULT_PORT = 8550
BAKED_SETTINGS_FILE = "baked_settings.json"
# Plain http is only acceptable towards this machine (development and tests).
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ConfigError(ValueError):
    """A setting is missing or malformed; raised at start so the app never runs half-configured."""


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything the app needs to know before it shows its first screen."""

    relay_url: str = DEFAULT_RELAY_URL
    web: bool = False
    port: int = DEFAULT_PORT
    request_timeout_s: float = 15.0
    assets_dir: str = "assets"
    # Where the web server stores files the browser uploads (issue 7's attachments); None: off
    # (`run` then makes a private temporary folder in web mode).
    upload_dir: str | None = None
    # Where report drafts are kept on desktop and mobile; None: a folder in the user's home.
    storage_dir: str | None = None
    # Back-off of reports waiting on the device; None: the outbox's default schedule.
    outbox_retry_s: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "relay_url", validate_relay_url(self.relay_url))
        if not 0 < self.port < 65536:
            raise ConfigError(f"port out of range: {self.port}")
        if self.request_timeout_s <= 0:
            raise ConfigError("request_timeout_s must be positive")
        if self.outbox_retry_s is not None and (
            not self.outbox_retry_s or not all(0 < s <= 3600 for s in self.outbox_retry_s)
        ):
            raise ConfigError("outbox_retry_s must be seconds between 0 and 3600")


def validate_relay_url(url: str) -> str:
    """The relay's base URL without a trailing slash; https unless it points at this machine."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"relay URL must be an http(s) URL, got {url!r}")
    if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
        raise ConfigError(f"relay URL must use https outside this machine, got {url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError(f"relay URL must not carry credentials, a query or a fragment: {url!r}")
    return url.strip().rstrip("/")


def load_client_config(environ: Mapping[str, str], *, has_display: bool) -> ClientConfig:
    """Defaults, then the baked settings, then the environment (see the module docstring)."""
    config = _apply_baked(ClientConfig(), read_baked_settings())
    relay_url = environ.get("CNA_RELAY_URL") or config.relay_url
    port = _parse_port(environ.get("CNA_APP_PORT"))
    web = environ.get("CNA_APP_WEB", "").strip() == "1" or not has_display
    upload_dir = environ.get("CNA_APP_UPLOAD_DIR") or config.upload_dir
    storage_dir = environ.get("CNA_APP_STORAGE_DIR") or environ.get("FLET_APP_STORAGE_DATA") or None
    retry = _parse_delays(environ.get("CNA_APP_OUTBOX_RETRY_S"))
    return replace(
        config,
        relay_url=relay_url,
        port=config.port if port is None else port,
        web=web,
        upload_dir=upload_dir,
        storage_dir=storage_dir or config.storage_dir,
        outbox_retry_s=retry or config.outbox_retry_s,
    )


def read_baked_settings() -> dict[str, Any]:
    """The build-time settings file shipped inside the package, or `{}` when there is none."""
    source = resources.files(__package__).joinpath(BAKED_SETTINGS_FILE)
    if not source.is_file():
        return {}
    data = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConfigError(f"{BAKED_SETTINGS_FILE} must hold a JSON object")
    return data


def _apply_baked(config: ClientConfig, baked: Mapping[str, Any]) -> ClientConfig:
    relay_url = baked.get("relay_url", config.relay_url)
    if not isinstance(relay_url, str):
        raise ConfigError(f"{BAKED_SETTINGS_FILE}: relay_url must be a string")
    return replace(config, relay_url=relay_url)


def _parse_port(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise ConfigError(f"CNA_APP_PORT must be a number, got {raw!r}")
    return int(raw)


def _parse_delays(raw: str | None) -> tuple[float, ...] | None:
    if raw is None or not raw.strip():
        return None
    try:
        return tuple(float(part) for part in raw.split(","))
    except ValueError:
        raise ConfigError(
            f"CNA_APP_OUTBOX_RETRY_S must be numbers separated by commas, got {raw!r}"
        ) from None


def bake(relay_url: str, *, package_dir: Path) -> Path:
    """Write the settings a mobile build carries; returns the file written."""
    target = package_dir / BAKED_SETTINGS_FILE
    target.write_text(json.dumps({"relay_url": validate_relay_url(relay_url)}) + "\n", encoding="utf-8")
    return target


def _cli(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Bake the relay URL into a mobile build of the app.")
    parser.add_argument("--relay-url", required=True)
    args = parser.parse_args(argv)
    written = bake(args.relay_url, package_dir=Path(__file__).resolve().parent)
    print(f"wrote {written}")  # noqa: T201 - a build-time command line tool


if __name__ == "__main__":
    _cli()
