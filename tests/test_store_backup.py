"""Daily backups: one per day before the first write, a consistent copy, the last 7 kept."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from trainer.bank import Bank
from trainer.session import open_session
from trainer.store.backup import KEEP_BACKUPS, backups


def review_one(bank: Bank, db: Path) -> None:
    with open_session(bank.path, db) as session:
        card = session.current()
        if card is not None:
            session.grade(card, 4, 800)


def test_backups_once_a_day_and_seven_kept(tmp_path: Path, small_bank: Bank, set_now) -> None:
    db = tmp_path / "data" / "reviews.sqlite3"
    review_one(small_bank, db)
    assert backups(db) == []  # nothing to back up before the first day
    for day in range(2, 12):
        set_now(f"2026-03-{day:02d}T09:00:00")
        review_one(small_bank, db)
        review_one(small_bank, db)  # a second session the same day: no second backup
    names = [path.name for path in backups(db)]
    assert len(names) == KEEP_BACKUPS
    assert names == [f"reviews-2026-03-{day:02d}.sqlite3" for day in range(5, 12)]
    assert list((db.parent / "backups").glob("*.partial")) == []


def test_a_backup_is_a_consistent_copy_of_the_day_before(
    tmp_path: Path, small_bank: Bank, set_now
) -> None:
    db = tmp_path / "reviews.sqlite3"
    review_one(small_bank, db)
    review_one(small_bank, db)
    set_now("2026-03-02T09:00:00")
    review_one(small_bank, db)
    first_day, copy = backups(db)  # day 1's is taken before its second session's writes
    assert first_day.name == "reviews-2026-03-01.sqlite3"
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
