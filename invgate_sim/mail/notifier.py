"""Decide whether an event mails the customer, with which template, and send it over SMTP.

Sending never breaks the API call that caused it: failures are logged and recorded for the board.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING, Literal

import anyio

from invgate_sim.mail.compose import MailContent, build_environment, compose
from invgate_sim.mail.rules import MailEvent
from invgate_sim.models import Attachment, Ticket, User

if TYPE_CHECKING:
    from invgate_sim.simulator import Simulator

log = logging.getLogger("invgate_sim.mail")

MailStatus = Literal["sent", "failed", "not_sent"]


@dataclass
class MailRecord:
    """One customer mail the instance produced (what the board lists and tests assert on)."""

    id: int
    event: str
    ticket_id: int
    to: str
    subject: str
    template: str
    status: MailStatus
    at: float
    error: str | None = None
    attachments: list[str] = field(default_factory=list)
    message_id: str = ""


def ticket_url(base_url: str, ticket: Ticket) -> str:
    return f"{base_url.rstrip('/')}/requests/show/index/id/{ticket.id}"


class Notifier:
    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self._env = build_environment()

    def template_for(self, ticket: Ticket, customer: User) -> str:
        """External customers get the external template until made collaborator or @-mentioned."""
        if not customer.is_external or ticket.customer_sees_internal:
            return "internal"
        return "external"

    async def notify(
        self,
        event: MailEvent,
        ticket: Ticket,
        *,
        kind: str,
        agent_id: int | None = None,
        message: str | None = None,
        attachments: Sequence[Attachment] = (),
        status_name: str | None = None,
    ) -> MailRecord | None:
        """Mail the ticket's customer about `event` if its rule is on; `agent_id` is who acted."""
        if not self._sim.notifications.get(event, False):
            return None
        customer = self._sim.store.active_user(ticket.user_id)
        if customer is None or customer.is_disabled or not customer.email:
            return None
        if agent_id == customer.id and event is not MailEvent.TICKET_CREATED:
            return None  # ESM does not mail customers their own replies
        agent = self._sim.store.active_user(agent_id if agent_id is not None else ticket.assigned_id)
        content = MailContent(kind, ticket, customer, message, agent, status_name, list(attachments))
        template = self.template_for(ticket, customer)
        try:
            mail = self._compose(content, template, ticket)
        except Exception as exc:  # a template bug must not fail the API call either
            log.exception("composing the customer mail for request %s failed", ticket.id)
            return self._record(
                event, ticket, customer.email, "", template, "failed", repr(exc), attachments, ""
            )
        status, error = await self._deliver(mail)
        return self._record(
            event, ticket, customer.email, str(mail["Subject"]), template, status, error, attachments,
            str(mail["Message-ID"]),
        )  # fmt: skip

    def _compose(self, content: MailContent, template: str, ticket: Ticket) -> EmailMessage:
        config = self._sim.config
        return compose(
            self._env,
            content,
            template=template,
            sender=config.mail_from,
            instance_name=config.instance_name,
            ticket_url=ticket_url(config.base_url, ticket),
            sent_at=self._sim.now(),
        )

    def _record(
        self,
        event: MailEvent,
        ticket: Ticket,
        to: str,
        subject: str,
        template: str,
        status: MailStatus,
        error: str | None,
        attachments: Sequence[Attachment],
        message_id: str,
    ) -> MailRecord:
        record = MailRecord(
            id=len(self._sim.mails_sent) + 1,
            event=event.value,
            ticket_id=ticket.id,
            to=to,
            subject=subject,
            template=template,
            status=status,
            at=self._sim.now(),
            error=error,
            attachments=[attachment.name for attachment in attachments],
            message_id=message_id,
        )
        self._sim.mails_sent.append(record)
        return record

    async def _deliver(self, mail: EmailMessage) -> tuple[MailStatus, str | None]:
        config = self._sim.config
        if not config.smtp_host:
            return "not_sent", "no SMTP server configured"
        try:
            await anyio.to_thread.run_sync(
                _send, config.smtp_host, config.smtp_port, config.smtp_timeout, mail
            )
        except Exception as exc:  # any failure of the mail path is recorded, never raised to the API
            log.warning("customer mail to %s failed: %s", mail["To"], exc)
            return "failed", f"{type(exc).__name__}: {exc}"
        return "sent", None


def _send(host: str, port: int, timeout: float, mail: EmailMessage) -> None:
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        smtp.send_message(mail)
