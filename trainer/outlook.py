"""What a review session reports: when the next card is due, the end-of-session summary, the
statistics and the card browser's rows. Reads only, at the caller's moment `now`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from trainer.core.grades import passed
from trainer.queue import day_start
from trainer.sitting import Sitting
from trainer.store import items, log, reports

if TYPE_CHECKING:
    from trainer.browse import CardRow
    from trainer.stats import Stats


@dataclass(frozen=True)
class Summary:
    """For the end screen."""

    reviewed: int
    """Answers given in this session (re-drills included)."""
    retention_today: float | None
    seconds_spent: int
    """Answering time in this session."""
    due_tomorrow: int
    streak_days: int
    reviewed_today: int
    """Answers given today, in this session and earlier ones."""
    seconds_today: int
    exam: str | None = None
    """The exam's countdown and predicted recall on the day (`ExamReport.headline`)."""


def first_due(connection: sqlite3.Connection, sitting: Sitting, now: datetime) -> datetime | None:
    """The start of the day the next review falls on (at the earliest tomorrow) in the
    sitting's banks; None if nothing is scheduled."""
    starts = []
    for bank in sitting.banks:
        tomorrow = sitting.day_of(bank, now) + timedelta(days=1)
        day = items.first_due_day(connection, bank.id, tomorrow)
        if day is not None:
            starts.append(day_start(day, bank.settings.day_start_hour))
    return min(starts, default=None)


def due_tomorrow(connection: sqlite3.Connection, sitting: Sitting, now: datetime) -> int:
    """Reviews due by the end of tomorrow (new items not included), in every bank."""
    return sum(
        items.due_count(connection, bank.id, sitting.day_of(bank, now) + timedelta(days=1))
        for bank in sitting.banks
    )


def summary(
    connection: sqlite3.Connection, sitting: Sitting, now: datetime, started_after: int
) -> Summary:
    """The session (the answers logged after entry `started_after`) and its study day in
    figures."""
    today = sitting.today(now)
    figures = stats(connection, sitting, now)
    entries = log.entries(connection, since=today, banks=sitting.bank_ids)
    session = [entry for entry in entries if entry.id > started_after]
    today_entries = [entry for entry in entries if entry.study_day == today]
    scheduled_today = [entry for entry in today_entries if entry.is_scheduled]
    retention = (
        sum(passed(entry.grade) for entry in scheduled_today) / len(scheduled_today)
        if scheduled_today
        else None
    )
    return Summary(
        reviewed=len(session),
        retention_today=retention,
        seconds_spent=sum(entry.answer_ms for entry in session) // 1000,
        reviewed_today=len(today_entries),
        seconds_today=sum(entry.answer_ms for entry in today_entries) // 1000,
        due_tomorrow=due_tomorrow(connection, sitting, now),
        streak_days=figures.streak_days,
        exam=figures.exam.headline() if figures.exam is not None else None,
    )


def card_rows(connection: sqlite3.Connection, sitting: Sitting, now: datetime) -> list[CardRow]:
    """Every stored card of the sitting's banks for the card browser, with each bank's queue
    today as its limits make it."""
    from trainer.store.browse import card_rows as bank_rows

    rows = []
    for bank in sitting.banks:
        today, limits = sitting.day_of(bank, now), sitting.limits_of(bank, now)
        queue = reports.queue_on(connection, bank.id, today, limits, bank.settings)
        rows += bank_rows(connection, bank, today, queue)
    return rows


def with_history(connection: sqlite3.Connection, row: CardRow) -> CardRow:
    """The browser's `row` with its review history (read for this card alone)."""
    from trainer.store.browse import with_history as rows_with_history

    return rows_with_history(connection, row.bank_id, [row])[0]


def stats(connection: sqlite3.Connection, sitting: Sitting, now: datetime) -> Stats:
    """`trainer stats`'s figures for the sitting's banks under its limits."""
    return reports.load_stats(
        connection, sitting.banks, lambda bank: sitting.limits_of(bank, now), now
    )
