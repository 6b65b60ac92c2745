"""Every InvGate endpoint the client calls, with its HTTP method.

One `Call` per (endpoint, method) pair: the operations name them, the HTTP layer derives the URL
and the OAuth scope (`api.v1.<endpoint>:<method>`, one scope per pair, no wildcards) from them,
and `ALL_CALLS` is what an OAuth token asks for by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Method = Literal["GET", "POST", "PUT", "DELETE"]


@dataclass(frozen=True, slots=True)
class Call:
    """An endpoint name (`incident.comment`) together with the method used on it."""

    endpoint: str
    method: Method

    @property
    def scope(self) -> str:
        return f"api.v1.{self.endpoint}:{self.method.lower()}"


# Users (the citizen is an external customer).
CREATE_USER = Call("user", "POST")
GET_USER = Call("user", "GET")
UPDATE_USER = Call("user", "PUT")
DISABLE_USER = Call("user.disable", "PUT")
GET_USER_BY = Call("user.by", "GET")
FIND_USERS_BY = Call("users.by", "GET")

# Tickets ("incidents"; InvGate calls their id `request_id` in most parameters).
CREATE_TICKET = Call("incident", "POST")
GET_TICKET = Call("incident", "GET")
UPDATE_TICKET = Call("incident", "PUT")
GET_TICKETS = Call("incidents", "GET")
REASSIGN_TICKET = Call("incident.reassign", "POST")
ADD_COMMENT = Call("incident.comment", "POST")
GET_COMMENTS = Call("incident.comment", "GET")
TICKETS_BY_CUSTOMER = Call("incidents.by.customer", "GET")
TICKETS_BY_STATUS = Call("incidents.by.status", "GET")
TICKETS_OF_LAST_HOUR = Call("incidents.last.hour", "GET")

# Catalogues.
HELPDESKS = Call("helpdesks", "GET")
HELPDESKS_AND_LEVELS = Call("helpdesksandlevels", "GET")
CATEGORIES = Call("categories", "GET")
PRIORITIES = Call("incident.attributes.priority", "GET")
TYPES = Call("incident.attributes.type", "GET")
SOURCES = Call("incident.attributes.source", "GET")
STATUSES = Call("incident.attributes.status", "GET")

# Lifecycle.
ACCEPT_SOLUTION = Call("incident.solution.accept", "PUT")
REJECT_SOLUTION = Call("incident.solution.reject", "PUT")
REJECT_TICKET = Call("incident.reject", "POST")
CANCEL_TICKET = Call("incident.cancel", "POST")
REOPEN_TICKET = Call("incident.reopen", "PUT")
WAIT_FOR_CUSTOMER = Call("incident.waitingfor.customer", "POST")
GET_LINKS = Call("incident.link", "GET")
ADD_LINKS = Call("incident.link", "POST")
GET_OBSERVERS = Call("incident.observer", "GET")
ADD_OBSERVERS = Call("incident.observer", "POST")
GET_COLLABORATORS = Call("incident.collaborator", "GET")
ADD_COLLABORATORS = Call("incident.collaborator", "POST")
GET_APPROVALS = Call("incident.approval", "GET")
REQUEST_APPROVAL = Call("incident.spontaneous_approval", "POST")
ACCEPT_APPROVAL = Call("incident.approval.accept", "PUT")
REJECT_APPROVAL = Call("incident.approval.reject", "PUT")

ALL_CALLS: tuple[Call, ...] = tuple(value for value in globals().values() if isinstance(value, Call))


def all_scopes() -> frozenset[str]:
    """The OAuth scopes of every call this client can make."""
    return frozenset(call.scope for call in ALL_CALLS)
