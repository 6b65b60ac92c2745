"""Logging for the relay's processes: one line per event, no personal data from libraries.

httpx logs every request URL at INFO, query string included (`users.by?email=...`); its logger
is raised to WARNING so citizens' addresses never reach the log. Our own InvGate client logs
parameter names only.
"""

from __future__ import annotations

import logging

QUIET_LIBRARIES = ("httpx", "httpcore", "aiosqlite", "multipart")


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
