"""User operations: the citizen's customer record ("klantenfiche") is an external InvGate user."""

from __future__ import annotations

from cna_relay.invgate import endpoints as ep
from cna_relay.invgate.http import InvGateHttp
from cna_relay.invgate.mapping import Params, external_user_params, user_changes_params
from cna_relay.invgate.models import User, UserChanges, UserProfile
from cna_relay.invgate.paging import keyset_pages
from cna_relay.invgate.parsing import parse_optional_user, parse_user, parse_user_page


class UserOperations:
    _http: InvGateHttp

    async def find_user_by_email(self, email: str, *, include_disabled: bool = False) -> User | None:
        """The user whose e-mail is exactly `email` (case-insensitive), or None.

        Uses `users.by` with `exact_match=1` and walks every page; items whose e-mail differs are
        ignored (on some instances the match also covers user names). Several matches → lowest id.
        """
        wanted = email.strip()

        async def page(page_key: str | None) -> tuple[list[User], str | None]:
            params: Params = {
                "email": wanted,
                "exact_match": True,
                "include_disabled": True if include_disabled else None,
                "page_key": page_key,
            }
            return parse_user_page(await self._http.call(ep.FIND_USERS_BY, params))

        users = await keyset_pages(page, what=ep.FIND_USERS_BY.endpoint)
        matches = [user for user in users if user.email.casefold() == wanted.casefold()]
        return min(matches, key=lambda user: user.id) if matches else None

    async def get_user_by_email(self, email: str) -> User | None:
        """`user.by`: one user by e-mail; None when InvGate finds nobody."""
        return parse_optional_user(await self._http.call(ep.GET_USER_BY, {"email": email.strip()}))

    async def get_user(self, user_id: int, *, include_disabled: bool = False) -> User | None:
        """A user by id; None for an unknown id (InvGate answers `false`)."""
        params: Params = {"id": user_id, "include_disabled": True if include_disabled else None}
        return parse_optional_user(await self._http.call(ep.GET_USER, params))

    async def create_external_user(self, profile: UserProfile) -> User:
        """`POST user` with `is_external=1`: a customer who can only deal with us by e-mail."""
        return parse_user(await self._http.call(ep.CREATE_USER, external_user_params(profile)))

    async def update_user(self, user_id: int, changes: UserChanges) -> None:
        """`PUT user` (every parameter in the query string, InvGate's PUT rule)."""
        await self._http.call(ep.UPDATE_USER, user_changes_params(user_id, changes))

    async def disable_user(self, user_id: int) -> None:
        """`PUT user.disable`: the account stays, its tickets stay, it can no longer be used."""
        await self._http.call(ep.DISABLE_USER, {"id": user_id})
