"""Registration of the accounts domain's outbox handlers, and their error translation.

InvGate's transient errors become `TransientDeliveryError` (honouring its `Retry-After`), its
permanent errors `PermanentDeliveryError`: the entry goes dead and shows in `outbox list --state
dead` for an operator, while the account itself keeps working.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from cna_relay.accounts import jobs
from cna_relay.accounts.customer import disable_customer, push_profile
from cna_relay.accounts.mails import (
    RESET_TEMPLATE,
    VERIFICATION_TEMPLATE,
    send_code_mail,
    send_signup_attempt_mail,
)
from cna_relay.context import RelayContext
from cna_relay.invgate import InvGatePermanentError, InvGateTransientError
from cna_relay.outbox import ClaimedEntry, PermanentDeliveryError, TransientDeliveryError
from cna_relay.outbox.dispatcher import Handler


@asynccontextmanager
async def invgate_delivery() -> AsyncIterator[None]:
    """Translate the service desk's error tree into the outbox's."""
    try:
        yield
    except InvGateTransientError as exc:
        raise TransientDeliveryError(str(exc), retry_after=exc.retry_after) from exc
    except InvGatePermanentError as exc:
        raise PermanentDeliveryError(str(exc)) from exc


def register_account_handlers(context: RelayContext) -> None:
    """Add the accounts domain's outbox kinds to `context.handlers`."""
    context.handlers.update(
        {
            jobs.VERIFICATION_MAIL: _code_mail(context, VERIFICATION_TEMPLATE),
            jobs.RESET_MAIL: _code_mail(context, RESET_TEMPLATE),
            jobs.SIGNUP_ATTEMPT_MAIL: partial(send_signup_attempt_mail, context),
            # Linking, then pushing the whole profile, is idempotent: a retry repeats it harmlessly.
            jobs.ENSURE_CUSTOMER: _customer_job(context, partial(push_profile, clear_missing=False)),
            jobs.UPDATE_CUSTOMER: _customer_job(context, partial(push_profile, clear_missing=True)),
            jobs.DISABLE_CUSTOMER: _customer_job(context, disable_customer),
        }
    )


def _code_mail(context: RelayContext, template: str) -> Handler:
    async def handle(entry: ClaimedEntry) -> dict[str, Any]:
        return await send_code_mail(context, entry, template=template)

    return handle


def _customer_job(
    context: RelayContext, work: Callable[[RelayContext, str], Awaitable[dict[str, object]]]
) -> Handler:
    async def handle(entry: ClaimedEntry) -> dict[str, Any]:
        async with invgate_delivery():
            return await work(context, str(entry.payload["account_id"]))

    return handle
