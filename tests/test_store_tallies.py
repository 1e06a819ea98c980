"""The running counts of migrations m006 and m008 (per bank) equal a recount of the log,
whatever writes it, and the statistics and outlook queries read the partial indexes meant for
them."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.store_support import SMALL_BANK, plans, session_over, write
from trainer.bank import load_bank
from trainer.model import Bank
from trainer.session import Session
from trainer.sm2 import PASSING_QUALITY
from trainer.store import items, log, reports
from trainer.store.banks import all_banks
from trainer.store.database import open_for_writing
from trainer.store.guard import SCHEMA_VERSION
from trainer.store.log import KINDS, SCHEDULED_KINDS
from trainer.store.mirror import mirror_bank
from trainer.store.schema import migrations

TODAY = date(2026, 3, 1)
FIRST_TALLYING_MIGRATION = "m006_statistics_tallies"
UNSTORED_ITEM = "gone-from-the-store"


def stored_counts(connection: sqlite3.Connection) -> dict[str, object]:
    return {
        "by_day": set(connection.execute("SELECT * FROM daily_tallies")),
        "by_item": set(
            connection.execute(
                "SELECT bank_id, id, scheduled_answers, scheduled_correct FROM items"
            )
        ),
        "by_category": set(connection.execute("SELECT * FROM category_tallies")),
    }


def recount(connection: sqlite3.Connection) -> dict[str, object]:
    """The same counts, straight from every log row."""
    passed = f"sum(r.grade >= {PASSING_QUALITY})"
    scheduled = "r.kind IN (" + ", ".join(f"'{kind}'" for kind in SCHEDULED_KINDS) + ")"
    return {
        "by_day": set(
            connection.execute(
                f"SELECT bank_id, study_day, kind, count(*), {passed} FROM reviews r"
                " GROUP BY 1, 2, 3"
            )
        ),
        "by_item": set(
            connection.execute(
                f"SELECT i.bank_id, i.id, count(r.id), coalesce({passed}, 0) FROM items i"
                " LEFT JOIN reviews r ON r.bank_id = i.bank_id AND r.item_id = i.id"
                f" AND {scheduled} GROUP BY i.bank_id, i.id"
            )
        ),
        "by_category": set(
            connection.execute(
                f"SELECT i.bank_id, coalesce(i.category, ''), count(*), {passed} FROM reviews r"
                " JOIN items i ON i.bank_id = r.bank_id AND i.id = r.item_id"
                f" WHERE {scheduled} GROUP BY 1, 2"
            )
        ),
    }


def assert_counts_match(connection: sqlite3.Connection) -> None:
    assert stored_counts(connection) == recount(connection)


def insert_answers(connection: sqlite3.Connection, rng: random.Random, count: int) -> None:
    """Log rows written directly, as the benchmark does: any kind, grade and item, some for
    an id that is not stored."""
    ids = [item_id for (item_id,) in connection.execute("SELECT id FROM items")]
    connection.executemany(
        "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade) VALUES (?, ?, ?, ?, ?)",
        [
            (
                rng.choice([*ids, UNSTORED_ITEM]),
                f"{day}T10:00:00",
                day.isoformat(),
                rng.choice(KINDS),
                rng.randint(0, 5),
            )
            for day in (TODAY - timedelta(days=rng.randint(0, 40)) for _ in range(count))
        ],
    )


@pytest.fixture
def session(fresh_db: sqlite3.Connection, small_bank: Bank, set_now) -> Session:
    return session_over(small_bank, fresh_db)


def grade_all(session: Session, grade: int) -> None:
    """Every card shown today gets `grade`; re-drills of failed or hard ones get 5."""
    while (card := session.current()) is not None:
        session.grade(card, 5 if card.kind == "redrill" else grade, 1000)


def test_grades_redrills_and_undo_keep_the_counts(session: Session, fresh_db) -> None:
    card = session.current()
    session.grade(card, 2, 1000)  # failed: re-drilled later today
    session.grade(session.current(), 5, 1000)
    assert_counts_match(fresh_db)
    session.undo()
    assert_counts_match(fresh_db)
    grade_all(session, 4)
    kinds = {kind for (kind,) in fresh_db.execute("SELECT kind FROM reviews")}
    assert kinds == {"new", "redrill"}
    assert_counts_match(fresh_db)
    while session.undo() is not None:
        assert_counts_match(fresh_db)
    assert stored_counts(fresh_db)["by_day"] == set()
    assert stored_counts(fresh_db)["by_category"] == set()


def test_cram_answers_count_by_day_only(fresh_db, small_bank: Bank, set_now) -> None:
    cram = session_over(small_bank, fresh_db, tag="diplomacy")
    grade_all(cram, 5)
    assert stored_counts(fresh_db)["by_day"] == {(1, "2026-03-01", "cram", 4, 4)}
    assert stored_counts(fresh_db)["by_category"] == set()
    assert_counts_match(fresh_db)


def test_later_days_add_review_answers(session: Session, fresh_db, small_bank, set_now) -> None:
    grade_all(session, 3)
    set_now("2026-03-05T09:00:00")
    grade_all(session_over(small_bank, fresh_db), 1)
    assert stored_counts(fresh_db)["by_day"] == {
        (1, "2026-03-01", "new", 4, 4),
        (1, "2026-03-01", "redrill", 4, 4),
        (1, "2026-03-05", "review", 4, 0),
        (1, "2026-03-05", "redrill", 4, 4),
    }
    assert_counts_match(fresh_db)


@pytest.mark.parametrize("seed", range(6))
def test_direct_inserts_and_deletes_keep_the_counts(
    fresh_db: sqlite3.Connection, small_bank: Bank, set_now, seed: int
) -> None:
    rng = random.Random(seed)
    mirror_bank(fresh_db, small_bank)
    insert_answers(fresh_db, rng, 300)
    assert_counts_match(fresh_db)
    ids = [entry_id for (entry_id,) in fresh_db.execute("SELECT id FROM reviews")]
    fresh_db.executemany(
        "DELETE FROM reviews WHERE id = ?", [(entry_id,) for entry_id in rng.sample(ids, 200)]
    )
    assert_counts_match(fresh_db)


def test_answers_for_an_unstored_item_count_by_day_and_under_a_question_mark(
    fresh_db: sqlite3.Connection, small_bank: Bank, set_now
) -> None:
    mirror_bank(fresh_db, small_bank)
    fresh_db.execute(
        "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade)"
        " VALUES (?, '2026-03-01T10:00:00', '2026-03-01', 'review', 4)",
        (UNSTORED_ITEM,),
    )
    assert stored_counts(fresh_db)["by_day"] == {(1, "2026-03-01", "review", 1, 1)}
    assert_counts_match(fresh_db)
    accuracy = reports.load_stats(fresh_db, all_banks(fresh_db)).to_json()["category_accuracy"]
    assert accuracy == {"?": {"reviews": 1, "correct": 1, "accuracy": 1.0}}


def test_a_card_moving_category_takes_its_counts_along(
    session: Session, fresh_db, small_bank_path: Path
) -> None:
    grade_all(session, 5)
    before = {category: count for _, category, count, _ in stored_counts(fresh_db)["by_category"]}
    assert before == {"date": 1, "name": 1, "component": 1, "context": 1}
    moved = SMALL_BANK.replace("tags: [date, diplomacy]", "tags: [name, diplomacy]")
    mirror_bank(fresh_db, load_bank(write(small_bank_path, moved)))
    after = {category: count for _, category, count, _ in stored_counts(fresh_db)["by_category"]}
    assert after == {"name": 2, "component": 1, "context": 1}
    assert_counts_match(fresh_db)


def test_the_upgrade_counts_an_existing_log(tmp_path: Path, small_bank: Bank, set_now) -> None:
    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(connection), stop_before=FIRST_TALLYING_MIGRATION)
    connection.execute("PRAGMA user_version = 5")
    connection.executemany(
        "INSERT INTO items (id, note_id, siblings_key, bank_order, category)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (item.id, item.note.id, item.note.id, order, item.note.category)
            for order, item in enumerate(small_bank.items)
        ],
    )
    connection.execute("UPDATE items SET category = NULL WHERE id = 'venue'")
    insert_answers(connection, random.Random(7), 500)
    connection.close()
    connection = open_for_writing(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert_counts_match(connection)
        assert stored_counts(connection)["by_day"]
        insert_answers(connection, random.Random(8), 50)  # and the triggers carry on
        assert_counts_match(connection)
    finally:
        connection.close()


BANK_KEY_INDEX = "sqlite_autoindex_items_1"
"""The primary key's index, (bank_id, id): a bank's rows are counted in its range."""
NOTE_KEY_INDEX = "sqlite_autoindex_notes_1"
"""The notes' primary key's index: a leech's or hard card's note is looked up by its key."""


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (
            lambda c: reports._item_counts(c, 1),
            ("idx_items_new", "idx_items_set_aside", BANK_KEY_INDEX),
        ),
        (
            lambda c: reports._due_by_day(c, 1, TODAY, TODAY + timedelta(days=30)),
            ("idx_items_scheduled",),
        ),
        (
            lambda c: reports._briefs(c, 1, "items.leech = 1", "items.rowid"),
            ("idx_items_leeches", NOTE_KEY_INDEX),
        ),
        (
            lambda c: reports._briefs(
                c, 1, "items.lapses > 0", "items.lapses DESC, items.easiness_hundredths, items.id"
            ),
            ("idx_items_hardest", NOTE_KEY_INDEX),
        ),
        (
            lambda c: list(items.due_in_order(c, 1, TODAY)),
            ("idx_items_scheduled",),
        ),
        (lambda c: list(items.new_candidates(c, 1)), ("idx_items_new",)),
        (lambda c: items.due_count(c, 1, TODAY), ("idx_items_scheduled",)),
        (
            lambda c: items.first_due_day(c, 1, TODAY),
            ("idx_items_new", "idx_items_scheduled"),
        ),
        (  # the end-of-session summary: today's answers, not the whole log in id order
            lambda c: log.entries(c, since=TODAY),
            ("idx_reviews_study_day_kind_grade",),
        ),
    ],
)
def test_queries_read_their_indexes(
    fresh_db: sqlite3.Connection,
    small_bank: Bank,
    set_now,
    read: Callable[[sqlite3.Connection], object],
    expected: tuple[str, ...],
) -> None:
    """Each query reads its partial index and never walks a whole table."""
    mirror_bank(fresh_db, small_bank)
    opened = plans(fresh_db, read).opened
    assert set(expected) <= opened, opened
    assert not plans(fresh_db, read).scanned & {"items", "reviews"}


def test_the_statements_of_a_bank_s_statistics_do_not_grow_with_its_hard_cards(
    fresh_db: sqlite3.Connection, small_bank: Bank, set_now
) -> None:
    """The leeches and the hardest cards are read with their notes (for their questions) in
    one statement each: a statement per card made a bank's statistics cost one more query for
    each of its ten hardest cards and each leech."""
    mirror_bank(fresh_db, small_bank)

    def statements() -> list[str]:
        seen: list[str] = []
        fresh_db.set_trace_callback(seen.append)
        try:
            found = reports.tallies(fresh_db, 1, TODAY)
        finally:
            fresh_db.set_trace_callback(None)
        assert len(found.hardest) == hard and len(found.leeches) == leeches
        return seen

    hard, leeches = 0, 0
    none = statements()
    fresh_db.execute("UPDATE items SET lapses = 9, leech = 1")
    hard, leeches = min(len(small_bank.items), 10), len(small_bank.items)
    assert hard > 1
    assert len(statements()) == len(none), statements()


def test_statistics_never_read_the_log_or_scan_the_items(
    fresh_db: sqlite3.Connection, small_bank: Bank, set_now
) -> None:
    mirror_bank(fresh_db, small_bank)
    read = plans(fresh_db, lambda connection: reports.tallies(connection, 1, TODAY))
    assert {"daily_tallies", "category_tallies"} <= read.opened
    assert not {name for name in read.opened if "reviews" in name}, read.opened
    assert "items" not in read.scanned  # items are counted from their indexes only
    assert read.temporary == 0


def test_the_plan_recorder_sees_a_scan_and_a_sort(fresh_db: sqlite3.Connection) -> None:
    """The recorder is not blind: a query without a usable index walks the table and sorts."""
    recorder = plans(fresh_db, lambda c: c.execute("SELECT id FROM items ORDER BY lapses + 1"))
    assert recorder.scanned == {"items"}
    assert recorder.temporary == 1
