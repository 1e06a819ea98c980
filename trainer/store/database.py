"""Connections to the review database: checked before any write, WAL, explicit transactions.

WAL mode lets `trainer stats` or `trainer due` read while a review session writes; the busy
timeout makes a writer wait for another instead of failing. Every write runs in `transaction`
(BEGIN IMMEDIATE ... COMMIT) with synchronous=FULL, so a committed grade survives a kill.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

from trainer import clock
from trainer.store import backup
from trainer.store.guard import (
    SCHEMA_VERSION,
    DatabaseError,
    check_identity,
    check_upgradable,
    connect_read_only,
    existing_version,
    has_content,
)

BUSY_TIMEOUT_SECONDS = 10.0

Id = TypeVar("Id", int, str)


def id_list(ids: Iterable[Id]) -> str:
    """Ids (the trainer's items, Anki's rows) as one SQL parameter, read with `json_each(?)`:
    a sync may ask about 100,000 at once, far past SQLite's limit of parameters. Sorted, so
    that the lookups walk an index in its order."""
    return json.dumps(sorted(ids))


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic write: committed on success, rolled back on any exception. A write the
    disk refuses (full, read-only, I/O error) raises DatabaseError and keeps nothing of it."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
    except sqlite3.OperationalError as error:
        raise DatabaseError(f"cannot save to the review database: {error}") from None


def _configure(connection: sqlite3.Connection) -> None:
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")


def _check_writable(path: Path) -> None:
    """A session writes beside the database (its WAL, the lock, backups/). `os.access` asks
    the kernel, so a read-only mount is caught even for root, whom file modes do not stop."""
    if not os.access(path.parent, os.W_OK):
        raise DatabaseError(
            f"{path}: cannot write the review database: its directory {path.parent} is "
            "read-only or not writable; choose another file with --db or TRAINER_DB"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise DatabaseError(
            f"{path}: cannot write the review database: the file is read-only; make it "
            "writable, or choose another file with --db or TRAINER_DB"
        )


def open_for_writing(path: Path, today: date | None = None) -> sqlite3.Connection:
    """A read-write connection to our database at `path`, created (with its parent
    directories) or migrated as needed, after a daily backup. Raises DatabaseError, leaving
    the file untouched, for a file that is not ours, corrupt or newer.

    Every page is read (`PRAGMA quick_check`, 0.2 s at a million reviews) only at the first
    open of a day, right before that day's backup, so damage is found before it is copied;
    later opens that day check the header, which keeps the trainer's start quick. `today`
    (the caller's clock, read once for its action) names the day's backup."""
    today = today or clock.now().date()
    first_open_today = not backup.backup_path(path, today).exists()
    version = existing_version(path, thorough=first_open_today)
    if version is not None and version < SCHEMA_VERSION:
        check_upgradable(path)
    try:
        if version is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        _check_writable(path)
        if version is not None:
            backup.daily_backup(path, today)
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        raise DatabaseError(f"{path}: cannot open the review database: {error}") from None
    try:
        _configure(connection)
        if version != SCHEMA_VERSION:  # sqlite-utils (60 ms to import) only when migrating
            from trainer.store.schema import migrate

            migrate(connection)
    except sqlite3.Error as error:
        connection.close()
        raise DatabaseError(f"{path}: cannot prepare the review database: {error}") from None
    return connection


def open_for_reading(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to our up-to-date database, or None if it does not exist yet
    or needs a migration first (then use `open_for_writing`). Never writes."""
    if not has_content(path):
        return None
    connection = connect_read_only(path)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        if check_identity(connection, path, thorough=False) != SCHEMA_VERSION:
            connection.close()
            return None
    except BaseException:
        connection.close()
        raise
    return connection


def open_memory() -> sqlite3.Connection:
    """A fresh, migrated in-memory database (tests, experiments)."""
    from trainer.store.schema import migrate

    connection = sqlite3.connect(":memory:", isolation_level=None)
    migrate(connection)
    return connection


def integrity_ok(path: Path) -> bool:
    with closing(connect_read_only(path)) as connection:
        verdict: str = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return verdict == "ok"
