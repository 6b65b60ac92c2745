"""The development mail sink: in-process API, web page and JSON API, hostile input."""

from __future__ import annotations

import smtplib
import threading
from collections.abc import Iterator
from email.message import EmailMessage

import httpx
import pytest

from invgate_sim.mailsink import MailSink
from tests.sim.helpers import PDF, png_bytes


@pytest.fixture
def sink() -> Iterator[MailSink]:
    with MailSink() as running:
        yield running


def send(sink: MailSink, message: EmailMessage | bytes, to: str = "burger@example.org") -> None:
    with smtplib.SMTP("127.0.0.1", sink.smtp_port, timeout=10) as smtp:
        if isinstance(message, bytes):
            smtp.sendmail("noreply@gemeente.example", [to], message)
        else:
            smtp.send_message(message)


def rich_message(subject: str = "Uw melding #1001") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Servicedesk <noreply@gemeente.example>"
    message["To"] = "burger@example.org"
    message["Subject"] = subject
    message.set_content("Tekst van de mail")
    message.add_alternative("<p>HTML <script>alert(1)</script> van de mail</p>", subtype="html")
    message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="foto.png")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="plan.pdf")
    return message


def test_messages_are_parsed_email_messages(sink: MailSink) -> None:
    send(sink, rich_message())
    [message] = sink.wait_for(timeout=5)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "Uw melding #1001"
    assert [part.get_filename() for part in message.iter_attachments()] == ["foto.png", "plan.pdf"]
    assert sink.messages()[0]["Subject"] == "Uw melding #1001"


def test_wait_for_filters_counts_and_times_out(sink: MailSink) -> None:
    send(sink, rich_message("een"))
    send(sink, rich_message("twee"))
    assert [m["Subject"] for m in sink.wait_for(lambda m: m["Subject"] == "twee")] == ["twee"]
    assert len(sink.wait_for(count=2)) == 2
    with pytest.raises(TimeoutError):
        sink.wait_for(lambda m: m["Subject"] == "drie", timeout=0.2)


def test_wait_for_wakes_up_when_a_mail_arrives_later(sink: MailSink) -> None:
    threading.Timer(0.2, send, args=(sink, rich_message("later"))).start()
    assert sink.wait_for(lambda m: m["Subject"] == "later", timeout=10)[0]["Subject"] == "later"


async def test_wait_for_async_does_not_block_the_loop(sink: MailSink) -> None:
    threading.Timer(0.1, send, args=(sink, rich_message("async"))).start()
    [message] = await sink.wait_for_async(timeout=10)
    assert message["Subject"] == "async"


def test_smtp_can_go_down_and_come_back_on_the_same_port(sink: MailSink) -> None:
    send(sink, rich_message("voor"))
    port = sink.smtp_port
    sink.stop_smtp()
    with pytest.raises(OSError):
        send(sink, rich_message("tijdens"))
    sink.start_smtp()
    assert sink.smtp_port == port
    send(sink, rich_message("na"))
    assert [str(message["Subject"]) for message in sink.messages()] == ["voor", "na"]


def test_clear_empties_the_sink(sink: MailSink) -> None:
    send(sink, rich_message())
    sink.wait_for(timeout=5)
    sink.clear()
    assert sink.messages() == []


def test_the_json_api_lists_messages_with_bodies_attachments_and_raw_source(sink: MailSink) -> None:
    send(sink, rich_message())
    sink.wait_for(timeout=5)
    [listed] = httpx.get(f"{sink.http_url}/api/messages").json()
    assert listed["subject"] == "Uw melding #1001"
    assert listed["to"] == ["burger@example.org"] and "noreply@gemeente.example" in listed["from"]
    assert listed["text"].strip() == "Tekst van de mail" and "HTML" in listed["html"]
    assert [(a["filename"], a["content_type"]) for a in listed["attachments"]] == [
        ("foto.png", "image/png"),
        ("plan.pdf", "application/pdf"),
    ]
    pdf = httpx.get(f"{sink.http_url}{listed['attachments'][1]['url']}")
    assert pdf.content == PDF and pdf.headers["content-disposition"].startswith("attachment;")
    raw = httpx.get(f"{sink.http_url}{listed['raw_url']}")
    assert b"Subject: Uw melding #1001" in raw.content
    assert "raw" in httpx.get(f"{sink.http_url}/api/messages/{listed['id']}").json()
    assert "raw" in httpx.get(f"{sink.http_url}/api/messages", params={"raw": "true"}).json()[0]


def test_delete_clears_over_http(sink: MailSink) -> None:
    send(sink, rich_message())
    sink.wait_for(timeout=5)
    assert httpx.delete(f"{sink.http_url}/api/messages").json() == {"deleted": 1}
    assert httpx.get(f"{sink.http_url}/api/messages").json() == []


def test_the_web_page_lists_and_shows_a_message_safely(sink: MailSink) -> None:
    send(sink, rich_message())
    sink.wait_for(timeout=5)
    index = httpx.get(f"{sink.http_url}/").text
    assert "Uw melding #1001" in index and "foto.png" in index
    page = httpx.get(f"{sink.http_url}/messages/1").text
    assert 'sandbox=""' in page and "<script>alert(1)</script>" not in page
    assert 'src="/messages/1/attachments/0/thumbnail"' in page
    thumb = httpx.get(f"{sink.http_url}/messages/1/attachments/0/thumbnail")
    assert thumb.headers["content-type"] == "image/png"
    assert httpx.get(f"{sink.http_url}/messages/1/attachments/1/thumbnail").status_code == 404


@pytest.mark.parametrize(
    "path", ["/messages/99", "/messages/1/attachments/9", "/api/messages/99", "/messages/x"]
)
def test_unknown_messages_and_parts_are_404(sink: MailSink, path: str) -> None:
    send(sink, rich_message())
    sink.wait_for(timeout=5)
    assert httpx.get(f"{sink.http_url}{path}").status_code in {404, 422}


@pytest.mark.parametrize(
    "raw",
    [
        b"this is not a mime message at all",
        b"Subject: =?utf-8?b?!!!broken?=\r\n"
        b"Content-Type: multipart/mixed; boundary=nope\r\n\r\n--nope\r\ngarbage",
        b"Content-Type: text/plain; charset=klingon\r\n\r\n\xff\xfe\xfd",
    ],
)
def test_broken_messages_are_kept_and_shown(sink: MailSink, raw: bytes) -> None:
    send(sink, raw)
    sink.wait_for(timeout=5)
    assert httpx.get(f"{sink.http_url}/api/messages").status_code == 200
    assert httpx.get(f"{sink.http_url}/messages/1").status_code == 200
    assert httpx.get(f"{sink.http_url}/").status_code == 200


def test_a_sink_without_web_page_still_catches_mail() -> None:
    with MailSink(http_port=None) as sink:
        assert sink.http_url is None
        send(sink, rich_message())
        assert len(sink.wait_for(timeout=5)) == 1


def test_two_sinks_run_side_by_side(sink: MailSink) -> None:
    with MailSink(http_port=None) as other:
        assert other.smtp_port != sink.smtp_port
        send(other, rich_message("ander"))
        assert other.wait_for(timeout=5)[0]["Subject"] == "ander"
    assert sink.messages() == []
