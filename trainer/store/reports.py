"""Read-side glue: today's queue and the statistics, per bank and in total, from a connection
(read-only is enough).

Lean on purpose: `trainer due` imports this; statistics are imported only when asked for. The
clock is a parameter (`now`, default `trainer.clock.now()`): each bank's study day follows its
own `day_starts_at`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Container, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from trainer import clock
from trainer.core.keys import CLOZE_INFIX, CLOZE_TYPE, REVERSE_SUFFIX, REVERSE_TYPE
from trainer.core.kinds import SCHEDULED_KINDS
from trainer.queue import DailyQueue, Limits, queue_in_order, study_day
from trainer.schedulers import Schedule, Settings, retrievability
from trainer.sm2 import HUNDREDTHS
from trainer.store import items, log
from trainer.store.banks import DeckSettings, StoredBank

if TYPE_CHECKING:
    from trainer.exam import ExamReport
    from trainer.stats import Accuracy, ItemBrief, ItemCounts, Stats, Tallies

K = TypeVar("K")
SET_ASIDE_WHERE = "(retired = 1 OR suspended = 1)"
"""Retired or suspended items: the terms of the partial index `idx_items_set_aside`."""


def today(settings: DeckSettings, now: datetime | None = None) -> date:
    return study_day(now or clock.now(), settings.day_start_hour)


def default_limits(settings: DeckSettings, day: date) -> Limits:
    """The deck's limits, or those `review --new-per-day` set for `day`."""
    return settings.limits(day=day)


def queue_on(
    connection: sqlite3.Connection,
    bank: int,
    day: date,
    limits: Limits,
    settings: DeckSettings | None = None,
) -> DailyQueue:
    """The bank's queue on study day `day` under `limits`; with its deck's `settings`, the
    cards an exam's window brings forward (`trainer.exam`) are due too."""
    due = items.due_in_order(connection, bank, day)
    if settings is not None and settings.exam_plan is not None and settings.exam_plan.is_open(day):
        from trainer.store import exam

        extra = exam.brought_forward(connection, bank, settings.exam_plan, settings.choice, day)
        due = exam.merged(due, extra)
    day_log = log.day_log(connection, bank, day)._replace(
        buried_siblings=items.buried_siblings(connection, bank, day),
    )
    redrill = items.records(connection, bank, day_log.redrill_pending)
    return queue_in_order(
        due,
        items.new_candidates(connection, bank),
        day,
        limits,
        day_log,
        redrill_available={
            record.id for record in redrill if not record.is_new and record.is_available(day)
        },
    )


def queue(
    connection: sqlite3.Connection,
    bank: StoredBank,
    limits: Limits | None = None,
    now: datetime | None = None,
) -> DailyQueue:
    """The bank's queue today with its deck's limits (or `limits`)."""
    settings = bank.settings
    day = today(settings, now)
    return queue_on(connection, bank.id, day, limits or default_limits(settings, day), settings)


def due_count(
    connection: sqlite3.Connection, banks: Sequence[StoredBank], now: datetime | None = None
) -> int:
    """What `trainer due` prints: the sum of each bank's queue under its own limits."""
    return sum(len(queue(connection, bank, now=now).order) for bank in banks)


def _accuracies(counts: dict[K, list[int]]) -> dict[K, Accuracy]:
    from trainer.stats import Accuracy

    return {key: Accuracy(answers, correct) for key, (answers, correct) in counts.items()}


def _briefs(
    connection: sqlite3.Connection, bank: int, where: str, order: str
) -> tuple[ItemBrief, ...]:
    """The bank's current items meeting `where` (terms on `items`), in `order`, each with its
    note's fields read in the same statement (a statement per item cost 20K instructions)."""
    from trainer.stats import ItemBrief

    rows = connection.execute(
        "SELECT items.id, items.prompt, items.category, items.lapses,"
        " items.easiness_hundredths, notes.id, notes.type, notes.body FROM items"
        " LEFT JOIN notes ON notes.bank_id = items.bank_id AND notes.id = items.note_id"
        f" WHERE items.bank_id = ? AND {where} AND items.retired = 0 ORDER BY {order}",
        (bank,),
    )
    return tuple(
        ItemBrief(
            item_id,
            _question(item_id, prompt, note_id, kind, body),
            category or "",
            lapses,
            easiness / HUNDREDTHS,
        )
        for item_id, prompt, category, lapses, easiness, note_id, kind, body in rows.fetchall()
    )


