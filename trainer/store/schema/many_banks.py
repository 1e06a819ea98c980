"""Released migrations m008 onwards: many banks in one database, and what came after
(frozen once released: never edit one, add the next)."""

from __future__ import annotations

from sqlite_utils import Database

from trainer.store.schema.one_bank import TALLY_TRIGGERS, tally_triggers
from trainer.store.schema.registry import migrations

_LEGACY_BANK = """INSERT INTO banks (id, identity, name, path, size, mtime_ns, ctime_ns, digest,
    new_per_day, reviews_per_day, day_starts_at, scheduler, desired_retention, anki_identity)
    SELECT 1, coalesce(m.name, ''), coalesce(m.name, ''), m.path, m.size, m.mtime_ns,
    coalesce(m.ctime_ns, -1), m.digest,
    m.new_per_day, m.reviews_per_day, m.day_starts_at, m.scheduler, m.desired_retention,
    m.anki_identity FROM (SELECT
    (SELECT value FROM meta WHERE key = 'deck_name') AS name,
    (SELECT value FROM meta WHERE key = 'bank_path') AS path,
    (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'bank_size') AS size,
    (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'bank_mtime_ns') AS mtime_ns,
    (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'bank_ctime_ns') AS ctime_ns,
    (SELECT value FROM meta WHERE key = 'bank_digest') AS digest,
    (SELECT CAST(nullif(value, '') AS INTEGER) FROM meta WHERE key = 'new_per_day')
        AS new_per_day,
    (SELECT CAST(nullif(value, '') AS INTEGER) FROM meta WHERE key = 'reviews_per_day')
        AS reviews_per_day,
    (SELECT CAST(nullif(value, '') AS INTEGER) FROM meta WHERE key = 'day_starts_at')
        AS day_starts_at,
    (SELECT nullif(value, '') FROM meta WHERE key = 'scheduler') AS scheduler,
    (SELECT CAST(nullif(value, '') AS REAL) FROM meta WHERE key = 'desired_retention')
        AS desired_retention,
    (SELECT value FROM meta WHERE key = 'anki_identity') AS anki_identity) AS m
    WHERE m.name IS NOT NULL OR EXISTS (SELECT 1 FROM items)"""


