"""The exam plan (`trainer.exam`) over a bank's stored items: which cards the window brings
forward to a day, and what the queue and the statistics read of it.

Nothing is written: the plan is a function of the stored schedules, the day and the exam, so
it is worked out when asked. Before the window no due day moves and the queue costs nothing
more. In it, today's share (`brought_forward`) is counted and picked by SQLite over the index
of scheduled cards, with only today's share and the few cards reviewed in the window that fall
short of the target made into Python objects, and the log read for today's rows only. The
statistics (`report`) read each current card once; never the log.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from trainer.core.kinds import AnswerKind
from trainer.exam import (
    Exam,
    ExamReport,
    PlanCard,
    exam_range,
    learning_day,
    pace,
    plan,
    recall_on_day,
    short_of_target,
    target,
    todays_order,
    todays_share,
)
from trainer.queue import ItemRecord, Limits, showing_order
from trainer.schedulers import Schedule, Settings
from trainer.store import items, log
from trainer.store.banks import StoredBank

_COLUMNS = (
    "id, bank_order, siblings_key, due_day, buried_until, suspended, retired,"
    " repetitions, easiness_hundredths, interval, stability, difficulty"
)


def _card(row: tuple[Any, ...]) -> tuple[ItemRecord, PlanCard]:
    item_id, order, siblings, due, buried, suspended, retired = row[:7]
    repetitions, easiness, interval, stability, difficulty = row[7:]
    due_day = date.fromisoformat(due)
    record = ItemRecord(
        item_id,
        order,
        siblings,
        due_day,
        date.fromisoformat(buried) if buried else None,
        bool(suspended),
        bool(retired),
    )
    schedule = Schedule(repetitions, easiness, interval, due_day, stability, difficulty)
    return record, PlanCard(item_id, order, schedule)


def scheduled_after(
    connection: sqlite3.Connection, bank: int, day: date
) -> list[tuple[ItemRecord, PlanCard]]:
    """The bank's current, unsuspended items due after `day` (the partial index's range)."""
    rows = connection.execute(
        f"SELECT {_COLUMNS} FROM items WHERE {items.SCHEDULED_WHERE} AND bank_id = ?"
        " AND due_day > ?",
        (bank, day.isoformat()),
    ).fetchall()
    return [_card(row) for row in rows]


def brought_forward_today(connection: sqlite3.Connection, bank: int, day: date) -> int:
    """Exam reviews given on study day `day`: scheduled answers before the plain due day.
    Reads the day's rows of the log only."""
    (count,) = connection.execute(
        f"SELECT count(*) FROM reviews {log.BY_BANK_DAY} WHERE bank_id = ? AND study_day = ?"
        " AND kind = ? AND due_before > study_day",
        (bank, day.isoformat(), AnswerKind.REVIEW),
    ).fetchone()
    return int(count)


def placed(
    connection: sqlite3.Connection, bank: int, exam: Exam, choice: Settings, day: date
) -> tuple[dict[Hashable, date], list[tuple[ItemRecord, PlanCard]]]:
    """The exam review day of each of the bank's cards that needs one, from `day` on, and the
    cards read."""
    cards = scheduled_after(connection, bank, day)
    done = brought_forward_today(connection, bank, day)
    found = plan(exam, choice, (card for _, card in cards), day, done)
    return found, cards


def moves(
    connection: sqlite3.Connection, bank: int, exam: Exam | None, choice: Settings, day: date
) -> dict[str, tuple[date, date]]:
    """Each card the exam plan moves, as seen on study day `day`: item -> (its plain due day,
    its exam due day). The exam due day is today for today's share (what the queue brings
    forward), for the others the day the plan keeps for their exam review now (planned again
    each day). `trainer cards`, the forecast and `trainer sync` show it in place of the plain
    due day, so that none of them (nor the phone) disagree on a card's day. Empty without an
    exam, and from its day on."""
    if exam is None or day >= exam.day:
        return {}
    found, cards = placed(connection, bank, exam, choice, day)
    return {
        str(card.key): (plain, found[card.key])
        for _, card in cards
        if card.key in found
        and (plain := card.schedule.due_day) is not None
        and found[card.key] != plain
    }


def forecast(
    due_by_day: Mapping[date, int], moved: Mapping[str, tuple[date, date]], first: date, last: date
) -> dict[date, int]:
    """`due_by_day`, the plain schedule's count of cards due on each day from `first` to `last`,
    with the exam plan's moves applied (`moved`: item -> (plain due day, exam due day)): a
    card is counted on the day it is now due."""
    counts = Counter(due_by_day)
    for plain, planned in moved.values():
        counts[plain] -= 1
        counts[planned] += 1
    return {day: count for day, count in sorted(counts.items()) if first <= day <= last and count}


_WINDOW_REVIEW = (
    "due_day > :today AND due_day >= :start AND date(due_day, printf('-%d days', interval))"
    " < :start"
)
"""Cards learned before the window, not yet reviewed in it, due after today: each needs its
exam review (`trainer.exam.exam_range`'s first case, in SQL)."""
_REVIEWED_IN_WINDOW = (
    "due_day >= :exam AND date(due_day, printf('-%d days', interval)) >= :start"
    " AND julianday(:exam) - julianday(due_day) + interval > :ratio * {scale}"
)
"""Cards reviewed in the window, next due after the exam and below the target on the day
(`trainer.exam.short_of_target`, with a hair of slack: `exam_range` decides): each needs
another review before it."""
_SCALES = {"interval": "max(interval, 1)", "stability": "stability"}
_SLACK = 0.999


