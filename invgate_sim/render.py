"""Wire shapes of InvGate objects, with the per-call date format and text encoding applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from invgate_sim.errors import MissingParameter
from invgate_sim.models import USER_PROFILE_FIELDS, Attachment, Comment, Ticket, User
from invgate_sim.params import Params
from invgate_sim.store import Store

_PHP_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"})


def html_encode(text: str) -> str:
    """What PHP's htmlspecialchars(ENT_QUOTES) makes of a text, as InvGate returns it by default."""
    return text.translate(_PHP_SPECIAL)


@dataclass(frozen=True)
class Renderer:
    iso_dates: bool
    encode_text: bool
    base_url: str

    @classmethod
    def for_call(cls, params: Params, *, html_encode_text: bool, base_url: str) -> Renderer:
        date_format = (params.string("date_format") or "epoch").strip().lower()
        if date_format not in {"epoch", "iso8601"}:
            raise MissingParameter("The parameter date_format must be 'epoch' or 'iso8601'")
        decoded = params.boolean("decoded_special_characters")
        return cls(
            iso_dates=date_format == "iso8601",
            encode_text=html_encode_text and not decoded,
            base_url=base_url,
        )

    def date(self, timestamp: float | None) -> int | str | None:
        if timestamp is None:
            return None
        if self.iso_dates:
            return datetime.fromtimestamp(int(timestamp), tz=UTC).isoformat()
        return int(timestamp)

    def text(self, value: str) -> str:
        return html_encode(value) if self.encode_text else value

    def user(self, user: User) -> dict[str, Any]:
        shaped: dict[str, Any] = {
            "id": user.id,
            "name": user.name,
            "lastname": user.lastname,
            "email": user.email,
            "type": user.type,
            "user_type": user.user_type,
            "role_name": user.role_name,
            "manager_id": user.manager_id,
            "is_external": user.is_external,
            "is_disabled": user.is_disabled,
            "is_deleted": user.is_deleted,
        }
        shaped.update({key: user.profile.get(key) for key in USER_PROFILE_FIELDS})
        return shaped

    def comment(self, comment: Comment, *, embedded: bool, with_solution_flag: bool = True) -> dict[str, Any]:
        """`incident.comment` gives booleans; comments embedded in `incident(s)` give 0/1."""
        flag: Any = int if embedded else bool
        shaped: dict[str, Any] = {
            "id": comment.id,
            "incident_id": comment.incident_id,
            "author_id": comment.author_id,
            "message": self.text(comment.message),
            "created_at": self.date(comment.created_at),
            "customer_visible": flag(comment.customer_visible),
            "reference": comment.reference,
            "msg_num": comment.msg_num,
            "attachments": list(comment.attachments),
        }
        if with_solution_flag:
            shaped["is_solution"] = flag(comment.is_solution)
        return shaped

    def incident(
        self, ticket: Ticket, store: Store, *, comments: bool = False, list_shape: bool = False
    ) -> dict[str, Any]:
        shaped: dict[str, Any] = {
            "id": ticket.id,
            "title": ticket.title,
            "category_id": ticket.category_id,
            "description": self.text(ticket.description),
            "priority_id": ticket.priority_id,
            "user_id": ticket.user_id,
            "creator_id": ticket.creator_id,
            "assigned_id": ticket.assigned_id,
            "assigned_group_id": ticket.assigned_group_id,
            "date_ocurred": self.date(ticket.date_ocurred),
            "source_id": ticket.source_id,
            "status_id": int(ticket.status_id),
            "type_id": ticket.type_id,
            "location_id": ticket.location_id,
            "created_at": self.date(ticket.created_at),
            "last_update": self.date(ticket.last_update),
            "process_id": None,
            "solved_at": self.date(ticket.solved_at),
            "closed_at": self.date(ticket.closed_at),
            "closed_reason": int(ticket.closed_reason) if ticket.closed_reason is not None else None,
            "attachments": list(ticket.attachments),
            "custom_fields": dict(ticket.custom_fields),
            "sla_incident_resolution": None,
            "sla_incident_first_reply": None,
            "pretty_id": ticket.pretty_id,
            "request_customer_sentiment_initial": None,
            "request_customer_sentiment_current": None,
        }
        if ticket.rating is not None:  # "If there's no rating, this field won't be shown."
            shaped["rating"] = ticket.rating
        if comments:
            # `incidents?comments=1` omits is_solution on its embedded comments (reference §2).
            shaped["comments"] = [
                self.comment(comment, embedded=True, with_solution_flag=not list_shape)
                for comment in store.ticket_comments(ticket)
            ]
        return shaped

    def attachment(self, attachment: Attachment) -> dict[str, Any]:
        return {
            "id": attachment.id,
            "name": attachment.name,
            "url": attachment_url(self.base_url, attachment),
            "hash": attachment.digest,
            "extension": attachment.extension,
        }


def attachment_url(base_url: str, attachment: Attachment) -> str:
    return f"{base_url.rstrip('/')}/attachments/{attachment.id}/download"
