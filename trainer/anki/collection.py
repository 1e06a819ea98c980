"""Opening the user's Anki collection with the official `anki` library, or refusing clearly.

Anki must be closed: its backend holds the collection locked while it runs, and a collection
written by a newer Anki than the library knows is refused before anything is written. A dry run
works on a copy made in a scratch directory, so the user's file stays byte for byte as it was.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.errors import TrainerError

if TYPE_CHECKING:
    from anki.collection import Collection

ANKI_DIRECTORY = "Anki2"
DEFAULT_PROFILE = "User 1"
COLLECTION_FILE = "collection.anki2"
WRITE_AHEAD_LOG = "-wal"
BACKUP_DIRECTORY = "backups"
"""Where Anki keeps a profile's backups, so they appear in its File > Switch Profile menu."""
BACKUP_NAME = "trainer-sync-%Y-%m-%d-%H.%M.%S.colpkg"
"""Not Anki's own name (`backup-...`): Anki thins its backups by their names and leaves
these alone, and the trainer thins these."""
BACKUP_PATTERN = "trainer-sync-????-??-??-??.??.??.colpkg"
KEPT_BACKUPS = 10


def default_collection_path() -> Path:
    """The usual Anki profile's collection: `<Anki2>/User 1/collection.anki2`, else the only
    profile's. `<Anki2>` is ~/.local/share/Anki2 on Linux, ~/Library/Application Support/Anki2
    on macOS and %APPDATA%\\Anki2 on Windows."""
    import platformdirs

    base = Path(platformdirs.user_data_dir(ANKI_DIRECTORY, appauthor=False, roaming=True))
    usual = base / DEFAULT_PROFILE / COLLECTION_FILE
    if usual.exists():
        return usual
    found = sorted(base.glob(f"*/{COLLECTION_FILE}")) if base.is_dir() else []
    if len(found) == 1:
        return found[0]
    where = f"{len(found)} profiles in {base}" if found else f"no Anki profile in {base}"
    raise TrainerError(f"{where}: choose the collection with --collection PATH")


def _stored_version(path: Path) -> int | None:
    """The collection's schema version; None if it cannot be read. Opened immutable: no lock
    taken, no side file created (a read-only connection to a WAL database would create two)."""
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            version: int = db.execute("SELECT ver FROM col").fetchone()[0]
            return version
    except sqlite3.Error:
        return None


def _newest_version() -> int:
    """The schema version the library writes (and so the newest it understands)."""
    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as directory:
        collection = Collection(str(Path(directory) / COLLECTION_FILE))
        try:
            assert collection.db is not None  # just opened
            version: int = collection.db.scalar("SELECT ver FROM col")
            return version
        finally:
            collection.close()


ANKI_TABLES = ("col", "notes", "cards", "revlog")
"""The tables every Anki collection has: a file without them is some other program's."""
DAMAGED = ("DatabaseCorrupt", "malformed", "NotADatabase", "not a database", "corrupt")
READ_ONLY = ("ReadOnly", "readonly", "read-only", "PermissionDenied", "Permission denied")
IN_USE = ("already open", "DatabaseBusy", "database is locked", "DatabaseLocked")
REASON_LIMIT = 160
SQLITE_MESSAGE = re.compile(r'Some\(\\?"([^"\\]+)')


def _not_a_collection(path: Path) -> str | None:
    """Why the file at `path` is not an Anki collection (empty, not SQLite, another program's
    SQLite), or None. Read before the library opens it: the library would make any of these
    into a new collection."""
    log = path.with_name(path.name + WRITE_AHEAD_LOG)
    if log.exists():
        return _not_a_collection_with_log(path)
    if path.stat().st_size == 0:
        return "the file is empty"
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorcode == sqlite3.SQLITE_CORRUPT:
            raise _refusal(path, error) from None
        return f"not a database of any kind: {error}"
    return _missing_table(rows)


def _not_a_collection_with_log(path: Path) -> str | None:
    """As `_not_a_collection`, for a file with a write-ahead log beside it: its newest pages
    may be only in the log, so it is read through SQLite (read-only, never waiting). Anki
    holds its open collection locked: then, or if the file cannot be read so, None, and the
    library's open gives the reason. A log is also left by any WAL database whose last
    reader closed it (the trainer's own review database after `trainer due`): the library
    would add Anki's tables to it."""
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=0)) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.Error:
        return None
    return _missing_table(rows)


def _missing_table(rows: list[tuple[str]]) -> str | None:
    missing = [table for table in ANKI_TABLES if (table,) not in rows]
    if missing:
        return f"a database, but without Anki's table {missing[0]!r}"
    return None


def reason(error: Exception) -> str:
    """An error of the `anki` library in a few words: its messages can carry several KB of
    SQL (a `DbError` quotes the statement that failed)."""
    text = str(error)
    if any(mark in text for mark in DAMAGED):
        return "the file is damaged"
    if any(mark in text for mark in READ_ONLY):
        return "the file or its folder is read-only"
    if any(mark in text for mark in IN_USE):
        return "Anki has it open"
    quoted = SQLITE_MESSAGE.search(text)  # a DbError's SQLite message, without the SQL
    first = quoted.group(1) if quoted else text.strip().partition("\n")[0]
    first = first or type(error).__name__
    return first if len(first) <= REASON_LIMIT else first[: REASON_LIMIT - 1] + "\u2026"


