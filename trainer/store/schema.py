"""The database schema, built and upgraded by named migrations (sqlite-utils `Migrations`).

Applied migrations are recorded in `_sqlite_migrations`; all pending ones run in one
transaction together with `PRAGMA user_version = SCHEMA_VERSION`, so a crash mid-upgrade leaves
the previous schema intact. Never edit a released migration: add a new one and bump
`trainer.store.guard.SCHEMA_VERSION`.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

from trainer.sm2 import INITIAL_EASINESS_HUNDREDTHS
from trainer.store.database import transaction
from trainer.store.guard import APPLICATION_ID, SCHEMA_VERSION

MIGRATION_SET = "trainer"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_items_review_log_meta(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db["items"].create(
        {
            "id": str,
            "note_id": str,
            "siblings_key": str,
            "bank_order": int,
            "category": str,
            "tags": str,
            "prompt": str,
            "repetitions": int,
            "easiness_hundredths": int,
            "interval": int,
            "due_day": str,
            "buried_until": str,
            "suspended": int,
            "retired": int,
            "leech": int,
            "lapses": int,
            "added_at": str,
        },
        pk="id",
        not_null={"note_id", "siblings_key", "bank_order", "repetitions"},
        defaults={
            "repetitions": 0,
            "easiness_hundredths": INITIAL_EASINESS_HUNDREDTHS,
            "interval": 0,
            "suspended": 0,
            "retired": 0,
            "leech": 0,
            "lapses": 0,
        },
    )
    db["reviews"].create(
        {
            "id": int,
            "item_id": str,
            "reviewed_at": str,
            "study_day": str,
            "kind": str,
            "grade": int,
            "answer_ms": int,
            "repetitions_before": int,
            "easiness_before": int,
            "interval_before": int,
            "due_before": str,
            "repetitions_after": int,
            "easiness_after": int,
            "interval_after": int,
            "due_after": str,
        },
        pk="id",
        not_null={"item_id", "reviewed_at", "study_day", "kind", "grade"},
    )
    db["reviews"].create_index(["study_day"])
    db["reviews"].create_index(["item_id"])
    db["meta"].create({"key": str, "value": str}, pk="key")


@migrations()
def m002_queue_indexes(db: Database) -> None:
    """Today's queue reads due items by date and new items in bank order."""
    db["items"].create_index(["due_day"])
    db["items"].create_index(["bank_order"])


@migrations()
def m003_undo_journal(db: Database) -> None:
    """Undo steps live in the database so a restart the same day can still undo."""
    db["undo_steps"].create(
        {"id": int, "item_id": str, "saved_schedule": str, "log_id": int, "study_day": str},
        pk="id",
        not_null={"item_id", "study_day"},
    )


@migrations()
def m004_covering_indexes(db: Database) -> None:
    """Statistics count the log by study day and by item from these indexes alone, without
    reading a row: at a million reviews that is 0.2 s instead of 1.5 s. Today's queue reads
    due items in showing order, (due day, bank order), a page at a time. The log's new indexes
    serve every lookup the single-column ones they replace did."""
    db["items"].create_index(["due_day", "bank_order"])
    db["reviews"].create_index(["study_day", "kind", "grade"])
    db["reviews"].create_index(["item_id", "kind", "grade"])
    db.execute("DROP INDEX IF EXISTS idx_reviews_study_day")
    db.execute("DROP INDEX IF EXISTS idx_reviews_item_id")


@migrations()
def m005_note_content(db: Database) -> None:
    """What each card shows, so `trainer review` starts without the bank (trainer.store.cards).
    Forgetting the bank's fingerprint makes the next command sync and fill the table."""
    db["notes"].create({"id": str, "type": str, "body": str, "citation": str}, pk="id")
    db.execute("DELETE FROM meta WHERE key LIKE 'bank_%'")


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION (a no-op when it is there already)."""
    if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    db = Database(connection, recursive_triggers=False, execute_plugins=False)
    with transaction(connection):
        migrations.apply(db)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
