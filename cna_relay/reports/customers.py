"""Who is the customer of a report's ticket?

A citizen's own report: their klantenfiche (`accounts.customer.ensure_customer`). A counter
report for a walk-in citizen with an e-mail address: that citizen as an external InvGate user,
found by address or created. Without an address the clerk's own record is the customer, so ESM's
mails reach someone who can pass them on; the walk-in's name is in the ticket description.
"""

from __future__ import annotations

from cna_relay.accounts.customer import ensure_customer
from cna_relay.context import RelayContext
from cna_relay.invgate import UserProfile
from cna_relay.outbox import PermanentDeliveryError
from cna_relay.reports.models import Report


async def ensure_report_customer(context: RelayContext, report: Report) -> int:
    walk_in = report.on_behalf_of
    if walk_in and walk_in.get("email"):
        return await _walk_in_customer(context, walk_in)
    if report.account_id is None:
        raise PermanentDeliveryError(f"report {report.reference} has no owner")
    return await ensure_customer(context, report.account_id)


async def _walk_in_customer(context: RelayContext, walk_in: dict[str, str | None]) -> int:
    email = str(walk_in["email"])
    desk = context.service_desk
    user = await desk.find_user_by_email(email)
    if user is None:
        user = await desk.create_external_user(
            UserProfile(
                name=walk_in.get("first_name") or "",
                lastname=walk_in.get("last_name") or "",
                email=email,
                phone=walk_in.get("phone"),
            )
        )
    return user.id
