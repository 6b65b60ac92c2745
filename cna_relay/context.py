"""The relay's composition: every long-lived part, built once from settings and passed down.

`build_context` does no I/O, so an app can be created in a test without a running database or
InvGate; `RelayContext.start()` migrates and starts the dispatcher, `stop()` undoes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any

import httpx

from cna_relay.clock import Clock, SystemClock
from cna_relay.db import Database, make_database
from cna_relay.db.migrate import upgrade
from cna_relay.directory import DirectoryNames, ServiceDeskDirectory
from cna_relay.invgate import BasicCredentials, InvGateClient, Secret, ServiceDesk, Timeouts
from cna_relay.mail import MailRenderer, SmtpMailer, SmtpSettings
from cna_relay.outbox import OutboxStore, RetryPolicy
from cna_relay.outbox.dispatcher import Dispatcher, DispatcherOptions, Handler
from cna_relay.pacing import Pacer
from cna_relay.ratelimit import RateLimiter
from cna_relay.settings import RelaySettings

log = logging.getLogger(__name__)


@dataclass
class RelayContext:
    settings: RelaySettings
    clock: Clock
    db: Database
    outbox: OutboxStore
    pacer: Pacer
    limiter: RateLimiter
    mailer: SmtpMailer
    mail_renderer: MailRenderer
    service_desk: ServiceDesk
    directory: ServiceDeskDirectory
    handlers: dict[str, Handler] = field(default_factory=dict)
    dispatcher: Dispatcher | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _worker: asyncio.Task[None] | None = None
    _closers: list[Any] = field(default_factory=list)
    _classifier: Any = None

    def classify(self, text: str) -> tuple[str, float]:
        """The helpdesk for a report text and the model's confidence (triage if no model loads)."""
        if self._classifier is None:
            self._classifier = load_classifier()
        if self._classifier is False:
            return self.settings.invgate_triage_helpdesk, 0.0
        prediction = self._classifier.classify(text)
        return prediction.helpdesk, prediction.confidence

    def build_dispatcher(self, *, worker_id: str | None = None) -> Dispatcher:
        settings = self.settings
        self.dispatcher = Dispatcher(
            self.outbox,
            self.handlers,
            policy=RetryPolicy(
                base_s=settings.outbox_backoff_base_s,
                cap_s=settings.outbox_backoff_cap_s,
                max_attempts=settings.outbox_max_attempts,
            ),
            clock=self.clock,
            options=DispatcherOptions(
                worker_id=worker_id or default_worker_id(),
                concurrency=settings.worker_concurrency,
                lease_s=settings.outbox_lease_s,
                poll_interval_s=settings.worker_poll_interval_s,
            ),
        )
        return self.dispatcher

    def wake_dispatcher(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.wake()

    async def start(self, *, run_worker: bool | None = None) -> None:
        if self.settings.auto_migrate:
            await asyncio.to_thread(upgrade, self.settings.database_url)
        if self.settings.embedded_worker if run_worker is None else run_worker:
            dispatcher = self.build_dispatcher()
            self._stop.clear()
            self._worker = asyncio.create_task(dispatcher.run(self._stop), name="outbox-dispatcher")

    async def stop(self) -> None:
        self._stop.set()
        if self._worker is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        for close in reversed(self._closers):
            await close()
        await self.db.dispose()


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def build_context(
    settings: RelaySettings,
    *,
    clock: Clock | None = None,
    service_desk: ServiceDesk | None = None,
    invgate_transport: httpx.AsyncBaseTransport | None = None,
) -> RelayContext:
    clock = clock or SystemClock()
    db = make_database(settings.database_url)
    closers: list[Any] = []
    if service_desk is None:
        client = InvGateClient(
            base_url=settings.invgate_url,
            credentials=BasicCredentials(
                settings.invgate_api_user, Secret(settings.invgate_api_key.get_secret_value())
            ),
            timeouts=Timeouts(total=settings.invgate_timeout_s),
            transport=invgate_transport,
        )
        closers.append(client.aclose)
        service_desk = client
    context = RelayContext(
        settings=settings,
        clock=clock,
        db=db,
        outbox=OutboxStore(db, clock),
        pacer=Pacer(db, clock),
        limiter=RateLimiter(db, clock),
        mailer=SmtpMailer(smtp_settings(settings), clock),
        mail_renderer=MailRenderer(branding=branding(settings)),
        service_desk=service_desk,
        directory=ServiceDeskDirectory(
            service_desk,
            DirectoryNames(
                integration_user_email=settings.invgate_integration_user_email,
                triage_helpdesk=settings.invgate_triage_helpdesk,
                sources=(settings.invgate_source_name, settings.invgate_counter_source_name),
            ),
            clock,
        ),
    )
    context._closers.extend(closers)
    return context


def load_classifier() -> Any:
    """The active routing model, or False (route everything to triage) when none can be loaded."""
    from cna_relay.routing.classifier import HelpdeskClassifier

    try:
        return HelpdeskClassifier.load_default()
    except Exception:
        log.exception("no routing model could be loaded: every report goes to the triage desk")
        return False


def smtp_settings(settings: RelaySettings) -> SmtpSettings:
    return SmtpSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        timeout_s=settings.smtp_timeout_s,
    )


def branding(settings: RelaySettings) -> dict[str, Any]:
    return {
        "municipality": settings.municipality_name,
        "color": settings.municipality_color,
        "logo_url": settings.municipality_logo_url,
        "website": settings.municipality_website,
        "app_url": settings.app_url,
    }
