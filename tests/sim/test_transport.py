"""Transport rules every endpoint obeys (reference §1 and §9): paths, auth, parameter encoding,
arrays, status codes, date format and text encoding."""

from __future__ import annotations

import base64

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig, create_app
from tests.sim.helpers import ROADS_CATEGORY, create_customer, create_ticket, get_ticket, ticket_form
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_URL, SIM_API_USER

CHALLENGE = 'Basic realm="API", Digest realm="API", domain="/api/v1"'


def client_for(app: FastAPI, **kwargs: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=SIM_API_URL, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(f"{SIM_API_USER}:wrong".encode()).decode()},
        {"Authorization": "Basic " + base64.b64encode(f"someone:{SIM_API_KEY}".encode()).decode()},
        {"Authorization": "Basic !!!not-base64!!!"},
        {"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode()},
        {"Authorization": "Bearer unknown-token"},
        {"Authorization": f"Digest {SIM_API_KEY}"},
    ],
    ids=["none", "wrong-key", "wrong-user", "garbage", "not-utf8", "unknown-bearer", "other-scheme"],
)
async def test_bad_or_missing_credentials_get_401_with_the_basic_challenge(
    sim_app: FastAPI, headers: dict[str, str]
) -> None:
    async with client_for(sim_app) as http:
        response = await http.get("helpdesks", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert response.json() == {"error": "Unauthorized", "status": 401}
    assert sim_app.state.sim.request_log[-1].status == 401


async def test_basic_auth_with_the_api_user_and_key_is_accepted(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.get("sd.version")
    assert response.status_code == 200
    assert "version" in response.json()


@pytest.mark.parametrize("endpoint", ["incident.by.customer", "nope", "incident/1001", "", "incidents.by"])
async def test_unknown_endpoint_is_404_with_an_error_body(sim_http: httpx.AsyncClient, endpoint: str) -> None:
    response = await sim_http.get(endpoint)
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert "error" in response.json()


async def test_unknown_endpoint_still_needs_credentials_first(sim_app: FastAPI) -> None:
    async with client_for(sim_app) as http:
        response = await http.get("no.such.endpoint")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "endpoint"),
    [
        ("DELETE", "incident"),
        ("POST", "helpdesks"),
        ("GET", "incident.reassign"),
        ("PATCH", "user"),
        ("POST", "user.disable"),
    ],
)
async def test_wrong_method_is_405_naming_the_allowed_ones(
    sim_http: httpx.AsyncClient, method: str, endpoint: str
) -> None:
    response = await sim_http.request(method, endpoint)
    assert response.status_code == 405
    assert response.json()["status"] == 405
    assert method not in response.headers["Allow"]


