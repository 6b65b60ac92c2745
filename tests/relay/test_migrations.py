"""The migration chain builds exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from cna_relay.db.engine import sync_url
from cna_relay.db.migrate import alembic_config, upgrade
from cna_relay.db.registry import metadata


def schema_differences(database_url: str) -> list[object]:
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def table_names(database_url: str) -> set[str]:
    engine = create_engine(sync_url(database_url))
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_head_matches_the_models_and_the_chain_goes_down_and_up(database_url: str) -> None:
    upgrade(database_url)
    assert schema_differences(database_url) == []
    assert table_names(database_url) == set(metadata.tables)
    command.downgrade(alembic_config(database_url), "base")
    assert table_names(database_url) == set()
    upgrade(database_url)
    assert schema_differences(database_url) == []
