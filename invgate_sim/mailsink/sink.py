"""`MailSink`: aiosmtpd on a free (or given) port plus the web page/JSON API, in-process."""

from __future__ import annotations

import asyncio
import socket
import time
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from invgate_sim.mailsink.store import MessageStore, Predicate
from invgate_sim.mailsink.web import create_sink_app
from invgate_sim.serve import BackgroundServer

MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class _Handler:
    def __init__(self, store: MessageStore) -> None:
        self._store = store

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        self._store.add(str(envelope.mail_from), [str(rcpt) for rcpt in envelope.rcpt_tos], bytes(raw))
        return "250 Message accepted for delivery"


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class MailSink:
    """Catches every mail sent to `smtp_port`; `http_port=None` runs no web page."""

    def __init__(self, host: str = "127.0.0.1", smtp_port: int = 0, http_port: int | None = 0) -> None:
        self.host = host
        self.store = MessageStore()
        self._wanted_smtp_port = smtp_port
        self._wanted_http_port = http_port
        self._controller: Controller | None = None
        self._web: BackgroundServer | None = None
        self.smtp_port = 0
        self.http_port: int | None = None
        self.http_url: str | None = None

    def start(self) -> MailSink:
        self._start_smtp()
        if self._wanted_http_port is not None:
            self._web = BackgroundServer(create_sink_app(self.store), self.host, self._wanted_http_port)
            self.http_url = self._web.start()
            self.http_port = int(self.http_url.rsplit(":", 1)[1])
        return self

    def _start_smtp(self) -> None:
        # aiosmtpd needs a concrete port; a freshly freed one can be taken in between, so retry.
        for attempt in range(5):
            port = self._wanted_smtp_port or _free_port(self.host)
            controller = Controller(
                _Handler(self.store), hostname=self.host, port=port, data_size_limit=MAX_MESSAGE_BYTES,
                ready_timeout=10.0,
            )  # fmt: skip
            try:
                controller.start()
            except (OSError, RuntimeError, TimeoutError):
                if self._wanted_smtp_port or attempt == 4:
                    raise
                time.sleep(0.05)
                continue
            self._controller, self.smtp_port = controller, port
            return

    def stop_smtp(self) -> None:
        """Take only the SMTP side down (caught mail and the web page stay): a mail-server outage."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def start_smtp(self) -> None:
        """Bring SMTP back after `stop_smtp`, on the same port."""
        if self._controller is None:
            self._wanted_smtp_port = self.smtp_port or self._wanted_smtp_port
            self._start_smtp()

    def stop(self) -> None:
        if self._web is not None:
            self._web.stop()
            self._web = None
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ---- reading -------------------------------------------------------------------------------

    def messages(self) -> list[EmailMessage]:
        return [caught.parsed() for caught in self.store.all()]

    def wait_for(
        self, predicate: Predicate | None = None, timeout: float = 5.0, count: int = 1
    ) -> list[EmailMessage]:
        """The matching messages once at least `count` arrived; TimeoutError otherwise."""
        return self.store.wait_for(predicate, timeout, count)

    async def wait_for_async(
        self,
        predicate: Predicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 (same meaning as in wait_for; the wait runs in a thread)
        count: int = 1,
    ) -> list[EmailMessage]:
        """`wait_for` without blocking the event loop (for senders running on that same loop)."""
        return await asyncio.to_thread(self.store.wait_for, predicate, timeout, count)

    def clear(self) -> None:
        self.store.clear()
