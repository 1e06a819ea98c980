"""Database faults: truncated files and WAL leftovers, a half-written backup, a full disk, a
read-only location, and restoring a backup. A database the trainer refuses is left
byte-for-byte as it was; one it accepts keeps every committed grade.
(tests/test_store_guard.py covers random bytes, corrupt pages, foreign and newer files.)"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from tests.reliability_support import read_only_view, record, tiny_tmpfs
from tests.store_support import SMALL_BANK, run_trainer, synthetic_bank, write
from trainer.errors import TrainerError
from trainer.session import open_session
from trainer.store.backup import backup_path
from trainer.store.database import integrity_ok, open_for_writing
from trainer.store.guard import SCHEMA_VERSION, DatabaseError

DAY_1 = "2026-03-01T09:00:00"
DAY_2 = "2026-03-02T09:00:00"
DAY_3 = "2026-03-03T09:00:00"


def reviewed_db(bank_path: Path, db: Path, grades: int, now: str, monkeypatch) -> Path:
    monkeypatch.setenv("TRAINER_NOW", now)
    with open_session(bank_path, db) as session:
        for _ in range(grades):
            card = session.current()
            assert card is not None
            session.grade(card, 4, 1000)
    return db


def reviews_in(db: Path) -> int:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return connection.execute("SELECT count(*) FROM reviews").fetchone()[0]


@pytest.fixture
def bank_path(tmp_path: Path) -> Path:
    settings = "  new_per_day: 100\n"
    return write(tmp_path / "cards.yaml", synthetic_bank(40, deck_settings=settings))


# -- truncation --------------------------------------------------------------------------------

CUTS = ["header", "first page", "half", "all but one byte"]


def cut_length(kind: str, size: int) -> int:
    return {
        "header": 50,
        "first page": 4096 + 100,
        "half": size // 2,
        "all but one byte": size - 1,
    }[kind]


@pytest.mark.parametrize("cut", CUTS)
def test_a_truncated_database_is_refused_and_left_untouched(
    cut: str, tmp_path: Path, bank_path: Path, monkeypatch
) -> None:
    db = reviewed_db(bank_path, tmp_path / "reviews.sqlite3", 30, DAY_1, monkeypatch)
    data = db.read_bytes()
    assert len(data) > 3 * 4096
    db.write_bytes(data[: cut_length(cut, len(data))])
    before = db.read_bytes()
    for command in (["due"], ["stats", "--json"], ["review"]):
        result = run_trainer(
            *command, str(bank_path), "--db", str(db), extra_env={"TRAINER_NOW": DAY_2}
        )
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert "left untouched" in result.stderr or "not a usable" in result.stderr, result.stderr
        assert db.read_bytes() == before
    monkeypatch.setenv("TRAINER_NOW", DAY_2)
    with pytest.raises(DatabaseError):
        open_session(bank_path, db)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("backups/*-2026-03-02.*"))
    record("db: truncated database refused, untouched", databases=1)


# -- WAL leftovers -----------------------------------------------------------------------------


def copy_with_wal(source: Path, target: Path, write_more) -> None:
    """Copy `source` and its -wal while a connection still holds un-checkpointed commits,
    as a crash would leave them."""
    connection = sqlite3.connect(source, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        write_more(connection)
        shutil.copyfile(source, target)
        shutil.copyfile(f"{source}-wal", f"{target}-wal")
    finally:
        connection.close()


def test_committed_grades_in_a_leftover_wal_are_kept(
    tmp_path: Path, bank_path: Path, monkeypatch
) -> None:
    original = reviewed_db(bank_path, tmp_path / "original.sqlite3", 5, DAY_1, monkeypatch)

    def grade_ten(connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(
            "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade)"
            " SELECT item_id, reviewed_at, study_day, kind, grade FROM reviews"
        )
        connection.execute(
            "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade)"
            " SELECT item_id, reviewed_at, study_day, kind, grade FROM reviews"
        )

    crashed = tmp_path / "run" / "reviews.sqlite3"
    crashed.parent.mkdir()
    copy_with_wal(original, crashed, grade_ten)
    assert Path(f"{crashed}-wal").stat().st_size > 0
    result = run_trainer(
        "stats", "--json", str(bank_path), "--db", str(crashed), extra_env={"TRAINER_NOW": DAY_1}
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reviews_total"] == 20
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    with open_session(bank_path, crashed):
        pass
    assert integrity_ok(crashed)
    assert reviews_in(crashed) == 20
    record("db: WAL leftovers", databases=1)


def test_a_newer_database_with_a_leftover_wal_is_refused_and_untouched(
    tmp_path: Path, bank_path: Path, monkeypatch
) -> None:
    original = reviewed_db(bank_path, tmp_path / "original.sqlite3", 3, DAY_1, monkeypatch)

    def become_newer(connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        connection.execute("DELETE FROM reviews")

    crashed = tmp_path / "run" / "reviews.sqlite3"
    crashed.parent.mkdir()
    copy_with_wal(original, crashed, become_newer)
    wal = Path(f"{crashed}-wal")
    before = (crashed.read_bytes(), wal.read_bytes())
    for command in (["due"], ["stats"], ["review"]):
        result = run_trainer(*command, str(bank_path), "--db", str(crashed))
        assert result.returncode == 1, result.stderr
        assert "newer trainer" in result.stderr
        assert (crashed.read_bytes(), wal.read_bytes()) == before
    assert not (crashed.parent / "backups").exists()
    record("db: WAL leftovers", databases=1)


def test_a_garbage_wal_beside_a_good_database_changes_nothing(
    tmp_path: Path, bank_path: Path, monkeypatch
) -> None:
    db = reviewed_db(bank_path, tmp_path / "reviews.sqlite3", 7, DAY_1, monkeypatch)
    Path(f"{db}-wal").write_bytes(bytes(range(256)) * 40)
    result = run_trainer("stats", "--json", str(bank_path), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reviews_total"] == 7
    reviewed_db(bank_path, db, 1, DAY_1, monkeypatch)
    assert integrity_ok(db)
    assert reviews_in(db) == 8
    record("db: WAL leftovers", databases=1)


# -- backups -----------------------------------------------------------------------------------


def test_a_half_written_backup_from_a_killed_process_does_not_block_the_next_day(
    tmp_path: Path, bank_path: Path, monkeypatch
) -> None:
    """Regression: a `.partial` left by a kill during the daily backup made every later
    open that day fail with "file is not a database"."""
    db = reviewed_db(bank_path, tmp_path / "reviews.sqlite3", 3, DAY_1, monkeypatch)
    target = backup_path(db, date.fromisoformat(DAY_2[:10]))
    target.parent.mkdir(exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    Path(f"{partial}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 500)
    reviewed_db(bank_path, db, 2, DAY_2, monkeypatch)
    assert reviews_in(db) == 5
    assert reviews_in(target) == 3  # the backup holds the state before day 2
    assert not partial.exists()
    assert not Path(f"{partial}-journal").exists()


def test_a_backup_restores_the_state_of_its_day(
    tmp_path: Path, bank_path: Path, monkeypatch
) -> None:
    db = reviewed_db(bank_path, tmp_path / "reviews.sqlite3", 6, DAY_1, monkeypatch)
    day_1_stats = json.loads(
        run_trainer(
            "stats", "--json", str(bank_path), "--db", str(db), extra_env={"TRAINER_NOW": DAY_2}
        ).stdout
    )
    reviewed_db(bank_path, db, 9, DAY_2, monkeypatch)
    reviewed_db(bank_path, db, 4, DAY_3, monkeypatch)
    assert reviews_in(db) == 19
    backup = tmp_path / "backups" / "reviews-2026-03-02.sqlite3"
    assert backup.exists()

    shutil.copyfile(backup, db)  # the user restores the day-2 backup (taken before day 2)
    stats = json.loads(
        run_trainer(
            "stats", "--json", str(bank_path), "--db", str(db), extra_env={"TRAINER_NOW": DAY_2}
        ).stdout
    )
    assert stats == day_1_stats
    assert stats["reviews_total"] == 6
    reviewed_db(bank_path, db, 1, DAY_2, monkeypatch)  # and reviewing carries on from there
    assert reviews_in(db) == 7
    record("db: a backup restores", restores=1)


# -- a full disk and a read-only location ------------------------------------------------------


def fill(path: Path) -> None:
    """Write zeros to `path` until the file system is full."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)


