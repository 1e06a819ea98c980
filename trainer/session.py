"""A review session: the API the terminal UI drives.

The queue is never held only in memory: it is derived from the database (schedules, today's
log) after every action, so quitting and coming back the same day resumes exactly where the
user left off, re-drills included. Every grade, bury and suspend is one committed transaction;
undo writes back the item's previous schedule and deletes the log row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from trainer import clock
from trainer.model import ReviewItem
from trainer.queue import (
    ItemRecord,
    Limits,
    cram_queue,
    day_start,
    redrill_pending,
    study_day,
)
from trainer.schedulers import Schedule, Settings, answer, intervals
from trainer.sm2 import PASSING_QUALITY, QUALITIES, Sm2State, check_quality
from trainer.store import cards, log, reports, undo
from trainer.store import items as stored_items
from trainer.store.database import open_for_writing, transaction
from trainer.store.guard import DatabaseError
from trainer.store.lock import SessionLock
from trainer.store.paths import database_path
from trainer.store.sync import (
    changed_bank,
    deck_name,
    deck_settings,
    progress_when_slow,
    sync,
)

if TYPE_CHECKING:
    from trainer.model import Bank
    from trainer.stats import Stats

LEECH_FAILURES = 8
"""An item failed (grade below 3, in scheduled answers) this often is tagged leech and suspended."""

KIND_NEW, KIND_REVIEW, KIND_REDRILL, KIND_CRAM = log.KINDS


@dataclass(frozen=True)
class Card:
    """What to show now."""

    item: ReviewItem
    kind: str
    citation: str
    schedule: Schedule

    @property
    def state(self) -> Sm2State:
        return self.schedule.sm2


@dataclass(frozen=True)
class Counts:
    """What is left in today's session."""

    new: int
    review: int
    redrill: int

    @property
    def total(self) -> int:
        return self.new + self.review + self.redrill


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


@dataclass(frozen=True)
class Undone:
    """What `Session.undo` took back."""

    id: str
    """The review item's id."""
    item: ReviewItem | None
    """The item as the bank has it now; None if the bank no longer has it."""


def open_session(
    bank_path: Path,
    db_path: Path | None = None,
    *,
    new_per_day: int | None = None,
    reviews_per_day: int | None = None,
    tag: str | None = None,
    reschedule: bool = False,
) -> Session:
    """Open the database (default: $TRAINER_DB or the user data directory), take the session
    lock and bring the stored cards in step with the bank. An unchanged bank is not read at
    all: the session works from the database. Raises BankError for an invalid bank (before the
    database is touched) and TrainerError for an unusable database or a session already open
    on it."""
    path = database_path(db_path)
    reading = f"Reading {bank_path.name} into the review database"
    with progress_when_slow(reading):
        bank = changed_bank(path, bank_path)
    connection = open_for_writing(path)
    try:
        lock = SessionLock(path)
    except BaseException:
        connection.close()
        raise
    try:
        if bank is not None:
            with progress_when_slow(reading):
                sync(connection, bank)
        session = Session(
            connection,
            bank_path,
            lock=lock,
            new_per_day=new_per_day,
            reviews_per_day=reviews_per_day,
            tag=tag,
            reschedule=reschedule,
        )
        session.current()  # reads the queue's tables: a damaged schema shows here, not on screen
        return session
    except sqlite3.DatabaseError as error:  # e.g. a table dropped by hand
        lock.release()
        connection.close()
        raise DatabaseError(f"{path}: cannot read the review database: {error}") from None
    except BaseException:
        lock.release()
        connection.close()
        raise


