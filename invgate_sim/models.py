"""The simulated instance's records. Plain dataclasses; shapes on the wire live in `render.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Status(IntEnum):
    """Default status ids of `incident.attributes.status` (reference section 4, inferred)."""

    NEW = 1
    OPEN = 2
    IN_PROGRESS = 3
    WAITING = 4
    SOLVED = 5
    CLOSED = 6
    REJECTED = 7
    CANCELLED = 8


# "All by.* lists return only open requests": open means 1–5 (MDA treats Solved as open).
OPEN_STATUSES = frozenset({Status.NEW, Status.OPEN, Status.IN_PROGRESS, Status.WAITING, Status.SOLVED})
FINAL_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})


class ClosedReason(IntEnum):
    SOLUTION_ACCEPTED = 1
    SOLUTION_EXPIRED = 2
    CUSTOMER_TIMEOUT = 3
    WORKFLOW_FINISHED = 4


class ApprovalStatus(IntEnum):
    CANCELLED = -2
    WAITING = -1
    REJECTED = 0
    APPROVED = 1


USER_PROFILE_FIELDS = (
    "username", "other_email", "doc", "mobile", "office", "other", "fax", "address", "phone", "city",
    "country", "birthday", "position", "department", "employee_number", "location",
)  # fmt: skip


@dataclass
class User:
    id: int
    name: str
    lastname: str
    email: str
    user_type: int = 2  # 1 agent, 2 end user
    type: int = 1  # 1 System, 2 LDAP, 3 Webservice, 4 Customer, 5 Mailbox
    is_external: bool = False
    role_name: str | None = None
    manager_id: int | None = None
    language: str | None = None
    is_disabled: bool = False
    is_deleted: bool = False
    profile: dict[str, str | None] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.name} {self.lastname}".strip()


@dataclass
class Helpdesk:
    id: int
    name: str
    members: list[int] = field(default_factory=list)
    parent_id: int | None = None  # set on levels: the helpdesk they belong to
    level_order: int | None = None
    engine_id: int = 3
    status_id: int = 1

    @property
    def is_level(self) -> bool:
        return self.parent_id is not None


@dataclass
class Category:
    id: int
    name: str
    helpdesk_id: int | None
    parent_category_id: int | None = None


@dataclass
class Attachment:
    id: int
    name: str
    content: bytes = field(repr=False)
    content_type: str
    digest: str

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


@dataclass
class Comment:
    id: int
    incident_id: int
    author_id: int
    message: str
    created_at: float
    customer_visible: bool
    msg_num: int
    is_solution: bool = False
    reference: int | None = None
    attachments: list[int] = field(default_factory=list)


@dataclass
class Approval:
    id: int
    request_id: int
    author_id: int
    approval_user_id: int
    description: str
    created_at: float
    status: ApprovalStatus = ApprovalStatus.WAITING
    type: int = 2  # 1 predefined, 2 spontaneous
    note: str | None = None


@dataclass
class Ticket:
    id: int
    title: str
    description: str
    category_id: int
    priority_id: int
    type_id: int
    user_id: int  # the customer
    creator_id: int
    created_at: float
    last_update: float
    pretty_id: str = ""
    source_id: int | None = None
    location_id: int | None = None
    date_ocurred: float | None = None
    assigned_id: int | None = None
    assigned_group_id: int | None = None
    status_id: Status = Status.NEW
    solved_at: float | None = None
    closed_at: float | None = None
    closed_reason: ClosedReason | None = None
    rating: int | None = None
    waiting_since: float | None = None
    attachments: list[int] = field(default_factory=list)
    comments: list[int] = field(default_factory=list)
    links: set[int] = field(default_factory=set)
    observers: list[int] = field(default_factory=list)
    collaborators: list[int] = field(default_factory=list)
    approvals: list[int] = field(default_factory=list)
    custom_fields: dict[str, str] = field(default_factory=dict)
    # Once the customer was made a collaborator or @-mentioned, ESM mails them as an internal user.
    customer_sees_internal: bool = False

    @property
    def is_open(self) -> bool:
        return self.status_id in OPEN_STATUSES
