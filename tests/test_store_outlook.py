"""The outlook aggregates (items due by a day, the next day with something to study) agree with
their definition over every item record."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

import pytest

from tests.store_support import synthetic_bank, write
from trainer.bank import load_bank
from trainer.store import items
from trainer.store.mirror import mirror_bank

TOMORROW = date(2026, 3, 2)


def _scramble(connection: sqlite3.Connection, rng: random.Random) -> None:
    """Random schedules, many due on the boundary day; some seeds with no new items, some with
    nothing due before a week."""
    new_share = rng.choice((0.0, 0.1, 0.5))
    shift = rng.choice((0, 7))
    for (item_id,) in connection.execute("SELECT id FROM items").fetchall():
        due = TOMORROW + timedelta(days=shift + rng.choice((-3, -1, 0, 0, 1, 9)))
        connection.execute(
            "UPDATE items SET due_day = ?, buried_until = ?, suspended = ?, retired = ?"
            " WHERE id = ?",
            (
                None if rng.random() < new_share else due.isoformat(),
                (TOMORROW + timedelta(days=rng.randint(-1, 1))).isoformat(),
                int(rng.random() < 0.3),
                int(rng.random() < 0.3),
                item_id,
            ),
        )


@pytest.mark.parametrize("seed", range(20))
def test_outlook_matches_the_records(
    fresh_db: sqlite3.Connection, tmp_path, set_now, seed: int
) -> None:
    rng = random.Random(seed)
    bank = mirror_bank(
        fresh_db, load_bank(write(tmp_path / "cards.yaml", synthetic_bank(rng.randint(1, 30))))
    )
    _scramble(fresh_db, rng)
    current = [
        record
        for record in [stored.record for stored in items.load_items(fresh_db)]
        if not (record.retired or record.suspended)
    ]
    days = [TOMORROW if record.is_new else max(record.due_day, TOMORROW) for record in current]
    assert items.first_due_day(fresh_db, bank, TOMORROW) == (min(days) if days else None)
    assert items.due_count(fresh_db, bank, TOMORROW) == sum(
        record.is_due(TOMORROW) for record in current
    )