def test_a_full_disk_fails_the_write_clearly_and_keeps_earlier_grades(
    tmp_path: Path, monkeypatch
) -> None:
    small = write(tmp_path / "cards.yaml", SMALL_BANK)
    with tiny_tmpfs(tmp_path / "disk", "512k") as mounted:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        db = tmp_path / "disk" / "reviews.sqlite3"
        monkeypatch.setenv("TRAINER_NOW", DAY_1)
        with open_session(small, db) as session:
            session.grade(session.current(), 4, 1000)
            filler = tmp_path / "disk" / "filler"
            fill(filler)
            failures = 0
            for _ in range(20):  # fill the WAL until a commit cannot be written
                card = session.current()
                if card is None:
                    break
                try:
                    session.grade(card, 4, 1000)
                except TrainerError as error:
                    assert "full" in str(error)
                    failures += 1
                    break
            assert failures == 1
            kept = reviews_in(db)
        filler.unlink()
        assert integrity_ok(db)
        assert reviews_in(db) == kept >= 1
    record("db: full disk gives a clear error", faults=1)


def test_opening_on_a_full_disk_is_refused_clearly(tmp_path: Path, bank_path: Path) -> None:
    with tiny_tmpfs(tmp_path / "disk", "64k") as mounted:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        (tmp_path / "disk" / "filler").write_bytes(b"\0" * 40_000)
        db = tmp_path / "disk" / "reviews.sqlite3"
        result = run_trainer("review", str(bank_path), "--db", str(db))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "full" in result.stderr, result.stderr
    record("db: full disk gives a clear error", faults=1)