def _question(
    item_id: str, prompt: str | None, note_id: str | None, kind: str | None, body: str | None
) -> str:
    """The card's question as plain text, as `ReviewItem.question` asks it: a cloze with its
    gap (not its markup), a reverse card's back, else the note's prompt (stored with the item).
    Read from the note's stored fields (`note_id`, `kind`, `body`; None without a stored note)
    rather than through the bank's model, whose import costs more than the rest of
    `stats --json` (90M instructions; a bare python 99M): tests/test_stats.py checks that the
    two agree on every kind of card."""
    if note_id is None or body is None:
        return prompt or ""
    if kind == REVERSE_TYPE and item_id == note_id + REVERSE_SUFFIX:
        return str(json.loads(body)["back"])
    number = item_id.removeprefix(note_id + CLOZE_INFIX)
    if kind == CLOZE_TYPE and number.isdecimal():
        from trainer import cloze

        text = str(json.loads(body)["text"])
        if int(number) in cloze.numbers(text):
            return cloze.asked(text, int(number))
    return prompt or ""


def _item_counts(connection: sqlite3.Connection, bank: int) -> ItemCounts:
    """The bank's rows (counted in its range of the primary key's index), new items and the
    few set aside, each from its partial index."""
    from trainer.stats import ItemCounts

    every, new, retired, suspended = connection.execute(
        "SELECT (SELECT count(*) FROM items WHERE bank_id = :bank),"
        f" (SELECT count(*) FROM items WHERE {items.NEW_WHERE} AND bank_id = :bank),"
        f" (SELECT count(*) FROM items WHERE {SET_ASIDE_WHERE} AND bank_id = :bank"
        " AND retired = 1),"
        f" (SELECT count(*) FROM items WHERE {SET_ASIDE_WHERE} AND bank_id = :bank"
        " AND retired = 0)",
        {"bank": bank},
    ).fetchone()
    return ItemCounts(every - retired, new, suspended, retired)


def _due_by_day(
    connection: sqlite3.Connection, bank: int, first: date, last: date
) -> dict[date, int]:
    from trainer.days import days_of

    rows = connection.execute(
        f"SELECT due_day, count(*) FROM items WHERE {items.SCHEDULED_WHERE} AND bank_id = ?"
        " AND due_day BETWEEN ? AND ? GROUP BY due_day",
        (bank, first.isoformat(), last.isoformat()),
    ).fetchall()
    texts, counts = zip(*rows, strict=True) if rows else ((), ())
    return dict(zip(days_of(texts), counts, strict=True))


_SCHEDULED = f"kind IN ({', '.join(repr(str(kind)) for kind in SCHEDULED_KINDS)})"


def _log_by_day(
    connection: sqlite3.Connection, bank: int
) -> tuple[dict[date, int], dict[date, int], int]:
    """The bank's scheduled answers by study day (days with some only) and those correct,
    summed by SQLite in the table's key order; and the number of its practice answers."""
    from trainer.days import days_of

    rows = connection.execute(
        "SELECT study_day, sum(answers), sum(correct) FROM daily_tallies"
        f" WHERE bank_id = ? AND {_SCHEDULED} GROUP BY study_day",
        (bank,),
    ).fetchall()
    texts, answers, correct = zip(*rows, strict=True) if rows else ((), (), ())
    days = days_of(texts)
    (practice,) = connection.execute(
        f"SELECT total(answers) FROM daily_tallies WHERE bank_id = ? AND NOT {_SCHEDULED}",
        (bank,),
    ).fetchone()
    return (
        dict(zip(days, answers, strict=True)),
        dict(zip(days, correct, strict=True)),
        int(practice),
    )


def _by_category(
    connection: sqlite3.Connection, bank: int, reviews: int, right: int
) -> dict[str, Accuracy]:
    """The bank's scheduled reviews by the category of their item; `?` for items without a
    category and for answers logged for an id that was not a stored item (counted by day
    only: `reviews` in all, `right` of them correct)."""
    rows = connection.execute(
        "SELECT category, answers, correct FROM category_tallies WHERE bank_id = ?", (bank,)
    ).fetchall()
    unstored = (
        "?",
        reviews - sum(row[1] for row in rows),
        right - sum(row[2] for row in rows),
    )
    by_category: dict[str, list[int]] = {}
    for category, answers, correct in [*rows, unstored]:
        if answers:
            counts = by_category.setdefault(category or "?", [0, 0])
            counts[0] += answers
            counts[1] += correct
    return _accuracies(by_category)


