"""Outbox handler `create_ticket`: a stored report becomes exactly one InvGate ticket.

Steps, each recorded on the report row as soon as it is done so a retry resumes after it:
route (predicted helpdesk) → ensure the customer → look for a ticket a lost reply left behind →
wait for a ticket slot (InvGate's per-minute limit, shared by all workers) → create the ticket with
its files → reassign it to the helpdesk → read back its pretty id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from cna_relay.context import RelayContext
from cna_relay.directory import Destination, DirectoryError, ServiceDeskDirectory
from cna_relay.invgate import (
    Attachment,
    InvGatePermanentError,
    InvGateRateLimited,
    InvGateTransientError,
    NewTicket,
)
from cna_relay.outbox import ClaimedEntry, PermanentDeliveryError, TransientDeliveryError
from cna_relay.outbox.errors import DeferDelivery
from cna_relay.reports.models import Delivery, Report
from cna_relay.reports.store import finish_delivery, load_report, update_report
from cna_relay.reports.ticket import TicketLocation, map_link, ticket_description, ticket_title

log = logging.getLogger(__name__)

TICKET_GATE = "invgate:incident:create"
Classify = Callable[[str], tuple[str, float]]
EnsureCustomer = Callable[[Report], Awaitable[int]]


class TicketDelivery:
    def __init__(
        self,
        context: RelayContext,
        directory: ServiceDeskDirectory,
        *,
        classify: Classify,
        ensure_customer: EnsureCustomer,
    ) -> None:
        self._context = context
        self._directory = directory
        self._classify = classify
        self._ensure_customer = ensure_customer

    async def __call__(self, entry: ClaimedEntry) -> dict[str, Any]:
        report = await load_report(self._context.db, entry.payload["report_id"], with_files=True)
        if report is None:
            raise PermanentDeliveryError("the report no longer exists")
        try:
            return await self._deliver(report, may_exist=entry.attempts > 1)
        except InvGateRateLimited as exc:
            await self._hold_gate(exc.retry_after)
            raise TransientDeliveryError(str(exc), retry_after=exc.retry_after) from exc
        except InvGateTransientError as exc:
            raise TransientDeliveryError(str(exc), retry_after=exc.retry_after) from exc
        except InvGatePermanentError as exc:
            await update_report(self._context.db, report.id, delivery=Delivery.FAILED)
            raise PermanentDeliveryError(str(exc)) from exc
        except DirectoryError as exc:
            # A configuration mismatch: keep the report and retry slowly until an operator fixes it.
            raise TransientDeliveryError(str(exc), retry_after=300) from exc

    async def _deliver(self, report: Report, *, may_exist: bool) -> dict[str, Any]:
        # The prediction is stored with the ticket id, in one write; a retry before that write
        # classifies again, and the model gives the same answer for the same text.
        predicted, confidence = self._prediction(report)
        destination = await self._directory.destination(predicted)
        ticket_id = report.ticket_id
        if ticket_id is None:
            customer_id = await self._ensure_customer(report)
            if may_exist:
                found = await self._context.service_desk.find_open_ticket(
                    customer_id, title_contains=report.reference
                )
                ticket_id = found.id if found else None
            if ticket_id is None:
                await self._wait_for_slot()
                ticket_id = await self._create(report, customer_id, destination)
            await update_report(
                self._context.db,
                report.id,
                ticket_id=ticket_id,
                helpdesk=destination.helpdesk,
                predicted_helpdesk=predicted,
                prediction_confidence=confidence,
            )
        if report.reassigned_at is None:
            # Reassigning twice after a crash is harmless: the ticket ends in the same helpdesk.
            author = await self._directory.integration_user_id()
            await self._context.service_desk.reassign_ticket(
                ticket_id, author_id=author, helpdesk_id=destination.helpdesk_id
            )
        ticket = await self._context.service_desk.get_ticket(ticket_id)
        await finish_delivery(
            self._context.db, report.id, pretty_id=ticket.pretty_id, now=self._context.clock.now()
        )
        return {"ticket_id": ticket_id, "helpdesk": destination.helpdesk}

    def _prediction(self, report: Report) -> tuple[str, float]:
        if report.predicted_helpdesk is not None:
            return report.predicted_helpdesk, report.prediction_confidence or 0.0
        return self._classify(report.description)

    async def _create(self, report: Report, customer_id: int, destination: Destination) -> int:
        settings = self._context.settings
        source_name = (
            settings.invgate_source_name if report.channel == "app" else settings.invgate_counter_source_name
        )
        location = TicketLocation(
            report.latitude, report.longitude, report.location_source, report.accuracy_m, report.address
        )
        walk_in = report.on_behalf_of or {}
        ticket = NewTicket(
            creator_id=await self._directory.integration_user_id(),
            customer_id=customer_id,
            category_id=destination.category_id,
            priority_id=settings.invgate_priority_id,
            type_id=settings.invgate_type_id,
            title=ticket_title(
                reference=report.reference, description=report.description, address=report.address
            ),
            description=ticket_description(
                reference=report.reference,
                description=report.description,
                location=location,
                map_link=map_link(settings.map_link_template, report.latitude, report.longitude),
                channel=report.channel,
                on_behalf_of=" ".join(filter(None, [walk_in.get("first_name"), walk_in.get("last_name")]))
                or None,
            ),
            source_id=await self._directory.source_id(source_name),
            occurred_at=report.created_at,
            attachments=tuple(
                Attachment(item.filename, item.data, item.content_type)
                for item in report.attachments
                if item.data
            ),
        )
        ref = await self._context.service_desk.create_ticket(ticket)
        log.info("report %s became InvGate ticket %s", report.reference, ref.id)
        return ref.id

    async def _wait_for_slot(self) -> None:
        settings = self._context.settings
        interval = 60.0 / settings.invgate_ticket_rate_per_minute
        max_wait = settings.outbox_lease_s / 3
        wait = await self._context.pacer.reserve(TICKET_GATE, interval_s=interval, max_wait_s=max_wait)
        if wait is None:
            delay = await self._context.pacer.seconds_until_free(TICKET_GATE)
            raise DeferDelivery(delay, "waiting for a ticket slot (InvGate per-minute limit)")
        if wait > 0:
            await asyncio.sleep(wait)

    async def _hold_gate(self, retry_after: float | None) -> None:
        seconds = retry_after if retry_after is not None else 60.0
        await self._context.pacer.hold_until(
            TICKET_GATE, self._context.clock.now() + timedelta(seconds=seconds)
        )
