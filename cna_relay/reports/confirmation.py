"""Outbox handler `send_confirmation`: the citizen's e-mail with the report and its attachments.

Sent by the relay, not by InvGate: it goes out even while InvGate is down, carries the CNA
reference and the processed attachments, and is in the citizen's language. InvGate's own
"ticket created" mail is switched off for CNA tickets (docs/adr/0007-confirmation-mail.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cna_relay.accounts.models import Account
from cna_relay.context import RelayContext
from cna_relay.mail import MailAttachment, MailDeliveryError, OutgoingMail, PermanentMailError
from cna_relay.outbox import ClaimedEntry, PermanentDeliveryError, TransientDeliveryError
from cna_relay.reports.models import Report
from cna_relay.reports.store import finish_confirmation, load_report
from cna_relay.reports.ticket import map_link


@dataclass(frozen=True, slots=True)
class Recipient:
    email: str
    first_name: str
    language: str


class ConfirmationMail:
    def __init__(self, context: RelayContext) -> None:
        self._context = context

    async def __call__(self, entry: ClaimedEntry) -> dict[str, Any]:
        report = await load_report(self._context.db, entry.payload["report_id"], with_files=True)
        if report is None:
            raise PermanentDeliveryError("the report no longer exists")
        if report.confirmation_sent_at is not None:
            return {"already_sent": True}
        recipient = await self._recipient(report)
        if recipient is None:
            return {"skipped": "no e-mail address for this report"}
        try:
            await self._context.mailer.send(self._mail(report, recipient))
        except PermanentMailError as exc:
            raise PermanentDeliveryError(str(exc)) from exc
        except MailDeliveryError as exc:
            raise TransientDeliveryError(str(exc)) from exc
        await finish_confirmation(self._context.db, report.id, now=self._context.clock.now())
        return {"to_account": report.on_behalf_of is None}

    async def _recipient(self, report: Report) -> Recipient | None:
        if report.on_behalf_of is not None:
            email = report.on_behalf_of.get("email")
            first_name = report.on_behalf_of.get("first_name") or ""
            return Recipient(email, first_name, report.language) if email else None
        async with self._context.db.sessions() as session:
            account = await session.get(Account, report.account_id) if report.account_id else None
        if account is None or account.email is None:
            return None
        return Recipient(account.email, account.first_name or "", account.language or report.language)

    def _mail(self, report: Report, recipient: Recipient) -> OutgoingMail:
        settings = self._context.settings
        rendered = self._context.mail_renderer.render(
            "report_confirmation",
            recipient.language,
            {
                "first_name": recipient.first_name,
                "reference": report.reference,
                "description": report.description,
                "address": report.address,
                "latitude": f"{report.latitude:.5f}",
                "longitude": f"{report.longitude:.5f}",
                "map_link": map_link(settings.map_link_template, report.latitude, report.longitude),
                "attachments": [item.filename for item in report.attachments],
                "created_at": report.created_at,
            },
        )
        return OutgoingMail(
            to=recipient.email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            attachments=tuple(
                MailAttachment(item.filename, item.content_type, item.data)
                for item in report.attachments
                if item.data is not None
            ),
            message_id=f"<report-{report.id}@cna.invalid>",
        )