@migrations()
def m008_banks(db: Database) -> None:
    """Many banks in one database. `banks` holds each bank's identity (`deck.id`, else the
    deck name), where its file was last used and what was synced from it (this replaces the
    `deck_*`/`bank_*` keys of `meta`). Items, notes, the log, the undo journal and the tallies
    gain a `bank_id`; an item is identified by (bank_id, id), so two banks may use the same
    card id. A database of one bank becomes bank 1 with all its history; with no bank synced
    yet (empty `meta` and `items`) there is no bank row. The partial indexes lead with the bank
    so each bank's queue and statistics read only its own range."""
    for statement in (
        "CREATE TABLE banks (id INTEGER PRIMARY KEY, identity TEXT NOT NULL UNIQUE,"
        " name TEXT NOT NULL, path TEXT, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
        " digest TEXT,"
        " new_per_day INTEGER, reviews_per_day INTEGER, day_starts_at INTEGER,"
        " scheduler TEXT, desired_retention REAL, anki_identity TEXT, reported TEXT,"
        " renamed_told TEXT)",
        "CREATE INDEX idx_banks_path ON banks (path)",
        _LEGACY_BANK,
        "DELETE FROM meta WHERE key LIKE 'bank_%' OR key = 'deck_name' OR key IN"
        " ('new_per_day', 'reviews_per_day', 'day_starts_at', 'scheduler', 'desired_retention',"
        " 'anki_identity')",
        *(f"DROP TRIGGER {trigger}" for trigger in TALLY_TRIGGERS),
        *_keyed_by_bank(db, "items", replaced=_REPLACED_ITEM_INDEXES + TALLY_TRIGGERS),
        *_keyed_by_bank(db, "notes", replaced=()),
        "CREATE INDEX idx_items_scheduled ON items (bank_id, due_day, bank_order)"
        " WHERE due_day IS NOT NULL AND retired = 0 AND suspended = 0",
        "CREATE INDEX idx_items_new ON items (bank_id, bank_order)"
        " WHERE due_day IS NULL AND retired = 0 AND suspended = 0",
        "CREATE INDEX idx_items_set_aside ON items (bank_id, retired, suspended)"
        " WHERE retired = 1 OR suspended = 1",
        "CREATE INDEX idx_items_leeches ON items (bank_id, leech) WHERE leech = 1 AND retired = 0",
        "CREATE INDEX idx_items_hardest ON items"
        " (bank_id, lapses DESC, easiness_hundredths, id) WHERE lapses > 0 AND retired = 0",
        "ALTER TABLE reviews ADD COLUMN bank_id INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE undo_steps ADD COLUMN bank_id INTEGER NOT NULL DEFAULT 1",
        "CREATE TABLE daily_tallies_by_bank (bank_id INTEGER NOT NULL,"
        " study_day TEXT NOT NULL, kind TEXT NOT NULL, answers INTEGER NOT NULL,"
        " correct INTEGER NOT NULL, PRIMARY KEY (bank_id, study_day, kind)) WITHOUT ROWID",
        "INSERT INTO daily_tallies_by_bank SELECT 1, study_day, kind, answers, correct"
        " FROM daily_tallies",
        "DROP TABLE daily_tallies",
        "ALTER TABLE daily_tallies_by_bank RENAME TO daily_tallies",
        "CREATE TABLE category_tallies_by_bank (bank_id INTEGER NOT NULL,"
        " category TEXT NOT NULL, answers INTEGER NOT NULL, correct INTEGER NOT NULL,"
        " PRIMARY KEY (bank_id, category)) WITHOUT ROWID",
        "INSERT INTO category_tallies_by_bank SELECT 1, category, answers, correct"
        " FROM category_tallies",
        "DROP TABLE category_tallies",
        "ALTER TABLE category_tallies_by_bank RENAME TO category_tallies",
        *tally_triggers(),
    ):
        db.execute(statement)


@migrations()
def m009_redrill_after(db: Database) -> None:
    """Each bank's `deck.redrill_after` (answers before a failed card comes back), as last
    synced; null means the default."""
    db.execute("ALTER TABLE banks ADD COLUMN redrill_after INTEGER")


@migrations()
def m010_buried_index(db: Database) -> None:
    """Today's queue keeps the siblings of buried items away, so it reads each bank's items
    buried until after today: a partial index holds only the few items ever buried."""
    db.execute(
        "CREATE INDEX idx_items_buried ON items (bank_id, buried_until, siblings_key)"
        " WHERE buried_until IS NOT NULL"
    )


@migrations()
def m011_undo_actions(db: Database) -> None:
    """Each undo step names its action (grade, bury, forget, ...) so undo can say what it took
    back; steps journalled before this say `change`."""
    db.execute("ALTER TABLE undo_steps ADD COLUMN action TEXT NOT NULL DEFAULT 'change'")


@migrations()
def m012_today_limits(db: Database) -> None:
    """Each bank's limits given to `review --new-per-day/--reviews-per-day` for one study day
    (JSON: day, new_per_day, reviews_per_day), so that due, stats and later sittings that day
    count with them; null when none were given."""
    db.execute("ALTER TABLE banks ADD COLUMN today_limits TEXT")


