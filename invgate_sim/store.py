"""The instance's data in memory, built from a seed file (the default one ships in the package)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from invgate_sim.models import (
    USER_PROFILE_FIELDS,
    Approval,
    Attachment,
    Category,
    Comment,
    Helpdesk,
    Ticket,
    User,
)


@dataclass(frozen=True)
class Named:
    id: int
    name: str


class SeedError(ValueError):
    """The seed file is missing, not JSON, or inconsistent."""


@dataclass
class Store:
    api_user_id: int
    integration_agent_id: int
    users: dict[int, User] = field(default_factory=dict)
    helpdesks: dict[int, Helpdesk] = field(default_factory=dict)
    categories: dict[int, Category] = field(default_factory=dict)
    priorities: list[Named] = field(default_factory=list)
    types: list[Named] = field(default_factory=list)
    sources: list[Named] = field(default_factory=list)
    statuses: list[Named] = field(default_factory=list)
    tickets: dict[int, Ticket] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    approvals: dict[int, Approval] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)

    def next_id(self, kind: str) -> int:
        value = self.next_ids.get(kind, 1)
        self.next_ids[kind] = value + 1
        return value

    def active_user(self, user_id: int | None) -> User | None:
        user = self.users.get(user_id) if user_id is not None else None
        return user if user and not user.is_deleted else None

    def user_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        for user in self.users.values():
            if user.email.lower() == wanted and not user.is_deleted:
                return user
        return None

    def ticket_comments(self, ticket: Ticket) -> list[Comment]:
        return [self.comments[comment_id] for comment_id in ticket.comments]

    def helpdesk_name(self, helpdesk_id: int | None) -> str:
        helpdesk = self.helpdesks.get(helpdesk_id) if helpdesk_id is not None else None
        if helpdesk is None:
            return "—"
        if helpdesk.is_level and helpdesk.parent_id in self.helpdesks:
            return f"{self.helpdesks[helpdesk.parent_id].name} (niveau {helpdesk.level_order})"
        return helpdesk.name

    @staticmethod
    def name_of(catalogue: list[Named], item_id: int | None) -> str:
        return next((item.name for item in catalogue if item.id == item_id), "—")


def default_seed_text() -> str:
    return (resources.files("invgate_sim") / "seed_data" / "default_seed.json").read_text(encoding="utf-8")


def load_store(seed_path: Path | None) -> Store:
    """Build a fresh store from `seed_path`, or from the bundled default seed when it is None."""
    try:
        text = seed_path.read_text(encoding="utf-8") if seed_path else default_seed_text()
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise SeedError(f"cannot read seed {seed_path}: {exc}") from exc
    try:
        return _build_store(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise SeedError(f"inconsistent seed {seed_path or 'default'}: {exc!r}") from exc


def _build_store(data: dict[str, Any]) -> Store:
    store = Store(
        api_user_id=int(data["api_user_id"]), integration_agent_id=int(data["integration_agent_id"])
    )
    for kind in ("priorities", "types", "sources", "statuses"):
        setattr(store, kind, [Named(int(item["id"]), str(item["name"])) for item in data[kind]])
    for raw in data["users"]:
        user = _user_from_seed(raw)
        store.users[user.id] = user
    for raw in data["helpdesks"]:
        _add_helpdesk(store, raw)
    for raw in data["categories"]:
        category = Category(
            id=int(raw["id"]),
            name=str(raw["name"]),
            helpdesk_id=raw.get("helpdesk_id"),
            parent_category_id=raw.get("parent_category_id"),
        )
        if category.helpdesk_id is not None and category.helpdesk_id not in store.helpdesks:
            raise ValueError(f"category {category.id} routes to unknown helpdesk {category.helpdesk_id}")
        store.categories[category.id] = category
    for required in (store.api_user_id, store.integration_agent_id):
        if required not in store.users:
            raise ValueError(f"user {required} named in the seed does not exist")
    store.next_ids = {str(kind): int(value) for kind, value in data.get("next_ids", {}).items()}
    return store


def _user_from_seed(raw: dict[str, Any]) -> User:
    return User(
        id=int(raw["id"]),
        name=str(raw["name"]),
        lastname=str(raw["lastname"]),
        email=str(raw["email"]),
        user_type=int(raw.get("user_type", 2)),
        type=int(raw.get("type", 1)),
        is_external=bool(raw.get("is_external", False)),
        role_name=raw.get("role_name"),
        language=raw.get("language"),
        profile={key: raw.get(key) for key in USER_PROFILE_FIELDS if key in raw},
    )


def _add_helpdesk(store: Store, raw: dict[str, Any]) -> None:
    members = [int(member) for member in raw.get("members", [])]
    for member in members:
        if member not in store.users:
            raise ValueError(f"helpdesk {raw['id']} lists unknown user {member}")
    helpdesk = Helpdesk(id=int(raw["id"]), name=str(raw["name"]), members=members)
    store.helpdesks[helpdesk.id] = helpdesk
    for level in raw.get("levels", []):
        store.helpdesks[int(level["id"])] = Helpdesk(
            id=int(level["id"]),
            name=helpdesk.name,
            members=[int(member) for member in level.get("members", [])],
            parent_id=helpdesk.id,
            level_order=int(level["level_order"]),
        )
