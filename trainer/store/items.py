"""The `items` table: one row per review item the bank has ever had, with its schedule.

Rows are never deleted: an item that leaves the bank is `retired` and keeps its history.
Dates are ISO strings of study days.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

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
    + ", stability, difficulty"
)


@dataclass(frozen=True)
class StoredItem:
    record: ItemRecord
    note_id: str
    category: str
    tags: tuple[str, ...]
    prompt: str
    schedule: Schedule
    lapses: int
    leech: bool

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def state(self) -> Sm2State:
        return self.schedule.sm2


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def day_text(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _record(row: tuple) -> ItemRecord:
    item_id, order, siblings, due, buried, suspended, retired = row[:7]
    return ItemRecord(
        item_id, order, siblings, _day(due), _day(buried), bool(suspended), bool(retired)
    )


def _stored(row: tuple) -> StoredItem:
    note_id, category, tags, prompt, repetitions, easiness, interval, lapses, leech = row[7:16]
    stability, difficulty = row[16:]
    record = _record(row)
    return StoredItem(
        record=record,
        note_id=note_id,
        category=category or "",
        tags=tuple((tags or "").split()),
        prompt=prompt or "",
        schedule=Schedule(repetitions, easiness, interval, record.due_day, stability, difficulty),
        lapses=lapses,
        leech=bool(leech),
    )


def due_in_order(connection: sqlite3.Connection, today: date) -> Iterator[ItemRecord]:
    """Scheduled items due by `today` in `trainer.queue.showing_order`, a page at a time (the
    `idx_items_scheduled` index gives them in order), so a day's queue reads a few pages
    however many items are overdue."""
    after = ("", -1)
    while True:
        rows = connection.execute(
            f"SELECT {_RECORD_COLUMNS} FROM items WHERE {SCHEDULED_WHERE}"
            " AND due_day <= ? AND (due_day, bank_order) > (?, ?)"
            " ORDER BY due_day, bank_order LIMIT ?",
            (today.isoformat(), *after, NEW_ITEMS_PAGE),
        ).fetchall()
        yield from map(_record, rows)
        if len(rows) < NEW_ITEMS_PAGE:
            return
        after = (rows[-1][3], rows[-1][1])


def due_count(connection: sqlite3.Connection, by: date) -> int:
    """Current, unsuspended scheduled items due on or before `by` (buried ones included)."""
    return connection.execute(
        f"SELECT count(*) FROM items WHERE {SCHEDULED_WHERE} AND due_day <= ?", (by.isoformat(),)
    ).fetchone()[0]


def first_due_day(connection: sqlite3.Connection, earliest: date) -> date | None:
    """The first day from `earliest` on with a current, unsuspended item to study: `earliest`
    itself if there is a new or overdue one; None if there are no such items."""
    day = connection.execute(
        f"SELECT CASE WHEN EXISTS (SELECT 1 FROM items WHERE {NEW_WHERE}) THEN :earliest"
        f" ELSE max((SELECT min(due_day) FROM items WHERE {SCHEDULED_WHERE}), :earliest) END",
        {"earliest": earliest.isoformat()},
    ).fetchone()[0]
    return _day(day)


def records(connection: sqlite3.Connection, item_ids: Iterable[str]) -> list[ItemRecord]:
    ids = list(item_ids)
    marks = ", ".join("?" * len(ids))
    query = f"SELECT {_RECORD_COLUMNS} FROM items WHERE id IN ({marks})"
    return [_record(row) for row in connection.execute(query, ids)] if ids else []


def new_candidates(connection: sqlite3.Connection) -> Iterator[ItemRecord]:
    """New items in bank order, fetched a page at a time so that taking today's few new items
    does not read every row (no statement is left open between pages)."""
    after = -1
    while True:
        rows = connection.execute(
            f"SELECT {_RECORD_COLUMNS} FROM items WHERE {NEW_WHERE}"
            " AND bank_order > ? ORDER BY bank_order LIMIT ?",
            (after, NEW_ITEMS_PAGE),
        ).fetchall()
        yield from map(_record, rows)
        if len(rows) < NEW_ITEMS_PAGE:
            return
        after = rows[-1][1]


def load_items(connection: sqlite3.Connection) -> list[StoredItem]:
    return [_stored(row) for row in connection.execute(f"SELECT {_ITEM_COLUMNS} FROM items")]


def load_item(connection: sqlite3.Connection, item_id: str) -> StoredItem:
    row = connection.execute(f"SELECT {_ITEM_COLUMNS} FROM items WHERE id = ?", (item_id,))
    return _stored(row.fetchone())


def snapshot(connection: sqlite3.Connection, item_id: str) -> dict[str, object]:
    """The item's schedule columns, for `restore` (undo)."""
    columns = ", ".join(SCHEDULE_COLUMNS)
    row = connection.execute(f"SELECT {columns} FROM items WHERE id = ?", (item_id,)).fetchone()
    return {"id": item_id, **dict(zip(SCHEDULE_COLUMNS, row, strict=True))}


def restore(connection: sqlite3.Connection, saved: dict[str, object]) -> None:
    """Write back a `snapshot`; one saved before FSRS existed (schema 6) had no FSRS state."""
    values = dict.fromkeys(SCHEDULE_COLUMNS) | saved
    assignments = ", ".join(f"{column} = :{column}" for column in SCHEDULE_COLUMNS)
    connection.execute(f"UPDATE items SET {assignments} WHERE id = :id", values)


_SCHEDULE_UPDATE = (
    "UPDATE items SET repetitions = ?, easiness_hundredths = ?, interval = ?, due_day = ?,"
    " stability = ?, difficulty = ? WHERE id = ?"
)


def _schedule_values(item_id: str, schedule: Schedule) -> tuple[object, ...]:
    return (
        schedule.repetitions,
        schedule.easiness_hundredths,
        schedule.interval,
        day_text(schedule.due_day),
        schedule.stability,
        schedule.difficulty,
        item_id,
    )


def update_schedule(
    connection: sqlite3.Connection,
    item_id: str,
    schedule: Schedule,
    *,
    lapses: int,
    leech: bool,
    suspended: bool,
) -> None:
    connection.execute(_SCHEDULE_UPDATE, _schedule_values(item_id, schedule))
    connection.execute(
        "UPDATE items SET lapses = ?, leech = ?, suspended = ? WHERE id = ?",
        (lapses, int(leech), int(suspended), item_id),
    )


def replace_schedules(connection: sqlite3.Connection, schedules: dict[str, Schedule]) -> None:
    """Set the schedule of each item in `schedules` (a replay); lapses and leeches stay."""
    connection.executemany(
        _SCHEDULE_UPDATE, [_schedule_values(item_id, s) for item_id, s in schedules.items()]
    )


def bury(connection: sqlite3.Connection, item_id: str, until: date) -> None:
    connection.execute("UPDATE items SET buried_until = ? WHERE id = ?", (day_text(until), item_id))


def suspend(connection: sqlite3.Connection, item_id: str) -> None:
    connection.execute("UPDATE items SET suspended = 1 WHERE id = ?", (item_id,))
