"""Hostile database conditions: a lock held by another program, a read-only database file, an
unwritable backups folder, a damaged schema, and a bank edit that hides its traces."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from tests.reliability_support import record
from tests.store_support import SMALL_BANK, run_trainer, write
from trainer.session import open_session
from trainer.store.database import open_memory
from trainer.store.guard import REQUIRED_TABLES, DatabaseError


@pytest.fixture
def made(tmp_path: Path, set_now: Callable[[str], None]) -> tuple[Path, Path]:
    """A bank and a database made by today's code, with one grade and yesterday's backup."""
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    db = tmp_path / "data" / "reviews.sqlite3"
    with open_session(bank, db) as session:
        card = session.current()
        assert card is not None
        session.grade(card, 4, 1000)
    set_now("2026-03-02T09:00:00")
    open_session(bank, db).close()
    return bank, db


def _env(db: Path) -> dict[str, str]:
    return {"TRAINER_DB": str(db), "TRAINER_NOW": "2026-03-02T10:00:00"}


HOLD_LOCK = """
import sqlite3, sys
other = sqlite3.connect(sys.argv[1], isolation_level=None)
other.execute("PRAGMA journal_mode = DELETE")
other.execute("BEGIN EXCLUSIVE")
other.execute("SELECT count(*) FROM items").fetchone()
print("locked", flush=True)
sys.stdin.readline()
"""


@contextmanager
def _held_by_another_program(db: Path) -> Iterator[None]:
    """An exclusive lock as a database browser would take it (rollback-journal mode), in
    another process: closing any descriptor of the file here would drop a lock held here."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.communicate("\n", timeout=30)


def test_a_database_locked_by_another_program_is_not_called_corrupt(
    made: tuple[Path, Path], set_now: Callable[[str], None]
) -> None:
    bank, db = made
    set_now("2026-03-03T09:00:00")  # the first open of a day reads the most
    with _held_by_another_program(db):
        before = db.read_bytes()
        result = run_trainer("due", str(bank), extra_env=_env(db))
        with pytest.raises(DatabaseError, match="locked by another program") as error:
            open_session(bank, db)
        assert db.read_bytes() == before
    for message in (result.stderr, str(error.value)):
        assert "locked by another program" in message
        assert "restore" not in message and "backups" not in message
    assert result.returncode == 1
    with open_session(bank, db):  # once the other program lets go, all is well
        pass
    record("database: locked by another program", inputs=2)


