"""An e-mail ready to send, independent of how it is transported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


@dataclass(frozen=True, slots=True)
class MailAttachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[MailAttachment, ...] = ()
    # A stable Message-ID lets a resend after a lost SMTP reply be recognised as the same mail.
    message_id: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def to_email(self, *, sender: str, sent_at: datetime) -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.to
        message["Subject"] = self.subject
        message["Date"] = format_datetime(sent_at)
        message["Message-ID"] = self.message_id or make_msgid(domain="cna.invalid")
        for name, value in self.headers:
            message[name] = value
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        for attachment in self.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            message.add_attachment(
                attachment.data,
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=attachment.filename,
            )
        return message
