"""Build the customer's MIME message (text + HTML, with attachments) from the templates."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import jinja2
from markupsafe import Markup, escape

from invgate_sim.mail.catalogue import texts_for
from invgate_sim.models import Attachment, Ticket, User

_BREAKS = re.compile(r"<\s*br\s*/?\s*>|</\s*p\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_MAX_TEXT = 20_000


@dataclass(frozen=True)
class MailContent:
    """What one mail says; `kind` picks the subject and intro (created, comment, solution, ...)."""

    kind: str
    ticket: Ticket
    customer: User
    message: str | None = None
    agent: User | None = None
    status_name: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


def html_to_text(fragment: str) -> str:
    """Comments may carry HTML (`<br>`); mails show their text only, so nothing in them is live."""
    text = _TAGS.sub("", _BREAKS.sub("\n", fragment))
    return html.unescape(text).strip()[:_MAX_TEXT]


def _nl2br(value: str) -> Markup:
    return Markup("<br>\n").join(escape(line) for line in value.split("\n"))


def build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("invgate_sim.mail", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["nl2br"] = _nl2br
    return env


def _context(content: MailContent, *, instance_name: str, ticket_url: str) -> dict[str, Any]:
    texts = texts_for(content.customer.language)
    ref = content.ticket.pretty_id
    return {
        "t": texts[content.kind],
        "labels": texts["labels"],
        "ref": ref,
        "title": content.ticket.title,
        "description": html_to_text(content.ticket.description) if content.kind == "created" else None,
        "message": html_to_text(content.message) if content.message else None,
        "status_name": content.status_name,
        "attachments": [attachment.name for attachment in content.attachments],
        "instance_name": instance_name,
        "agent_name": content.agent.full_name if content.agent else instance_name,
        "ticket_url": ticket_url,
        "subject": texts[content.kind]["subject"].format(ref=ref, title=content.ticket.title),
    }


def compose(
    env: jinja2.Environment,
    content: MailContent,
    *,
    template: str,
    sender: str,
    instance_name: str,
    ticket_url: str,
    sent_at: float,
) -> EmailMessage:
    """A text + HTML message in the customer's language, with `content.attachments` attached."""
    context = _context(content, instance_name=instance_name, ticket_url=ticket_url)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f"{content.customer.full_name} <{content.customer.email}>"
    message["Subject"] = context["subject"]
    message["Date"] = formatdate(sent_at, localtime=False)
    message["Message-ID"] = make_msgid(domain="invgate-sim.local")
    message["X-InvGate-Request"] = str(content.ticket.id)
    message["X-InvGate-Template"] = template
    message.set_content(env.get_template(f"{template}.txt.j2").render(context))
    message.add_alternative(env.get_template(f"{template}.html.j2").render(context), subtype="html")
    for attachment in content.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        if not subtype or maintype == "multipart":
            maintype, subtype = "application", "octet-stream"
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.name
        )
    return message
