"""The shell: start-up, the calm "cannot reach the server" state, language, and route guards."""

from __future__ import annotations

import asyncio

import pytest

from cna_app.services.device import LANGUAGE_PREFERENCE, MemoryPreferences
from cna_app.services.errors import RelayProblem, RelayUnavailable
from cna_app.services.relay_config import relay_config_from_wire
from cna_app.services.tokens import StoredTokens, TokenStore
from cna_app.viewmodels.navigation import Route, parse_route, stack_for
from cna_app.viewmodels.routing import screen_for
from cna_app.viewmodels.shell import Phase, Shell
from tests.app.fakes import GOOD_PASSWORD, FakeRelay, ManualClock, RecordingNavigator, make_config, settle


async def sign_in(shell: Shell, fake_relay: FakeRelay, *, verified: bool = True) -> None:
    fake_relay.add_account("an@example.be", verified=verified)
    await shell.signed_in(await fake_relay.login({"email": "an@example.be", "password": GOOD_PASSWORD}))


# ---- start-up --------------------------------------------------------------------------------


async def test_start_fetches_the_config_and_is_ready(shell: Shell) -> None:
    assert shell.phase is Phase.READY
    assert shell.config is not None and shell.config.municipality_name == "Gemeente Zonnebeke"


@pytest.mark.parametrize(
    ("locales", "language"), [(["fr-BE"], "fr"), (["en-US"], "en"), (["de-DE"], "nl"), ([], "nl")]
)
async def test_the_language_follows_the_device(make_shell, locales: list[str], language: str) -> None:
    shell = make_shell(locales=locales)
    await shell.start()
    assert shell.language == language


async def test_a_saved_language_wins_over_the_device(make_shell, preferences: MemoryPreferences) -> None:
    preferences.values[LANGUAGE_PREFERENCE] = "fr"
    shell = make_shell(locales=["en-GB"])
    await shell.start()
    assert shell.language == "fr"
    preferences.values[LANGUAGE_PREFERENCE] = "klingon"  # tampered storage
    shell = make_shell(locales=["en-GB"])
    await shell.start()
    assert shell.language == "en"


async def test_a_language_the_municipality_does_not_offer_falls_back(
    make_shell, fake_relay: FakeRelay
) -> None:
    fake_relay.config_view["languages"] = ["nl", "fr"]
    shell = make_shell(locales=["en-GB"])
    await shell.start()
    assert shell.language == "nl"
    assert shell.languages == ("nl", "fr")


