"""Opening the user's Anki collection with the official `anki` library, or refusing clearly.

Anki must be closed: its backend holds the collection locked while it runs, and a collection
written by a newer Anki than the library knows is refused before anything is written. A dry run
works on a copy made in a scratch directory, so the user's file stays byte for byte as it was.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
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
            return db.execute("SELECT ver FROM col").fetchone()[0]
    except sqlite3.Error:
        return None


def _newest_version() -> int:
    """The schema version the library writes (and so the newest it understands)."""
    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as directory:
        collection = Collection(str(Path(directory) / COLLECTION_FILE))
        try:
            assert collection.db is not None  # just opened
            return collection.db.scalar("SELECT ver FROM col")
        finally:
            collection.close()


def _refusal(path: Path, detail: str) -> TrainerError:
    version = _stored_version(path)
    if version is not None and version > _newest_version():
        return TrainerError(
            f"{path}: the collection was written by a newer Anki (schema {version}) than this "
            "trainer's anki library understands; upgrade the trainer (pip install -U anki). "
            "Nothing was changed"
        )
    return TrainerError(
        f"{path}: cannot open the collection ({detail}). Close Anki (and let it finish "
        "syncing), then run trainer sync again. Nothing was changed"
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
    if not path.is_file():
        raise TrainerError(f"{path}: no Anki collection there; choose one with --collection PATH")
    _require_library()
    from anki.collection import Collection
    from anki.errors import DBError

    try:
        return Collection(str(path))
    except DBError as error:
        raise _refusal(path, str(error)) from None


@contextmanager
def open_copy(path: Path) -> Iterator[Collection]:
    """A scratch copy of the collection at `path`, for a dry run; the original's bytes are
    only read. Anki keeps a write-ahead log beside the collection while it has it open (and
    removes it on closing), so that file's presence refuses as `open_collection` does; the
    copy is opened by the library, so a too-new collection is refused too."""
    if not path.is_file():
        raise TrainerError(f"{path}: no Anki collection there; choose one with --collection PATH")
    if path.with_name(path.name + WRITE_AHEAD_LOG).exists():
        raise _refusal(path, "its write-ahead log is present: Anki has it open")
    _require_library()
    from anki.collection import Collection
    from anki.errors import DBError

    with tempfile.TemporaryDirectory(prefix="trainer-sync-") as directory:
        copy = Path(directory) / COLLECTION_FILE
        shutil.copyfile(path, copy)
        try:
            collection = Collection(str(copy))
        except DBError as error:
            raise _refusal(path, str(error)) from None
        try:
            yield collection
        finally:
            collection.close()


def backup(collection: Collection, path: Path) -> Path:
    """A full backup in the profile's backups/ folder, made before the first write."""
    folder = path.parent / BACKUP_DIRECTORY
    folder.mkdir(exist_ok=True)
    collection.create_backup(backup_folder=str(folder), force=True, wait_for_completion=True)
    return folder
