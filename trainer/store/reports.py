"""Read-side glue: today's queue and the statistics, from a connection (read-only is enough).

Lean on purpose: `trainer due` imports this; statistics are imported only when asked for.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from trainer import clock
from trainer.queue import DailyQueue, Limits, daily_queue, study_day
from trainer.store import items, log
from trainer.store.sync import DeckSettings, deck_settings

if TYPE_CHECKING:
    from trainer.stats import Stats


def today(settings: DeckSettings) -> date:
    return study_day(clock.now(), settings.day_start_hour)


def default_limits(settings: DeckSettings) -> Limits:
    return Limits(settings.new_limit(), settings.review_limit())


def queue_on(connection: sqlite3.Connection, day: date, limits: Limits) -> DailyQueue:
    return daily_queue(
        items.scheduled_candidates(connection, day),
        items.new_candidates(connection),
        day,
        limits,
        log.day_log(connection, day),
    )


def queue(connection: sqlite3.Connection, limits: Limits | None = None) -> DailyQueue:
    """Today's queue with the deck's limits (or `limits`)."""
    settings = deck_settings(connection)
    return queue_on(connection, today(settings), limits or default_limits(settings))


def due_count(connection: sqlite3.Connection) -> int:
    return len(queue(connection).order)


def load_stats(connection: sqlite3.Connection, limits: Limits | None = None) -> Stats:
    from trainer.stats import compute

    return compute(
        items.load_items(connection),
        log.entries(connection),
        today(deck_settings(connection)),
        queue(connection, limits),
    )