def predictions(
    connection: sqlite3.Connection, bank: int, day: date, choice: Settings
) -> list[float]:
    """The probability, as FSRS predicts it, of recalling each of the bank's current,
    unsuspended, scheduled items on `day`; none for SM-2 decks (SM-2 predicts none)."""
    if choice.scheduler != "fsrs":
        return []
    rows = connection.execute(
        "SELECT repetitions, easiness_hundredths, interval, due_day, stability, difficulty"
        f" FROM items WHERE {items.SCHEDULED_WHERE} AND bank_id = ? AND stability IS NOT NULL",
        (bank,),
    ).fetchall()
    found = (
        retrievability(
            choice,
            Schedule(
                repetitions, easiness, interval, date.fromisoformat(due), stability, difficulty
            ),
            day,
        )
        for repetitions, easiness, interval, due, stability, difficulty in rows
    )
    return [prediction for prediction in found if prediction is not None]


def tallies(
    connection: sqlite3.Connection, bank: int, day: date, choice: Settings | None = None
) -> Tallies:
    """The counts behind the bank's statistics on study day `day` (its scheduler: `choice`,
    SM-2 by default), from the running tallies the log's triggers keep and from partial
    indexes (migrations m006, m008): the cost grows with the days studied, the new items and
    the few items due in the forecast, set aside, leeches or hardest, not with the log or the
    bank (FSRS's predictions read each scheduled item)."""
    from trainer.stats import FORECAST_DAYS, HARDEST_COUNT, Tallies

    reviews_by_day, correct_by_day, practice = _log_by_day(connection, bank)
    choice = choice or Settings()
    predicted = predictions(connection, bank, day, choice)
    return Tallies(
        items=_item_counts(connection, bank),
        due_by_day=_due_by_day(
            connection, bank, day + timedelta(days=1), day + timedelta(days=FORECAST_DAYS)
        ),
        reviews_by_day=reviews_by_day,
        correct_by_day=correct_by_day,
        practice_total=practice,
        accuracy_by_category=_by_category(
            connection, bank, sum(reviews_by_day.values()), sum(correct_by_day.values())
        ),
        leeches=_briefs(connection, bank, "items.leech = 1", "items.rowid"),
        hardest=_briefs(
            connection,
            bank,
            "items.lapses > 0",
            f"items.lapses DESC, items.easiness_hundredths, items.id LIMIT {HARDEST_COUNT}",
        ),
        scheduler=choice.scheduler,
        predicted_retention=sum(predicted) / len(predicted) if predicted else None,
        predicted_items=len(predicted),
    )


def load_stats(
    connection: sqlite3.Connection,
    banks: Sequence[StoredBank],
    limits_of: Callable[[StoredBank], Limits] | None = None,
    now: datetime | None = None,
) -> Stats:
    """Statistics over `banks` (totals, each bank on its own study day and limits: its
    deck's, or `limits_of(bank)`), with each bank's own under `Stats.banks` by deck name.
    The totals take the first bank's day."""
    from trainer.stats import combine, compute

    per_bank: dict[str, tuple[Tallies, date, DailyQueue]] = {}
    exams: dict[str, ExamReport] = {}
    for bank in banks:
        day = today(bank.settings, now)
        limits = limits_of(bank) if limits_of else default_limits(bank.settings, day)
        found = tallies(connection, bank.id, day, bank.settings.choice)
        label = _label(bank, per_bank)
        per_bank[label] = (found, day, queue(connection, bank, limits, now))
        if bank.settings.exam_plan is not None:
            from trainer.store.exam import report

            found = _with_exam(connection, bank, day, found)
            per_bank[label] = (found, *per_bank[label][1:])
            new_today = len(per_bank[label][2].new)
            found_exam = report(connection, bank, day, limits=limits, new_today=new_today)
            if found_exam is not None:
                exams[label] = found_exam
    each = {
        label: compute(*parts)._replace(exam=exams.get(label)) for label, parts in per_bank.items()
    }
    total = combine(
        each,
        list(per_bank.values()),
        today(banks[0].settings, now) if banks else today(DeckSettings(), now),
    )
    soonest = sorted(exams.values(), key=lambda found: (found.days_left < 0, found.exam.day))
    return total._replace(exam=soonest[0] if soonest else None)


def _with_exam(
    connection: sqlite3.Connection, bank: StoredBank, day: date, found: Tallies
) -> Tallies:
    """The tallies, their forecast moved to the exam plan's due days (`trainer.store.exam.moves`)
    in place."""
    from trainer.stats import FORECAST_DAYS
    from trainer.store import exam

    settings = bank.settings
    moved = exam.moves(connection, bank.id, settings.exam_plan, settings.choice, day)
    first, last = day + timedelta(days=1), day + timedelta(days=FORECAST_DAYS)
    found.due_by_day = exam.forecast(found.due_by_day, moved, first, last)
    return found


def _label(bank: StoredBank, taken: Container[str]) -> str:
    """The bank's deck name; with its identity too if another bank has the same name."""
    return bank.name if bank.name not in taken else f"{bank.name} ({bank.identity})"
