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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from cna_relay.routing.live import LiveClassifier

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
    # Periodic jobs: each enqueues its first run (an outbox entry that re-enqueues itself).
    schedules: list[Callable[[], Awaitable[object]]] = field(default_factory=list)
    dispatcher: Dispatcher | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _worker: asyncio.Task[None] | None = None
    _closers: list[Any] = field(default_factory=list)
    _classifier: LiveClassifier | None = None

    def classify(self, text: str) -> tuple[str, float]:
        """The helpdesk for a report text and the model's confidence (triage if no model loads).

        The model is the active one in `settings.routing_registry_dir` (else the shipped default),
        swapped for a newly activated one without a restart (cna_relay/routing/live.py)."""
        if self._classifier is None:
            from cna_relay.routing.live import LiveClassifier

            self._classifier = LiveClassifier(
                self.settings.routing_registry_dir, triage=self.settings.invgate_triage_helpdesk
            )
        return self._classifier.classify(text)

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
        await self.check_routing_destinations()
        if self.settings.embedded_worker if run_worker is None else run_worker:
            await self.schedule_periodic_jobs()
            dispatcher = self.build_dispatcher()
            self._stop.clear()
            self._worker = asyncio.create_task(dispatcher.run(self._stop), name="outbox-dispatcher")

    async def check_routing_destinations(self) -> None:
        """Read InvGate's catalogues now and log routing helpdesks it lacks (best effort)."""
        from cna_relay.routing.startup import check_routing_destinations

        await check_routing_destinations(
            self.directory,
            timeout_s=self.settings.invgate_timeout_s,
            triage=self.settings.invgate_triage_helpdesk,
        )

    async def schedule_periodic_jobs(self) -> None:
        """Enqueue the first run of every periodic job; where one is already due this is a no-op.

        Processes that run a dispatcher call this at start (the embedded worker does it itself)."""
        for schedule in self.schedules:
            try:
                await schedule()
            except Exception:
                log.exception("a periodic job could not be scheduled")

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
