"""What a review session writes: an answer (schedule, log row and the leech rule), a change
that logs no answer (bury, suspend, the card browser's actions), their undo, and the
sitting's limits kept for the day.

Each function works inside the caller's transaction and returns the undo step to journal;
the moment and the study day are the caller's, read once per action.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from datetime import date, datetime

from trainer.core.grades import passed
from trainer.core.keys import ItemKey
from trainer.core.kinds import SCHEDULED_KINDS, AnswerKind
from trainer.core.limits import LEECH_FAILURES
from trainer.core.undoable import Undoable
from trainer.schedulers import Settings, answer
from trainer.sitting import Sitting
from trainer.sm2 import Sm2State
from trainer.store import items, log, undo
from trainer.store.banks import TodayLimits, set_today_limits


def grade(
    connection: sqlite3.Connection,
    key: ItemKey,
    kind: AnswerKind,
    quality: int,
    answer_ms: int,
    *,
    moment: datetime,
    day: date,
    choice: Settings,
) -> undo.UndoStep:
    """Log an answer; a scheduled one (new or review, as the item is now) also reschedules."""
    stored = items.load_item(connection, key)
    before = (stored.state, stored.record.due_day)
    after = before
    saved = None
    if kind in SCHEDULED_KINDS:
        kind = AnswerKind.NEW if stored.record.is_new else AnswerKind.REVIEW
        saved = items.snapshot(connection, key)
        after = _reschedule(connection, stored, quality, day, choice)
    log_id = log.append(
        connection,
        key=key,
        moment=moment,
        day=day,
        kind=kind,
        grade=quality,
        answer_ms=max(0, int(answer_ms)),
        before=before,
        after=after,
    )
    return undo.UndoStep(key, saved, log_id, Undoable.GRADE)


def _reschedule(
    connection: sqlite3.Connection,
    stored: items.StoredItem,
    quality: int,
    day: date,
    choice: Settings,
) -> tuple[Sm2State, date | None]:
    """The deck's scheduler's new schedule; the `LEECH_FAILURES`th lapse suspends the item."""
    schedule = answer(choice, stored.schedule, quality, day)
    lapses = stored.lapses + (not passed(quality))
    becomes_leech = not stored.leech and lapses >= LEECH_FAILURES
    items.update_schedule(
        connection,
        stored.key,
        schedule,
        lapses=lapses,
        leech=stored.leech or becomes_leech,
        suspended=stored.record.suspended or becomes_leech,
    )
    return schedule.sm2, schedule.due_day


def change(
    connection: sqlite3.Connection, key: ItemKey, action: Undoable, write: Callable[[], None]
) -> undo.UndoStep:
    """One schedule change that logs no answer (`write`), its schedule saved for undo."""
    saved = items.snapshot(connection, key)
    write()
    return undo.UndoStep(key, saved, None, action)


def undo_latest(
    connection: sqlite3.Connection, day: date, banks: Collection[int]
) -> undo.UndoStep | None:
    """Take back the latest step of `day` in `banks`: the schedule it saved, its log row."""
    found = undo.latest(connection, day, banks)
    if found is None:
        return None
    row_id, step = found
    if step.saved_schedule is not None:
        items.restore(connection, step.key.bank, step.saved_schedule)
    if step.log_id is not None:
        log.delete(connection, step.log_id)
    undo.drop(connection, row_id)
    return step


def keep_for_today(connection: sqlite3.Connection, sitting: Sitting, now: datetime) -> None:
    """Limits given on the command line hold for the rest of each bank's study day (for
    `due`, `stats` and later sittings), each one until given again."""
    for bank in sitting.banks:
        today, earlier = sitting.day_of(bank, now), bank.settings.today_only
        kept = TodayLimits(today, sitting.new_per_day, sitting.reviews_per_day)
        if earlier is not None and earlier.day == today:
            kept = TodayLimits(
                today,
                earlier.new_per_day if kept.new_per_day is None else kept.new_per_day,
                earlier.reviews_per_day if kept.reviews_per_day is None else kept.reviews_per_day,
            )
        set_today_limits(connection, bank.id, kept)
