"""Read-side glue: today's queue and the statistics, from a connection (read-only is enough)."""

from __future__ import annotations

import sqlite3
from datetime import date

from trainer import clock
from trainer.queue import DailyQueue, Limits, daily_queue, study_day
from trainer.stats import Stats, compute
from trainer.store import items, log
from trainer.store.sync import DeckSettings, deck_settings


def today(settings: DeckSettings) -> date:
    return study_day(clock.now(), settings.day_start_hour)


def default_limits(settings: DeckSettings) -> Limits:
    return Limits(settings.new_limit(), settings.review_limit())


def queue(connection: sqlite3.Connection, limits: Limits | None = None) -> DailyQueue:
    """Today's queue with the deck's limits (or `limits`)."""
    settings = deck_settings(connection)
    day = today(settings)
    return daily_queue(
        items.load_records(connection),
        day,
        limits or default_limits(settings),
        log.day_log(connection, day),
    )


def due_count(connection: sqlite3.Connection) -> int:
    return len(queue(connection).order)


def load_stats(connection: sqlite3.Connection, limits: Limits | None = None) -> Stats:
    return compute(
        items.load_items(connection),
        log.entries(connection),
        today(deck_settings(connection)),
        queue(connection, limits),
    )
