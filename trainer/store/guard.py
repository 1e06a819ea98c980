"""Refuse a database that is not ours, corrupt, or from a newer trainer, before writing to it.

Everything here reads only: the header bytes, then a read-only SQLite connection. A refused file
is left byte-for-byte as it was (no WAL switch, no migration, no backup).
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from trainer.errors import TrainerError

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_HEADER_SIZE = 100
MAX_PAGE_SIZE = 65536
"""Stored as 1 in the header's two-byte page size field."""
APPLICATION_ID = 0x54524E52
"""`PRAGMA application_id` of a trainer database ("TRNR"); other applications' files differ."""
SCHEMA_VERSION = 21
"""`PRAGMA user_version` after every migration in `trainer.store.schema` has run."""
REQUIRED_TABLES = frozenset(
    {"items", "reviews", "meta", "notes", "undo_steps", "daily_tallies", "category_tallies"}
)
"""Tables an up-to-date database has; one dropped by hand makes it damaged, not blank."""


class DatabaseError(TrainerError):
    """The review database cannot be used; the file was not changed."""


def _untouched(path: Path, problem: str, advice: str) -> DatabaseError:
    return DatabaseError(f"{path}: {problem}. The file was left untouched; {advice}.")


def _corrupt(path: Path, detail: str) -> DatabaseError:
    return _untouched(
        path,
        f"not a usable review database ({detail})",
        "restore a copy from its backups/ directory, or choose another file with --db or "
        "TRAINER_DB",
    )


SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 5, 6, 8
READ_RETRY_SECONDS = 5.0
READ_RETRY_PAUSE = 0.05


def _unreadable(path: Path, error: sqlite3.Error) -> DatabaseError:
    """Corrupt, unless another program holds a lock: then waiting is the cure, and restoring a
    backup would throw the day's grades away."""
    if getattr(error, "sqlite_errorcode", 0) & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
        return _untouched(
            path,
            f"is locked by another program ({error})",
            "close whatever else has it open (an SQLite browser, a sync tool) and try again",
        )
    return _corrupt(path, str(error))