@migrations()
def m013_anki_seconds(db: Database) -> None:
    """What `trainer sync` compares with Anki's review log. `reviews.unix_time`: the answer's
    moment in Unix seconds, as the clock knew it when answering (the local `reviewed_at`
    alone would move with the machine's time zone; existing rows are converted in the zone of
    the upgrade). `anki_seconds`, kept so that an unchanged log is not read again: an item's
    answers of the kinds Anki's log also has, as Unix seconds (packed machine integers); any
    change to the item's answers in the log deletes its row (triggers on `reviews`), and an
    index on (bank, item) reads the answers of the few items without one."""
    for statement in (
        "ALTER TABLE reviews ADD COLUMN unix_time INTEGER",
        "UPDATE reviews SET unix_time = CAST(strftime('%s', reviewed_at, 'utc') AS INTEGER)",
        "CREATE TABLE anki_seconds (bank_id INTEGER NOT NULL, item_id TEXT NOT NULL,"
        " seconds BLOB NOT NULL, PRIMARY KEY (bank_id, item_id)) WITHOUT ROWID",
        "CREATE INDEX idx_reviews_item ON reviews (bank_id, item_id)",
        *(
            f"CREATE TRIGGER reviews_forget_anki_seconds_{name} AFTER {event} ON reviews"
            f" BEGIN DELETE FROM anki_seconds WHERE bank_id = {row}.bank_id"
            f" AND item_id = {row}.item_id; END"
            for name, event, row in (
                ("insert", "INSERT", "NEW"),
                ("delete", "DELETE", "OLD"),
                ("update_old", "UPDATE", "OLD"),
                ("update_new", "UPDATE", "NEW"),
            )
        ),
    ):
        db.execute(statement)


@migrations()
def m014_note_citations(db: Database) -> None:
    """Each note's citations with their web addresses (JSON `[[text, url], ...]`), for the
    links under an answer in Anki (`trainer sync` renders from the database when the bank is
    unchanged). A digest no file has (and a size no file has, so the digest is compared)
    makes the next command read each bank again and fill the column; the path stays, so a bank
    that moved or whose deck was renamed is still recognised."""
    db.execute("ALTER TABLE notes ADD COLUMN citations TEXT")
    db.execute("UPDATE banks SET size = -1, digest = 'read again' WHERE digest IS NOT NULL")


@migrations()
def m015_reviews_by_bank_day(db: Database) -> None:
    """An index of each bank's answers by study day, for the day's queue (`day_log`) and the
    re-drills (`answers_on`): with only `idx_reviews_item (bank_id, item_id)` to choose from
    besides the day index, SQLite walked the bank's whole history for today's few answers
    (2.3 s at a million). The queries name their index (INDEXED BY), so a later index cannot
    change their plan silently."""
    db.execute("CREATE INDEX idx_reviews_bank_day ON reviews (bank_id, study_day, kind)")


@migrations()
def m016_exam(db: Database) -> None:
    """A deck's exam day and window (`deck: exam, exam_window`): due days aimed at the exam
    (`trainer.exam`). No bank could have them before, so the rows need no reading again."""
    db.execute("ALTER TABLE banks ADD COLUMN exam TEXT")
    db.execute("ALTER TABLE banks ADD COLUMN exam_window INTEGER")


@migrations()
def m017_undone_answers(db: Database) -> None:
    """Answers taken back by an undo, by bank, item and Unix second: `trainer sync` may have
    copied one into Anki's review log before it was undone, and must not read it back from
    there as an answer given in Anki."""
    db.execute(
        "CREATE TABLE undone_answers (bank_id INTEGER NOT NULL, item_id TEXT NOT NULL,"
        " unix_time INTEGER NOT NULL, PRIMARY KEY (bank_id, item_id, unix_time)) WITHOUT ROWID"
    )


@migrations()
def m018_anki_seconds_as_text(db: Database) -> None:
    """`anki_seconds` keeps each item's Unix seconds as decimal text joined by commas (it
    kept packed machine integers): the form SQLite's `group_concat` gives the other side's,
    so the two compare as strings. The kept values are only a cache of the log: emptied, they
    are read again at the next sync."""
    db.execute("DELETE FROM anki_seconds")


@migrations()
def m019_answer_milliseconds(db: Database) -> None:
    """`reviews.unix_ms`: an answer's moment in Unix milliseconds, as Anki's review log ids
    are, so that `trainer sync` tells apart two answers in one second (one on the phone, one
    in the trainer). Answers logged before have none (NULL): the sync finds them by their
    second, once, and records the millisecond of their copy. `anki_seconds` keeps each item's
    milliseconds from now on: emptied, it is read again at the next sync."""
    db.execute("ALTER TABLE reviews ADD COLUMN unix_ms INTEGER")
    db.execute("DELETE FROM anki_seconds")


