"""Send mail over SMTP, telling transient failures (retry later) from permanent ones (give up).

`smtplib` runs in a worker thread: it is synchronous, and the dispatcher must keep its event
loop free for other deliveries.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field

from pydantic import SecretStr

from cna_relay.clock import Clock
from cna_relay.mail.message import OutgoingMail


class MailDeliveryError(Exception):
    """The mail may go through later (server down, timeout, 4xx)."""


class PermanentMailError(MailDeliveryError):
    """Retrying cannot help (recipient refused, message rejected with a 5xx)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: SecretStr | None = field(default=None, repr=False)
    starttls: bool = False
    timeout_s: float = 10.0


class SmtpMailer:
    def __init__(self, settings: SmtpSettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock

    async def send(self, mail: OutgoingMail) -> None:
        await asyncio.to_thread(self._send_blocking, mail)

    def _send_blocking(self, mail: OutgoingMail) -> None:
        message = mail.to_email(sender=self._settings.sender, sent_at=self._clock.now())
        try:
            with smtplib.SMTP(
                self._settings.host, self._settings.port, timeout=self._settings.timeout_s
            ) as smtp:
                if self._settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self._settings.username and self._settings.password:
                    smtp.login(self._settings.username, self._settings.password.get_secret_value())
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentMailError(f"recipient refused ({codes})") from exc
            raise MailDeliveryError(f"recipient temporarily refused ({codes})") from exc
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused) as exc:
            # Our own configuration is wrong: keep the mail until an operator fixes it.
            raise MailDeliveryError(f"SMTP {exc.smtp_code}: check the relay's SMTP settings") from exc
        except smtplib.SMTPDataError as exc:
            kind = PermanentMailError if exc.smtp_code >= 500 else MailDeliveryError
            raise kind(f"message refused: SMTP {exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailDeliveryError(f"{type(exc).__name__}: {exc}") from exc
