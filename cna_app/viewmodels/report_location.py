"""Where the problem is: a pin on the map, the device's position, a photo's position or an address.

Every way ends in `place(...)`, which applies the relay's boundary rule on the spot (a point
outside the municipality is refused with the relay's own sentence and the previous choice stays)
and then names the spot: an address from the search is used as it is, any other point is
reverse-geocoded by the relay after a short pause, so dragging a pin costs one lookup at the end,
not one per frame. The address search runs when the user submits it, never per keystroke
(Nominatim's usage policy forbids autocomplete).

Both lookups need the relay. In offline mode neither is tried: a pin keeps its coordinates with
"the address follows once there is a connection" and is named when the relay answers again
(`reconnected`); the search says it needs a connection and points at the map and GPS, which
work without one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from cna_app.contract.wire import LocationIn, LocationSource, Place
from cna_app.services.errors import RelayError, RelayProblem, RelayUnavailable, SessionExpired
from cna_app.services.geo import GeoPoint
from cna_app.services.location import LocationUnavailable, Locator
from cna_app.viewmodels.forms import problem_text
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.report_context import ReportRules, ReportShellPort
from cna_app.viewmodels.texts import UserText

Origin = Literal["map", "device", "photo", "search"]
AddressState = Literal["none", "looking", "found", "unknown", "unavailable", "offline"]
SOURCES: dict[Origin, LocationSource] = {"map": "pin", "device": "gps", "photo": "gps", "search": "address"}
REVERSE_DEBOUNCE_S = 0.8
QUERY_MIN, QUERY_MAX = 3, 200
SEARCH_LIMIT = 5
ADDRESS_MAX = 300


@dataclass(frozen=True, slots=True)
class ChosenLocation:
    point: GeoPoint
    origin: Origin
    accuracy_m: float | None = None
    address: str | None = None
    address_state: AddressState = "none"

    def to_wire(self) -> LocationIn:
        location = LocationIn(
            lat=round(self.point.lat, 7), lon=round(self.point.lon, 7), source=SOURCES[self.origin]
        )
        if self.accuracy_m is not None:
            location["accuracy_m"] = round(self.accuracy_m, 1)
        if self.address:
            location["address"] = self.address[:ADDRESS_MAX]
        return location


def from_wire(location: LocationIn) -> ChosenLocation | None:
    """A stored choice back into the form (a draft); None when it no longer makes sense."""
    point = GeoPoint(location["lat"], location["lon"])
    if not point.valid:
        return None
    origin: Origin = {"pin": "map", "gps": "device", "address": "search"}[location["source"]]  # type: ignore[assignment]
    address = location.get("address")
    return ChosenLocation(
        point, origin, location.get("accuracy_m"), address, "found" if address else "unknown"
    )


class LocationPicker:
    def __init__(
        self,
        shell: ReportShellPort,
        rules: Callable[[], ReportRules],
        locator: Locator,
        *,
        on_change: Callable[[], None],
    ) -> None:
        self._shell = shell
        self._rules = rules
        self._locator = locator
        self._on_change = on_change
        self.chosen: ChosenLocation | None = None
        self.refusal: UserText | None = None
        self.query = ""
        self.results: list[Place] = []
        self.search_note: UserText | None = None
        self.searching = False
        self.locating = False
        self.locate_note: UserText | None = None
        # The view moves the map to `camera_target` whenever `camera_moves` changes.
        self.camera_target: GeoPoint | None = None
        self.camera_moves = 0
        self._lookup: asyncio.Task[None] | None = None
        self._placed = 0

    # ---- choosing a point ----------------------------------------------------------------

    def place(
        self, point: GeoPoint, origin: Origin, *, accuracy_m: float | None = None, address: str | None = None
    ) -> bool:
        """Choose `point`, or refuse it (the previous choice stays) when it is not ours."""
        rules = self._rules()
        if not point.valid:
            self.refusal = UserText.of("location.invalid")
        elif rules.boundary is not None and not rules.boundary.accepts(
            point, accuracy_m=accuracy_m if origin == "device" else None
        ):
            self.refusal = UserText.of("location.outside", municipality=rules.municipality)
        else:
            self._choose(
                ChosenLocation(point, origin, accuracy_m, address, "found" if address else "looking")
            )
            return True
        self._shell.changes.notify()
        return False

    def preview_pin(self, point: GeoPoint) -> None:
        """The pin follows a drag: shown at once, checked and named when the drag ends."""
        if point.valid:
            self._cancel_lookup()
            self.chosen = ChosenLocation(point, "map")
            self._shell.changes.notify()

    def restore(self, location: LocationIn | None) -> None:
        self._cancel_lookup()
        self.chosen = None if location is None else from_wire(location)
        self.refusal = None
        if self.chosen is not None:
            self._move_camera(self.chosen.point)

    def clear(self) -> None:
        self._cancel_lookup()
        self.chosen = None
        self.refusal = self.search_note = self.locate_note = None
        self.query = ""
        self.results = []

    def close(self) -> None:
        self._cancel_lookup()

    def _choose(self, chosen: ChosenLocation) -> None:
        self._cancel_lookup()
        if chosen.address_state == "looking" and self._shell.offline:
            chosen = replace(chosen, address_state="offline")  # named once the relay answers
        self.chosen = chosen
        self.refusal = None
        self._placed += 1
        if chosen.origin != "map":
            self._move_camera(chosen.point)
        if chosen.address_state == "looking":
            self._lookup = asyncio.get_running_loop().create_task(self._name_spot(self._placed))
        self._on_change()

    def _move_camera(self, point: GeoPoint) -> None:
        self.camera_target = point
        self.camera_moves += 1

    def reconnected(self) -> None:
        """The relay answers again: name the pin that was placed without a connection."""
        chosen = self.chosen
        if chosen is not None and chosen.address_state == "offline":
            self._cancel_lookup()
            self.chosen = replace(chosen, address_state="looking")
            self._placed += 1
            self._lookup = asyncio.get_running_loop().create_task(self._name_spot(self._placed))
            self._on_change()

    def _cancel_lookup(self) -> None:
        if self._lookup is not None and not self._lookup.done():
            self._lookup.cancel()
        self._lookup = None

    async def _name_spot(self, placed: int) -> None:
        await self._shell.clock.sleep(REVERSE_DEBOUNCE_S)
        chosen = self.chosen
        if chosen is None or placed != self._placed:
            return
        state: AddressState = "unavailable"
        label: str | None = None
        try:
            point = chosen.point
            answer = await self._shell.session.authorized(
                lambda token: self._shell.relay.reverse(token, point.lat, point.lon)
            )
            label = (answer["label"] or "").strip()[:ADDRESS_MAX] or None
            state = "found" if label else "unknown"
        except RelayProblem as problem:
            if problem.code == "outside_municipality" and placed == self._placed:
                self.chosen, self.refusal = None, problem_text(problem)
                self._on_change()
                return
        except RelayError:
            pass  # the pin stays valid without a name; the coordinates are shown
        if placed == self._placed and self.chosen is not None:
            self.chosen = replace(self.chosen, address=label, address_state=state)
            self._on_change()

    # ---- "Gebruik mijn locatie" ----------------------------------------------------------

    async def use_my_location(self) -> None:
        if self.locating:
            return
        self.locating, self.locate_note = True, None
        self._shell.changes.notify()
        try:
            fix = await self._locator.locate()
        except LocationUnavailable as exc:
            self.locate_note = UserText.of(f"location.gps.{exc.reason}")
        else:
            self.place(fix.point, "device", accuracy_m=fix.accuracy_m)
        finally:
            self.locating = False
        self._shell.changes.notify()

    # ---- address search ------------------------------------------------------------------

    @property
    def needs_connection(self) -> bool:
        """Offline mode: the address search waits for the relay (the map and GPS do not)."""
        return self._shell.offline

    @property
    def search_message(self) -> UserText | None:
        """What to say under the address field: the last search's note, or why there is none."""
        if self.search_note is None and self.needs_connection:
            return UserText.of("location.search.offline")
        return self.search_note

    def set_query(self, text: str) -> None:
        self.query = text
        self.search_note = None
        self._shell.changes.notify()

    async def search(self) -> None:
        query = " ".join(self.query.split())
        if self.searching:
            return
        if len(query) < QUERY_MIN:
            self._found([], UserText.of("location.search.too_short", count=QUERY_MIN))
            return
        if len(query) > QUERY_MAX:
            self._found([], UserText.of("field.too_long", count=QUERY_MAX))
            return
        if self.needs_connection:
            self._found([], None)  # `search_message` says why, for as long as it is true
            return
        self.searching, self.search_note = True, None
        self._shell.changes.notify()
        try:
            answer = await self._shell.session.authorized(
                lambda token: self._shell.relay.geocode(token, query, limit=SEARCH_LIMIT)
            )
        except SessionExpired:
            self.searching = False
            await self._shell.session_expired(Route.REPORT)
            return
        except RelayError as error:
            self._found([], _search_problem(error))
            return
        finally:
            self.searching = False
        self._show_places(query, answer["results"])

    def _show_places(self, query: str, places: list[Place]) -> None:
        usable = [p for p in places if GeoPoint(p["lat"], p["lon"]).valid and p["label"].strip()]
        inside = [p for p in usable if p["inside"]]
        if inside:
            self._found(inside, None)
        elif usable:
            self._found([], UserText.of("location.search.outside", municipality=self._rules().municipality))
        else:
            self._found([], UserText.of("location.search.nothing", query=query))

    def _found(self, results: list[Place], note: UserText | None) -> None:
        self.results, self.search_note = results, note
        self._shell.changes.notify()

    def choose(self, index: int) -> None:
        """Use one of the search results; the map moves there and the list closes."""
        if not 0 <= index < len(self.results):
            return
        place = self.results[index]
        if self.place(GeoPoint(place["lat"], place["lon"]), "search", address=place["label"].strip()):
            self.results = []
            self.query = place["label"].strip()
        self._shell.changes.notify()


def _search_problem(error: RelayError) -> UserText:
    if isinstance(error, RelayProblem):
        return problem_text(error)
    if isinstance(error, RelayUnavailable):
        return UserText.of("error.unavailable")
    return UserText.of("location.search.failed")
