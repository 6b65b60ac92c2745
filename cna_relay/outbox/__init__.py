"""The durable outbox: every side effect on the outside world (InvGate, SMTP) is a row here first.

States and transitions are data (`ALLOWED_TRANSITIONS`); `store.OutboxStore` owns every SQL
statement on the table; `policy.RetryPolicy` decides when to try again; `dispatcher.Dispatcher`
claims due entries with a lease and runs the handler registered for their kind.
"""

from cna_relay.outbox.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from cna_relay.outbox.models import ALLOWED_TRANSITIONS, OutboxEntry, OutboxState
from cna_relay.outbox.policy import RetryPolicy
from cna_relay.outbox.store import ClaimedEntry, OutboxStore

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ClaimedEntry",
    "DeliveryError",
    "OutboxEntry",
    "OutboxState",
    "OutboxStore",
    "PermanentDeliveryError",
    "RetryPolicy",
    "TransientDeliveryError",
]
