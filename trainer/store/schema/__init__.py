"""The database schema, built and upgraded by named migrations (sqlite-utils `Migrations`).

Applied migrations are recorded in `_sqlite_migrations`; all pending ones run in one
transaction together with `PRAGMA user_version = SCHEMA_VERSION`, so a crash mid-upgrade leaves
the previous schema intact. Never edit a released migration: add a new one (in `many_banks`, or
a new module imported below in order) and bump `trainer.store.guard.SCHEMA_VERSION`.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from trainer.store.database import transaction
from trainer.store.guard import SCHEMA_VERSION
from trainer.store.schema import many_banks, one_bank
from trainer.store.schema.registry import MIGRATION_SET, migrations

__all__ = ["MIGRATION_SET", "migrate", "migrations"]
MODULES = (one_bank, many_banks)
"""The modules of released migrations, in the order they register them."""


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION (a no-op when it is there already)."""
    if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    db = Database(connection, recursive_triggers=False, execute_plugins=False)
    with transaction(connection):
        migrations.apply(db)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