async def test_an_unreachable_relay_shows_a_countdown_and_recovers_by_itself(
    make_shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    fake_relay.fail_next("get_config", RelayUnavailable("down"), times=2)
    shell = make_shell()
    starting = asyncio.create_task(shell.start())
    await settle()
    assert shell.phase is Phase.UNREACHABLE
    assert shell.next_retry_in == 2
    await clock.advance(1)
    assert shell.next_retry_in == 1
    await clock.advance(1)
    assert fake_relay.count("get_config") == 2
    assert shell.next_retry_in == 4  # the wait grows after each failure
    await clock.advance(4)
    await starting
    assert shell.phase is Phase.READY
    assert fake_relay.count("get_config") == 3


async def test_the_wait_between_tries_is_capped(
    make_shell, fake_relay: FakeRelay, clock: ManualClock
) -> None:
    fake_relay.fail_next("get_config", RelayUnavailable("down"), times=8)
    shell = make_shell()
    starting = asyncio.create_task(shell.start())
    waits = []
    for _ in range(8):
        await settle()
        waits.append(shell.next_retry_in)
        await clock.advance(shell.next_retry_in or 0)
    await starting
    assert waits == [2, 4, 8, 15, 30, 30, 30, 30]


async def test_try_again_now_skips_the_countdown(make_shell, fake_relay: FakeRelay) -> None:
    fake_relay.fail_next("get_config", RelayProblem(status=500, code="internal_error"))
    shell = make_shell()
    starting = asyncio.create_task(shell.start())
    await settle()
    assert shell.phase is Phase.UNREACHABLE
    shell.retry_now()
    await starting
    assert shell.phase is Phase.READY


async def test_a_restored_session_brings_its_account_and_language(
    make_shell, fake_relay: FakeRelay, tokens: TokenStore
) -> None:
    account = fake_relay.add_account("an@example.be", language="fr")
    pair = await fake_relay.login({"email": account.email, "password": GOOD_PASSWORD})
    await tokens.save(StoredTokens(pair["access_token"], pair["refresh_token"]))
    shell = make_shell(locales=["nl-BE"])
    await shell.start()
    assert shell.session.signed_in and shell.language == "fr"


async def test_a_relay_hiccup_while_restoring_keeps_the_session(
    make_shell, fake_relay: FakeRelay, tokens: TokenStore
) -> None:
    await tokens.save(StoredTokens("a", "r"))
    fake_relay.fail_next("me", RelayUnavailable("down"))
    shell = make_shell()
    await shell.start()
    assert shell.phase is Phase.READY
    assert shell.session.signed_in and shell.session.account is None


def test_hostile_config_values_are_tamed() -> None:
    config = relay_config_from_wire(
        make_config(
            name="  Gemeente\n\tX  " + "y" * 200,
            primary_color="red; background: url(x)",
            logo_url="javascript:alert(1)",
            website="data:text/html,hi",
        )
        | {"default_language": "fr", "languages": ["fr", "fr"]}
    )
    assert config.municipality_name.startswith("Gemeente X") and len(config.municipality_name) == 80
    assert config.brand_color == "#0B5C8E"
    assert config.logo_url is None and config.website is None
    assert config.languages == ("fr",) and config.default_language == "fr"


def test_an_impossible_password_policy_falls_back_to_the_default() -> None:
    view = make_config()
    view["password_policy"] |= {"min_length": 50, "max_length": 10}
    assert relay_config_from_wire(view).password_policy.min_length == 10


# ---- language --------------------------------------------------------------------------------


async def test_switching_language_rebuilds_and_is_remembered(
    shell: Shell, preferences: MemoryPreferences
) -> None:
    rebuilds: list[bool] = []
    shell.changes.subscribe(rebuilds.append)
    await shell.set_language("fr")
    assert shell.language == "fr" and shell.translator("login.title") == "Se connecter"
    assert rebuilds == [True]
    assert preferences.values[LANGUAGE_PREFERENCE] == "fr"


async def test_switching_language_while_signed_in_updates_the_account(
    shell: Shell, fake_relay: FakeRelay
) -> None:
    await sign_in(shell, fake_relay)
    await shell.set_language("en")
    assert fake_relay.accounts["an@example.be"].language == "en"


async def test_switching_language_offline_still_switches(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    fake_relay.fail_next("update_me", RelayUnavailable("down"))
    await shell.set_language("fr")
    assert shell.language == "fr"


async def test_a_language_outside_the_offer_is_ignored(shell: Shell) -> None:
    await shell.set_language("de")  # type: ignore[arg-type]
    assert shell.language == "nl"


# ---- routes and guards ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "route"),
    [
        ("/", Route.START),
        ("", Route.START),
        ("/aanmelden/", Route.LOGIN),
        ("/Aanmelden?x=1", Route.LOGIN),
        ("/profiel#top", Route.PROFILE),
        ("/nope", None),
        ("/" + "a" * 500, None),
        ("/../profiel", None),
        ("/melding/../../etc", None),
        ("%2Fprofiel", None),
    ],
)
def test_routes_are_parsed_leniently_and_unknown_ones_refused(raw: str, route: Route | None) -> None:
    assert parse_route(raw) == route


def test_the_view_stack_follows_the_flow() -> None:
    assert stack_for(Route.SIGNUP_PROFILE) == [
        Route.START,
        Route.LOGIN,
        Route.SIGNUP,
        Route.SIGNUP_PASSWORD,
        Route.SIGNUP_PROFILE,
    ]
    assert stack_for(Route.START) == [Route.START]


async def test_signed_in_only_routes_ask_to_log_in_and_remember_where(shell: Shell) -> None:
    assert screen_for(shell, "/profiel") is Route.LOGIN
    assert shell.return_to is Route.PROFILE


async def test_after_log_in_the_user_goes_where_they_wanted(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    screen_for(shell, "/meldingen")
    await sign_in(shell, fake_relay)
    assert nav.current == Route.REPORTS
    assert shell.return_to is None


async def test_make_a_report_goes_to_log_in_then_to_the_form(
    shell: Shell, fake_relay: FakeRelay, nav: RecordingNavigator
) -> None:
    shell.start_report()
    assert nav.current == Route.LOGIN
    await sign_in(shell, fake_relay)
    assert nav.current == Route.REPORT
    shell.start_report()
    assert nav.current == Route.REPORT


async def test_deep_links_into_later_steps_land_on_the_first_open_step(shell: Shell) -> None:
    assert screen_for(shell, "/aanmelden/wachtwoord") is Route.LOGIN
    assert screen_for(shell, "/registreren/gegevens") is Route.SIGNUP
    assert screen_for(shell, "/registreren/code") is Route.SIGNUP
    assert screen_for(shell, "/wachtwoord-vergeten/code") is Route.RESET
    shell.signup.set_email("an@example.be")
    shell.signup.submit_email()
    assert screen_for(shell, "/registreren/gegevens") is Route.SIGNUP_PASSWORD


async def test_signed_in_users_skip_the_log_in_screens(shell: Shell, fake_relay: FakeRelay) -> None:
    await sign_in(shell, fake_relay)
    for raw in ("/aanmelden", "/registreren", "/wachtwoord-vergeten", "/registreren/code"):
        assert screen_for(shell, raw) is Route.REPORT
    assert screen_for(shell, "/profiel/bewerken") is Route.PROFILE_EDIT
    assert shell.profile.draft is not None  # a deep link to the edit form opens a draft


async def test_unverified_accounts_confirm_their_address_before_reporting(
    shell: Shell, fake_relay: FakeRelay
) -> None:
    await sign_in(shell, fake_relay, verified=False)
    assert screen_for(shell, "/melding") is Route.SIGNUP_CODE
    assert shell.signup.pending_email == "an@example.be"
    assert screen_for(shell, "/profiel") is Route.PROFILE


async def test_unknown_routes_are_not_found(shell: Shell) -> None:
    assert screen_for(shell, "/admin") is None


async def test_the_memory_fallback_is_visible_on_the_session(make_shell) -> None:
    shell = make_shell()
    await shell.start()
    assert shell.session.durable is False  # MemoryTokenStore: the router shows the notice
