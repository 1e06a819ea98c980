"""`trainer sync`: one schedule across an Anki collection and the trainer (Anki closed).

The bank goes into the review database as for any command (an unchanged bank is not even
parsed: its notes are read from the database), then `trainer.anki.sync` runs on the collection
and the database. A dry run does all of it on copies (the collection in a scratch directory,
the database in memory) and prints the plan: the user's files are only read.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import clock
from trainer.errors import TrainerError
from trainer.library import Survey, progress_when_slow, survey
from trainer.queue import study_day
from trainer.store.banks import StoredBank
from trainer.store.cards import stored_notes
from trainer.store.database import open_for_writing, open_memory
from trainer.store.guard import connect_read_only, existing_version
from trainer.store.lock import SYNC, SessionLock
from trainer.store.paths import database_path
from trainer.visible import visible

if TYPE_CHECKING:
    from anki.collection import Collection

    from trainer.anki.sync import Context, Plan, Source


def _scratch_database(path: Path) -> sqlite3.Connection:
    """An in-memory copy of the review database (a new one if there is none): what the real
    run would start from, without writing the file."""
    connection = open_memory()
    if existing_version(path, thorough=False) is not None:
        with closing(connect_read_only(path)) as source:
            source.backup(connection)
        from trainer.store.schema import migrate

        migrate(connection)
    return connection


def _source(connection: sqlite3.Connection, found: Survey) -> tuple[Source, StoredBank]:
    """The bank's content, stored first if it changed (`Survey.apply`), and its row: the bank
    as parsed when it changed, else the database's copy of it (an unchanged bank is not
    parsed)."""
    from trainer.anki.sync import Source

    (stored,) = found.apply(connection)
    if found.changes:
        bank = found.changes[0].bank
        notes = tuple((note, bank.citations(note)) for note in bank.notes)
    else:
        notes = tuple(stored_notes(connection, stored.id))
    settings = stored.settings  # as stored by `apply`: the deck's settings, defaults resolved once
    source = Source(stored.name, notes, settings.day_start_hour, settings.choice, stored.identity)
    return source, stored


def _run_sync(col: Collection, connection: sqlite3.Connection, context: Context) -> Plan:
    """The sync, with Anki's refusal of a change (its transaction rolled back) made clear."""
    from anki.errors import BackendError

    from trainer.anki.collection import reason
    from trainer.anki.sync import run as sync_collection

    try:
        return sync_collection(col, connection, context)
    except BackendError as error:
        raise TrainerError(
            f"Anki refused a change ({reason(error)}); the collection was left as it was"
        ) from None


def _print(lines: list[str]) -> None:
    """Deck names and paths are the user's text: shown, never acted on by the terminal."""
    for line in lines:
        print(visible(line, one_line=True))


def run(args: argparse.Namespace) -> int:
    from trainer.anki import collection as anki_collection
    from trainer.anki.sync import Context, summary

    moment = clock.wall_clock("trainer sync")  # refused before anything is read
    db_path = database_path(args.db)
    found = survey(db_path, args.bank, strict=True)  # a broken bank stops here, before writes
    path = args.collection or anki_collection.default_collection_path()

    def context(source: tuple[Source, StoredBank], backup: Callable[[], None] | None) -> Context:
        content, stored = source
        today = study_day(moment, content.day_starts_at)
        return Context(
            content,
            today,
            backup,
            stored.id,
            args.delete_removed,
            allow_full_sync=args.allow_full_sync or backup is None,  # a dry run shows them
        )

    if args.dry_run:
        with (
            closing(_scratch_database(db_path)) as connection,
            anki_collection.open_copy(path) as col,
        ):
            plan = _run_sync(col, connection, context(_source(connection, found), None))
        lines = summary(plan, dry_run=True)
        if plan.retyped and not args.allow_full_sync:
            lines.append(
                "changing note types is a schema change (Anki's next AnkiWeb sync is then a "
                "one-way full sync): the sync needs --allow-full-sync for it"
            )
        _print(lines)
        return 0
    backups: list[str] = []
    with closing(open_for_writing(db_path)) as connection:
        lock = SessionLock(db_path, SYNC)  # before the collection: a second sync waits here
        try:
            col = anki_collection.open_collection(path)
            try:

                def backup() -> None:
                    backups.append(str(anki_collection.backup(col, path)))

                source = _source(connection, found)
                with progress_when_slow(f"Syncing with {path}"):
                    plan = _run_sync(col, connection, context(source, backup))
            finally:
                col.close()
        finally:
            lock.release()
    lines = summary(plan, dry_run=False)
    if backups:
        lines.append(f"a backup of the collection from before the sync: {backups[0]}")
    _print(lines)
    return 0
