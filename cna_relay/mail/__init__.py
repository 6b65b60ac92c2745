"""E-mail to citizens: templates in nl/fr/en (plain text + HTML) and an SMTP sender.

Every mail is sent from the outbox, so an SMTP outage delays mail but never loses it.
"""

from cna_relay.mail.message import MailAttachment, OutgoingMail
from cna_relay.mail.render import MailRenderer
from cna_relay.mail.sender import MailDeliveryError, PermanentMailError, SmtpMailer, SmtpSettings

__all__ = [
    "MailAttachment",
    "MailDeliveryError",
    "MailRenderer",
    "OutgoingMail",
    "PermanentMailError",
    "SmtpMailer",
    "SmtpSettings",
]
