"""The development mail sink: an SMTP server (aiosmtpd) that keeps every message, with a web page
and a JSON API to read them. Tests use it in-process; the demo runs `python -m invgate_sim.mailsink`.
"""

from __future__ import annotations

from invgate_sim.mailsink.sink import MailSink
from invgate_sim.mailsink.store import CaughtMessage, MessageStore

__all__ = ["CaughtMessage", "MailSink", "MessageStore"]
