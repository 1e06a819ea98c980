"""`merge.answer_stamps` (migrations m013, m018, m019): what `trainer sync` compares with
Anki's log (Unix milliseconds),
kept per item until its answers change, equals a fresh reading of the log whatever writes it,
and an unchanged log is not read again."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.store_support import plans, session_over
from trainer.model import Bank
from trainer.store import merge
from trainer.store.database import open_for_writing
from trainer.store.log import KINDS
from trainer.store.mirror import mirror_bank
from trainer.store.schema import migrations

TODAY = date(2026, 3, 1)
BANK = 1
LOG_READS = {"reviews", "idx_reviews_item"}
"""What a reading of the log opens (the table, or the index of its items)."""


def fresh_reading(connection: sqlite3.Connection) -> dict[str, str]:
    """The milliseconds read straight from the log, for every item: as logged, else the start
    of the Unix second logged, else of the local time read in the machine's zone with Python's
    clock arithmetic."""
    found: dict[str, list[int]] = {
        item_id: [] for (item_id,) in connection.execute("SELECT id FROM items")
    }
    rows = connection.execute(
        "SELECT item_id, reviewed_at, unix_time, unix_ms, kind FROM reviews WHERE bank_id = ?",
        (BANK,),
    )
    for item_id, moment, unix_time, unix_ms, kind in rows:
        if item_id in found and kind in merge.ANSWER_KINDS:
            local = int(datetime.fromisoformat(moment).timestamp())
            second = local if unix_time is None else unix_time
            found[item_id].append(second * 1000 if unix_ms is None else unix_ms)
    return {item_id: merge.joined(seconds) for item_id, seconds in found.items() if seconds}


def change_the_log(connection: sqlite3.Connection, rng: random.Random) -> str:
    """One random write to the log, as a session, an undo, a sync or a hand edit makes it (with
    or without its Unix time)."""
    ids = [item_id for (item_id,) in connection.execute("SELECT id FROM items")]
    rows = [row_id for (row_id,) in connection.execute("SELECT id FROM reviews")]
    action = rng.choice(["insert", "insert", "delete", "move", "retime", "rekind", "stamp"])
    if action != "insert" and not rows:
        action = "insert"
    day = TODAY - timedelta(days=rng.randint(0, 40))
    moment = f"{day}T{rng.randint(0, 23):02}:{rng.randint(0, 59):02}:{rng.randint(0, 59):02}"
    target = rng.choice(rows) if rows else 0
    statements = {
        "insert": (
            "INSERT INTO reviews (item_id, reviewed_at, unix_time, study_day, kind, grade,"
            " bank_id) VALUES (?, ?, ?, ?, ?, 4, ?)",
            (
                rng.choice([*ids, "not-stored"]),
                moment,
                rng.choice([None, int(datetime.fromisoformat(moment).timestamp()) + 7]),
                day.isoformat(),
                rng.choice(KINDS),
                rng.choice([BANK, BANK, 2]),
            ),
        ),
        "delete": ("DELETE FROM reviews WHERE id = ?", (target,)),
        "move": ("UPDATE reviews SET item_id = ? WHERE id = ?", (rng.choice(ids), target)),
        "retime": (
            "UPDATE reviews SET reviewed_at = ?, unix_time = ? WHERE id = ?",
            (moment, rng.choice([None, rng.randint(0, 2**40)]), target),
        ),
        "rekind": ("UPDATE reviews SET kind = ? WHERE id = ?", (rng.choice(KINDS), target)),
        "stamp": (
            "UPDATE reviews SET unix_ms = ? WHERE id = ?",
            (rng.choice([None, rng.randint(0, 2**40)]), target),
        ),
    }
    connection.execute(*statements[action])
    return action


@pytest.mark.parametrize("seed", range(8))
def test_the_kept_seconds_equal_a_fresh_reading_whatever_writes_the_log(
    fresh_db: sqlite3.Connection, small_bank: Bank, set_now, seed: int
) -> None:
    rng = random.Random(seed)
    mirror_bank(fresh_db, small_bank)
    actions = []
    for _ in range(60):
        for _ in range(rng.randint(1, 4)):
            actions.append(change_the_log(fresh_db, rng))
        assert merge.answer_stamps(fresh_db, BANK) == fresh_reading(fresh_db), actions
    assert {"insert", "delete", "move", "retime", "rekind", "stamp"} <= set(actions)


def test_a_session_and_its_undo_are_seen(fresh_db, small_bank: Bank, set_now) -> None:
    session = session_over(small_bank, fresh_db)
    assert merge.answer_stamps(fresh_db, BANK) == {}
    card = session.current()
    session.grade(card, 4, 1000)
    answered = merge.answer_stamps(fresh_db, BANK)
    moment = int(datetime(2026, 3, 1, 9).timestamp()) * 1000
    assert answered == {card.item.id: merge.joined([moment])}
    session.undo()
    assert merge.answer_stamps(fresh_db, BANK) == {}


def test_an_unchanged_log_is_not_read_again(fresh_db, small_bank: Bank, set_now) -> None:
    session = session_over(small_bank, fresh_db)
    for _ in range(3):
        session.grade(session.current(), 4, 1000)
    first = plans(fresh_db, lambda c: merge.answer_stamps(c, BANK))
    assert first.opened & LOG_READS
    again = plans(fresh_db, lambda c: merge.answer_stamps(c, BANK))
    assert not again.opened & LOG_READS, again.opened
    session.grade(session.current(), 4, 1000)
    one_more = plans(fresh_db, lambda c: merge.answer_stamps(c, BANK))
    assert "idx_reviews_item" in one_more.opened  # the changed item's answers, by its index
    assert "reviews" not in one_more.scanned


def test_the_upgrade_keeps_nothing_and_reads_the_existing_log(
    tmp_path: Path, small_bank: Bank, set_now
) -> None:
    path = tmp_path / "reviews.sqlite3"
    connection = open_for_writing(path)
    session = session_over(small_bank, connection)
    for _ in range(4):
        session.grade(session.current(), 5, 1000)
    expected = fresh_reading(connection)
    connection.close()
    connection = sqlite3.connect(path, isolation_level=None)  # back to schema 12, by hand
    for statement in (
        *(
            f"DROP TRIGGER {name}"
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'reviews_forget_anki_seconds_%'"
            ).fetchall()
        ),
        "DROP INDEX idx_reviews_item",
        "DROP TABLE anki_seconds",
        "ALTER TABLE reviews DROP COLUMN unix_time",
        "DELETE FROM _sqlite_migrations WHERE name = 'm013_anki_seconds'",
        "PRAGMA user_version = 12",
    ):
        connection.execute(statement)
    pending = [migration.name for migration in migrations.pending(Database(connection))]
    assert pending == ["m013_anki_seconds"]
    connection.close()
    connection = open_for_writing(path)
    try:
        unconverted = "SELECT count(*) FROM reviews WHERE unix_time IS NULL"
        assert connection.execute(unconverted).fetchone()[0] == 0
        assert merge.answer_stamps(connection, BANK) == expected
        assert len([s for s in expected.values() if s]) == 4
    finally:
        connection.close()


def test_the_upgrade_to_text_forgets_the_packed_seconds(
    tmp_path: Path, small_bank: Bank, set_now
) -> None:
    """m018: the seconds were kept as packed machine integers; kept as text since, they are
    read again from the log, never compared in the old form."""
    path = tmp_path / "reviews.sqlite3"
    connection = open_for_writing(path)
    session = session_over(small_bank, connection)
    session.grade(session.current(), 5, 1000)
    expected = merge.answer_stamps(connection, BANK)  # and kept
    assert expected == fresh_reading(connection) != {}
    connection.close()
    connection = sqlite3.connect(path, isolation_level=None)  # back to schema 17, by hand
    for statement in (
        "UPDATE anki_seconds SET seconds = X'00'",
        "DELETE FROM _sqlite_migrations WHERE name = 'm018_anki_seconds_as_text'",
        "PRAGMA user_version = 17",
    ):
        connection.execute(statement)
    assert connection.execute("SELECT count(*) FROM anki_seconds").fetchone()[0] > 0
    connection.close()
    connection = open_for_writing(path)
    try:
        assert merge.answer_stamps(connection, BANK) == expected
    finally:
        connection.close()