@migrations()
def m020_undone_answer_milliseconds(db: Database) -> None:
    """`undone_answers.unix_ms`: the undone answer's millisecond, the id its copy has in
    Anki's log, so that `trainer sync` takes out that copy alone and not an answer given in
    Anki in the same second. Rows from before have none (NULL): their copy is found by its
    second, as before. Keyed by the millisecond too (two answers to one item may share a
    second), so the table gets a rowid and a unique constraint in place of its key."""
    db.execute(
        "CREATE TABLE undone_answers_m020 (bank_id INTEGER NOT NULL, item_id TEXT NOT NULL,"
        " unix_time INTEGER NOT NULL, unix_ms INTEGER,"
        " UNIQUE (bank_id, item_id, unix_time, unix_ms))"
    )
    db.execute(
        "INSERT INTO undone_answers_m020 (bank_id, item_id, unix_time)"
        " SELECT bank_id, item_id, unix_time FROM undone_answers"
    )
    db.execute("DROP TABLE undone_answers")
    db.execute("ALTER TABLE undone_answers_m020 RENAME TO undone_answers")


@migrations()
def m021_items_by_note(db: Database) -> None:
    """An index of each bank's items by note, for `trainer sync`: the notes of a bank in bank
    order (each note's first item not retired) and every note the bank has had an item of.
    Without it SQLite grouped the items by note in a temporary b-tree, and sorted every
    note's body in another, which a bank of 10,000 notes spilled to a temporary file. The
    queries name it (INDEXED BY); no other query's plan changes (checked at a million
    answers)."""
    db.execute("CREATE INDEX idx_items_note ON items (bank_id, note_id, retired, bank_order)")


_REPLACED_ITEM_INDEXES = (
    "idx_items_bank_order",
    "idx_items_scheduled",
    "idx_items_new",
    "idx_items_set_aside",
    "idx_items_leeches",
    "idx_items_hardest",
)
"""Indexes of `items` that m008 drops (bank order alone no longer orders anything) or
recreates with the bank first."""


def _keyed_by_bank(db: Database, table: str, *, replaced: tuple[str, ...]) -> list[str]:
    """Statements that rebuild `table` with `bank_id` (1 for every row) leading its primary
    key. Every column is kept as declared, whatever migrations added it, and so are the
    table's indexes and triggers except those in `replaced`."""
    columns = db.execute(f"PRAGMA table_info({table})").fetchall()
    definitions = ["bank_id INTEGER NOT NULL"]
    for _, name, declared, not_null, default, in_key in columns:
        parts = [name, declared, "NOT NULL" if not_null or in_key else "", _default(default)]
        definitions.append(" ".join(part for part in parts if part))
    key = [row[1] for row in sorted(columns, key=lambda row: row[5]) if row[5]]
    names = ", ".join(row[1] for row in columns)
    kept = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL"
        " AND type IN ('index', 'trigger')",
        [table],
    ).fetchall()
    return [
        f"CREATE TABLE {table}_by_bank ({', '.join(definitions)},"
        f" PRIMARY KEY (bank_id, {', '.join(key)}))",
        f"INSERT INTO {table}_by_bank (bank_id, {names}) SELECT 1, {names} FROM {table}"
        " ORDER BY rowid",
        f"DROP TABLE {table}",
        # legacy: leave alone (and do not check) other tables' triggers naming `table`
        "PRAGMA legacy_alter_table = ON",
        f"ALTER TABLE {table}_by_bank RENAME TO {table}",
        "PRAGMA legacy_alter_table = OFF",
        *(sql for name, sql in kept if name not in replaced),
    ]


def _default(default: str | None) -> str:
    return "" if default is None else f"DEFAULT {default}"
