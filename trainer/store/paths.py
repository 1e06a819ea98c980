"""Where the review database lives: `--db`, then $TRAINER_DB, then the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

DB_VARIABLE = "TRAINER_DB"
APP_NAME = "trainer"
DB_FILENAME = "reviews.sqlite3"
BACKUP_DIRNAME = "backups"


def database_path(option: Path | None = None) -> Path:
    if option is not None:
        return option
    value = os.environ.get(DB_VARIABLE)
    if value:
        return Path(value)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_FILENAME


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / BACKUP_DIRNAME


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".session-lock")