def _mount(*args: str) -> bool:
    try:
        return (
            subprocess.run(
                ["mount", *args], check=False, capture_output=True, timeout=10
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


@contextmanager
def _read_only_file(path: Path) -> Iterator[bool]:
    """`path` bind-mounted read-only over itself (True), or False where mounting is not
    allowed. The tests run as root, whom file modes do not stop."""
    mounted = _mount("--bind", str(path), str(path))
    if mounted and not _mount("-o", "remount,ro,bind", str(path)):
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True, timeout=10)
        mounted = False
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(
                ["umount", "-l", str(path)], check=False, capture_output=True, timeout=10
            )


def test_a_read_only_database_file_is_refused_at_start(made: tuple[Path, Path]) -> None:
    bank, db = made
    with _read_only_file(db) as mounted:
        if not mounted and os.access(db, os.W_OK):
            db.chmod(0o444)
            if os.access(db, os.W_OK):
                pytest.skip("cannot make a file read-only here (root without mount)")
        with pytest.raises(DatabaseError, match="the file is read-only"):
            open_session(bank, db)
        for command in ("due", "stats"):  # readers still read it
            assert run_trainer(command, str(bank), extra_env=_env(db)).returncode == 0
    record("database: read-only file", inputs=1)


def _backups_a_file(backups: Path) -> None:
    shutil.rmtree(backups)
    backups.write_text("not a folder")


def _backups_a_dangling_symlink(backups: Path) -> None:
    shutil.rmtree(backups)
    backups.symlink_to(backups.parent / "gone" / "backups")


def _backups_a_symlink_to_a_file(backups: Path) -> None:
    shutil.rmtree(backups)
    target = write(backups.parent / "plain-file", "x")
    backups.symlink_to(target)


UNWRITABLE_BACKUPS = {
    "a file": _backups_a_file,
    "a dangling symlink": _backups_a_dangling_symlink,
    "a symlink to a file": _backups_a_symlink_to_a_file,
}


@pytest.mark.parametrize("case", UNWRITABLE_BACKUPS)
def test_an_unwritable_backups_folder_is_named(
    case: str, made: tuple[Path, Path], set_now: Callable[[str], None]
) -> None:
    bank, db = made
    UNWRITABLE_BACKUPS[case](db.parent / "backups")
    set_now("2026-03-03T09:00:00")  # a new day: a backup is due
    before = db.read_bytes()
    with pytest.raises(DatabaseError, match="cannot write the daily backup") as error:
        open_session(bank, db)
    assert str(db.parent / "backups") in str(error.value)
    assert db.read_bytes() == before
    record("database: unwritable backups folder", inputs=1)


def test_the_required_tables_are_those_of_a_fresh_database() -> None:
    with closing(open_memory()) as connection:
        names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    assert names >= REQUIRED_TABLES


@pytest.mark.parametrize("table", sorted(REQUIRED_TABLES))
def test_a_dropped_table_is_a_clear_error_everywhere(table: str, made: tuple[Path, Path]) -> None:
    bank, db = made
    with closing(sqlite3.connect(db)) as connection:
        connection.execute(f"DROP TABLE {table}")
        connection.commit()
    before = db.read_bytes()
    with pytest.raises(DatabaseError, match="damaged schema"):
        open_session(bank, db)
    for command in ("due", "stats"):
        result = run_trainer(command, str(bank), extra_env=_env(db))
        assert result.returncode == 1
        assert "damaged schema" in result.stderr
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    record("database: damaged schema", inputs=1, commands=3)


EDITED = SMALL_BANK.replace("When were the talks held?", "When were the talks HELD?")


def _touch_back(bank: Path) -> None:
    """An edit, then `touch -d` puts the old mtime back."""
    status = bank.stat()
    bank.write_text(EDITED, encoding="utf-8")
    os.utime(bank, ns=(status.st_atime_ns, status.st_mtime_ns))


def _copy_preserving(bank: Path) -> None:
    """`cp -p` of an edited copy with the original's time over the bank (same inode)."""
    status = bank.stat()
    edited = write(bank.parent / "edited.yaml", EDITED)
    os.utime(edited, ns=(status.st_atime_ns, status.st_mtime_ns))
    shutil.copy2(edited, bank)


def _rsync_times(bank: Path) -> None:
    """`rsync -t`: a new file with the old time renamed over the bank (a new inode)."""
    status = bank.stat()
    temporary = write(bank.parent / ".cards.yaml.rsync", EDITED)
    os.utime(temporary, ns=(status.st_atime_ns, status.st_mtime_ns))
    temporary.replace(bank)


HIDDEN_EDITS = {"touch -d": _touch_back, "cp -p": _copy_preserving, "rsync -t": _rsync_times}


@pytest.mark.parametrize("case", HIDDEN_EDITS)
def test_a_bank_edit_that_keeps_size_and_mtime_is_noticed(
    case: str, made: tuple[Path, Path]
) -> None:
    bank, db = made
    size, mtime = bank.stat().st_size, bank.stat().st_mtime_ns
    threading.Event().wait(0.01)  # the ctime moves on
    HIDDEN_EDITS[case](bank)
    assert (bank.stat().st_size, bank.stat().st_mtime_ns) == (size, mtime)
    open_session(bank, db).close()
    with closing(sqlite3.connect(db)) as connection:
        query = "SELECT prompt FROM items WHERE id = 'talks-date'"
        (prompt,) = connection.execute(query).fetchone()
    assert prompt == "When were the talks HELD?"
    record("database: bank edits keeping size and mtime", inputs=1)


def test_a_database_synced_before_the_ctime_was_recorded_still_works(
    made: tuple[Path, Path],
) -> None:
    """Databases made before this change have no ctime (-1 once upgraded): the digest
    decides."""
    from trainer.library import is_current
    from trainer.store.banks import all_banks

    bank, db = made
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("UPDATE banks SET ctime_ns = -1")
        connection.commit()
        (stored,) = all_banks(connection)
        assert stored.file is not None and stored.file.ctime_ns == -1
        assert is_current(stored.file, bank)
        _touch_back(bank)
        assert not is_current(stored.file, bank)
