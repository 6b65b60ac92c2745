"""Customer e-mails as ESM sends them (the seed's "Extra voorwaarden"), asserted on what really
arrived in the aiosmtpd sink. Sending happens inside the API call, so the sink already holds the mail
(or not) when the call returns."""

from __future__ import annotations

from email.message import EmailMessage

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig, create_app
from invgate_sim.mailsink import MailSink
from tests.sim.helpers import (
    INTERNAL_EMPLOYEE,
    JPEG,
    PDF,
    ROAD_AGENT,
    comment,
    create_customer,
    create_ticket,
)
from tests.support.servers import free_port
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_URL, SIM_API_USER

CITIZEN = "an.peeters@example.org"


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def to_citizen(sink: MailSink) -> list[EmailMessage]:
    return [m for m in sink.messages() if CITIZEN in str(m["To"])]


async def _citizen_ticket(http: httpx.AsyncClient, **overrides: object) -> tuple[int, int]:
    customer = await create_customer(http, CITIZEN)
    return customer["id"], await create_ticket(http, customer["id"], **overrides)


async def test_creation_mails_the_customer_with_the_external_template_and_attachments(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    files = [
        ("attachments[]", ("put.jpg", JPEG, "image/jpeg")),
        ("attachments[]", ("plan.pdf", PDF, "application/pdf")),
    ]
    _, ticket_id = await _citizen_ticket(sim_http, files=files, title="Put <fietspad>")
    [mail] = mail_sink.wait_for(timeout=2)
    assert mail["To"].addresses[0].addr_spec == CITIZEN
    assert f"#{ticket_id}" in mail["Subject"]
    assert mail["X-InvGate-Template"] == "external"
    body = text_of(mail)
    assert "Put <fietspad>" in body and "Kerkstraat 12" in body
    assert "Put &lt;fietspad&gt;" in html_of(mail)  # escaped in HTML, never live markup
    assert "requests/show" not in body and "Behandelaar" not in body
    attached = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    assert attached == {"put.jpg": JPEG, "plan.pdf": PDF}


async def test_a_duplicate_created_with_the_citizen_as_customer_mails_again(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    customer_id, original = await _citizen_ticket(sim_http)
    duplicate = await create_ticket(sim_http, customer_id, **{"related_to[]": original})
    subjects = [m["Subject"] for m in mail_sink.wait_for(count=2, timeout=2)]
    assert any(f"#{duplicate}" in subject for subject in subjects)


async def test_a_duplicate_with_an_internal_user_as_customer_does_not_mail_the_citizen(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    _, original = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await create_ticket(sim_http, INTERNAL_EMPLOYEE, **{"related_to[]": original})
    assert to_citizen(mail_sink) == []
    assert [m["X-InvGate-Template"] for m in mail_sink.messages()] == ["internal"]


async def test_every_public_reply_mails_the_customer(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await comment(sim_http, ticket_id, "We komen morgen kijken.", public=True)
    await comment(sim_http, ticket_id, "De put is gedicht.", public=True, solution=True)
    mails = to_citizen(mail_sink)
    assert len(mails) == 2
    assert "We komen morgen kijken." in text_of(mails[0])
    assert "De put is gedicht." in text_of(mails[1])
    assert all(m["X-InvGate-Template"] == "external" and "Jan Peeters" not in text_of(m) for m in mails)


async def test_an_internal_note_mails_nobody(
    sim_http: httpx.AsyncClient, mail_sink: MailSink, sim_app: FastAPI
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await comment(sim_http, ticket_id, "Aannemer bellen", public=False)
    assert mail_sink.messages() == []
    assert [record.event for record in sim_app.state.sim.mails_sent] == ["ticket_created"]


async def test_a_public_reply_after_closing_still_mails(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    await comment(sim_http, ticket_id, "Opgelost.", public=True, solution=True)
    await sim_http.put("incident.solution.accept", params={"id": ticket_id, "rating": 5})
    mail_sink.clear()
    await comment(sim_http, ticket_id, "Nog een bedankje van de dienst.", public=True)
    [mail] = to_citizen(mail_sink)
    assert "Nog een bedankje" in text_of(mail)


@pytest.mark.parametrize("action", ["incident.reject", "incident.cancel"])
async def test_reject_or_cancel_alone_mails_nobody(
    sim_http: httpx.AsyncClient, mail_sink: MailSink, action: str
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await sim_http.post(action, data={"request_id": ticket_id, "author_id": ROAD_AGENT, "comment": "Dubbel"})
    assert mail_sink.messages() == []


@pytest.mark.parametrize("action", ["incident.reject", "incident.cancel"])
async def test_a_public_reply_before_reject_or_cancel_is_how_the_citizen_learns(
    sim_http: httpx.AsyncClient, mail_sink: MailSink, action: str
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await comment(sim_http, ticket_id, "Dit valt niet onder de gemeente: het is een gewestweg.", public=True)
    await sim_http.post(action, data={"request_id": ticket_id, "author_id": ROAD_AGENT})
    [mail] = to_citizen(mail_sink)
    assert "gewestweg" in text_of(mail)


async def _approval(http: httpx.AsyncClient, ticket_id: int) -> int:
    data = {
        "request_id": ticket_id,
        "author_id": ROAD_AGENT,
        "approval_user_id": INTERNAL_EMPLOYEE,
        "description": "?",
    }
    await http.post("incident.spontaneous_approval", data=data)
    return int((await http.get("incident.approval", params={"request_id": ticket_id})).json()[0]["id"])


@pytest.mark.parametrize("action", ["incident.approval.accept", "incident.approval.reject"])
async def test_an_approval_vote_with_a_note_mails_the_note(
    sim_http: httpx.AsyncClient, mail_sink: MailSink, action: str
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    approval_id = await _approval(sim_http, ticket_id)
    mail_sink.clear()
    note = "De herstelling wordt ingepland."
    await sim_http.put(
        action, params={"approval_id": approval_id, "user_id": INTERNAL_EMPLOYEE, "note": note}
    )
    [mail] = to_citizen(mail_sink)
    assert note in text_of(mail)


@pytest.mark.parametrize("action", ["incident.approval.accept", "incident.approval.reject"])
async def test_an_approval_vote_without_a_note_mails_nobody(
    sim_http: httpx.AsyncClient, mail_sink: MailSink, action: str
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    approval_id = await _approval(sim_http, ticket_id)
    mail_sink.clear()
    await sim_http.put(
        action, params={"approval_id": approval_id, "user_id": INTERNAL_EMPLOYEE, "note": "  "}
    )
    assert mail_sink.messages() == []


async def test_adding_the_citizen_as_collaborator_switches_to_the_internal_template(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    customer_id, ticket_id = await _citizen_ticket(sim_http)
    await sim_http.post(
        "incident.collaborator",
        data={"request_id": ticket_id, "author_id": ROAD_AGENT, "user_id": customer_id},
    )
    mail_sink.clear()
    await comment(sim_http, ticket_id, "Kunt u een foto sturen?", public=True)
    [mail] = to_citizen(mail_sink)
    assert mail["X-InvGate-Template"] == "internal"
    assert "Jan Peeters" in text_of(mail)
    assert f"http://invgate.test/requests/show/index/id/{ticket_id}" in text_of(mail)
    assert f'href="http://invgate.test/requests/show/index/id/{ticket_id}"' in html_of(mail)


async def test_an_at_mention_of_the_citizen_switches_this_ticket_to_the_internal_template(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    customer_id, ticket_id = await _citizen_ticket(sim_http)
    other_ticket = await create_ticket(sim_http, customer_id)
    mail_sink.clear()
    await comment(sim_http, ticket_id, "Beste @an peeters, waar precies?", public=True)
    await comment(sim_http, ticket_id, "Dank u.", public=True)
    await comment(sim_http, other_ticket, "Ander ticket.", public=True)
    templates = [m["X-InvGate-Template"] for m in to_citizen(mail_sink)]
    assert templates == ["internal", "internal", "external"]


@pytest.mark.parametrize(
    "text", ["@An Peetersen is iemand anders", "mail an.peeters@example.org", "@An", "An Peeters"]
)
async def test_text_that_is_no_mention_of_the_citizen_keeps_the_external_template(
    sim_http: httpx.AsyncClient, mail_sink: MailSink, text: str
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await comment(sim_http, ticket_id, text, public=True)
    assert [m["X-InvGate-Template"] for m in to_citizen(mail_sink)] == ["external"]


async def test_the_customers_own_reply_is_not_mailed_back(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    customer_id, ticket_id = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await comment(sim_http, ticket_id, "Extra info van mij", public=True, author=customer_id)
    assert mail_sink.messages() == []


async def test_reply_attachments_travel_with_the_mail(
    sim_http: httpx.AsyncClient, mail_sink: MailSink
) -> None:
    _, ticket_id = await _citizen_ticket(sim_http)
    mail_sink.clear()
    await comment(
        sim_http,
        ticket_id,
        "Foto na herstel",
        public=True,
        files=[("attachments[]", ("na.jpg", JPEG, "image/jpeg"))],
    )
    [mail] = to_citizen(mail_sink)
    assert [part.get_filename() for part in mail.iter_attachments()] == ["na.jpg"]


async def test_mails_follow_the_customers_language(sim_http: httpx.AsyncClient, mail_sink: MailSink) -> None:
    customer = await create_customer(sim_http, CITIZEN)
    await sim_http.put("user", params={"id": customer["id"], "language": "fr"})
    ticket_id = await create_ticket(sim_http, customer["id"])
    [mail] = mail_sink.messages()
    assert mail["Subject"] == f"Votre signalement #{ticket_id} est enregistré"


async def test_a_disabled_customer_gets_no_mail(sim_http: httpx.AsyncClient, mail_sink: MailSink) -> None:
    customer_id, ticket_id = await _citizen_ticket(sim_http)
    await sim_http.put("user.disable", params={"id": customer_id})
    mail_sink.clear()
    await comment(sim_http, ticket_id, "Hallo?", public=True)
    assert mail_sink.messages() == []


async def test_a_rule_switched_off_sends_nothing_for_that_event(
    sim_http: httpx.AsyncClient, sim_app: FastAPI, mail_sink: MailSink
) -> None:
    sim_app.state.sim.set_notification("ticket_created", False)
    _, ticket_id = await _citizen_ticket(sim_http)
    assert mail_sink.messages() == []
    await comment(sim_http, ticket_id, "Wel een mail hiervoor", public=True)
    assert len(to_citizen(mail_sink)) == 1


async def test_rules_can_be_set_in_the_config_and_unknown_events_are_refused(sim_config: SimConfig) -> None:
    app = create_app(
        sim_config.with_changes(notifications={"internal_comment": True, "ticket_created": False})
    )
    rules = app.state.sim.notifications
    assert (
        rules["internal_comment"] is True
        and rules["ticket_created"] is False
        and rules["public_comment"] is True
    )
    with pytest.raises(ValueError, match="unknown mail event"):
        create_app(sim_config.with_changes(notifications={"ticket_teleported": True}))


async def test_a_dead_smtp_server_never_breaks_the_api_call(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(smtp_port=free_port(), smtp_timeout=2.0))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        customer = await create_customer(http)
        response = await http.post(
            "incident",
            data={
                "creator_id": 2,
                "customer_id": customer["id"],
                "category_id": 21,
                "priority_id": 2,
                "type_id": 1,
                "title": "t",
                "description": "d",
            },
        )
    assert response.json()["status"] == "OK"
    [record] = app.state.sim.mails_sent
    assert record.status == "failed" and "Connection" in (record.error or "")


async def test_without_an_smtp_server_mails_are_only_recorded(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(smtp_host=None))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        customer = await create_customer(http)
        await create_ticket(http, customer["id"])
    assert [r.status for r in app.state.sim.mails_sent] == ["not_sent"]


async def test_mails_are_well_formed_mime(sim_http: httpx.AsyncClient, mail_sink: MailSink) -> None:
    await _citizen_ticket(sim_http)
    [mail] = mail_sink.messages()
    assert mail["From"] and mail["Date"] and mail["Message-ID"]
    assert mail.get_content_type() in {"multipart/alternative", "multipart/mixed"}
    assert mail.get_body(preferencelist=("plain",)) is not None
    assert mail.get_body(preferencelist=("html",)) is not None
