"""Users: `user` (POST/GET/PUT/DELETE), `user.by`, `users.by`, `users`, `user.disable`, `user.enable`."""

from __future__ import annotations

import re
from typing import Any

from invgate_sim.endpoints.common import keyset_page, ok, user_of
from invgate_sim.errors import LogicalError, MissingParameter, Refused
from invgate_sim.models import User
from invgate_sim.registry import Call, Route

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANGUAGES = frozenset({"es", "en", "en_GB", "pt", "fr", "de", "ca", "it", "nl", "el"})
USERS_BY_PAGE_SIZE = 10
# Wire name → profile key; note the hyphen InvGate uses for `other-email`.
_PROFILE_PARAMS = {
    "username": "username", "other-email": "other_email", "doc": "doc", "mobile": "mobile",
    "office": "office", "other": "other", "fax": "fax", "address": "address", "phone": "phone",
    "city": "city", "country": "country", "birthday": "birthday", "position": "position",
    "department": "department", "employee_number": "employee_number", "localization": "location",
}  # fmt: skip
_SEARCH_FIELDS = {
    "email": ("email",), "username": ("username",), "employee_number": ("employee_number",),
    "phones": ("phone", "mobile", "office", "fax", "other"), "phone": ("phone",), "office_phone": ("office",),
    "mobile_phone": ("mobile",), "fax_phone": ("fax",), "other_phone": ("other",),
}  # fmt: skip


def _valid_email(call: Call, name: str = "email") -> str:
    email = call.params.require_str(name).strip()
    if not _EMAIL.match(email) or len(email) > 254:
        raise MissingParameter(f"The parameter {name} is not a valid e-mail address")
    return email


def _refuse_taken_email(call: Call, email: str, owner: User | None = None) -> None:
    existing = call.sim.store.user_by_email(email)
    if existing is not None and existing is not owner and call.sim.config.duplicate_email == "refuse":
        raise Refused("The e-mail address is already used by another user")


def _apply_profile(call: Call, user: User) -> None:
    for wire_name, key in _PROFILE_PARAMS.items():
        value = call.params.string(wire_name)
        if value is not None:
            user.profile[key] = value
    manager_id = call.params.integer("manager_id")
    if manager_id is not None:
        user.manager_id = manager_id


async def create_user(call: Call) -> Any:
    name, lastname = call.params.require_str("name").strip(), call.params.require_str("lastname").strip()
    email = _valid_email(call)
    _refuse_taken_email(call, email)
    user = User(
        id=call.sim.store.next_id("user"),
        name=name,
        lastname=lastname,
        email=email,
        user_type=2,
        type=call.sim.config.created_user_type,
        is_external=call.params.boolean("is_external"),
    )
    user.profile["username"] = email
    _apply_profile(call, user)
    call.sim.store.users[user.id] = user
    return call.render.user(user)


def _visible(call: Call, user: User | None) -> bool:
    return user is not None and (not user.is_disabled or call.params.boolean("include_disabled"))


async def get_user(call: Call) -> Any:
    user = call.sim.store.active_user(call.params.require_int("id"))
    return call.render.user(user) if user is not None and _visible(call, user) else False


async def update_user(call: Call) -> Any:
    user = user_of(call, call.params.require_int("id"))
    if call.params.has("email"):
        email = _valid_email(call)
        _refuse_taken_email(call, email, owner=user)
        user.email = email
    for field_name in ("name", "lastname"):
        value = call.params.string(field_name)
        if value is not None:
            if not value.strip():
                raise MissingParameter(f"The parameter {field_name} cannot be empty")
            setattr(user, field_name, value.strip())
    language = call.params.string("language")
    if language is not None:
        if language not in LANGUAGES:
            raise MissingParameter(f"The parameter language must be one of {', '.join(sorted(LANGUAGES))}")
        user.language = language
    if call.params.has("is_external"):
        user.is_external = call.params.boolean("is_external")
    _apply_profile(call, user)
    return ok()


async def delete_user(call: Call) -> Any:
    user_of(call, call.params.require_int("id")).is_deleted = True
    return ok()


async def disable_user(call: Call) -> Any:
    user_of(call, call.params.require_int("id")).is_disabled = True
    return ok()


async def enable_user(call: Call) -> Any:
    user_of(call, call.params.require_int("id")).is_disabled = False
    return ok()


async def user_by(call: Call) -> Any:
    email, username = call.params.string("email"), call.params.string("username")
    if not email and not username:
        raise MissingParameter("The parameter email or username is required")
    for user in call.sim.store.users.values():
        if user.is_deleted or not _visible(call, user):
            continue
        if (email and user.email.lower() == email.strip().lower()) or (
            username and (user.profile.get("username") or "").lower() == username.strip().lower()
        ):
            return call.render.user(user)
    return call.sim.config.user_by_not_found


def _field_values(user: User, keys: tuple[str, ...]) -> list[str]:
    return [(user.email if key == "email" else user.profile.get(key) or "").lower() for key in keys]


async def users_by(call: Call) -> Any:
    criteria = {name: value.strip().lower() for name in _SEARCH_FIELDS if (value := call.params.string(name))}
    if not criteria:
        raise LogicalError("At least one search parameter is required")
    exact = call.params.boolean("exact_match")
    matches = []
    for user in call.sim.store.users.values():
        if user.is_deleted or not _visible(call, user):
            continue
        found = all(
            any(
                (value == wanted) if exact else (wanted in value)
                for value in _field_values(user, _SEARCH_FIELDS[name])
            )
            for name, wanted in criteria.items()
        )
        if found:
            matches.append(user)
    if not matches:
        return {"data": []}
    page, next_key = keyset_page(call, matches, USERS_BY_PAGE_SIZE)
    return {"data": {str(user.id): call.render.user(user) for user in page}, "next_page_key": next_key}


async def list_users(call: Call) -> Any:
    ids = call.params.int_array("ids")
    users = (
        [call.sim.store.users[i] for i in ids if i in call.sim.store.users]
        if ids
        else call.sim.store.users.values()
    )
    return [call.render.user(user) for user in users if not user.is_deleted and _visible(call, user)]


ROUTES: tuple[Route, ...] = (
    ("user", "POST", create_user),
    ("user", "GET", get_user),
    ("user", "PUT", update_user),
    ("user", "DELETE", delete_user),
    ("user.disable", "PUT", disable_user),
    ("user.enable", "PUT", enable_user),
    ("user.by", "GET", user_by),
    ("users.by", "GET", users_by),
    ("users", "GET", list_users),
)
