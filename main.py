"""Run the CNA app: `python main.py`.

Web mode (served on http://127.0.0.1:$CNA_APP_PORT, default 8550) when `CNA_APP_WEB=1` or when
there is no display; otherwise a desktop window. The relay is `CNA_RELAY_URL` (default
http://127.0.0.1:8080). Mobile builds carry the relay URL baked in: see `cna_app/config.py`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

from cna_app.app import run
from cna_app.config import load_client_config

ASSETS = Path(__file__).resolve().parent / "assets"


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main() -> None:
    config = load_client_config(os.environ, has_display=has_display())
    run(replace(config, assets_dir=str(ASSETS)))


if __name__ == "__main__":
    main()
