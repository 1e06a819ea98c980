"""Named migrations: recorded, idempotent, and they set the schema version."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from trainer.schedulers import Settings
from trainer.store import undo
from trainer.store.database import open_for_writing
from trainer.store.guard import APPLICATION_ID, SCHEMA_VERSION
from trainer.store.items import ItemKey
from trainer.store.mirror import reschedule_from_log
from trainer.store.schema import MIGRATION_SET, migrate, migrations


def test_schema_version_counts_the_migrations() -> None:
    assert len(migrations.pending(Database(memory=True))) == SCHEMA_VERSION


def test_fresh_database_is_migrated_and_marked(fresh_db: sqlite3.Connection) -> None:
    assert fresh_db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert fresh_db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    applied = fresh_db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
    ).fetchall()
    assert [name for (name,) in applied] == [m.name for m in migrations._migrations]
    tables = {name for (name,) in fresh_db.execute("SELECT name FROM sqlite_master")}
    assert {"items", "reviews", "meta"} <= tables


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    open_for_writing(path).close()
    connection = open_for_writing(path)
    migrate(connection)
    count = connection.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert count == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_an_older_database_is_upgraded(tmp_path: Path) -> None:
    """A version-0 file of ours (e.g. a crash before the first migration committed) is
    migrated, not refused."""
    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.close()
    connection = open_for_writing(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()


def test_parent_directories_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "reviews.sqlite3"
    open_for_writing(path).close()
    assert path.is_file()


def test_a_version_1_database_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    db = Database(connection)
    migrations.apply(db, stop_before="m002_queue_indexes")
    connection.execute("PRAGMA user_version = 1")
    db["items"].insert({"id": "a", "note_id": "a", "siblings_key": "a", "bank_order": 0})
    connection.close()
    connection = open_for_writing(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 21
    indexes = {index.name for index in Database(connection)["items"].indexes}
    assert {"idx_items_scheduled", "idx_items_new"} <= indexes
    assert connection.execute("SELECT id, easiness_hundredths FROM items").fetchall() == [
        ("a", 250)
    ]
    connection.close()


def test_a_schema_6_database_keeps_its_sm2_schedules_and_can_switch_to_fsrs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(connection), stop_before="m007_fsrs_state")
    connection.execute("PRAGMA user_version = 6")
    connection.execute(
        "INSERT INTO items (id, note_id, siblings_key, bank_order, repetitions,"
        " easiness_hundredths, interval, due_day)"
        " VALUES ('a', 'a', 'a', 0, 2, 236, 6, '2026-03-08')"
    )
    for day, grade in (("2026-03-01", 4), ("2026-03-02", 3)):
        connection.execute(
            "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade)"
            " VALUES ('a', ?, ?, 'review', ?)",
            (day + "T09:00:00", day, grade),
        )
    connection.close()
    connection = open_for_writing(path)
    schedule = "SELECT repetitions, easiness_hundredths, interval, due_day, stability FROM items"
    assert connection.execute(schedule).fetchall() == [(2, 236, 6, "2026-03-08", None)]
    reschedule_from_log(connection, 1, Settings("fsrs"))
    *_, interval, due, stability = connection.execute(schedule).fetchone()
    assert stability > 0 and (date.fromisoformat(due) - date(2026, 3, 2)).days == interval
    reschedule_from_log(connection, 1, Settings("sm2"))
    assert connection.execute(schedule).fetchall() == [(2, 236, 6, "2026-03-08", None)]
    connection.close()


def test_the_bank_upgrade_keeps_columns_and_indexes_other_migrations_added(
    tmp_path: Path,
) -> None:
    """m008 rebuilds `items` and `notes` keyed by bank: whatever another migration added to
    them before it (a column, an index) survives, and every row is in bank 1."""
    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    db = Database(connection)
    migrations.apply(db, stop_before="m008_banks")
    connection.execute("PRAGMA user_version = 7")
    connection.execute("ALTER TABLE items ADD COLUMN weight REAL DEFAULT 0.5")
    connection.execute("CREATE INDEX idx_items_added ON items (added_at) WHERE retired = 0")
    db["items"].insert({"id": "a", "note_id": "a", "siblings_key": "a", "bank_order": 0})
    connection.close()
    connection = open_for_writing(path)
    try:
        columns = {row[1]: row for row in connection.execute("PRAGMA table_info(items)")}
        assert columns["weight"][4] == "0.5"
        assert [name for name, row in columns.items() if row[5]] == ["bank_id", "id"]
        indexes = {index.name for index in Database(connection)["items"].indexes}
        assert "idx_items_added" in indexes and "idx_items_bank_order" not in indexes
        rows = connection.execute("SELECT bank_id, id, weight FROM items").fetchall()
        assert rows == [(1, "a", 0.5)]
    finally:
        connection.close()


def test_a_schema_8_database_keeps_its_banks_and_gains_redrill_after(tmp_path: Path) -> None:
    """A database made before issue 15 (schema 8): its banks and items stay, a bank's
    `redrill_after` is the default until the bank is synced with one."""
    from tests.store_support import synthetic_bank, write
    from trainer.bank import load_bank
    from trainer.queue import DEFAULT_REDRILL_AFTER
    from trainer.store.banks import all_banks
    from trainer.store.mirror import mirror_bank

    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(connection), stop_before="m009_redrill_after")
    connection.execute("PRAGMA user_version = 8")
    connection.execute(
        "INSERT INTO banks (id, identity, name) VALUES (1, 'Synthetic', 'Synthetic')"
    )
    connection.execute(
        "INSERT INTO items (bank_id, id, note_id, siblings_key, bank_order, repetitions)"
        " VALUES (1, 'card-0', 'card-0', 'card-0', 0, 0)"
    )
    connection.close()
    connection = open_for_writing(path)
    try:
        [bank] = all_banks(connection)
        assert (bank.id, bank.name) == (1, "Synthetic")
        assert bank.settings.limits().redrill_after == DEFAULT_REDRILL_AFTER
        assert connection.execute("SELECT bank_id, id FROM items").fetchall() == [(1, "card-0")]
        text = synthetic_bank(1, deck_settings="  redrill_after: 5\n")
        mirror_bank(connection, load_bank(write(tmp_path / "cards.yaml", text)))
        [bank] = all_banks(connection)
        assert bank.id == 1 and bank.settings.limits().redrill_after == 5
    finally:
        connection.close()


def test_a_schema_8_database_gains_the_buried_index_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    db = Database(connection)
    migrations.apply(db, stop_before="m009_redrill_after")
    connection.execute("PRAGMA user_version = 8")
    db["items"].insert(
        {"bank_id": 1, "id": "a", "note_id": "a", "siblings_key": "a", "bank_order": 0}
        | {"buried_until": "x"}
    )
    connection.close()
    for _ in range(2):  # the second open finds nothing to do
        connection = open_for_writing(path)
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "idx_items_buried" in {index.name for index in Database(connection)["items"].indexes}
        assert connection.execute("SELECT id, buried_until FROM items").fetchall() == [("a", "x")]
        connection.close()


def test_undo_steps_journalled_by_a_schema_8_database_read_as_a_change(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    db = Database(connection)
    migrations.apply(db, stop_before="m009_redrill_after")
    connection.execute("PRAGMA user_version = 8")
    db["undo_steps"].insert({"bank_id": 2, "item_id": "a", "study_day": "2026-03-01", "log_id": 3})
    connection.close()
    connection = open_for_writing(path)
    found = undo.latest(connection, date(2026, 3, 1), [2])
    assert found is not None and found[1] == undo.UndoStep(ItemKey(2, "a"), None, 3, "change")
    connection.close()


def test_a_schema_8_database_gains_today_limits_per_bank(tmp_path: Path) -> None:
    from trainer.store.banks import TodayLimits, all_banks, set_today_limits

    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(connection), stop_before="m009_redrill_after")
    connection.execute("PRAGMA user_version = 8")
    for bank_id in (1, 2):
        connection.execute(
            "INSERT INTO banks (id, identity, name, new_per_day) VALUES (?, ?, ?, 7)",
            (bank_id, f"deck {bank_id}", f"deck {bank_id}"),
        )
    connection.close()
    connection = open_for_writing(path)
    try:
        assert [bank.settings.today_only for bank in all_banks(connection)] == [None, None]
        day = date(2026, 3, 1)
        set_today_limits(connection, 2, TodayLimits(day, 3, None))
        first, second = all_banks(connection)
        assert first.settings.limits(day=day).new_per_day == 7
        assert second.settings.limits(day=day).new_per_day == 3
        assert second.settings.limits(day=date(2026, 3, 2)).new_per_day == 7
    finally:
        connection.close()


def test_released_migrations_read_no_live_constant() -> None:
    """A migration users already ran must not change when a constant of the code does: the
    schema module imports from the trainer only what runs migrations, never a value one uses."""
    import ast

    from trainer.store import schema

    package = Path(schema.__file__).parent
    imported = {
        f"{node.module}.{alias.name}"
        for module in sorted(package.glob("*.py"))
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("trainer")
        and not (node.module or "").startswith("trainer.store.schema")
        for alias in node.names
    }
    assert imported == {
        "trainer.store.database.transaction",
        "trainer.store.guard.SCHEMA_VERSION",
    }, imported
    names = [migration.name for migration in schema.migrations.pending(Database(memory=True))]
    assert names == sorted(names), "migrations register in the order of their names"


def test_undone_answers_of_a_schema_19_database_keep_their_seconds(tmp_path: Path) -> None:
    """m020 gives undone answers their millisecond: those undone before keep their second
    (the sync finds their copy by it) and none is lost."""
    from trainer.store.merge import Undone, undone

    path = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(connection), stop_before="m020_undone_answer_milliseconds")
    connection.execute("PRAGMA user_version = 19")
    connection.execute(
        "INSERT INTO undone_answers (bank_id, item_id, unix_time)"
        " VALUES (1, 'a', 1772355600), (1, 'a', 1772355700)"
    )
    connection.close()
    connection = open_for_writing(path)
    assert undone(connection, 1, {"a"}) == {
        "a": Undone(frozenset(), frozenset({1772355600, 1772355700}))
    }
    connection.execute(
        "INSERT INTO undone_answers (bank_id, item_id, unix_time, unix_ms)"
        " VALUES (1, 'a', 1772355900, 1772355900250)"
    )
    found = undone(connection, 1, {"a"})["a"]
    assert found.covers(1772355600999)  # by its second: undone before milliseconds
    assert found.covers(1772355900250)  # by its millisecond
    assert not found.covers(1772355900500)  # another answer in that second
    connection.close()
