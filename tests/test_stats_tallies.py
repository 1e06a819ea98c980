"""Statistics counted by SQLite agree with a plain recount of every log row and item."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from datetime import date, timedelta

import pytest

from trainer.model import Bank
from trainer.queue import Limits
from trainer.sm2 import PASSING_QUALITY
from trainer.store import reports
from trainer.store.banks import all_banks
from trainer.store.mirror import mirror_bank

TODAY = date(2026, 3, 1)
KINDS = ("new", "review", "redrill", "cram")


def _random_history(connection: sqlite3.Connection, rng: random.Random) -> None:
    ids = [row[0] for row in connection.execute("SELECT id FROM items")]
    for item_id in ids:
        due = TODAY + timedelta(days=rng.randint(-5, 40)) if rng.random() < 0.8 else None
        connection.execute(
            "UPDATE items SET due_day = ?, lapses = ?, easiness_hundredths = ?, leech = ?,"
            " suspended = ?, retired = ? WHERE id = ?",
            (
                due and due.isoformat(),
                rng.randint(0, 9),
                rng.randrange(130, 300, 2),
                int(rng.random() < 0.2),
                int(rng.random() < 0.2),
                int(rng.random() < 0.15),
                item_id,
            ),
        )
    for _ in range(rng.randint(0, 400)):
        day = TODAY - timedelta(days=rng.randint(0, 400))
        item_id = rng.choice([*ids, "gone-from-the-store"])
        connection.execute(
            "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade)"
            " VALUES (?, ?, ?, ?, ?)",
            (item_id, f"{day}T10:00:00", day.isoformat(), rng.choice(KINDS), rng.randint(0, 5)),
        )


def _recount(connection: sqlite3.Connection) -> dict[str, object]:
    """The statistics from every row, the straightforward way."""
    items = connection.execute(
        "SELECT id, category, due_day, suspended, retired, lapses, easiness_hundredths, leech"
        " FROM items ORDER BY rowid"
    ).fetchall()
    log = connection.execute("SELECT item_id, study_day, kind, grade FROM reviews").fetchall()
    current = [item for item in items if not item[4]]
    reviews = [entry for entry in log if entry[2] in ("new", "review")]
    per_day = Counter(date.fromisoformat(entry[1]) for entry in reviews)
    window = (TODAY - timedelta(days=29)).isoformat()
    recent = [entry[3] >= PASSING_QUALITY for entry in reviews if entry[1] >= window]
    category_of = {item[0]: item[1] for item in items}
    by_category: dict[str, list[int]] = {}
    for item_id, _, _, grade in reviews:
        counts = by_category.setdefault(category_of.get(item_id) or "?", [0, 0])
        counts[0] += 1
        counts[1] += grade >= PASSING_QUALITY
    due_days = Counter(item[2] for item in current if item[2] and not item[3])
    hardest = sorted((item for item in current if item[5]), key=lambda i: (-i[5], i[6], i[0]))
    return {
        "items_total": len(current),
        "items_new": sum(item[2] is None and not item[3] for item in current),
        "items_suspended": sum(bool(item[3]) for item in current),
        "items_retired": len(items) - len(current),
        "reviews_total": len(reviews),
        "reviews_today": per_day[TODAY],
        "practice_total": len(log) - len(reviews),
        "retention_30d": round(sum(recent) / len(recent), 4) if recent else None,
        "daily_reviews": {
            day.isoformat(): count
            for day, count in sorted(per_day.items())
            if day > TODAY - timedelta(days=365)
        },
        "forecast": {
            (TODAY + timedelta(days=n)).isoformat(): due_days[
                (TODAY + timedelta(days=n)).isoformat()
            ]
            for n in range(1, 31)
        },
        "category_accuracy": {
            category: (reviews_, correct) for category, (reviews_, correct) in by_category.items()
        },
        "leeches": [item[0] for item in current if item[7]],
        "hardest": [item[0] for item in hardest[:10]],
    }


@pytest.mark.parametrize("seed", range(12))
def test_tallies_match_a_recount(
    fresh_db: sqlite3.Connection, small_bank: Bank, set_now, seed: int
) -> None:
    set_now(f"{TODAY.isoformat()}T09:00:00")
    mirror_bank(fresh_db, small_bank)
    _random_history(fresh_db, random.Random(seed))
    stats = reports.load_stats(fresh_db, all_banks(fresh_db), lambda bank: Limits()).to_json()
    expected = _recount(fresh_db)
    accuracy = stats.pop("category_accuracy")
    assert {
        category: (result["reviews"], result["correct"]) for category, result in accuracy.items()
    } == expected.pop("category_accuracy")
    assert [item["id"] for item in stats.pop("leeches")] == expected.pop("leeches")
    assert [item["id"] for item in stats.pop("hardest")] == expected.pop("hardest")
    assert {key: stats[key] for key in expected} == expected
