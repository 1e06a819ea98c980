"""The store reads today's queue a page at a time, in showing order; it must be exactly the
queue the pure rules give over every stored item."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

import pytest

from tests.store_support import synthetic_bank, write
from trainer.bank import load_bank
from trainer.queue import Limits, daily_queue
from trainer.store import items, log, reports
from trainer.store.mirror import mirror_bank

TODAY = date(2026, 3, 1)


def _scramble(connection: sqlite3.Connection, rng: random.Random) -> None:
    ids = [row[0] for row in connection.execute("SELECT id FROM items")]
    for item_id in ids:
        due = TODAY + timedelta(days=rng.randint(-6, 3)) if rng.random() < 0.8 else None
        buried = TODAY + timedelta(days=rng.randint(-1, 1)) if rng.random() < 0.1 else None
        connection.execute(
            "UPDATE items SET due_day = ?, buried_until = ?, suspended = ?, retired = ?,"
            " siblings_key = ? WHERE id = ?",
            (
                due and due.isoformat(),
                buried and buried.isoformat(),
                int(rng.random() < 0.1),
                int(rng.random() < 0.1),
                f"note-{rng.randrange(len(ids) // 2)}",
                item_id,
            ),
        )
    for _ in range(rng.randint(0, 12)):
        connection.execute(
            "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade)"
            " VALUES (?, '2026-03-01T10:00:00', ?, ?, ?)",
            (rng.choice(ids), TODAY.isoformat(), rng.choice(log.KINDS[:3]), rng.randint(0, 5)),
        )


@pytest.mark.parametrize("seed", range(15))
def test_paged_queue_equals_the_rules_over_every_item(
    fresh_db: sqlite3.Connection, tmp_path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.setattr(items, "NEW_ITEMS_PAGE", 3)
    rng = random.Random(seed)
    bank = mirror_bank(fresh_db, load_bank(write(tmp_path / "cards.yaml", synthetic_bank(60))))
    _scramble(fresh_db, rng)
    limits = Limits(new_per_day=rng.randint(0, 15), reviews_per_day=rng.randint(0, 40))
    records = [stored.record for stored in items.load_items(fresh_db)]
    expected = daily_queue(
        [record for record in records if not record.is_new],
        sorted((record for record in records if record.is_new), key=lambda r: r.bank_order),
        TODAY,
        limits,
        log.day_log(fresh_db, bank, TODAY)._replace(
            buried_siblings=frozenset(r.siblings_key for r in records if r.is_buried(TODAY)),
        ),
    )
    statements: list[str] = []
    fresh_db.set_trace_callback(statements.append)
    assert reports.queue_on(fresh_db, bank, TODAY, limits) == expected
    fresh_db.set_trace_callback(None)
    if len(expected.new) > 3:  # more new items than one page holds: read in several pages
        assert sum("ORDER BY bank_order LIMIT" in sql for sql in statements) > 1
