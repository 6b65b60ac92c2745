"""The one place where HTTP becomes InvGate errors, and InvGate's request encoding per method.

Responses and requests here are real httpx objects, built the way httpx builds them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from cna_relay.invgate import errors as e
from cna_relay.invgate import wire
from cna_relay.invgate.credentials import Secret
from cna_relay.invgate.endpoints import ADD_COMMENT, CREATE_TICKET, GET_TICKETS, UPDATE_USER, Call
from cna_relay.invgate.models import Attachment

NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)
CALL = Call("incident", "GET")


def _response(status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=body, headers=headers, request=httpx.Request("GET", "http://x/"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        ("120", 120.0),
        ("1.5", 1.5),
        ("99999999", wire.MAX_RETRY_AFTER),
        ("Thu, 03 Dec 2026 12:00:30 GMT", 30.0),
        ("Thu, 03 Dec 2026 11:00:00 GMT", 0.0),
        ("-5", None),
        ("soon", None),
        ("1e9", None),
        ("٣", None),
        ("Thu, 99 Foo 2026", None),
    ],
)
def test_retry_after_as_seconds_or_date(value: str | None, expected: float | None) -> None:
    assert wire.parse_retry_after(value, now=NOW) == expected


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (401, e.InvGateAuthError),
        (403, e.InvGateForbidden),
        (404, e.InvGateNotFound),
        (405, e.InvGateMethodNotAllowed),
        (409, e.InvGateConflict),
        (428, e.InvGateMissingParameter),
        (400, e.InvGateRejected),
        (413, e.InvGateRejected),
        (302, e.InvGateUnexpectedResponse),
        (429, e.InvGateRateLimited),
        (408, e.InvGateUnavailable),
        (500, e.InvGateUnavailable),
        (503, e.InvGateUnavailable),
    ],
)
def test_status_codes_map_to_the_error_tree(status: int, error_class: type[e.InvGateError]) -> None:
    error = wire.error_for_status(
        CALL, _response(status, b'{"error":"El par\\u00e1metro id es requerido","status":1}')
    )
    assert type(error) is error_class
    assert error.status_code == status
    transient = status in (408, 429) or status >= 500
    assert isinstance(error, e.InvGateTransientError) is transient
    assert isinstance(error, e.InvGatePermanentError) is not transient
    assert "GET incident" in str(error)
    assert "parámetro id es requerido" in str(error)


def test_success_is_no_error() -> None:
    assert wire.error_for_status(CALL, _response(200)) is None


def test_rate_limit_carries_retry_after() -> None:
    error = wire.error_for_status(CALL, _response(429, headers={"Retry-After": "17"}))
    assert isinstance(error, e.InvGateRateLimited)
    assert error.retry_after == 17.0


def test_status_error_in_a_200_body_is_a_logical_error() -> None:
    with pytest.raises(e.InvGateLogicalError, match="no proposed solution") as caught:
        wire.interpret(
            CALL, _response(200, b'{"status":"ERROR","info":"The request has no proposed solution"}')
        )
    assert caught.value.status_code == 200


@pytest.mark.parametrize("body", [b"<html>login</html>", b"", b"\xff\xfe", b'{"a":'])
def test_a_reply_that_is_not_json_is_unexpected(body: bytes) -> None:
    with pytest.raises(e.InvGateUnexpectedResponse, match="not JSON"):
        wire.interpret(CALL, _response(200, body, {"content-type": "text/html"}))


def test_error_text_is_bounded_single_line_and_masks_secrets() -> None:
    body = b'{"error":"bad key s3cr3t-key\\r\\nInjected: header' + b"x" * 5000 + b'"}'
    error = wire.error_for_status(CALL, _response(401, body), redact=[Secret("s3cr3t-key")])
    assert error is not None
    assert "s3cr3t-key" not in str(error)
    assert "\n" not in str(error) and "\r" not in str(error)
    assert len(error.detail) <= 300


def test_html_error_page_gives_a_readable_detail() -> None:
    error = wire.error_for_status(CALL, _response(502, b"<html><body>Bad gateway</body></html>"))
    assert isinstance(error, e.InvGateUnavailable)
    assert "Bad gateway" in error.detail


def _build(call: Call, pairs: list[tuple[str, str]], files: list[Attachment] | None = None) -> httpx.Request:
    # Building a request opens nothing: the client needs no closing.
    client = httpx.AsyncClient(base_url="https://gemeente.example/api/v1/")
    return wire.build_request(client, call, pairs, files or [], {})


def test_get_puts_parameters_and_php_arrays_in_the_query() -> None:
    request = _build(GET_TICKETS, [("ids[]", "1"), ("ids[]", "2"), ("comments", "1")])
    assert request.method == "GET"
    assert request.url.path == "/api/v1/incidents"
    assert request.url.params.multi_items() == [("ids[]", "1"), ("ids[]", "2"), ("comments", "1")]
    assert request.content == b""


def test_put_puts_everything_in_the_query_and_nothing_in_the_body() -> None:
    request = _build(UPDATE_USER, [("id", "9"), ("phone", "+32 9 123")])
    assert request.method == "PUT"
    assert dict(request.url.params) == {"id": "9", "phone": "+32 9 123"}
    assert request.read() == b""


def test_post_without_files_is_form_urlencoded() -> None:
    request = _build(ADD_COMMENT, [("request_id", "3"), ("comment", "a&b=c"), ("ids[]", "1"), ("ids[]", "2")])
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.read() == b"request_id=3&comment=a%26b%3Dc&ids%5B%5D=1&ids%5B%5D=2"
    assert request.url.query == b""


def test_post_with_files_is_multipart_with_one_attachments_part_per_file() -> None:
    files = [
        Attachment("foto 1.jpg", b"\xff\xd8jpeg", "image/jpeg"),
        Attachment('pl"an.pdf', b"%PDF-1.7", "application/pdf"),
    ]
    request = _build(CREATE_TICKET, [("title", "Put"), ("related_to[]", "4")], files)
    body = request.read()
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert body.count(b'name="attachments[]"') == 2
    assert b'filename="foto 1.jpg"' in body and b"%PDF-1.7" in body
    assert b'filename="pl%22an.pdf"' in body  # quotes cannot break out of the header
    assert b'name="title"' in body and b'name="related_to[]"' in body


def test_only_post_may_carry_files() -> None:
    with pytest.raises(ValueError, match="cannot carry files"):
        _build(UPDATE_USER, [], [Attachment("a.txt", b"a")])


@pytest.mark.parametrize("content_type", ["image/jpeg\r\nX-Evil: 1", "jpeg", "text/plain\x00"])
def test_attachment_content_type_cannot_forge_multipart_headers(content_type: str) -> None:
    with pytest.raises(ValueError, match="content type"):
        Attachment("a.jpg", b"x", content_type)


@pytest.mark.parametrize("filename", ["", "   "])
def test_attachment_needs_a_name(filename: str) -> None:
    with pytest.raises(ValueError, match="name"):
        Attachment(filename, b"x")


def test_attachment_repr_does_not_dump_content() -> None:
    assert "secret-bytes" not in repr(Attachment("a.txt", b"secret-bytes"))
