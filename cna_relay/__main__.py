"""`python -m cna_relay ...`: see `cna_relay.cli`."""

from cna_relay.cli import main

raise SystemExit(main())
