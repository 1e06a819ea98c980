"""The `items` table: one row per review item each bank has ever had, with its schedule.

An item is identified by its bank's row id and its id in the bank (`ItemKey`). Rows are never
deleted: an item that leaves its bank is `retired` and keeps its history. Dates are ISO
strings of study days. Queue reads take one bank: each bank has its own limits and day.
"""

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

from trainer.core.keys import ItemKey
from trainer.queue import ItemRecord
from trainer.schedulers import Schedule
from trainer.sm2 import Sm2State

SCHEDULE_COLUMNS = (
    "repetitions",
    "easiness_hundredths",
    "interval",
    "due_day",
    "buried_until",
    "suspended",
    "leech",
    "lapses",
    "stability",
    "difficulty",
)
"""What a grade, bury or suspend can change; an undo writes these back."""

NEW_ITEMS_PAGE = 200

SCHEDULED_WHERE = "due_day IS NOT NULL AND retired = 0 AND suspended = 0"
"""Current, unsuspended, scheduled items: the terms of the partial index `idx_items_scheduled`
(due day, bank order), which a query must repeat word for word to use it."""
NEW_WHERE = "due_day IS NULL AND retired = 0 AND suspended = 0"
"""Current, unsuspended new items: the terms of the partial index `idx_items_new` (bank order)."""

_RECORD_COLUMNS = "id, bank_order, siblings_key, due_day, buried_until, suspended, retired"
_ITEM_COLUMNS = (
    _RECORD_COLUMNS
    + ", note_id, category, tags, prompt, repetitions, easiness_hundredths, interval, lapses, leech"
    + ", stability, difficulty, bank_id"
)


