"""Read-side glue: today's queue and the statistics, from a connection (read-only is enough).

Lean on purpose: `trainer due` imports this; statistics are imported only when asked for.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

from trainer import clock
from trainer.queue import DailyQueue, Limits, queue_in_order, study_day
from trainer.schedulers import Schedule, Settings, retrievability
from trainer.sm2 import HUNDREDTHS
from trainer.store import items, log
from trainer.store.sync import DeckSettings, deck_settings

if TYPE_CHECKING:
    from trainer.stats import Accuracy, ItemBrief, ItemCounts, Stats, Tallies

K = TypeVar("K")
SET_ASIDE_WHERE = "(retired = 1 OR suspended = 1)"
"""Retired or suspended items: the terms of the partial index `idx_items_set_aside`."""


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
        f" WHERE {where} AND retired = 0 ORDER BY {order}"
    )
    return tuple(
        ItemBrief(item_id, prompt or "", category or "", lapses, easiness / HUNDREDTHS)
        for item_id, prompt, category, lapses, easiness in rows
    )


def _item_counts(connection: sqlite3.Connection) -> ItemCounts:
    """Every row (a bare count(*) adds up the cell counts of an index's pages), the new items
    and the few set aside, each from its partial index."""
    from trainer.stats import ItemCounts

    every, new, retired, suspended = connection.execute(
        "SELECT (SELECT count(*) FROM items),"
        f" (SELECT count(*) FROM items WHERE {items.NEW_WHERE}),"
        f" (SELECT count(*) FROM items WHERE {SET_ASIDE_WHERE} AND retired = 1),"
        f" (SELECT count(*) FROM items WHERE {SET_ASIDE_WHERE} AND retired = 0)"
    ).fetchone()
    return ItemCounts(every - retired, new, suspended, retired)


def _due_by_day(connection: sqlite3.Connection, first: date, last: date) -> dict[date, int]:
    rows = connection.execute(
        f"SELECT due_day, count(*) FROM items WHERE {items.SCHEDULED_WHERE}"
        " AND due_day BETWEEN ? AND ? GROUP BY due_day",
        (first.isoformat(), last.isoformat()),
    )
    return {date.fromisoformat(day): count for day, count in rows}


def _log_by_day(connection: sqlite3.Connection) -> tuple[dict[date, Accuracy], int]:
    """Scheduled reviews by study day, and the number of practice answers."""
    by_day: dict[date, list[int]] = {}
    practice = 0
    for day, kind, answers, correct in connection.execute(
        "SELECT study_day, kind, answers, correct FROM daily_tallies"
    ):
        if kind in log.SCHEDULED_KINDS:
            counts = by_day.setdefault(date.fromisoformat(day), [0, 0])
            counts[0] += answers
            counts[1] += correct
        else:
            practice += answers
    return _accuracies(by_day), practice


def _by_category(
    connection: sqlite3.Connection, reviews_by_day: dict[date, Accuracy]
) -> dict[str, Accuracy]:
    """Scheduled reviews by the category of their item; `?` for items without a category and
    for answers logged for an id that was not a stored item (counted by day only)."""
    rows = connection.execute("SELECT category, answers, correct FROM category_tallies").fetchall()
    unstored = (
        "?",
        sum(day.reviews for day in reviews_by_day.values()) - sum(row[1] for row in rows),
        sum(day.correct for day in reviews_by_day.values()) - sum(row[2] for row in rows),
    )
    by_category: dict[str, list[int]] = {}
    for category, answers, correct in [*rows, unstored]:
        if answers:
            counts = by_category.setdefault(category or "?", [0, 0])
            counts[0] += answers
            counts[1] += correct
    return _accuracies(by_category)


def predicted_retention(
    connection: sqlite3.Connection, day: date, choice: Settings
) -> float | None:
    """The mean probability, as FSRS predicts it, of recalling each current, unsuspended,
    scheduled item on `day`; None for SM-2 decks (SM-2 predicts none) or nothing scheduled."""
    if choice.scheduler != "fsrs":
        return None
    rows = connection.execute(
        "SELECT repetitions, easiness_hundredths, interval, due_day, stability, difficulty"
        f" FROM items WHERE {items.SCHEDULED_WHERE} AND stability IS NOT NULL"
    ).fetchall()
    predictions = [
        retrievability(
            choice,
            Schedule(
                repetitions, easiness, interval, date.fromisoformat(due), stability, difficulty
            ),
            day,
        )
        for repetitions, easiness, interval, due, stability, difficulty in rows
    ]
    known = [p for p in predictions if p is not None]
    return sum(known) / len(known) if known else None


def tallies(connection: sqlite3.Connection, day: date) -> Tallies:
    """The counts behind the statistics on study day `day`, from the running tallies the
    log's triggers keep and from partial indexes (migration m006): the cost grows with the
    days studied, the new items and the few items due in the forecast, set aside, leeches or
    hardest, not with the log or the bank."""
    from trainer.stats import FORECAST_DAYS, HARDEST_COUNT, Tallies

    reviews_by_day, practice = _log_by_day(connection)
    choice = deck_settings(connection).choice
    return Tallies(
        items=_item_counts(connection),
        due_by_day=_due_by_day(
            connection, day + timedelta(days=1), day + timedelta(days=FORECAST_DAYS)
        ),
        reviews_by_day=reviews_by_day,
        practice_total=practice,
        accuracy_by_category=_by_category(connection, reviews_by_day),
        leeches=_briefs(connection, "leech = 1", "rowid"),
        hardest=_briefs(
            connection, "lapses > 0", f"lapses DESC, easiness_hundredths, id LIMIT {HARDEST_COUNT}"
        ),
        scheduler=choice.scheduler,
        predicted_retention=predicted_retention(connection, day, choice),
    )


def load_stats(connection: sqlite3.Connection, limits: Limits | None = None) -> Stats:
    from trainer.stats import compute

    day = today(deck_settings(connection))
    return compute(tallies(connection, day), day, queue(connection, limits))
