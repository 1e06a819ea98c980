"""Daily backups: before the first write of a day, a consistent copy (SQLite's online backup
API, WAL content included) into `backups/` beside the database; the newest KEEP_BACKUPS stay."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from trainer.store.guard import connect_read_only
from trainer.store.paths import backup_dir

KEEP_BACKUPS = 7


def backup_path(db_path: Path, day: date) -> Path:
    return backup_dir(db_path) / f"{db_path.stem}-{day.isoformat()}{db_path.suffix}"


def backups(db_path: Path) -> list[Path]:
    """Existing backups of `db_path`, oldest first (ISO dates sort by time)."""
    pattern = f"{db_path.stem}-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]{db_path.suffix}"
    return sorted(backup_dir(db_path).glob(pattern))


def daily_backup(db_path: Path, today: date) -> Path | None:
    """Copy `db_path` unless today's copy exists; returns the new copy's path."""
    target = backup_path(db_path, today)
    if target.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)  # a copy cut short by a kill: start afresh
    with closing(connect_read_only(db_path)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)
    partial.replace(target)
    for old in backups(db_path)[:-KEEP_BACKUPS]:
        old.unlink()
    return target
