"""What a handler raises to tell the dispatcher how a delivery failed.

    DeliveryError
    ├── TransientDeliveryError   try again later (optionally not before `retry_after` seconds)
    └── PermanentDeliveryError   retrying cannot help: the entry goes to `dead` for an operator

Any other exception escaping a handler is treated as transient (and logged with its traceback):
a bug must not lose work, and `max_attempts` still stops an endless loop.
"""

from __future__ import annotations


class DeliveryError(Exception):
    pass


class TransientDeliveryError(DeliveryError):
    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    pass


class DeferDelivery(Exception):
    """Not now, and not a failure: move the entry to `until` without counting an attempt."""

    def __init__(self, delay_s: float, reason: str) -> None:
        super().__init__(reason)
        self.delay_s = delay_s
