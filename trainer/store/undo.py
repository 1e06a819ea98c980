"""The undo journal: what each action of the study day (grade, bury, suspend, and the card
browser's unsuspend, unbury, forget and set due day) changed.

Kept in the database, not in memory, so that quitting (or a crash) and starting again the same
day still lets the user take back their last answers. A step is written in the same
transaction as the change it undoes; steps of earlier study days are dropped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from trainer.core.keys import ItemKey
from trainer.core.undoable import Undoable


class UndoStep(NamedTuple):
    key: ItemKey
    saved_schedule: dict[str, object] | None
    """The item's schedule columns before the change (None: the change left them alone)."""
    log_id: int | None
    """The review log row the change appended, if any."""
    action: str = Undoable.GRADE
    """An `Undoable` (or `change` for a step journalled before actions were named)."""


def push(connection: sqlite3.Connection, step: UndoStep, day: date) -> None:
    """Record a step (inside the caller's transaction)."""
    connection.execute("DELETE FROM undo_steps WHERE study_day < ?", (day.isoformat(),))
    saved = None if step.saved_schedule is None else json.dumps(step.saved_schedule)
    connection.execute(
        "INSERT INTO undo_steps (bank_id, item_id, saved_schedule, log_id, study_day, action)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (*step.key, saved, step.log_id, day.isoformat(), step.action),
    )


def latest(
    connection: sqlite3.Connection, day: date, banks: Collection[int]
) -> tuple[int, UndoStep] | None:
    """The most recent step of `day` in one of `banks` and its row id: a session undoes its own
    banks' steps, never one taken that day in a bank it is not reviewing."""
    marks = ", ".join("?" * len(banks))
    row = connection.execute(
        "SELECT id, bank_id, item_id, saved_schedule, log_id, action FROM undo_steps"
        f" WHERE study_day = ? AND bank_id IN ({marks})"
        " ORDER BY id DESC LIMIT 1",
        (day.isoformat(), *banks),
    ).fetchone()
    if row is None:
        return None
    row_id, bank, item_id, saved, log_id, action = row
    saved_schedule = None if saved is None else json.loads(saved)
    return row_id, UndoStep(ItemKey(bank, item_id), saved_schedule, log_id, action)


def drop(connection: sqlite3.Connection, row_id: int) -> None:
    connection.execute("DELETE FROM undo_steps WHERE id = ?", (row_id,))