def _refusal(path: Path, error: Exception) -> TrainerError:
    version = _stored_version(path)
    if version is not None and version > _newest_version():
        return TrainerError(
            f"{path}: the collection was written by a newer Anki (schema {version}) than this "
            "trainer's anki library understands; upgrade the trainer (pip install -U anki). "
            "Nothing was changed"
        )
    why = reason(error)
    if why == "the file is damaged":
        advice = (
            "Open it in Anki and run Tools > Check Database, or restore a backup "
            "(File > Switch Profile > Open Backup)"
        )
    elif why == "the file or its folder is read-only":
        advice = "Make it writable for your user, then run trainer sync again"
    else:
        advice = "Close Anki (and let it finish syncing), then run trainer sync again"
    return TrainerError(
        f"{path}: cannot open the collection ({why}). {advice}. Nothing was changed"
    )


def _require_library() -> None:
    try:
        import anki  # noqa: F401
    except ImportError:
        raise TrainerError(
            "trainer sync needs the official anki package: pip install 'anki>=25.2' "
            "(or install the trainer with its [anki] extra)"
        ) from None


def open_collection(path: Path) -> Collection:
    """The collection at `path`, opened for writing; TrainerError if it is missing, in use by
    Anki or too new."""
    _require_collection(path)
    _require_library()
    from anki.collection import Collection
    from anki.errors import BackendError

    try:
        return Collection(str(path))
    except BackendError as error:
        raise _refusal(path, error) from None


def _require_collection(path: Path) -> None:
    """Refuse a path that is no Anki collection: nothing there, or a file of another kind."""
    if not path.is_file():
        raise TrainerError(f"{path}: no Anki collection there; choose one with --collection PATH")
    why = _not_a_collection(path)
    if why is not None:
        raise TrainerError(
            f"{path}: not an Anki collection ({why}); choose your profile's collection.anki2 "
            "with --collection PATH. Nothing was changed"
        )


@contextmanager
def open_copy(path: Path) -> Iterator[Collection]:
    """A scratch copy of the collection at `path`, for a dry run; the original's bytes are
    only read. Anki keeps a write-ahead log beside the collection while it has it open (and
    removes it on closing), so that file's presence refuses as `open_collection` does; the
    copy is opened by the library, so a too-new collection is refused too."""
    _require_collection(path)
    if path.with_name(path.name + WRITE_AHEAD_LOG).exists():
        raise _refusal(path, TrainerError("already open: its write-ahead log is present"))
    _require_library()
    from anki.collection import Collection
    from anki.errors import BackendError

    with tempfile.TemporaryDirectory(prefix="trainer-sync-") as directory:
        copy = Path(directory) / COLLECTION_FILE
        shutil.copyfile(path, copy)
        try:
            collection = Collection(str(copy))
        except BackendError as error:
            raise _refusal(path, error) from None
        try:
            yield collection
        finally:
            collection.close()


def backup(collection: Collection, path: Path) -> Path:
    """A full backup of the open collection at `path` in the profile's backups/ folder (where
    Anki's File > Switch Profile > Open Backup looks), made before the first write; returns
    the backup's file. Only the trainer's newest `KEPT_BACKUPS` are kept.

    The library's own `create_backup` reads the collection's file through a second descriptor
    and closes it, and closing any descriptor of a file drops all the process's POSIX locks
    on it: Anki, or another sync, could then open the collection while this sync writes it.
    So the collection is copied by SQLite through the connection that holds the lock
    (`VACUUM INTO` a scratch file), and the copy is what the library packs as a backup."""
    from anki.collection import Collection
    from anki.errors import BackendError

    folder = _backup_folder(path)
    target = folder / datetime.now().strftime(BACKUP_NAME)
    assert collection.db is not None  # open until the sync closes it
    try:
        with tempfile.TemporaryDirectory(prefix=".trainer-backup-", dir=folder) as scratch:
            snapshot = Path(scratch) / COLLECTION_FILE
            collection.db.execute("VACUUM INTO ?", str(snapshot))
            Collection(str(snapshot)).export_collection_package(
                str(target), include_media=False, legacy=False
            )
    except (BackendError, OSError) as error:
        raise TrainerError(
            f"{folder}: cannot back up the collection there ({reason(error)}); nothing was changed"
        ) from None
    for old in sorted(folder.glob(BACKUP_PATTERN))[:-KEPT_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def _backup_folder(path: Path) -> Path:
    """The profile's backups/ folder, made if missing; TrainerError if something else is
    there (a file, a link to nowhere)."""
    folder = path.parent / BACKUP_DIRECTORY
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        what = (
            "a link to nothing"
            if folder.is_symlink() and not folder.exists()
            else "not a folder"
            if folder.exists()
            else error.strerror
        )
        raise TrainerError(
            f"{folder}: cannot keep the collection's backup there ({what}); Anki keeps the "
            "profile's backups in that folder: move what is there away, then sync again. "
            "Nothing was changed"
        ) from None
    return folder