def _hard_linked(path: Path, links: int) -> DatabaseError:
    """SQLite names a database's write-ahead log, its index and our session lock after the path,
    so two names of one file (hard links) would each get their own: two review sessions could
    run at once, and grades written through one name could be lost through the other."""
    return _untouched(
        path,
        f"has {links} names (hard links) on this disk, and SQLite keeps a database's "
        "write-ahead log under each name separately",
        "keep one name: delete the other links (`find / -samefile` lists them), or copy the "
        "file instead of linking it",
    )


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _open_read_only(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + "?mode=ro"
    if not os.access(path.parent, os.W_OK) and not _has_wal(path):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def _recover(path: Path) -> None:
    """Let SQLite finish what a crash left (rebuild the WAL index, roll back a hot journal),
    which a read-only connection may not do: a read-write connection does it on its first read,
    and it changes nothing anyone committed. Where it cannot, the retries report it."""
    if not os.access(path.parent, os.W_OK):
        return
    try:
        with closing(sqlite3.connect(path, timeout=READ_RETRY_SECONDS)) as connection:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, its first read done. In a read-only location SQLite
    cannot create the WAL index a reader needs, and no one can be writing there, so the file is
    opened immutable. After a crash a read-only connection may find the WAL index or a journal
    needing recovery it may not do (SQLITE_READONLY_RECOVERY, or a writer racing it): the
    recovery is done once through a read-write connection, and the read retried for up to
    READ_RETRY_SECONDS before DatabaseError says what is needed. Any other failure of that
    first read is a DatabaseError too (corrupt, or locked by another program)."""
    deadline = time.monotonic() + READ_RETRY_SECONDS
    recovered = False
    while True:
        connection = _open_read_only(path)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            connection.close()
            if getattr(error, "sqlite_errorcode", 0) & 0xFF != SQLITE_READONLY:
                raise _unreadable(path, error) from None
            if time.monotonic() > deadline:
                raise _needs_recovery(path, error) from None
            if not recovered:
                _recover(path)
                recovered = True
            else:
                time.sleep(READ_RETRY_PAUSE)
            continue
        except sqlite3.DatabaseError as error:
            connection.close()
            raise _unreadable(path, error) from None
        return connection


def _needs_recovery(path: Path, error: sqlite3.Error) -> DatabaseError:
    return _untouched(
        path,
        f"needs the recovery SQLite makes after a crash, which this user cannot make ({error})",
        "run `trainer review` once as the user who owns it and its -wal and -shm files, or "
        "make them writable",
    )


def _declared_size(header: bytes) -> int | None:
    """The file size the header records (page size x page count), when that count is valid."""
    page_size = int.from_bytes(header[16:18], "big")
    pages = int.from_bytes(header[28:32], "big")
    if pages == 0 or header[24:28] != header[92:96]:
        return None
    return (MAX_PAGE_SIZE if page_size == 1 else page_size) * pages


def has_content(path: Path) -> bool:
    """True if `path` holds a database; False if there is none yet (missing or empty file).
    Raises DatabaseError for a directory, an unreadable file or one that is not SQLite."""
    try:
        with path.open("rb") as file:
            header = file.read(SQLITE_HEADER_SIZE)
            size = file.seek(0, os.SEEK_END)
            links = os.fstat(file.fileno()).st_nlink
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise DatabaseError(f"{path}: is a directory, not a review database") from None
    except OSError as error:
        raise DatabaseError(f"{path}: cannot read: {error.strerror or error}") from None
    if links > 1:
        raise _hard_linked(path, links)
    if not header:
        return False
    if len(header) < SQLITE_HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise _corrupt(path, "not an SQLite database file")
    declared = _declared_size(header)
    if declared and size < declared and not _has_wal(path):  # a WAL may still complete it
        raise _corrupt(path, f"truncated: {size} of its {declared} bytes")
    return True


def check_identity(connection: sqlite3.Connection, path: Path, *, thorough: bool) -> int | None:
    """The schema version of our database behind `connection`, None for a blank SQLite file.
    `thorough` also runs `PRAGMA quick_check` (reads every page)."""
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version: int = connection.execute("PRAGMA user_version").fetchone()[0]
        if application_id != APPLICATION_ID:
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if application_id == 0 and version == 0 and tables == 0:
                return None
            raise _untouched(
                path,
                "is an SQLite database of another application, not a trainer review database",
                "choose another file with --db or TRAINER_DB",
            )
        if version > SCHEMA_VERSION:
            raise _untouched(
                path,
                f"was written by a newer trainer (schema version {version}; this trainer "
                f"knows up to {SCHEMA_VERSION})",
                "upgrade trainer to use it",
            )
        if version == SCHEMA_VERSION:
            _check_tables(connection, path)
        if thorough:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise _corrupt(path, f"integrity check failed: {verdict}")
    except sqlite3.DatabaseError as error:
        raise _unreadable(path, error) from None
    return version


def _check_tables(connection: sqlite3.Connection, path: Path) -> None:
    names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    missing = sorted(REQUIRED_TABLES - names)
    if missing:
        raise _corrupt(path, f"damaged schema: no table {', '.join(missing)}")


def check_upgradable(path: Path) -> None:
    """Refuse an older database the migrations cannot bring up to date whole (a table dropped
    by hand): they are rehearsed on a copy in memory, so the file is refused before it is
    backed up (a damaged copy would push the oldest good backup out), switched to WAL or
    migrated."""
    from trainer.store.schema import migrate  # sqlite-utils: only when upgrading

    try:
        with (
            closing(connect_read_only(path)) as source,
            closing(sqlite3.connect(":memory:", isolation_level=None)) as copy,
        ):
            source.backup(copy)
            try:
                migrate(copy)
            except DatabaseError as error:  # a migration's statement failed (`transaction`)
                raise _corrupt(path, f"its upgrade fails: {error}") from None
            _check_tables(copy, path)
    except sqlite3.Error as error:
        raise _unreadable(path, error) from None


def existing_version(path: Path, *, thorough: bool) -> int | None:
    """Schema version of the trainer database at `path`; None if there is no database yet."""
    if not has_content(path):
        return None
    try:
        with closing(connect_read_only(path)) as connection:
            return check_identity(connection, path, thorough=thorough)
    except sqlite3.Error as error:
        raise _unreadable(path, error) from None
