"""Operator commands.

    python -m cna_relay serve [--host H] [--port P] [--no-worker]
    python -m cna_relay worker                 # a dispatcher without the HTTP API
    python -m cna_relay db upgrade
    python -m cna_relay outbox list [--state dead] [--kind create_ticket] [--limit 50]
    python -m cna_relay outbox inspect ID
    python -m cna_relay outbox retry (ID ... | --all-dead)
    python -m cna_relay users create-staff --email E --first-name F --last-name L   # password: prompt/stdin

Settings come from `CNA_RELAY_*` environment variables (see `cna_relay.settings`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from cna_relay.accounts.staff_cli import add_user_commands
from cna_relay.context import RelayContext, build_context
from cna_relay.db.migrate import upgrade
from cna_relay.logs import configure_logging
from cna_relay.outbox import OutboxEntry
from cna_relay.settings import RelaySettings
from cna_relay.wiring import register_handlers

Command = Callable[[argparse.Namespace, RelaySettings], int]
COMMANDS: dict[str, Command] = {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging()
    settings = RelaySettings()
    command: Command = args.run
    return command(args, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cna_relay", description="CNA relay")
    sub = parser.add_subparsers(required=True, dest="command")

    serve = sub.add_parser("serve", help="run the HTTP API (and the dispatcher unless --no-worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--no-worker", action="store_true")
    serve.set_defaults(run=run_serve)

    worker = sub.add_parser("worker", help="run an outbox dispatcher only")
    worker.set_defaults(run=run_worker)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(required=True, dest="db_command")
    db_sub.add_parser("upgrade", help="migrate to the latest schema").set_defaults(run=run_db_upgrade)

    outbox = sub.add_parser("outbox", help="inspect and retry outbox entries")
    outbox_sub = outbox.add_subparsers(required=True, dest="outbox_command")
    listing = outbox_sub.add_parser("list", help="recent entries")
    listing.add_argument("--state", action="append", choices=["pending", "sending", "sent", "dead"])
    listing.add_argument("--kind")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(run=run_outbox_list)
    inspect = outbox_sub.add_parser("inspect", help="one entry in full")
    inspect.add_argument("id", type=int)
    inspect.set_defaults(run=run_outbox_inspect)
    retry = outbox_sub.add_parser("retry", help="give dead entries new attempts")
    retry.add_argument("ids", type=int, nargs="*")
    retry.add_argument("--all-dead", action="store_true")
    retry.set_defaults(run=run_outbox_retry)

    for name, add in EXTRA_COMMANDS.items():
        add(sub.add_parser(name))
    return parser


# Domains add sub-commands here (e.g. `users create-staff`), keyed by command name.
EXTRA_COMMANDS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "users": add_user_commands,
}


def run_serve(args: argparse.Namespace, settings: RelaySettings) -> int:
    import uvicorn

    from cna_relay.app import create_app

    app = create_app(settings, run_worker=False if args.no_worker else None)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def run_worker(args: argparse.Namespace, settings: RelaySettings) -> int:
    async def work() -> None:
        context = build_context(settings)
        register_handlers(context)
        await context.start(run_worker=False)
        await context.schedule_periodic_jobs()
        dispatcher = context.build_dispatcher()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await dispatcher.run(stop)
        finally:
            await context.stop()

    asyncio.run(work())
    return 0


def run_db_upgrade(args: argparse.Namespace, settings: RelaySettings) -> int:
    upgrade(settings.database_url)
    print("database is at the latest schema")  # noqa: T201
    return 0


def _with_context(settings: RelaySettings, work: Callable[[RelayContext], Any]) -> Any:
    async def run() -> Any:
        context = build_context(settings)
        try:
            return await work(context)
        finally:
            await context.stop()

    return asyncio.run(run())


def run_outbox_list(args: argparse.Namespace, settings: RelaySettings) -> int:
    async def work(context: RelayContext) -> tuple[dict[str, int], list[OutboxEntry]]:
        return await context.outbox.counts(), await context.outbox.entries(
            states=args.state, kind=args.kind, limit=args.limit
        )

    counts, entries = _with_context(settings, work)
    out = sys.stdout
    out.write("counts: " + ", ".join(f"{state}={n}" for state, n in sorted(counts.items())) + "\n")
    out.write(f"{'id':>6}  {'kind':<20} {'state':<8} {'tries':>5}  {'next attempt':<25} last error\n")
    for entry in entries:
        error = (entry.last_error or "").replace("\n", " ")[:60]
        out.write(
            f"{entry.id:>6}  {entry.kind:<20} {entry.state:<8} {entry.attempts:>5}  "
            f"{entry.next_attempt_at.isoformat(timespec='seconds'):<25} {error}\n"
        )
    return 0


def run_outbox_inspect(args: argparse.Namespace, settings: RelaySettings) -> int:
    entry = _with_context(settings, lambda context: context.outbox.get(args.id))
    if entry is None:
        sys.stderr.write(f"no outbox entry {args.id}\n")
        return 1
    columns = {column.name: getattr(entry, column.name) for column in OutboxEntry.__table__.columns}
    sys.stdout.write(json.dumps(columns, indent=2, default=str, ensure_ascii=False) + "\n")
    return 0


def run_outbox_retry(args: argparse.Namespace, settings: RelaySettings) -> int:
    if not args.ids and not args.all_dead:
        sys.stderr.write("give entry ids or --all-dead\n")
        return 2
    ids = None if args.all_dead else args.ids
    count = _with_context(settings, lambda context: context.outbox.retry(ids))
    sys.stdout.write(f"{count} dead entr{'y' if count == 1 else 'ies'} scheduled again\n")
    return 0
