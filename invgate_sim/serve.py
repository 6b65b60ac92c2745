"""Serve an ASGI app on an already-bound socket, so the printed URL is live (and `--port 0` works)."""

from __future__ import annotations

import socket
import sys
import threading
import time
from typing import Any

import uvicorn


def say(line: str) -> None:
    """Tell the operator something on stdout right away (launchers read the URLs from it)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(app: Any, sock: socket.socket, *, log_level: str = "warning") -> None:
    config = uvicorn.Config(app, log_level=log_level, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


class BackgroundServer:
    """uvicorn in a daemon thread on an already-bound socket; `start()` returns once it accepts."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self._app = app
        self._host, self._port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self, timeout: float = 15.0) -> str:
        sock = bind(self._host, self._port)
        self.url = url_of(sock)
        config = uvicorn.Config(self._app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"server for {self.url} did not start")
            time.sleep(0.01)
        sock.close()  # uvicorn holds its own listening socket now
        return self.url

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None
