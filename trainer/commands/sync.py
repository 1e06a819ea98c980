"""`trainer sync`: one schedule across an Anki collection and the trainer (Anki closed).

The bank goes into the review database as for any command, then `trainer.anki.sync` runs on the
collection and the database. A dry run does all of it on copies (the collection in a scratch
directory, the database in memory) and prints the plan: the user's files are only read.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from trainer import clock
from trainer.bank import load_bank
from trainer.model import Bank
from trainer.queue import DEFAULT_DAY_STARTS_AT, study_day
from trainer.store.database import open_for_writing, open_memory
from trainer.store.guard import connect_read_only, existing_version
from trainer.store.lock import SessionLock
from trainer.store.paths import database_path
from trainer.store.sync import is_current, sync


def _scratch_database(path: Path, bank: Bank) -> sqlite3.Connection:
    """An in-memory copy of the review database (a new one if there is none), synced with
    the bank: what the real run would start from, without writing the file."""
    connection = open_memory()
    if existing_version(path, thorough=False) is not None:
        with closing(connect_read_only(path)) as source:
            source.backup(connection)
        from trainer.store.schema import migrate

        migrate(connection)
    sync(connection, bank)
    return connection


def run(args: argparse.Namespace) -> int:
    bank = load_bank(args.bank)
    from trainer.anki import collection as anki_collection
    from trainer.anki.sync import Context, summary
    from trainer.anki.sync import run as sync_collection

    path = args.collection or anki_collection.default_collection_path()
    db_path = database_path(args.db)
    hour = DEFAULT_DAY_STARTS_AT if bank.deck.day_starts_at is None else bank.deck.day_starts_at
    today = study_day(clock.now(), hour)

    def context(backup: Callable[[], None] | None) -> Context:
        return Context(bank, today, hour, backup, args.delete_removed)

    if args.dry_run:
        with (
            closing(_scratch_database(db_path, bank)) as connection,
            anki_collection.open_copy(path) as col,
        ):
            plan = sync_collection(col, connection, context(None))
        print("\n".join(summary(plan, dry_run=True)))
        return 0
    col = anki_collection.open_collection(path)
    try:
        with closing(open_for_writing(db_path)) as connection:
            lock = SessionLock(db_path)
            try:
                if not is_current(connection, bank.path):
                    sync(connection, bank)
                backups: list[str] = []

                def backup() -> None:
                    backups.append(str(anki_collection.backup(col, path)))

                plan = sync_collection(col, connection, context(backup))
            finally:
                lock.release()
    finally:
        col.close()
    print("\n".join(summary(plan, dry_run=False)))
    if backups:
        print(f"a backup of the collection from before the sync is in {backups[0]}")
    return 0