class StoredItem(NamedTuple):
    record: ItemRecord
    note_id: str
    category: str
    tags: tuple[str, ...]
    prompt: str
    schedule: Schedule
    lapses: int
    leech: bool
    bank: int = 0

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def state(self) -> Sm2State:
        return self.schedule.sm2

    @property
    def key(self) -> ItemKey:
        return ItemKey(self.bank, self.record.id)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def day_text(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _record(row: tuple[Any, ...]) -> ItemRecord:
    item_id, order, siblings, due, buried, suspended, retired = row[:7]
    return ItemRecord(
        item_id, order, siblings, _day(due), _day(buried), bool(suspended), bool(retired)
    )


def _stored(row: tuple[Any, ...]) -> StoredItem:
    note_id, category, tags, prompt, repetitions, easiness, interval, lapses, leech = row[7:16]
    stability, difficulty, bank = row[16:]
    record = _record(row)
    return StoredItem(
        bank=bank,
        record=record,
        note_id=note_id,
        category=category or "",
        tags=tuple((tags or "").split()),
        prompt=prompt or "",
        schedule=Schedule(repetitions, easiness, interval, record.due_day, stability, difficulty),
        lapses=lapses,
        leech=bool(leech),
    )


def _due_pages() -> Iterator[int]:
    """Page sizes: first as many rows as a day's default reviews, then only what the queue
    reads on for the items it skips (siblings, buried): an eighth of a page, doubling up to
    a full one. A second full page, for the ten more rows it needed, cost a five-bank `due`
    9M instructions (of 198M); a quarter page (50 rows, for the 6 to 15 the bench's banks
    skip) 1.2M of 164M."""
    yield NEW_ITEMS_PAGE
    size = max(1, NEW_ITEMS_PAGE // 8)
    while True:
        yield size
        size = min(2 * size, NEW_ITEMS_PAGE)


def _scheduled_records(rows: list[tuple[Any, ...]]) -> Iterator[ItemRecord]:
    """The records of rows of `_SCHEDULED_COLUMNS` that `SCHEDULED_WHERE` selected (neither
    suspended nor retired), made without `_record`'s calls: a day's queue makes a few hundred
    (`_record` cost 6.5K instructions each, this a half)."""
    make, day = ItemRecord._make, date.fromisoformat
    for item_id, order, siblings, due, buried in rows:
        due_day = day(due) if due else None
        yield make(
            (item_id, order, siblings, due_day, day(buried) if buried else None, False, False)
        )


_SCHEDULED_COLUMNS = "id, bank_order, siblings_key, due_day, buried_until"


def due_in_order(connection: sqlite3.Connection, bank: int, today: date) -> Iterator[ItemRecord]:
    """The bank's scheduled items due by `today` in `trainer.queue.showing_order`, a page at a
    time (the `idx_items_scheduled` index gives them in order), so a day's queue reads a few
    pages however many items are overdue."""
    after = ("", -1)
    for page in _due_pages():
        rows = connection.execute(
            f"SELECT {_SCHEDULED_COLUMNS} FROM items WHERE {SCHEDULED_WHERE} AND bank_id = ?"
            " AND due_day <= ? AND (due_day, bank_order) > (?, ?)"
            " ORDER BY due_day, bank_order LIMIT ?",
            (bank, today.isoformat(), *after, page),
        ).fetchall()
        yield from _scheduled_records(rows)
        if len(rows) < page:
            return
        after = (rows[-1][3], rows[-1][1])


def due_count(connection: sqlite3.Connection, bank: int, by: date) -> int:
    """The bank's current, unsuspended scheduled items due on or before `by` (buried ones
    included)."""
    count: int = connection.execute(
        f"SELECT count(*) FROM items WHERE {SCHEDULED_WHERE} AND bank_id = ? AND due_day <= ?",
        (bank, by.isoformat()),
    ).fetchone()[0]
    return count


def first_due_day(connection: sqlite3.Connection, bank: int, earliest: date) -> date | None:
    """The first day from `earliest` on with a current, unsuspended item of the bank to study:
    `earliest` itself if there is a new or overdue one; None if there are no such items."""
    day = connection.execute(
        f"SELECT CASE WHEN EXISTS (SELECT 1 FROM items WHERE {NEW_WHERE} AND bank_id = :bank)"
        " THEN :earliest ELSE max((SELECT min(due_day) FROM items"
        f" WHERE {SCHEDULED_WHERE} AND bank_id = :bank), :earliest) END",
        {"earliest": earliest.isoformat(), "bank": bank},
    ).fetchone()[0]
    return _day(day)


def buried_siblings(connection: sqlite3.Connection, bank: int, today: date) -> frozenset[str]:
    """Siblings keys of the bank's items buried until after `today` (from `idx_items_buried`)."""
    rows = connection.execute(
        "SELECT siblings_key FROM items WHERE bank_id = ? AND buried_until > ?"
        " AND buried_until IS NOT NULL",
        (bank, today.isoformat()),
    )
    return frozenset(key for (key,) in rows)


def records(connection: sqlite3.Connection, bank: int, item_ids: Iterable[str]) -> list[ItemRecord]:
    ids = list(item_ids)
    marks = ", ".join("?" * len(ids))
    query = f"SELECT {_RECORD_COLUMNS} FROM items WHERE bank_id = ? AND id IN ({marks})"
    return [_record(row) for row in connection.execute(query, [bank, *ids])] if ids else []


def new_candidates(connection: sqlite3.Connection, bank: int) -> Iterator[ItemRecord]:
    """The bank's new items in bank order, fetched a page at a time so that taking today's few
    new items does not read every row (no statement is left open between pages)."""
    after = -1
    while True:
        rows = connection.execute(
            f"SELECT {_RECORD_COLUMNS} FROM items WHERE {NEW_WHERE} AND bank_id = ?"
            " AND bank_order > ? ORDER BY bank_order LIMIT ?",
            (bank, after, NEW_ITEMS_PAGE),
        ).fetchall()
        yield from map(_record, rows)
        if len(rows) < NEW_ITEMS_PAGE:
            return
        after = rows[-1][1]


def load_items(connection: sqlite3.Connection, bank: int | None = None) -> list[StoredItem]:
    """Every stored item of `bank` (of every bank if None)."""
    if bank is None:
        return [_stored(row) for row in connection.execute(f"SELECT {_ITEM_COLUMNS} FROM items")]
    rows = connection.execute(f"SELECT {_ITEM_COLUMNS} FROM items WHERE bank_id = ?", (bank,))
    return [_stored(row) for row in rows]


def tags_in_use(connection: sqlite3.Connection, banks: Iterable[int]) -> set[str]:
    """The tags of the current (not retired) items of `banks`."""
    ids = list(banks)
    marks = ", ".join("?" * len(ids))
    rows = connection.execute(
        f"SELECT DISTINCT tags FROM items WHERE retired = 0 AND bank_id IN ({marks})", ids
    )
    return {tag for (tags,) in rows for tag in (tags or "").split()}


def load_item(connection: sqlite3.Connection, key: ItemKey) -> StoredItem:
    query = f"SELECT {_ITEM_COLUMNS} FROM items WHERE bank_id = ? AND id = ?"
    return _stored(connection.execute(query, key).fetchone())


def snapshot(connection: sqlite3.Connection, key: ItemKey) -> dict[str, object]:
    """The item's schedule columns, for `restore` (undo)."""
    columns = ", ".join(SCHEDULE_COLUMNS)
    query = f"SELECT {columns} FROM items WHERE bank_id = ? AND id = ?"
    row = connection.execute(query, key).fetchone()
    return {"id": key.id, **dict(zip(SCHEDULE_COLUMNS, row, strict=True))}


def restore(connection: sqlite3.Connection, bank: int, saved: dict[str, object]) -> None:
    """Write back a `snapshot`; one saved before FSRS existed (schema 6) had no FSRS state."""
    values = dict.fromkeys(SCHEDULE_COLUMNS) | saved | {"bank_id": bank}
    assignments = ", ".join(f"{column} = :{column}" for column in SCHEDULE_COLUMNS)
    connection.execute(
        f"UPDATE items SET {assignments} WHERE bank_id = :bank_id AND id = :id", values
    )


_SCHEDULE_UPDATE = (
    "UPDATE items SET repetitions = ?, easiness_hundredths = ?, interval = ?, due_day = ?,"
    " stability = ?, difficulty = ? WHERE bank_id = ? AND id = ?"
)


def _schedule_values(key: ItemKey, schedule: Schedule) -> tuple[object, ...]:
    return (
        schedule.repetitions,
        schedule.easiness_hundredths,
        schedule.interval,
        day_text(schedule.due_day),
        schedule.stability,
        schedule.difficulty,
        *key,
    )


def update_schedule(
    connection: sqlite3.Connection,
    key: ItemKey,
    schedule: Schedule,
    *,
    lapses: int,
    leech: bool,
    suspended: bool,
) -> None:
    connection.execute(_SCHEDULE_UPDATE, _schedule_values(key, schedule))
    connection.execute(
        "UPDATE items SET lapses = ?, leech = ?, suspended = ? WHERE bank_id = ? AND id = ?",
        (lapses, int(leech), int(suspended), *key),
    )


def replace_schedules(
    connection: sqlite3.Connection, bank: int, schedules: dict[str, Schedule]
) -> None:
    """Set the schedule of each of the bank's items in `schedules` (a replay); lapses and
    leeches stay."""
    connection.executemany(
        _SCHEDULE_UPDATE,
        [_schedule_values(ItemKey(bank, item_id), s) for item_id, s in schedules.items()],
    )


def bury(connection: sqlite3.Connection, key: ItemKey, until: date) -> None:
    connection.execute(
        "UPDATE items SET buried_until = ? WHERE bank_id = ? AND id = ?", (day_text(until), *key)
    )


def suspend(connection: sqlite3.Connection, key: ItemKey, siblings_away_until: date) -> None:
    """Suspended, and buried until `siblings_away_until` too, so that its siblings stay away
    for the rest of the day as they do after a bury (the queue keeps a buried item's siblings
    away)."""
    connection.execute(
        "UPDATE items SET suspended = 1, buried_until = ? WHERE bank_id = ? AND id = ?",
        (day_text(siblings_away_until), *key),
    )


def unsuspend(connection: sqlite3.Connection, key: ItemKey) -> None:
    """Back into the queue, today included (unburied); a leech keeps its tag (its lapses are
    history)."""
    connection.execute(
        "UPDATE items SET suspended = 0, buried_until = NULL WHERE bank_id = ? AND id = ?", key
    )


def unbury(connection: sqlite3.Connection, key: ItemKey) -> None:
    connection.execute("UPDATE items SET buried_until = NULL WHERE bank_id = ? AND id = ?", key)


def forget(connection: sqlite3.Connection, key: ItemKey) -> None:
    """Back to new: the schedule starts again (SM-2's and FSRS's state); lapses and the
    review log are kept."""
    initial = Schedule()
    connection.execute(
        "UPDATE items SET repetitions = ?, easiness_hundredths = ?, interval = ?,"
        " due_day = NULL, stability = NULL, difficulty = NULL WHERE bank_id = ? AND id = ?",
        (initial.repetitions, initial.easiness_hundredths, initial.interval, *key),
    )


def set_due_day(connection: sqlite3.Connection, key: ItemKey, day: date) -> None:
    """Due on `day`, the rest of the schedule unchanged (a new item becomes a review)."""
    connection.execute(
        "UPDATE items SET due_day = ? WHERE bank_id = ? AND id = ?", (day_text(day), *key)
    )
