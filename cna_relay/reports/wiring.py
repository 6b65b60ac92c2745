"""Plug the reports domain into the relay: its router and its two outbox handlers."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI

from cna_relay.accounts.service import account_service
from cna_relay.context import RelayContext
from cna_relay.reports.confirmation import ConfirmationMail
from cna_relay.reports.customers import ensure_report_customer
from cna_relay.reports.delivery import TicketDelivery
from cna_relay.reports.retention import forget_reports_of
from cna_relay.reports.routes import router


def register_report_handlers(context: RelayContext) -> None:
    context.handlers["create_ticket"] = TicketDelivery(
        context,
        context.directory,
        classify=context.classify,
        ensure_customer=partial(ensure_report_customer, context),
    )
    context.handlers["send_confirmation"] = ConfirmationMail(context)


def install_reports(app: FastAPI) -> None:
    app.include_router(router)
    account_service(app).on_account_deleted.append(forget_reports_of)