async def test_post_parameters_may_travel_in_the_query_string(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post(
        "user", params={"name": "Jo", "lastname": "Maes", "email": "jo@example.org"}
    )
    assert response.status_code == 200
    assert response.json()["email"] == "jo@example.org"


async def test_post_parameters_may_travel_as_a_form_body(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post("user", data={"name": "Jo", "lastname": "Maes", "email": "jo@example.org"})
    assert response.json()["lastname"] == "Maes"


async def test_post_parameters_may_travel_as_multipart_fields(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post(
        "user",
        data={"name": "Jo", "lastname": "Maes", "email": "jo@example.org"},
        files={"unused": ("a.txt", b"x")},
    )
    assert response.json()["name"] == "Jo"


async def test_query_and_body_parameters_are_merged(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post(
        "user", params={"name": "Jo"}, data={"lastname": "Maes", "email": "jo@example.org"}
    )
    assert response.status_code == 200


async def test_a_json_body_counts_on_post(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post("user", json={"name": "Jo", "lastname": "Maes", "email": "jo@example.org"})
    assert response.status_code == 200
    assert response.json()["name"] == "Jo"


async def test_put_with_the_id_only_in_a_json_body_is_428(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    response = await sim_http.put("incident", json={"id": ticket_id, "title": "Nieuwe titel"})
    assert response.status_code == 428
    assert response.json() == {"error": "The parameter id is required", "status": 428}
    assert (await get_ticket(sim_http, ticket_id))["title"] != "Nieuwe titel"


async def test_put_with_the_id_in_the_query_string_works(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    response = await sim_http.put("incident", params={"id": ticket_id}, data={"title": "Nieuwe titel"})
    assert response.status_code == 200
    assert response.json()["title"] == "Nieuwe titel"


async def test_php_style_arrays_are_read_with_brackets_and_indexes(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    first = await create_ticket(sim_http, customer["id"])
    second = await create_ticket(sim_http, customer["id"])
    by_brackets = await sim_http.get("incidents", params=[("ids[]", first), ("ids[]", second)])
    by_index = await sim_http.get("incidents", params=[("ids[0]", first), ("ids[1]", second)])
    assert set(by_brackets.json()) == set(by_index.json()) == {str(first), str(second)}


@pytest.mark.parametrize("query", [{"ids": "1001,1002"}, {"ids": "1001"}])
async def test_a_comma_string_where_an_array_is_required_is_428(
    sim_http: httpx.AsyncClient, query: dict[str, str]
) -> None:
    response = await sim_http.get("incidents", params=query)
    assert response.status_code == 428
    assert "string" in response.json()["error"]


@pytest.mark.parametrize("value", ["abc", "1.5", "", "1e3", "１２"])
async def test_a_mistyped_required_integer_is_428(sim_http: httpx.AsyncClient, value: str) -> None:
    response = await sim_http.get("incident", params={"id": value})
    assert response.status_code == 428


async def test_a_mistyped_boolean_is_428(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    response = await sim_http.get("incident", params={"id": ticket_id, "comments": "maybe"})
    assert response.status_code == 428


@pytest.mark.parametrize("truthy", ["1", "true", "TRUE"])
async def test_booleans_accept_one_and_true(sim_http: httpx.AsyncClient, truthy: str) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"])
    assert "comments" in await get_ticket(sim_http, ticket_id, comments=truthy)


async def test_logical_errors_answer_200_with_status_error(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.get("incidents.by.status")
    assert response.status_code == 200
    assert response.json()["status"] == "ERROR"
    assert response.json()["info"]


async def test_a_malformed_multipart_body_is_400(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post(
        "user",
        content=b"name=Jo&lastname=Maes",
        headers={"Content-Type": "multipart/form-data"},  # no boundary: unparseable
    )
    assert response.status_code == 400


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
async def test_a_malformed_json_body_on_post_is_400(sim_http: httpx.AsyncClient, body: bytes) -> None:
    response = await sim_http.post("user", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400


async def test_an_oversized_declared_body_is_refused_before_reading(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post(
        "incident",
        content=b"x",
        headers={"Content-Type": "application/octet-stream", "Content-Length": str(10**10)},
    )
    assert response.status_code == 413


async def test_form_bodies_with_broken_utf8_do_not_crash(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post(
        "user",
        content=b"name=J%FF&lastname=\xff\xfe&email=jo%40example.org",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert "\ufffd" in response.json()["lastname"]


async def test_dates_are_epoch_seconds_by_default_and_iso8601_on_request(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"], date="1764756000")
    epoch = await get_ticket(sim_http, ticket_id)
    iso = await get_ticket(sim_http, ticket_id, date_format="iso8601")
    assert isinstance(epoch["created_at"], int)
    assert epoch["date_ocurred"] == 1764756000
    assert iso["date_ocurred"] == "2025-12-03T10:00:00+00:00"
    assert isinstance(iso["last_update"], str) and "T" in iso["last_update"]
    assert iso["solved_at"] is None


async def test_an_unknown_date_format_is_428(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.get("incident", params={"id": 1, "date_format": "rfc2822"})
    assert response.status_code == 428


async def test_text_is_html_entity_encoded_unless_decoding_is_asked(sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    raw = 'Tak <valt> op "fiets" & auto\'s'
    ticket_id = await create_ticket(sim_http, customer["id"], description=raw)
    encoded = await get_ticket(sim_http, ticket_id)
    decoded = await get_ticket(sim_http, ticket_id, decoded_special_characters=1)
    assert encoded["description"] == "Tak &lt;valt&gt; op &quot;fiets&quot; &amp; auto&#039;s"
    assert decoded["description"] == raw


async def test_html_encoding_can_be_switched_off_per_instance(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(html_encode_text=False))
    async with client_for(app, auth=(SIM_API_USER, SIM_API_KEY)) as http:
        customer = await create_customer(http)
        ticket_id = await create_ticket(http, customer["id"], description="a < b")
        assert (await get_ticket(http, ticket_id))["description"] == "a < b"


async def test_non_2xx_bodies_follow_the_error_shape(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.post("incident", data=ticket_form(5001, category_id=None))
    assert response.status_code == 428
    assert set(response.json()) == {"error", "status"}


async def test_every_call_lands_in_the_request_log(sim_app: FastAPI, sim_http: httpx.AsyncClient) -> None:
    customer = await create_customer(sim_http)
    await sim_http.post(
        "incident",
        params={"category_id": ROADS_CATEGORY},
        data=ticket_form(customer["id"], category_id=None),
        files=[("attachments[]", ("foto.png", b"img", "image/png"))],
    )
    entry = sim_app.state.sim.requests_to("incident", "POST")[-1]
    assert entry.params["category_id"] == str(ROADS_CATEGORY)
    assert entry.files == ["foto.png"]
    assert entry.query_keys == ["category_id"]
    assert entry.body_kind == "multipart"
    assert entry.status == 200
    assert entry.auth == "basic"
