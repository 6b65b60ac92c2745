"""Everything that speaks InvGate. The rest of the relay imports from here only.

Layout:
- `port` — `ServiceDesk`, the Protocol the relay depends on;
- `client` — `InvGateClient`, its implementation (operations in `users`, `tickets`, `queries`,
  `catalogues`, `lifecycle`);
- `http` / `wire` / `auth` — transport: encoding rules, authentication, deadlines, error translation;
- `mapping` (values → parameters) and `parsing` / `fields` (JSON → values) — pure functions;
- `models` — the frozen dataclasses; `errors` — the error tree; `credentials` — `Secret` & co.
"""

from cna_relay.invgate.client import InvGateClient
from cna_relay.invgate.credentials import BasicCredentials, Credentials, OAuthClientCredentials, Secret
from cna_relay.invgate.errors import (
    InvGateAuthError,
    InvGateConflict,
    InvGateConnectionError,
    InvGateError,
    InvGateForbidden,
    InvGateLogicalError,
    InvGateMethodNotAllowed,
    InvGateMissingParameter,
    InvGateNotFound,
    InvGatePermanentError,
    InvGateRateLimited,
    InvGateRejected,
    InvGateTimeout,
    InvGateTransientError,
    InvGateUnavailable,
    InvGateUnexpectedResponse,
)
from cna_relay.invgate.http import Timeouts
from cna_relay.invgate.models import (
    Approval,
    ApprovalStatus,
    Attachment,
    CatalogueItem,
    Category,
    Comment,
    Helpdesk,
    HelpdeskLevel,
    InvGateLanguage,
    LinkedTicket,
    NewTicket,
    Ticket,
    TicketChanges,
    TicketRef,
    User,
    UserChanges,
    UserProfile,
)
from cna_relay.invgate.port import ServiceDesk

__all__ = [
    "Approval",
    "ApprovalStatus",
    "Attachment",
    "BasicCredentials",
    "CatalogueItem",
    "Category",
    "Comment",
    "Credentials",
    "Helpdesk",
    "HelpdeskLevel",
    "InvGateAuthError",
    "InvGateClient",
    "InvGateConflict",
    "InvGateConnectionError",
    "InvGateError",
    "InvGateForbidden",
    "InvGateLanguage",
    "InvGateLogicalError",
    "InvGateMethodNotAllowed",
    "InvGateMissingParameter",
    "InvGateNotFound",
    "InvGatePermanentError",
    "InvGateRateLimited",
    "InvGateRejected",
    "InvGateTimeout",
    "InvGateTransientError",
    "InvGateUnavailable",
    "InvGateUnexpectedResponse",
    "LinkedTicket",
    "NewTicket",
    "OAuthClientCredentials",
    "Secret",
    "ServiceDesk",
    "Ticket",
    "TicketChanges",
    "TicketRef",
    "Timeouts",
    "User",
    "UserChanges",
    "UserProfile",
]
