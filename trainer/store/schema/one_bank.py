"""Released migrations m001-m007: the schema of one bank per database (frozen: never edit)."""

from __future__ import annotations

from sqlite_utils import Database

from trainer.store.schema.registry import migrations

# The values the released migrations were written with, as literals: a migration that users
# already ran must never change, so none reads a live constant (changing the pass mark or the
# answer kinds in the code changes new code, not the SQL of an old migration).
_APPLICATION_ID = 0x54524E52
"""The file's identity ("TRNR"), set by m001 (`trainer.store.guard.APPLICATION_ID` checks it)."""
_INITIAL_EASINESS_HUNDREDTHS = 250
_PASSING = 3
"""The pass mark (grade 3 or better) the tallies of m006 and m007 count with."""
_SCHEDULED = "('new', 'review')"
"""The kinds of answer that change the schedule, as m006 and m007 list them."""


@migrations()
def m001_items_review_log_meta(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
    db.table("items").create(
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
            "easiness_hundredths": _INITIAL_EASINESS_HUNDREDTHS,
            "interval": 0,
            "suspended": 0,
            "retired": 0,
            "leech": 0,
            "lapses": 0,
        },
    )
    db.table("reviews").create(
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
    db.table("reviews").create_index(["study_day"])
    db.table("reviews").create_index(["item_id"])
    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_queue_indexes(db: Database) -> None:
    """Today's queue reads due items by date and new items in bank order."""
    db.table("items").create_index(["due_day"])
    db.table("items").create_index(["bank_order"])


@migrations()
def m003_undo_journal(db: Database) -> None:
    """Undo steps live in the database so a restart the same day can still undo."""
    db.table("undo_steps").create(
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
    db.table("items").create_index(["due_day", "bank_order"])
    db.table("reviews").create_index(["study_day", "kind", "grade"])
    db.table("reviews").create_index(["item_id", "kind", "grade"])
    db.execute("DROP INDEX IF EXISTS idx_reviews_study_day")
    db.execute("DROP INDEX IF EXISTS idx_reviews_item_id")


@migrations()
def m005_note_content(db: Database) -> None:
    """What each card shows, so `trainer review` starts without the bank (trainer.store.cards).
    Forgetting the bank's fingerprint makes the next command sync and fill the table."""
    db.table("notes").create({"id": str, "type": str, "body": str, "citation": str}, pk="id")
    db.execute("DELETE FROM meta WHERE key LIKE 'bank_%'")


@migrations()
def m006_statistics_tallies(db: Database) -> None:
    """Statistics read running counts instead of the log: answers and correct answers (grade
    the pass mark or more) per study day and kind (`daily_tallies`), and scheduled ones per
    item (`items.scheduled_answers`, `scheduled_correct`) and per category (`category_tallies`).
    Triggers keep them whatever writes the log: an insert counts the answer, a delete (undo)
    uncounts it; log rows are never updated, so there is no UPDATE trigger. Moving an item to
    another category moves its counts along. Answers logged for an id that is not a stored
    item count per day only (the statistics put them under `?`).

    The rest of the statistics and the queue read small index ranges: scheduled items by due
    day, new items in bank order, the few retired or suspended items, leeches, and items with
    lapses in hardest-first order. They replace the full due-day indexes (so a grade updates
    one due-day index, not two) and the log's per-item index, which only statistics used.
    At a million reviews the upgrade takes about a second, once."""
    new_correct = f"(NEW.grade >= {_PASSING})"
    old_correct = f"(OLD.grade >= {_PASSING})"
    for statement in (
        "CREATE TABLE daily_tallies (study_day TEXT NOT NULL, kind TEXT NOT NULL,"
        " answers INTEGER NOT NULL, correct INTEGER NOT NULL,"
        " PRIMARY KEY (study_day, kind)) WITHOUT ROWID",
        "CREATE TABLE category_tallies (category TEXT NOT NULL PRIMARY KEY,"
        " answers INTEGER NOT NULL, correct INTEGER NOT NULL) WITHOUT ROWID",
        "ALTER TABLE items ADD COLUMN scheduled_answers INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE items ADD COLUMN scheduled_correct INTEGER NOT NULL DEFAULT 0",
        f"INSERT INTO daily_tallies SELECT study_day, kind, count(*),"
        f" sum(grade >= {_PASSING}) FROM reviews GROUP BY study_day, kind",
        f"UPDATE items SET (scheduled_answers, scheduled_correct) = (SELECT count(*),"
        f" total(grade >= {_PASSING}) FROM reviews"
        f" WHERE item_id = items.id AND kind IN {_SCHEDULED})"
        f" WHERE id IN (SELECT item_id FROM reviews WHERE kind IN {_SCHEDULED})",
        "INSERT INTO category_tallies SELECT coalesce(category, ''), sum(scheduled_answers),"
        " sum(scheduled_correct) FROM items WHERE scheduled_answers > 0 GROUP BY 1",
        f"""CREATE TRIGGER reviews_count_by_day AFTER INSERT ON reviews BEGIN
            INSERT INTO daily_tallies (study_day, kind, answers, correct)
            VALUES (NEW.study_day, NEW.kind, 1, {new_correct})
            ON CONFLICT (study_day, kind) DO UPDATE
            SET answers = answers + 1, correct = correct + excluded.correct;
        END""",
        f"""CREATE TRIGGER reviews_uncount_by_day AFTER DELETE ON reviews BEGIN
            UPDATE daily_tallies SET answers = answers - 1, correct = correct - {old_correct}
            WHERE study_day = OLD.study_day AND kind = OLD.kind;
            DELETE FROM daily_tallies
            WHERE study_day = OLD.study_day AND kind = OLD.kind AND answers = 0;
        END""",
        f"""CREATE TRIGGER reviews_count_by_item AFTER INSERT ON reviews
        WHEN NEW.kind IN {_SCHEDULED} BEGIN
            UPDATE items SET scheduled_answers = scheduled_answers + 1,
            scheduled_correct = scheduled_correct + {new_correct} WHERE id = NEW.item_id;
            INSERT INTO category_tallies (category, answers, correct)
            SELECT coalesce(category, ''), 1, {new_correct} FROM items WHERE id = NEW.item_id
            ON CONFLICT (category) DO UPDATE
            SET answers = answers + 1, correct = correct + excluded.correct;
        END""",
        f"""CREATE TRIGGER reviews_uncount_by_item AFTER DELETE ON reviews
        WHEN OLD.kind IN {_SCHEDULED} BEGIN
            UPDATE items SET scheduled_answers = scheduled_answers - 1,
            scheduled_correct = scheduled_correct - {old_correct} WHERE id = OLD.item_id;
            UPDATE category_tallies SET answers = answers - 1, correct = correct - {old_correct}
            WHERE category = (SELECT coalesce(category, '') FROM items WHERE id = OLD.item_id);
            DELETE FROM category_tallies WHERE answers = 0
            AND category = (SELECT coalesce(category, '') FROM items WHERE id = OLD.item_id);
        END""",
        """CREATE TRIGGER items_move_category_counts AFTER UPDATE OF category ON items
        WHEN OLD.category IS NOT NEW.category AND OLD.scheduled_answers > 0 BEGIN
            UPDATE category_tallies SET answers = answers - OLD.scheduled_answers,
            correct = correct - OLD.scheduled_correct
            WHERE category = coalesce(OLD.category, '');
            DELETE FROM category_tallies
            WHERE category = coalesce(OLD.category, '') AND answers = 0;
            INSERT INTO category_tallies (category, answers, correct)
            VALUES (coalesce(NEW.category, ''), OLD.scheduled_answers, OLD.scheduled_correct)
            ON CONFLICT (category) DO UPDATE SET answers = answers + excluded.answers,
            correct = correct + excluded.correct;
        END""",
        "DROP INDEX idx_reviews_item_id_kind_grade",
        "DROP INDEX idx_items_due_day",
        "DROP INDEX idx_items_due_day_bank_order",
        "CREATE INDEX idx_items_scheduled ON items (due_day, bank_order)"
        " WHERE due_day IS NOT NULL AND retired = 0 AND suspended = 0",
        "CREATE INDEX idx_items_new ON items (bank_order)"
        " WHERE due_day IS NULL AND retired = 0 AND suspended = 0",
        "CREATE INDEX idx_items_set_aside ON items (retired, suspended)"
        " WHERE retired = 1 OR suspended = 1",
        "CREATE INDEX idx_items_leeches ON items (leech) WHERE leech = 1 AND retired = 0",
        "CREATE INDEX idx_items_hardest ON items (lapses DESC, easiness_hundredths, id)"
        " WHERE lapses > 0 AND retired = 0",
    ):
        db.execute(statement)


@migrations()
def m007_fsrs_state(db: Database) -> None:
    """FSRS's memory state beside SM-2's columns: stability (days) and difficulty (1-10), null
    for items no FSRS deck has scheduled. Existing decks keep SM-2 and their schedules."""
    db.execute("ALTER TABLE items ADD COLUMN stability REAL")
    db.execute("ALTER TABLE items ADD COLUMN difficulty REAL")


def tally_triggers() -> tuple[str, ...]:
    """m006's triggers, per bank: log rows and items are matched on (bank_id, item id)."""
    new_correct = f"(NEW.grade >= {_PASSING})"
    old_correct = f"(OLD.grade >= {_PASSING})"
    old_item = "bank_id = OLD.bank_id AND id = OLD.item_id"
    old_category = f"(SELECT coalesce(category, '') FROM items WHERE {old_item})"
    return (
        f"""CREATE TRIGGER reviews_count_by_day AFTER INSERT ON reviews BEGIN
            INSERT INTO daily_tallies (bank_id, study_day, kind, answers, correct)
            VALUES (NEW.bank_id, NEW.study_day, NEW.kind, 1, {new_correct})
            ON CONFLICT (bank_id, study_day, kind) DO UPDATE
            SET answers = answers + 1, correct = correct + excluded.correct;
        END""",
        f"""CREATE TRIGGER reviews_uncount_by_day AFTER DELETE ON reviews BEGIN
            UPDATE daily_tallies SET answers = answers - 1, correct = correct - {old_correct}
            WHERE bank_id = OLD.bank_id AND study_day = OLD.study_day AND kind = OLD.kind;
            DELETE FROM daily_tallies WHERE bank_id = OLD.bank_id
            AND study_day = OLD.study_day AND kind = OLD.kind AND answers = 0;
        END""",
        f"""CREATE TRIGGER reviews_count_by_item AFTER INSERT ON reviews
        WHEN NEW.kind IN {_SCHEDULED} BEGIN
            UPDATE items SET scheduled_answers = scheduled_answers + 1,
            scheduled_correct = scheduled_correct + {new_correct}
            WHERE bank_id = NEW.bank_id AND id = NEW.item_id;
            INSERT INTO category_tallies (bank_id, category, answers, correct)
            SELECT NEW.bank_id, coalesce(category, ''), 1, {new_correct} FROM items
            WHERE bank_id = NEW.bank_id AND id = NEW.item_id
            ON CONFLICT (bank_id, category) DO UPDATE
            SET answers = answers + 1, correct = correct + excluded.correct;
        END""",
        f"""CREATE TRIGGER reviews_uncount_by_item AFTER DELETE ON reviews
        WHEN OLD.kind IN {_SCHEDULED} BEGIN
            UPDATE items SET scheduled_answers = scheduled_answers - 1,
            scheduled_correct = scheduled_correct - {old_correct} WHERE {old_item};
            UPDATE category_tallies SET answers = answers - 1, correct = correct - {old_correct}
            WHERE bank_id = OLD.bank_id AND category = {old_category};
            DELETE FROM category_tallies WHERE bank_id = OLD.bank_id AND answers = 0
            AND category = {old_category};
        END""",
        """CREATE TRIGGER items_move_category_counts AFTER UPDATE OF category ON items
        WHEN OLD.category IS NOT NEW.category AND OLD.scheduled_answers > 0 BEGIN
            UPDATE category_tallies SET answers = answers - OLD.scheduled_answers,
            correct = correct - OLD.scheduled_correct
            WHERE bank_id = OLD.bank_id AND category = coalesce(OLD.category, '');
            DELETE FROM category_tallies WHERE bank_id = OLD.bank_id
            AND category = coalesce(OLD.category, '') AND answers = 0;
            INSERT INTO category_tallies (bank_id, category, answers, correct)
            VALUES (OLD.bank_id, coalesce(NEW.category, ''), OLD.scheduled_answers,
            OLD.scheduled_correct)
            ON CONFLICT (bank_id, category) DO UPDATE SET answers = answers + excluded.answers,
            correct = correct + excluded.correct;
        END""",
    )


TALLY_TRIGGERS = (
    "reviews_count_by_day",
    "reviews_uncount_by_day",
    "reviews_count_by_item",
    "reviews_uncount_by_item",
    "items_move_category_counts",
)
"""The triggers m006 and m007 create (m008 drops and recreates them)."""
