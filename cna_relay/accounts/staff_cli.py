"""`python -m cna_relay users create-staff`: the only way to make a staff (counter clerk) account.

    python -m cna_relay users create-staff --email E --first-name F --last-name L [--language nl]

The password is read from a prompt (twice) on a terminal, or as the first line of stdin when
piped; never from the command line, where it would end up in shell history and `ps`.
A staff account is verified at once (an administrator vouches for the address) and gets no
klantenfiche: counter clerks report on behalf of citizens.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TextIO

from cna_relay.accounts.emails import InvalidEmail, normalise_email
from cna_relay.accounts.fields import LANGUAGES, Profile, check_new_password, clean_profile
from cna_relay.accounts.passwords import Passwords
from cna_relay.accounts.store import account_by_email, new_account
from cna_relay.context import build_context
from cna_relay.problems import ValidationFailed
from cna_relay.settings import RelaySettings


class StaffCreationError(Exception):
    """Why the account was not created, in words for the operator."""


def add_user_commands(parser: argparse.ArgumentParser) -> None:
    """Sub-commands of `users` (registered in `cna_relay.cli.EXTRA_COMMANDS`)."""
    sub = parser.add_subparsers(required=True, dest="users_command")
    create = sub.add_parser("create-staff", help="create a staff (counter clerk) account")
    create.add_argument("--email", required=True)
    create.add_argument("--first-name", required=True)
    create.add_argument("--last-name", required=True)
    create.add_argument("--language", choices=LANGUAGES, default="nl")
    create.set_defaults(run=run_create_staff)


def run_create_staff(args: argparse.Namespace, settings: RelaySettings) -> int:
    try:
        password = read_password(sys.stdin, sys.stderr)
        account_id = asyncio.run(
            create_staff(
                settings,
                email=args.email,
                first_name=args.first_name,
                last_name=args.last_name,
                language=args.language,
                password=password,
            )
        )
    except StaffCreationError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    sys.stdout.write(f"staff account {account_id} created for {normalise_email(args.email)}\n")
    return 0


def _validated(
    settings: RelaySettings, email: str, first_name: str, last_name: str, language: str, password: str
) -> tuple[str, Profile, str]:
    try:
        address = normalise_email(email)
    except InvalidEmail as exc:
        raise StaffCreationError("not a valid e-mail address") from exc
    try:
        profile = clean_profile({"first_name": first_name, "last_name": last_name, "language": language})
        password = check_new_password(password, email=address, policy=settings.password_policy)
    except ValidationFailed as exc:
        raise StaffCreationError(", ".join(f"{e.field}: {e.code}" for e in exc.errors)) from exc
    return address, profile, password


def read_password(stdin: TextIO, stderr: TextIO) -> str:
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ", stream=stderr)
    if getpass.getpass("Password again: ", stream=stderr) != first:
        raise StaffCreationError("the passwords differ")
    return first


async def create_staff(
    settings: RelaySettings, *, email: str, first_name: str, last_name: str, language: str, password: str
) -> str:
    """Create a verified staff account; returns its id. `StaffCreationError` says why not."""
    address, profile, password = _validated(settings, email, first_name, last_name, language, password)
    context = build_context(settings)
    try:
        await context.start(run_worker=False)
        password_hash = await Passwords(settings).hash(password)
        async with context.db.transaction() as session:
            if await account_by_email(session, address) is not None:
                raise StaffCreationError("an account with this address exists already")
            account = new_account(
                email=address,
                password_hash=password_hash,
                profile=profile,
                role="staff",
                language=language,
                now=context.clock.now(),
                verified=True,
            )
            session.add(account)
        return account.id
    finally:
        await context.stop()
