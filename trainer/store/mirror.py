"""Keep a bank's stored items and notes in step with the bank, as parsed by `trainer.library`.

The item id is the identity within a bank: an item whose text changed keeps its schedule and
history; a new id becomes a new item; an id gone from the bank is retired (kept, never shown)
and comes back with its history if the card returns. Other banks' items are never touched.
The fingerprint of the bytes parsed is recorded so that a command on an unchanged bank can
skip reading and parsing the YAML.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from trainer import clock
from trainer.core.deck_settings import DECK_SETTINGS
from trainer.schedulers import Settings
from trainer.store.banks import by_id, by_identity, setting_column
from trainer.store.database import transaction

if TYPE_CHECKING:
    from trainer.model import Bank


def _item_rows(bank_id: int, bank: Bank) -> list[dict[str, object]]:
    return [
        {
            "bank_id": bank_id,
            "id": item.id,
            "note_id": item.note.id,
            "siblings_key": item.note.id,
            "bank_order": order,
            "category": item.note.category,
            "tags": " ".join(item.note.tags),
            "prompt": item.note.prompt,
            "retired": 0,
        }
        for order, item in enumerate(bank.items)
    ]


def _save_bank(connection: sqlite3.Connection, bank_id: int | None, bank: Bank) -> int:
    """Insert or update the bank's row; returns its id. A given `bank_id` keeps its identity
    (a deck renamed without `deck.id`)."""
    deck, print_ = bank.deck, bank.file
    values = {
        "name": deck.name,
        "path": print_.path if print_ else None,
        "size": print_.size if print_ else None,
        "mtime_ns": print_.mtime_ns if print_ else None,
        "ctime_ns": print_.ctime_ns if print_ else None,
        "digest": print_.digest if print_ else None,
        **{name: setting_column(getattr(deck, name)) for name in DECK_SETTINGS},
    }
    if print_ is not None:  # a file holds one bank: another bank last seen there has left it
        connection.execute(
            "UPDATE banks SET path = NULL, size = NULL, mtime_ns = NULL, ctime_ns = NULL,"
            " digest = NULL"
            " WHERE path = ? AND id IS NOT ?",
            (print_.path, bank_id),
        )
    if bank_id is None:
        columns = ", ".join(["identity", *values])
        marks = ", ".join(f":{column}" for column in ["identity", *values])
        cursor = connection.execute(
            f"INSERT INTO banks ({columns}) VALUES ({marks})", {"identity": deck.identity, **values}
        )
        return int(cursor.lastrowid or 0)
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    connection.execute(
        f"UPDATE banks SET {assignments}, reported = NULL,"
        " identity = CASE identity WHEN '' THEN :identity ELSE identity END WHERE id = :id",
        {"id": bank_id, "identity": deck.identity, **values},
    )
    return bank_id


def mirror_bank(
    connection: sqlite3.Connection,
    bank: Bank,
    *,
    bank_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Make the stored items and notes of `bank` match it, in one transaction, and record the
    file it was read from (`bank.file`: the stat and digest of the bytes parsed). The bank is
    found by its identity unless `bank_id` names its row. Returns the bank's id."""
    from sqlite_utils import Database

    from trainer.store.cards import replace_notes

    added_at = (now or clock.now()).isoformat(timespec="seconds")
    db = Database(connection, recursive_triggers=False, execute_plugins=False)
    with transaction(connection):
        known_bank = (
            by_identity(connection, bank.deck.identity)
            if bank_id is None
            else by_id(connection, bank_id)
        )
        bank_id = _save_bank(connection, known_bank.id if known_bank else None, bank)
        rows = _item_rows(bank_id, bank)
        current = {row["id"] for row in rows}
        known = {
            item_id
            for (item_id,) in connection.execute(
                "SELECT id FROM items WHERE bank_id = ?", (bank_id,)
            )
        }
        db.table("items").upsert_all(rows, pk=("bank_id", "id"))
        connection.executemany(
            "UPDATE items SET added_at = ? WHERE bank_id = ? AND id = ?",
            [(added_at, bank_id, item_id) for item_id in current - known],
        )
        connection.executemany(
            "UPDATE items SET retired = 1 WHERE bank_id = ? AND id = ?",
            [(bank_id, item_id) for item_id in known - current],
        )
        replace_notes(connection, bank_id, bank)
        after = by_id(connection, bank_id)
        if known_bank is not None and after is not None:
            before_choice, after_choice = known_bank.settings.choice, after.settings.choice
            if _schedules_differ(before_choice, after_choice):
                reschedule_from_log(connection, bank_id, after_choice)
    return bank_id


def _schedules_differ(before: Settings, after: Settings) -> bool:
    if before.scheduler != after.scheduler:
        return True
    return after.scheduler != "sm2" and before.desired_retention != after.desired_retention


def reschedule_from_log(connection: sqlite3.Connection, bank_id: int, settings: Settings) -> None:
    """Recompute every answered item's schedule in the bank from its review log with the
    deck's scheduler (inside the caller's transaction). Lapses, leeches, buries and suspensions
    do not depend on the scheduler and stay. The bank's undo steps go: they hold schedules of
    the old one."""
    from trainer.schedulers import schedule_after
    from trainer.store.items import replace_schedules
    from trainer.store.log import scheduled_answers

    answers = scheduled_answers(connection, bank_id)
    replace_schedules(
        connection,
        bank_id,
        {
            item_id: schedule_after(settings, item_answers)
            for item_id, item_answers in answers.items()
        },
    )
    connection.execute("DELETE FROM undo_steps WHERE bank_id = ?", (bank_id,))