class Session:
    """Today's review over a database synced with the bank at `bank_path` (see
    `open_session`); cards are read from the database one at a time."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        bank_path: Path,
        *,
        lock: SessionLock | None = None,
        new_per_day: int | None = None,
        reviews_per_day: int | None = None,
        tag: str | None = None,
        reschedule: bool = False,
    ) -> None:
        self._connection = connection
        self.bank_path = bank_path
        self._lock = lock
        self._new_per_day = new_per_day
        self._reviews_per_day = reviews_per_day
        self._tag = tag
        self._reschedule = reschedule
        self._front: str | None = None
        """An item to show first if it is in the queue: the one just undone, or the one shown
        when the bank was reloaded."""
        self._queue: tuple[date, tuple[tuple[str, str], ...]] | None = None
        self._started_after = log.last_id(connection)
        self._read_deck()

    # -- the bank ----------------------------------------------------------------------------

    def _read_deck(self) -> None:
        self._settings = deck_settings(self._connection)
        self.deck_name = deck_name(self._connection)
        self._changed()

    def reload(self, bank: Bank) -> None:
        """After the user edited the bank: resync, and keep showing the current card."""
        card = self.current()
        self._front = card.item.id if card else None
        sync(self._connection, bank)
        self._read_deck()

    # -- the queue ---------------------------------------------------------------------------

    def _today(self) -> date:
        return study_day(clock.now(), self._settings.day_start_hour)

    @property
    def limits(self) -> Limits:
        return Limits(
            self._settings.new_limit(self._new_per_day),
            self._settings.review_limit(self._reviews_per_day),
        )

    def _changed(self) -> None:
        self._queue = None

    def _tagged(self) -> list[ItemRecord]:
        return [
            stored.record
            for stored in stored_items.load_items(self._connection)
            if self._tag in stored.tags
        ]

    def _compute_queue(self, today: date) -> tuple[tuple[str, str], ...]:
        """`(item id, kind)` in showing order."""
        if self._tag is None:
            queue = reports.queue_on(self._connection, today, self.limits)
            return (
                tuple((item_id, KIND_REVIEW) for item_id in queue.reviews)
                + tuple((item_id, KIND_NEW) for item_id in queue.new)
                + tuple((item_id, KIND_REDRILL) for item_id in queue.redrill)
            )
        tagged = self._tagged()
        if not self._reschedule:
            answers = log.answers_since(self._connection, self._started_after, (KIND_CRAM,))
            first_pass, repeats = cram_queue(tagged, today, answers)
            return tuple((item_id, KIND_CRAM) for item_id in first_pass + repeats)
        scheduled = log.answers_since(self._connection, self._started_after, log.SCHEDULED_KINDS)
        first_pass, _ = cram_queue(tagged, today, scheduled)
        practice = log.answers_since(
            self._connection, self._started_after, (*log.SCHEDULED_KINDS, KIND_REDRILL)
        )
        available = {record.id for record in tagged if record.is_available(today)}
        is_new = {record.id for record in tagged if record.is_new}
        return tuple(
            (item_id, KIND_NEW if item_id in is_new else KIND_REVIEW) for item_id in first_pass
        ) + tuple(
            (item_id, KIND_REDRILL) for item_id in redrill_pending(practice) if item_id in available
        )

    def _entries(self) -> tuple[tuple[str, str], ...]:
        today = self._today()
        if self._queue is None or self._queue[0] != today:
            self._queue = (today, self._compute_queue(today))
        return self._queue[1]

    def current(self) -> Card | None:
        """The card to show now; None when today's queue is empty."""
        card = self._first_card()
        if card is None and self._entries():  # `due` or `stats` synced an edited bank meanwhile
            self._changed()
            card = self._first_card()
        return card

    def _first_card(self) -> Card | None:
        entries = self._entries()
        if not entries:
            return None
        item_id, kind = next((entry for entry in entries if entry[0] == self._front), entries[0])
        stored = cards.load_card(self._connection, item_id)
        if stored is None:
            return None
        schedule = stored_items.load_item(self._connection, item_id).schedule
        return Card(stored.item, kind, stored.citation, schedule)

    def counts(self) -> Counts:
        kinds = [kind for _, kind in self._entries()]
        return Counts(
            new=kinds.count(KIND_NEW),
            review=kinds.count(KIND_REVIEW) + kinds.count(KIND_CRAM),
            redrill=kinds.count(KIND_REDRILL),
        )

    def answered_today(self) -> int:
        """Answers already given today in this kind of session (a cram counts cram answers),
        so progress spans every sitting of the day."""
        kinds = (
            (KIND_CRAM,)
            if self._tag is not None and not self._reschedule
            else (KIND_NEW, KIND_REVIEW, KIND_REDRILL)
        )
        return log.count_on(self._connection, self._today(), kinds)

    @property
    def scheduler(self) -> Settings:
        """The deck's scheduler (`sm2` or `fsrs`) and its setting."""
        return self._settings.choice

    def intervals(self, card: Card) -> dict[int, int]:
        """Quality -> the interval in days it would give with the deck's scheduler (unchanged
        for re-drills and cram)."""
        if card.kind in log.SCHEDULED_KINDS:
            return intervals(self.scheduler, card.schedule, self._today())
        return dict.fromkeys(QUALITIES, card.schedule.interval)

    # -- actions -----------------------------------------------------------------------------

    def grade(self, card: Card, quality: int, answer_ms: int) -> None:
        """Record an answer in one committed transaction (schedule update + log row)."""
        check_quality(quality)
        item_id = card.item.id
        moment = clock.now()
        today = self._today()
        with transaction(self._connection):
            stored = stored_items.load_item(self._connection, item_id)
            before = (stored.state, stored.record.due_day)
            saved = None
            kind = card.kind
            if kind in log.SCHEDULED_KINDS:
                kind = KIND_NEW if stored.record.is_new else KIND_REVIEW
                saved = stored_items.snapshot(self._connection, item_id)
                after: tuple[Sm2State, date | None] = self._reschedule_item(stored, quality, today)
            else:
                after = before
            log_id = log.append(
                self._connection,
                item_id=item_id,
                moment=moment,
                day=today,
                kind=kind,
                grade=quality,
                answer_ms=max(0, int(answer_ms)),
                before=before,
                after=after,
            )
            self._done(undo.UndoStep(item_id, saved, log_id), today)

    def _reschedule_item(
        self, stored: stored_items.StoredItem, quality: int, today: date
    ) -> tuple[Sm2State, date | None]:
        schedule = answer(self.scheduler, stored.schedule, quality, today)
        lapses = stored.lapses + (quality < PASSING_QUALITY)
        becomes_leech = not stored.leech and lapses >= LEECH_FAILURES
        stored_items.update_schedule(
            self._connection,
            stored.id,
            schedule,
            lapses=lapses,
            leech=stored.leech or becomes_leech,
            suspended=stored.record.suspended or becomes_leech,
        )
        return schedule.sm2, schedule.due_day

    def _done(self, step: undo.UndoStep, today: date) -> None:
        """Journal the step (inside the action's transaction) and refresh the queue."""
        undo.push(self._connection, step, today)
        self._front = None
        self._changed()

    def bury(self, card: Card) -> None:
        """Hide the card until the next study day."""
        item_id = card.item.id
        today = self._today()
        with transaction(self._connection):
            saved = stored_items.snapshot(self._connection, item_id)
            stored_items.bury(self._connection, item_id, today + timedelta(days=1))
            self._done(undo.UndoStep(item_id, saved, None), today)

    def suspend(self, card: Card) -> None:
        item_id = card.item.id
        with transaction(self._connection):
            saved = stored_items.snapshot(self._connection, item_id)
            stored_items.suspend(self._connection, item_id)
            self._done(undo.UndoStep(item_id, saved, None), self._today())

    def can_undo(self) -> bool:
        return undo.latest(self._connection, self._today()) is not None

    def undo(self) -> Undone | None:
        """Undo the last grade, bury or suspend of the study day, even one made before a
        restart; returns what was undone (its item is shown next, if the bank still has it),
        or None if there was nothing to undo."""
        with transaction(self._connection):
            found = undo.latest(self._connection, self._today())
            if found is None:
                return None
            row_id, step = found
            if step.saved_schedule is not None:
                stored_items.restore(self._connection, step.saved_schedule)
            if step.log_id is not None:
                log.delete(self._connection, step.log_id)
            undo.drop(self._connection, row_id)
        self._front = step.item_id
        self._changed()
        undone = cards.load_card(self._connection, step.item_id)
        return Undone(step.item_id, undone.item if undone is not None else None)

    # -- outlook -----------------------------------------------------------------------------

    def next_due(self) -> datetime | None:
        """When something is next due: now if the queue has cards; else the start of the day
        the next review falls on (at the earliest tomorrow); None if nothing is scheduled."""
        if self._entries():
            return clock.now()
        day = stored_items.first_due_day(self._connection, self._today() + timedelta(days=1))
        return day_start(day, self._settings.day_start_hour) if day else None

    def due_tomorrow(self) -> int:
        """Reviews due by the end of tomorrow (new items not included)."""
        return stored_items.due_count(self._connection, self._today() + timedelta(days=1))

    def summary(self) -> Summary:
        today = self._today()
        entries = log.entries(self._connection, since=today)
        session = [entry for entry in entries if entry.id > self._started_after]
        today_entries = [entry for entry in entries if entry.study_day == today]
        scheduled_today = [entry for entry in today_entries if entry.is_scheduled]
        retention = (
            sum(entry.grade >= PASSING_QUALITY for entry in scheduled_today) / len(scheduled_today)
            if scheduled_today
            else None
        )
        return Summary(
            reviewed=len(session),
            retention_today=retention,
            seconds_spent=sum(entry.answer_ms for entry in session) // 1000,
            reviewed_today=len(today_entries),
            seconds_today=sum(entry.answer_ms for entry in today_entries) // 1000,
            due_tomorrow=self.due_tomorrow(),
            streak_days=self.stats().streak_days,
        )

    def stats(self) -> Stats:
        return reports.load_stats(self._connection, self.limits)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self._connection.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