def test_a_read_only_location_is_refused_clearly_and_stats_still_reads(
    tmp_path: Path, bank_path: Path, monkeypatch
) -> None:
    source = tmp_path / "data"
    source.mkdir()
    reviewed_db(bank_path, source / "reviews.sqlite3", 4, DAY_1, monkeypatch)
    view = tmp_path / "view"
    with read_only_view(source, view) as mounted:
        if not mounted:
            pytest.skip("cannot make a read-only mount here (needs root)")
        db = view / "reviews.sqlite3"
        before = db.read_bytes()
        review = run_trainer(
            "review", str(bank_path), "--db", str(db), extra_env={"TRAINER_NOW": DAY_2}
        )
        assert review.returncode == 1
        assert "Traceback" not in review.stderr
        assert "read-only" in review.stderr.lower(), review.stderr
        stats = run_trainer("stats", "--json", str(bank_path), "--db", str(db))
        assert stats.returncode == 0, stats.stderr
        assert json.loads(stats.stdout)["reviews_total"] == 4
        due = run_trainer("due", str(bank_path), "--db", str(db))
        assert due.returncode == 0, due.stderr
        assert db.read_bytes() == before
    record("db: read-only location gives a clear error", faults=1)


def test_the_database_cannot_be_created_in_a_read_only_directory(
    tmp_path: Path, bank_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    with read_only_view(tmp_path / "empty", tmp_path / "view") as mounted:
        if not mounted:
            pytest.skip("cannot make a read-only mount here (needs root)")
        with pytest.raises(DatabaseError, match="read-only"):
            open_for_writing(tmp_path / "view" / "reviews.sqlite3")
