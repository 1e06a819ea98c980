"""One review session per database at a time.

Two sessions on one database would show the same cards and grade them twice, so the second
one is refused with a clear message. The lock is an exclusive SQLite transaction on a small
file beside the database, the database's real file (symlinks resolved), so opening it through
another path to the same file meets the same lock: the operating system releases it when
the holder exits, even on SIGKILL, so there is never a stale lock to clean up. Readers
(`stats`, `due`) do not take it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trainer.errors import TrainerError
from trainer.store.paths import lock_path


class SessionOpenError(TrainerError):
    pass


class SessionLock:
    def __init__(self, db_path: Path) -> None:
        path = lock_path(db_path.resolve())
        self._connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            self._connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            self._connection.close()
            if error.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise TrainerError(f"{path}: cannot lock the review session: {error}") from None
            raise SessionOpenError(
                f"another review session is open on {db_path}; finish it (press q there) "
                "before starting a new one"
            ) from None

    def release(self) -> None:
        self._connection.close()
