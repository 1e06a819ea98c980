"""Corrupt, foreign and newer-schema databases are refused (exit 1) and left byte-identical."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.store_support import run_trainer
from trainer.session import open_session
from trainer.store.database import open_for_writing
from trainer.store.guard import SCHEMA_VERSION, DatabaseError


def random_bytes(path: Path) -> Path:
    path.write_bytes(random.Random(7).randbytes(8192))
    return path


def corrupt_sqlite(path: Path) -> Path:
    """A real SQLite header followed by garbage pages."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 50)
        connection.commit()
    data = bytearray(path.read_bytes())
    data[100:] = random.Random(3).randbytes(len(data) - 100)
    path.write_bytes(bytes(data))
    return path


def foreign(path: Path, *, wal: bool = False) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        if wal:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        connection.execute("INSERT INTO contacts VALUES ('Asha', '123')")
        connection.commit()
    return path


def newer(path: Path) -> Path:
    connection = open_for_writing(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    return path


MAKERS = {
    "random-bytes": random_bytes,
    "corrupt-pages": corrupt_sqlite,
    "foreign": foreign,
    "foreign-wal": lambda path: foreign(path, wal=True),
    "newer-schema": newer,
}
MESSAGES = {
    "random-bytes": "not an SQLite database",
    "corrupt-pages": "not a usable review database",
    "foreign": "another application",
    "foreign-wal": "another application",
    "newer-schema": "newer trainer",
}


@pytest.mark.parametrize("kind", MAKERS)
@pytest.mark.parametrize("command", ["due", "stats", "stats --json"])
def test_cli_refuses_and_leaves_the_file_untouched(
    kind: str, command: str, tmp_path: Path, small_bank_path: Path
) -> None:
    db = MAKERS[kind](tmp_path / "reviews.sqlite3")
    before = db.read_bytes()
    result = run_trainer(*command.split(), str(small_bank_path), "--db", str(db))
    assert result.returncode == 1
    assert MESSAGES[kind] in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("kind", MAKERS)
def test_session_refuses_and_leaves_the_file_untouched(
    kind: str, tmp_path: Path, small_bank, set_now
) -> None:
    db = MAKERS[kind](tmp_path / "reviews.sqlite3")
    before = db.read_bytes()
    with pytest.raises(DatabaseError, match="left untouched"):
        open_session(small_bank.path, db)
    assert db.read_bytes() == before


def test_a_directory_is_refused(tmp_path: Path, small_bank_path: Path) -> None:
    result = run_trainer("due", str(small_bank_path), "--db", str(tmp_path))
    assert result.returncode == 1
    assert "is a directory" in result.stderr


def test_an_empty_file_becomes_a_database(tmp_path: Path, small_bank_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    db.touch()
    result = run_trainer("due", str(small_bank_path), "--db", str(db), now="2026-03-01T09:00")
    # 6 items; the second items of the reverse and the cloze note are siblings: tomorrow
    assert (result.returncode, result.stdout) == (0, "4\n")
