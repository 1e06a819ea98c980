"""Read-side glue: today's queue and the statistics, from a connection (read-only is enough).

Lean on purpose: `trainer due` imports this; statistics are imported only when asked for.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from trainer import clock
from trainer.queue import DailyQueue, Limits, queue_in_order, study_day
from trainer.sm2 import HUNDREDTHS, PASSING_QUALITY
from trainer.store import items, log
from trainer.store.sync import DeckSettings, deck_settings

if TYPE_CHECKING:
    from trainer.stats import Accuracy, ItemBrief, ItemCounts, Stats, Tallies

K = TypeVar("K")
_SCHEDULED = ", ".join(f"'{kind}'" for kind in log.SCHEDULED_KINDS)


def today(settings: DeckSettings) -> date:
    return study_day(clock.now(), settings.day_start_hour)


def default_limits(settings: DeckSettings) -> Limits:
    return Limits(settings.new_limit(), settings.review_limit())


def queue_on(connection: sqlite3.Connection, day: date, limits: Limits) -> DailyQueue:
    day_log = log.day_log(connection, day)
    redrill = items.records(connection, day_log.redrill_pending)
    return queue_in_order(
        items.due_in_order(connection, day),
        items.new_candidates(connection),
        day,
        limits,
        day_log,
        redrill_available={
            record.id for record in redrill if not record.is_new and record.is_available(day)
        },
    )


def queue(connection: sqlite3.Connection, limits: Limits | None = None) -> DailyQueue:
    """Today's queue with the deck's limits (or `limits`)."""
    settings = deck_settings(connection)
    return queue_on(connection, today(settings), limits or default_limits(settings))


def due_count(connection: sqlite3.Connection) -> int:
    return len(queue(connection).order)


def _accuracies(counts: dict[K, list[int]]) -> dict[K, Accuracy]:
    from trainer.stats import Accuracy

    return {key: Accuracy(answers, correct) for key, (answers, correct) in counts.items()}


def _briefs(connection: sqlite3.Connection, where: str, order: str) -> tuple[ItemBrief, ...]:
    from trainer.stats import ItemBrief

    rows = connection.execute(
        "SELECT id, prompt, category, lapses, easiness_hundredths FROM items"
        f" WHERE retired = 0 AND {where} ORDER BY {order}"
    )
    return tuple(
        ItemBrief(item_id, prompt or "", category or "", lapses, easiness / HUNDREDTHS)
        for item_id, prompt, category, lapses, easiness in rows
    )


def _item_counts(connection: sqlite3.Connection) -> ItemCounts:
    from trainer.stats import ItemCounts

    total, new, suspended, retired = connection.execute(
        "SELECT count(*) - total(retired), total(due_day IS NULL AND suspended = 0"
        " AND retired = 0), total(suspended AND retired = 0), total(retired) FROM items"
    ).fetchone()
    return ItemCounts(int(total), int(new), int(suspended), int(retired))


def _due_by_day(connection: sqlite3.Connection) -> dict[date, int]:
    rows = connection.execute(
        "SELECT due_day, count(*) FROM items WHERE retired = 0 AND suspended = 0"
        " AND due_day IS NOT NULL GROUP BY due_day"
    )
    return {date.fromisoformat(day): count for day, count in rows}


def _log_by_day(connection: sqlite3.Connection) -> tuple[dict[date, Accuracy], int]:
    """Scheduled reviews by study day, and the number of practice answers."""
    by_day: dict[date, list[int]] = {}
    practice = 0
    for day, kind, answers, correct in connection.execute(
        f"SELECT study_day, kind, count(*), total(grade >= {PASSING_QUALITY}) FROM reviews"
        " GROUP BY study_day, kind"
    ):
        if kind in log.SCHEDULED_KINDS:
            counts = by_day.setdefault(date.fromisoformat(day), [0, 0])
            counts[0] += answers
            counts[1] += int(correct)
        else:
            practice += answers
    return _accuracies(by_day), practice


def _by_category(connection: sqlite3.Connection) -> dict[str, Accuracy]:
    """Scheduled reviews by the category of their item (`?` for an item no longer stored)."""
    category_of = dict(connection.execute("SELECT id, category FROM items"))
    by_category: dict[str, list[int]] = {}
    for item_id, answers, correct in connection.execute(
        f"SELECT item_id, count(*), total(grade >= {PASSING_QUALITY}) FROM reviews"
        f" WHERE kind IN ({_SCHEDULED}) GROUP BY item_id"
    ):
        counts = by_category.setdefault(category_of.get(item_id) or "?", [0, 0])
        counts[0] += answers
        counts[1] += int(correct)
    return _accuracies(by_category)


def tallies(connection: sqlite3.Connection) -> Tallies:
    """The counts behind the statistics, aggregated by SQLite from covering indexes."""
    from trainer.stats import HARDEST_COUNT, Tallies

    reviews_by_day, practice = _log_by_day(connection)
    return Tallies(
        items=_item_counts(connection),
        due_by_day=_due_by_day(connection),
        reviews_by_day=reviews_by_day,
        practice_total=practice,
        accuracy_by_category=_by_category(connection),
        leeches=_briefs(connection, "leech", "rowid"),
        hardest=_briefs(
            connection, "lapses > 0", f"lapses DESC, easiness_hundredths, id LIMIT {HARDEST_COUNT}"
        ),
    )


def load_stats(connection: sqlite3.Connection, limits: Limits | None = None) -> Stats:
    from trainer.stats import compute

    return compute(tallies(connection), today(deck_settings(connection)), queue(connection, limits))