def brought_forward(
    connection: sqlite3.Connection, bank: int, exam: Exam | None, choice: Settings, day: date
) -> list[ItemRecord]:
    """The cards the exam plan makes due on `day` that the plain schedule does not (what
    `trainer.exam.plan` gives today), in showing order, each with `day` as its due day; none
    outside the window. SQLite counts and orders the cards learned before the window, so the
    cost per command is a pass over the index of scheduled cards, not a Python object a card."""
    if exam is None or not exam.is_open(day):
        return []
    terms = {
        "bank": bank,
        "today": day.isoformat(),
        "start": exam.window_start.isoformat(),
        "exam": exam.day.isoformat(),
        "eve": exam.eve.isoformat(),
    }
    where = f"{items.SCHEDULED_WHERE} AND bank_id = :bank"
    scale, ratio = short_of_target(choice)
    terms["ratio"] = ratio * _SLACK
    deadlines: Counter[date] = Counter(
        {
            date.fromisoformat(deadline): count
            for deadline, count in connection.execute(
                f"SELECT min(due_day, :eve), count(*) FROM items WHERE {where}"
                f" AND {_WINDOW_REVIEW} GROUP BY 1",
                terms,
            )
        }
    )
    again = []
    for record, card in map(
        _card,
        connection.execute(
            f"SELECT {_COLUMNS} FROM items WHERE {where}"
            f" AND {_REVIEWED_IN_WINDOW.format(scale=_SCALES[scale])}",
            terms,
        ),
    ):
        span = exam_range(exam, choice, card.schedule, day)
        if span is not None:
            deadlines[span[1]] += 1
            if span[0] <= day:
                again.append((todays_order(span[1], card.schedule.interval, card, day), record))
    share = todays_share(deadlines, day, brought_forward_today(connection, bank, day))
    if not share:
        return []
    rows = connection.execute(
        f"SELECT {_COLUMNS} FROM items WHERE {where} AND {_WINDOW_REVIEW}"
        " ORDER BY min(due_day, :eve) > :today, interval DESC, bank_order, id LIMIT :share",
        terms | {"share": share},
    )
    first = []
    for record, card in map(_card, rows):
        span = exam_range(exam, choice, card.schedule, day)
        if span is not None:  # always: the SQL's terms are the range's
            first.append((todays_order(span[1], card.schedule.interval, card, day), record))
    todays = [record for _, record in sorted(first + again, key=lambda pair: pair[0])[:share]]
    return sorted((record._replace(due_day=day) for record in todays), key=showing_order)


def merged(plain: Iterator[ItemRecord], extra: list[ItemRecord]) -> Iterator[ItemRecord]:
    """Two runs in showing order as one."""
    return heapq.merge(plain, extra, key=showing_order)


def report(
    connection: sqlite3.Connection, bank: StoredBank, day: date, *, limits: Limits, new_today: int
) -> ExamReport | None:
    """The bank's exam as `trainer stats` shows it on study day `day` (`new_today`: new cards
    still allowed today). Reads each current, unsuspended item once (its schedule, category,
    bank order); the log is not read. None: the deck has no exam."""
    exam, choice = bank.settings.exam_plan, bank.settings.choice
    if exam is None:
        return None
    if day >= exam.day:
        return ExamReport(exam, day, target(choice), None, {}, None, {})
    found, cards = placed(connection, bank.id, exam, choice, day)
    rows = connection.execute(
        "SELECT id, category, due_day, repetitions, easiness_hundredths, interval, stability,"
        " difficulty FROM items WHERE bank_id = ? AND retired = 0 AND suspended = 0"
        " ORDER BY due_day IS NOT NULL, bank_order",
        (bank.id,),
    ).fetchall()
    recalls: list[tuple[str, float]] = []
    known: dict[tuple[Schedule, date | None], float] = {}
    new_index = 0
    for item_id, category, due, repetitions, easiness, interval, stability, difficulty in rows:
        if due is None:
            first = learning_day(new_index, limits.new_per_day, new_today, day)
            new_index += 1
            schedule = Schedule()
        else:
            first = found.get(item_id)
            schedule = Schedule(
                repetitions, easiness, interval, date.fromisoformat(due), stability, difficulty
            )
        recall = 0.0
        if schedule.due_day is not None or (first is not None and first < exam.day):
            if (schedule, first) not in known:  # cards of one history share a schedule
                known[schedule, first] = recall_on_day(exam, choice, schedule, first, day)
            recall = known[schedule, first]
        recalls.append((category or "?", recall))
    return ExamReport(
        exam=exam,
        today=day,
        target=target(choice),
        recall=sum(share for _, share in recalls) / len(recalls) if recalls else None,
        recall_by_category=_by_category(recalls),
        pace=pace(exam, new_index, limits.new_per_day, new_today, day),
        window_load=_window_load(exam, day, found, cards),
    )


def _by_category(recalls: list[tuple[str, float]]) -> dict[str, float]:
    groups: dict[str, list[float]] = {}
    for category, recall in recalls:
        groups.setdefault(category, []).append(recall)
    return {category: sum(found) / len(found) for category, found in sorted(groups.items())}


def _window_load(
    exam: Exam, day: date, found: dict[Hashable, date], cards: list[tuple[ItemRecord, PlanCard]]
) -> dict[date, int]:
    first = max(exam.window_start, day + timedelta(days=1))
    load = {first + timedelta(days=n): 0 for n in range(max(0, (exam.day - first).days))}
    for _, card in cards:
        planned = found.get(card.key, card.schedule.due_day)
        if planned in load:
            load[planned] += 1
    return load
