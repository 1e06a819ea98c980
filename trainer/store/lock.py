"""One review session per database at a time.

Two sessions on one database would show the same cards and grade them twice, so the second
one is refused with a clear message. The lock is an exclusive SQLite transaction on a small
file beside the database, the database's real file (symlinks resolved; a database with hard
links is refused before this, `trainer.store.guard`), so opening it through another path to
the same file meets the same lock: the operating system releases it when the holder exits,
even on SIGKILL, so there is never a stale lock to clean up. Readers (`stats`, `due`) do not
take it.

The lock never fails open. A lock file this process cannot write (left by a session run as
another user, or made immutable) would let SQLite open it read-only, and a read-only
connection's "exclusive" transaction locks nothing: such a file is refused. A lock file
deleted or replaced while a session holds it would let a second session lock a new one: the
holder checks, inside each of its write transactions, that the file it locked is still the
one at the path (`check`), and refuses to write if not.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from trainer.errors import TrainerError
from trainer.store.paths import lock_path


class SessionOpenError(TrainerError):
    pass


class SessionLockLost(TrainerError):
    """The lock file was deleted or replaced while the session held it."""


def _identity(status: os.stat_result) -> tuple[int, int]:
    return status.st_dev, status.st_ino


def _writable(path: Path) -> None:
    """Open the lock file for writing as SQLite will, or refuse. Done before SQLite opens it:
    closing a descriptor of a file drops every lock this process holds on it."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as error:
        raise TrainerError(
            f"{path}: cannot lock the review session: {error.strerror or error}; delete that "
            "file (a session run as another user, e.g. with sudo, may have left it) and start again"
        ) from None


class SessionLock:
    def __init__(self, db_path: Path) -> None:
        path = lock_path(db_path.resolve())
        self._path = path
        _writable(path)
        self._connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            self._connection.execute("BEGIN EXCLUSIVE")
            self._held = _identity(path.stat())
        except sqlite3.OperationalError as error:
            self._connection.close()
            if error.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise TrainerError(f"{path}: cannot lock the review session: {error}") from None
            raise SessionOpenError(
                f"another review session is open on {db_path}; finish it (press q there) "
                "before starting a new one"
            ) from None
        except OSError as error:
            self._connection.close()
            raise TrainerError(
                f"{path}: cannot lock the review session: {error.strerror or error}"
            ) from None

    def check(self) -> None:
        """Raise SessionLockLost unless the file at the lock's path is the one locked."""
        try:
            same = _identity(self._path.stat()) == self._held
        except OSError:
            same = False
        if not same:
            raise SessionLockLost(
                f"{self._path}: the review session's lock file was deleted or replaced while "
                "this session ran, so another session may be open on the same database: "
                "nothing more is saved here; quit (q) and start again"
            )

    def release(self) -> None:
        self._connection.close()
