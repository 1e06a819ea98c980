"""One review session, or one `trainer sync`, per database at a time.

Two sessions on one database would show the same cards and grade them twice, and a sync
writes the schedules a session shows, so a second one is refused with a clear message that
says what is running. The lock is an exclusive SQLite transaction on a small file beside the
database, the database's real file (symlinks resolved; a database with hard links is refused
before this, `trainer.store.guard`), so opening it through another path to the same file meets
the same lock: the operating system releases it when the holder exits, even on SIGKILL, so
there is never a stale lock to clean up. Readers (`stats`, `due`) do not take it. Who holds it
is written in a second small file, read only by a refused opener (the lock's file cannot be
read while it is held).

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
from contextlib import suppress
from pathlib import Path

from trainer.errors import TrainerError
from trainer.store.paths import lock_path

REVIEW = "review"
SYNC = "sync"
HOLDER_SUFFIX = ".holder"


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


def _holder_path(path: Path) -> Path:
    return path.with_name(path.name + HOLDER_SUFFIX)


def _holder(path: Path) -> tuple[str, str]:
    """What holds the lock at `path` and its process id, as it wrote them; a review session
    when that cannot be read (a holder from before this file was written)."""
    try:
        activity, pid = _holder_path(path).read_text(encoding="ascii").split()
    except (OSError, ValueError, UnicodeDecodeError):
        return REVIEW, ""
    return (activity, pid) if activity in (REVIEW, SYNC) else (REVIEW, "")


def _refusal(db_path: Path, path: Path, activity: str) -> SessionOpenError:
    holder, pid = _holder(path)
    process = f" (process {pid})" if pid.isdigit() else ""
    again = "start the review again" if activity == REVIEW else "sync again"
    if holder == SYNC:
        message = f"trainer sync is running on {db_path}{process}; wait for it to end, then {again}"
    elif activity == REVIEW:
        message = (
            f"another review session is open on {db_path}{process}; finish it (press q there) "
            "before starting a new one"
        )
    else:
        message = (
            f"a review session is open on {db_path}{process}; finish it (press q there), "
            f"then {again}"
        )
    return SessionOpenError(message)


class SessionLock:
    def __init__(self, db_path: Path, activity: str = REVIEW) -> None:
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
            raise _refusal(db_path, path, activity) from None
        except OSError as error:
            self._connection.close()
            raise TrainerError(
                f"{path}: cannot lock the review session: {error.strerror or error}"
            ) from None
        with suppress(OSError):  # without it only a refused opener's message is less precise
            _holder_path(path).write_text(f"{activity} {os.getpid()}\n", encoding="ascii")

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
