"""Entry point of `python -m cna_relay.routing` (see `cli.py`)."""

from cna_relay.routing.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
