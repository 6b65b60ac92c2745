"""`GET /v1/geocode` and `GET /v1/reverse`: the app's address box and "address of this pin".

Both need a logged-in user and count against per-account and per-IP limits, because every
cache miss spends the relay's shared budget at the provider (1 request/s for public Nominatim).
Query values are taken as text and validated here, so NaN, "1e999" or NUL bytes get our own
field errors instead of reaching the provider.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cna_app.contract.wire import GeocodeResults, ReverseResult
from cna_relay.accounts.deps import CurrentSession
from cna_relay.deps import ClientIp, Context, Language
from cna_relay.geo.boundary import GPS_TOLERANCE_CAP_M
from cna_relay.geo.points import parse_point
from cna_relay.geo.queries import DEFAULT_RESULTS, MAX_RESULTS, search_text
from cna_relay.geo.services import Geo
from cna_relay.problems import RateLimited
from cna_relay.ratelimit import Limit

router = APIRouter(prefix="/v1", tags=["location"])

# A citizen looks up a handful of addresses per report; these stop scripts, not people.
PER_ACCOUNT = Limit("geo_account", hits=30, window_s=60)
PER_IP = Limit("geo_ip", hits=120, window_s=60)


@router.get("/geocode", response_model=GeocodeResults)
async def geocode(
    geo: Geo,
    context: Context,
    session: CurrentSession,
    ip: ClientIp,
    language: Language,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = DEFAULT_RESULTS,
) -> GeocodeResults:
    await _count(context, account_id=session.account_id, ip=ip)
    text = search_text(q)
    return await geo.geocoding.search(text, language=language, limit=limit)


@router.get("/reverse", response_model=ReverseResult)
async def reverse(
    geo: Geo,
    context: Context,
    session: CurrentSession,
    ip: ClientIp,
    language: Language,
    lat: str | None = None,
    lon: str | None = None,
) -> ReverseResult:
    await _count(context, account_id=session.account_id, ip=ip)
    point = parse_point(lat, lon)
    # Same rule as the intake for a GPS fix: an address for a point we would refuse helps nobody,
    # and it keeps the relay from being a free reverse geocoder for the whole country.
    geo.boundary.ensure_inside(point, tolerance_m=GPS_TOLERANCE_CAP_M, field="location")
    return await geo.geocoding.reverse(point, language=language)


async def _count(context: Context, *, account_id: str, ip: str) -> None:
    for limit, subject in ((PER_ACCOUNT, account_id), (PER_IP, ip)):
        wait = await context.limiter.hit(limit, subject)
        if wait is not None:
            raise RateLimited(wait)
