"""Daily backups: before the first write of a day, a consistent copy (SQLite's online backup
API, WAL content included) into `backups/` beside the database; the newest KEEP_BACKUPS stay.

"Newest" is by when a copy was made (its file time), not by the day in its name: a copy named
for a day in the future (a run with TRAINER_NOW ahead, a clock set wrong) must not outrank
every later one, or each new backup would be deleted as soon as it was made."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from trainer.store.guard import DatabaseError, connect_read_only
from trainer.store.paths import backup_dir

KEEP_BACKUPS = 7


def backup_path(db_path: Path, day: date) -> Path:
    return backup_dir(db_path) / f"{db_path.stem}-{day.isoformat()}{db_path.suffix}"


def _made(path: Path) -> tuple[int, str]:
    try:
        return path.stat().st_mtime_ns, path.name
    except FileNotFoundError:
        return 0, path.name


def backups(db_path: Path) -> list[Path]:
    """Existing backups of `db_path`, oldest first by when they were made (then by name)."""
    import glob  # here: the read-only commands import this module, and glob compiles regexes

    day = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"  # the name escaped: `r[1]?` is a name
    pattern = f"{glob.escape(db_path.stem)}-{day}{glob.escape(db_path.suffix)}"
    return sorted(backup_dir(db_path).glob(pattern), key=_made)


def daily_backup(db_path: Path, today: date) -> Path | None:
    """Copy `db_path` unless today's copy exists; returns the new copy's path. Raises
    DatabaseError naming the backups folder if it cannot be written."""
    target = backup_path(db_path, today)
    if target.exists():
        return None
    try:
        _copy(db_path, target)
    except (OSError, sqlite3.Error) as error:
        detail = error.strerror if isinstance(error, OSError) else None
        raise DatabaseError(
            f"{target.parent}: cannot write the daily backup there ({detail or error}); make "
            "that folder writable: the database is backed up there before the day's first grade"
        ) from None
    for old in [path for path in backups(db_path) if path != target][: -(KEEP_BACKUPS - 1)]:
        old.unlink()
    return target


def named_backup(db_path: Path, label: str, moment: datetime) -> Path:
    """A copy of `db_path` in `backups/`, named for `label` and `moment`, that the daily
    rotation never deletes (its name is not a day's). Raises DatabaseError as `daily_backup`."""
    target = (
        backup_dir(db_path) / f"{db_path.stem}-{label}-{moment:%Y-%m-%dT%H%M%S}{db_path.suffix}"
    )
    try:
        _copy(db_path, target)
    except (OSError, sqlite3.Error) as error:
        detail = error.strerror if isinstance(error, OSError) else None
        raise DatabaseError(
            f"{target.parent}: cannot write a backup there ({detail or error}); make that "
            "folder writable"
        ) from None
    return target


def _copy(db_path: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)  # a copy cut short by a kill: start afresh
    with closing(connect_read_only(db_path)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)
    partial.replace(target)
