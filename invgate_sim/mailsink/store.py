"""Caught messages, shared between the SMTP thread, the web thread and the test."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

Predicate = Callable[[EmailMessage], bool]


@dataclass(frozen=True)
class CaughtMessage:
    id: int
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes = field(repr=False)
    received_at: float

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return message


class MessageStore:
    def __init__(self) -> None:
        self._messages: list[CaughtMessage] = []
        self._changed = threading.Condition()
        self._next_id = 1

    def add(self, mail_from: str, rcpt_tos: list[str], raw: bytes) -> CaughtMessage:
        with self._changed:
            caught = CaughtMessage(self._next_id, mail_from, list(rcpt_tos), raw, time.time())
            self._next_id += 1
            self._messages.append(caught)
            self._changed.notify_all()
            return caught

    def all(self) -> list[CaughtMessage]:
        with self._changed:
            return list(self._messages)

    def get(self, message_id: int) -> CaughtMessage | None:
        return next((m for m in self.all() if m.id == message_id), None)

    def clear(self) -> int:
        with self._changed:
            count = len(self._messages)
            self._messages.clear()
            return count

    def wait_for(self, predicate: Predicate | None, timeout: float, count: int) -> list[EmailMessage]:
        """Block until `count` messages match `predicate` (all messages when None); TimeoutError if not."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                parsed = [message.parsed() for message in self._messages]
                matching = [m for m in parsed if predicate is None or predicate(m)]
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{len(matching)} of {count} expected mails arrived within {timeout} s"
                    )
                self._changed.wait(remaining)
