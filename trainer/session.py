"""A review session: the API the terminal UI drives.

The queue is never held only in memory: it is derived from the database (schedules, today's
log) after every action, so quitting and coming back the same day resumes exactly where the
user left off, re-drills included. Every grade, bury and suspend is one committed transaction;
undo writes back the item's previous schedule and deletes the log row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from trainer import clock
from trainer.core.keys import ItemKey
from trainer.core.kinds import DAY_KINDS, SCHEDULED_KINDS, AnswerKind
from trainer.library import survey
from trainer.model import ReviewItem
from trainer.queue import (
    Limits,
    cram_queue,
    day_start,
    redrill_pending,
    redrill_waits,
    study_day,
)
from trainer.schedulers import Schedule, Settings, answer, intervals
from trainer.sm2 import PASSING_QUALITY, QUALITIES, Sm2State, check_quality
from trainer.store import cards, log, reports, undo
from trainer.store import items as stored_items
from trainer.store.banks import StoredBank, TodayLimits, all_banks, set_today_limits
from trainer.store.database import open_for_writing, transaction
from trainer.store.guard import DatabaseError
from trainer.store.lock import SessionLock
from trainer.store.paths import database_path
from trainer.store.sync import sync
from trainer.visible import clipped, visible

if TYPE_CHECKING:
    from trainer.browse import CardRow
    from trainer.model import Bank
    from trainer.stats import Stats

LEECH_FAILURES = 8
"""An item failed (grade below 3, in scheduled answers) this often is tagged leech and suspended."""

UNDO_QUESTION_WIDTH = 50
UNDO_WORDS = {
    "grade": "answer",
    "bury": "bury",
    "suspend": "suspend",
    "unsuspend": "unsuspend",
    "unbury": "unbury",
    "forget": "forget",
    "set due day": "new due day",
}


@dataclass(frozen=True)
class Card:
    """What to show now."""

    item: ReviewItem
    kind: AnswerKind
    citation: str
    schedule: Schedule
    key: ItemKey
    bank: StoredBank
    """The bank the card comes from."""

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
    exam: str | None = None
    """The exam's countdown and predicted recall on the day (`ExamReport.headline`)."""


@dataclass(frozen=True)
class Undone:
    """What `Session.undo` took back."""

    id: str
    """The review item's id."""
    item: ReviewItem | None
    """The item as the bank has it now; None if the bank no longer has it."""
    action: str = "grade"
    """One of `trainer.store.undo.ACTIONS` (`change` for a step journalled before actions
    were named)."""

    def describe(self) -> str:
        """In the user's words: `Undone: answer of “When were the talks held?”`."""
        word = UNDO_WORDS.get(self.action, "change")
        if self.item is None:
            shown = visible(self.id, one_line=True)
            return f"Undone: {word} of {shown} (no longer in the bank, so not shown)"
        question = clipped(" ".join(self.item.question.split()), UNDO_QUESTION_WIDTH)
        return f"Undone: {word} of \u201c{visible(question, one_line=True)}\u201d"


def header_figures(left: int, banks: int) -> tuple[str, ...]:
    """What follows the deck's name in a several-bank header, the longest first: a narrow
    line takes the longest that leaves room for some of the name."""
    return (
        f" \u00b7 {left} left here \u00b7 {banks} banks",
        f" \u00b7 {left} left here",
        f" \u00b7 {left}",
    )


def open_session(
    bank_path: Path | None,
    db_path: Path | None = None,
    *,
    new_per_day: int | None = None,
    reviews_per_day: int | None = None,
    tag: str | None = None,
    reschedule: bool = False,
) -> Session:
    """Open the database (default: $TRAINER_DB or the user data directory), take the session
    lock and bring the stored cards in step with the bank at `bank_path`, or with every bank
    the database knows if None (see `trainer.library`). An unchanged bank is not read at all:
    the session works from the database. Raises BankError for an invalid `bank_path` (before
    the database is written) and TrainerError for an unusable database or a session already
    open on it."""
    path = database_path(db_path)
    found = survey(path, bank_path, strict=True)
    connection = open_for_writing(path)
    try:
        lock = SessionLock(path)
    except BaseException:
        connection.close()
        raise
    try:
        session = Session(
            connection,
            found.apply(connection),
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


def _is_ready(entry: tuple[ItemKey, AnswerKind], ready: Container[ItemKey]) -> bool:
    return entry[1] == AnswerKind.REDRILL and entry[0] in ready


class Session:
    """Today's review of `banks` over a database synced with them (see `open_session`); cards
    are read from the database one at a time. Each bank keeps its own limits and study day;
    the queue shows the re-drills due back (`redrill_after`), then every bank's reviews, then
    their new cards, then the re-drills still waiting. The session's
    own day (undo, progress, summary) is the first bank's."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        banks: Sequence[StoredBank],
        *,
        lock: SessionLock | None = None,
        new_per_day: int | None = None,
        reviews_per_day: int | None = None,
        tag: str | None = None,
        reschedule: bool = False,
    ) -> None:
        self._connection = connection
        self._banks = list(banks)
        self._lock = lock
        self._new_per_day = new_per_day
        self._reviews_per_day = reviews_per_day
        self._tag = tag
        self._reschedule = reschedule
        self._front: ItemKey | None = None
        """An item to show first if it is in the queue: the one just undone, or the one shown
        when the bank was reloaded."""
        self._queue: tuple[tuple[date, ...], tuple[tuple[ItemKey, AnswerKind], ...]] | None = None
        self._started_after = log.last_id(connection)
        if tag is None and (new_per_day, reviews_per_day) != (None, None):
            self._keep_for_today(new_per_day, reviews_per_day)

    def _keep_for_today(self, new_per_day: int | None, reviews_per_day: int | None) -> None:
        """Limits given on the command line hold for the rest of each bank's study day (for
        `due`, `stats` and later sittings), each one until given again."""
        with self._writing():
            for bank in self._banks:
                today = self._day_of(bank)
                earlier = bank.settings.today_only
                kept = TodayLimits(today, new_per_day, reviews_per_day)
                if earlier is not None and earlier.day == today:
                    kept = TodayLimits(
                        today,
                        earlier.new_per_day if new_per_day is None else new_per_day,
                        earlier.reviews_per_day if reviews_per_day is None else reviews_per_day,
                    )
                set_today_limits(self._connection, bank.id, kept)
        ids = {bank.id for bank in self._banks}
        self._banks = [bank for bank in all_banks(self._connection) if bank.id in ids]

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction, made only while this session still holds its lock (a lock
        file deleted under it would let a second session start: `SessionLock.check`)."""
        with transaction(self._connection):
            if self._lock is not None:
                self._lock.check()
            yield

    # -- the banks ---------------------------------------------------------------------------

    @property
    def banks(self) -> list[StoredBank]:
        return list(self._banks)

    @property
    def deck_name(self) -> str:
        """The deck's name; with several banks, their names."""
        return " + ".join(bank.name for bank in self._banks)

    @staticmethod
    def read_bank(path: Path) -> Bank:
        """The bank at `path` as the user left it (raises BankError): the screens read no
        bank files themselves."""
        from trainer.bank import load_bank  # YAML: only when the bank is edited

        return load_bank(path)

    def reload(self, bank: Bank, *, bank_id: int | None = None) -> None:
        """After the user edited a bank: resync it (into row `bank_id`, else the row of its
        identity), and keep showing the current card."""
        card = self.current()
        self._front = card.key if card else None
        if self._lock is not None:
            self._lock.check()
        sync(self._connection, bank, bank_id=bank_id)
        ids = {known.id for known in self._banks}
        self._banks = [known for known in all_banks(self._connection) if known.id in ids]
        self._changed()

    # -- the queue ---------------------------------------------------------------------------

    def _day_of(self, bank: StoredBank) -> date:
        return study_day(clock.now(), bank.settings.day_start_hour)

    def _today(self) -> date:
        """The session's day: the first bank's."""
        return self._day_of(self._banks[0]) if self._banks else study_day(clock.now())

    def _bank(self, bank_id: int) -> StoredBank:
        return next(bank for bank in self._banks if bank.id == bank_id)

    def limits_of(self, bank: StoredBank) -> Limits:
        """The bank's daily limits, or the session's options."""
        return bank.settings.limits(
            self._new_per_day, self._reviews_per_day, day=self._day_of(bank)
        )

    def today(self) -> date:
        """The session's study day (the first bank's)."""
        return self._today()

    def _changed(self) -> None:
        self._queue = None

    def _compute_queue(self) -> tuple[tuple[ItemKey, AnswerKind], ...]:
        """`(item key, kind)` in showing order: the re-drills that have waited `redrill_after`
        answers (counted over every bank of the session), then every bank's reviews, new
        items, and the re-drills still waiting."""
        parts = [self._bank_queue(bank, self._day_of(bank)) for bank in self._banks]
        ready = self._ready_redrills()
        first = [entry for part in parts for entry in part if _is_ready(entry, ready)]
        first.sort(key=lambda entry: ready[entry[0]])
        return tuple(first) + tuple(
            entry
            for kind in (AnswerKind.REVIEW, AnswerKind.CRAM, AnswerKind.NEW, AnswerKind.REDRILL)
            for part in parts
            for entry in part
            if entry[1] == kind and not _is_ready(entry, ready)
        )

    def _ready_redrills(self) -> dict[ItemKey, int]:
        """Failed items whose bank's `redrill_after` answers have been given since their
        latest failure today, each with its place (oldest failure first)."""
        if self._tag is not None and not self._reschedule:
            return {}
        days = {bank.id: self._day_of(bank) for bank in self._banks}
        waits = redrill_waits(log.answers_on(self._connection, days))
        after = {bank.id: self.limits_of(bank).redrill_after for bank in self._banks}
        ready = [key for key, since in waits.items() if since >= after[key.bank]]
        return {key: place for place, key in enumerate(ready)}

    def _bank_queue(self, bank: StoredBank, today: date) -> list[tuple[ItemKey, AnswerKind]]:
        def keyed(item_ids: tuple[str, ...], kind: AnswerKind) -> list[tuple[ItemKey, AnswerKind]]:
            return [(ItemKey(bank.id, item_id), kind) for item_id in item_ids]

        if self._tag is None:
            queue = reports.queue_on(
                self._connection, bank.id, today, self.limits_of(bank), bank.settings
            )
            return (
                keyed(queue.reviews, AnswerKind.REVIEW)
                + keyed(queue.new, AnswerKind.NEW)
                + keyed(queue.redrill, AnswerKind.REDRILL)
            )
        tagged = [
            stored.record
            for stored in stored_items.load_items(self._connection, bank.id)
            if self._tag in stored.tags
        ]

        def answers(kinds: tuple[AnswerKind, ...]) -> list[tuple[str, int]]:
            return log.answers_since(self._connection, bank.id, self._started_after, kinds)

        if not self._reschedule:
            first_pass, repeats = cram_queue(tagged, today, answers((AnswerKind.CRAM,)))
            return keyed(first_pass + repeats, AnswerKind.CRAM)
        first_pass, _ = cram_queue(tagged, today, answers(SCHEDULED_KINDS))
        practice = answers(DAY_KINDS)
        available = {record.id for record in tagged if record.is_available(today)}
        is_new = {record.id for record in tagged if record.is_new}
        return [
            (ItemKey(bank.id, item_id), AnswerKind.NEW if item_id in is_new else AnswerKind.REVIEW)
            for item_id in first_pass
        ] + keyed(
            tuple(item_id for item_id in redrill_pending(practice) if item_id in available),
            AnswerKind.REDRILL,
        )

    def _entries(self) -> tuple[tuple[ItemKey, AnswerKind], ...]:
        days = tuple(self._day_of(bank) for bank in self._banks)
        if self._queue is None or self._queue[0] != days:
            self._queue = (days, self._compute_queue())
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
        key, kind = next((entry for entry in entries if entry[0] == self._front), entries[0])
        stored = cards.load_card(self._connection, key)
        if stored is None:
            return None
        schedule = stored_items.load_item(self._connection, key).schedule
        return Card(stored.item, kind, stored.citation, schedule, key, self._bank(key.bank))

    def counts(self) -> Counts:
        kinds = [kind for _, kind in self._entries()]
        return Counts(
            new=kinds.count(AnswerKind.NEW),
            review=kinds.count(AnswerKind.REVIEW) + kinds.count(AnswerKind.CRAM),
            redrill=kinds.count(AnswerKind.REDRILL),
        )

    def left_by_bank(self) -> dict[int, int]:
        """Cards left today per bank id."""
        left = {bank.id: 0 for bank in self._banks}
        for key, _ in self._entries():
            left[key.bank] += 1
        return left

    def header_parts(self, card: Card | None) -> tuple[str, int | None]:
        """The deck line of the review header: the deck's name; with several banks, the
        current card's deck and the cards left in it (None with one bank; the counts beside
        the line are every bank's)."""
        if len(self._banks) < 2 or card is None:
            return self.deck_name, None
        return card.bank.name, self.left_by_bank().get(card.bank.id, 0)

    def header(self, card: Card | None) -> str:
        """The deck line as a wide screen shows it."""
        name, left = self.header_parts(card)
        return name + (header_figures(left, len(self._banks))[0] if left is not None else "")

    def answered_today(self) -> int:
        """Answers already given today in this kind of session (a cram counts cram answers),
        so progress spans every sitting of the day."""
        kinds = (AnswerKind.CRAM,) if self._tag is not None and not self._reschedule else DAY_KINDS
        return log.count_on(self._connection, self._today(), kinds, self._bank_ids())

    @property
    def scheduler(self) -> Settings:
        """The scheduler (`sm2` or `fsrs`) and its setting of the first bank's deck."""
        return self._banks[0].settings.choice if self._banks else Settings()

    def intervals(self, card: Card) -> dict[int, int]:
        """Quality -> the interval in days it would give with its deck's scheduler (unchanged
        for re-drills and cram)."""
        if card.kind in SCHEDULED_KINDS:
            choice = card.bank.settings.choice
            return intervals(choice, card.schedule, self._day_of(card.bank))
        return dict.fromkeys(QUALITIES, card.schedule.interval)

    # -- actions -----------------------------------------------------------------------------

    def grade(self, card: Card, quality: int, answer_ms: int) -> None:
        """Record an answer in one committed transaction (schedule update + log row)."""
        check_quality(quality)
        key = card.key
        moment = clock.now()
        today = self._day_of(card.bank)
        with self._writing():
            stored = stored_items.load_item(self._connection, key)
            before = (stored.state, stored.record.due_day)
            saved = None
            kind = card.kind
            if kind in SCHEDULED_KINDS:
                kind = AnswerKind.NEW if stored.record.is_new else AnswerKind.REVIEW
                saved = stored_items.snapshot(self._connection, key)
                after: tuple[Sm2State, date | None] = self._reschedule_item(
                    stored, quality, today, card.bank.settings.choice
                )
            else:
                after = before
            log_id = log.append(
                self._connection,
                key=key,
                moment=moment,
                day=today,
                kind=kind,
                grade=quality,
                answer_ms=max(0, int(answer_ms)),
                before=before,
                after=after,
            )
            self._done(undo.UndoStep(key, saved, log_id, "grade"))

    def _reschedule_item(
        self, stored: stored_items.StoredItem, quality: int, today: date, choice: Settings
    ) -> tuple[Sm2State, date | None]:
        schedule = answer(choice, stored.schedule, quality, today)
        lapses = stored.lapses + (quality < PASSING_QUALITY)
        becomes_leech = not stored.leech and lapses >= LEECH_FAILURES
        stored_items.update_schedule(
            self._connection,
            stored.key,
            schedule,
            lapses=lapses,
            leech=stored.leech or becomes_leech,
            suspended=stored.record.suspended or becomes_leech,
        )
        return schedule.sm2, schedule.due_day

    def _done(self, step: undo.UndoStep) -> None:
        """Journal the step (inside the action's transaction) and refresh the queue."""
        undo.push(self._connection, step, self._today())
        self._front = None
        self._changed()

    def bury(self, card: Card) -> None:
        """Hide the card (and, through the queue, its siblings) until the next study day."""
        tomorrow = self._day_of(card.bank) + timedelta(days=1)
        self._change(
            card.key, "bury", lambda: stored_items.bury(self._connection, card.key, tomorrow)
        )

    def suspend(self, card: Card) -> None:
        """Never schedule the card again (until unsuspended); like a bury, its siblings stay
        away until tomorrow."""
        tomorrow = self._day_of(card.bank) + timedelta(days=1)
        self._change(
            card.key, "suspend", lambda: stored_items.suspend(self._connection, card.key, tomorrow)
        )

    # -- the card browser's actions (each undoable like a grade) ----------------------------

    def unsuspend(self, key: ItemKey) -> None:
        self._change(key, "unsuspend", lambda: stored_items.unsuspend(self._connection, key))

    def unbury(self, key: ItemKey) -> None:
        self._change(key, "unbury", lambda: stored_items.unbury(self._connection, key))

    def forget(self, key: ItemKey) -> None:
        """Back to new: the card starts again (its history stays in the log)."""
        self._change(key, "forget", lambda: stored_items.forget(self._connection, key))

    def set_due_day(self, key: ItemKey, day: date) -> None:
        self._change(
            key, "set due day", lambda: stored_items.set_due_day(self._connection, key, day)
        )

    def _change(self, key: ItemKey, action: str, write: Callable[[], None]) -> None:
        """One schedule change that logs no answer, journalled for undo in its transaction."""
        with self._writing():
            saved = stored_items.snapshot(self._connection, key)
            write()
            self._done(undo.UndoStep(key, saved, None, action))

    def _bank_ids(self) -> list[int]:
        return [bank.id for bank in self._banks]

    def can_undo(self) -> bool:
        return undo.latest(self._connection, self._today(), self._bank_ids()) is not None

    def undo(self) -> Undone | None:
        """Undo the latest action of the study day, even one taken before a restart; the
        item is shown next if it is in the queue."""
        with self._writing():
            found = undo.latest(self._connection, self._today(), self._bank_ids())
            if found is None:
                return None
            row_id, step = found
            if step.saved_schedule is not None:
                stored_items.restore(self._connection, step.key.bank, step.saved_schedule)
            if step.log_id is not None:
                log.delete(self._connection, step.log_id)
            undo.drop(self._connection, row_id)
        self._front = step.key
        self._changed()
        undone = cards.load_card(self._connection, step.key)
        return Undone(step.key.id, undone.item if undone is not None else None, step.action)

    # -- outlook -----------------------------------------------------------------------------

    def next_due(self) -> datetime | None:
        """When something is next due: now if the queue has cards; else the start of the day
        the next review falls on (at the earliest tomorrow); None if nothing is scheduled."""
        if self._entries() or self._regular_cards_left():
            return clock.now()
        starts = []
        for bank in self._banks:
            tomorrow = self._day_of(bank) + timedelta(days=1)
            day = stored_items.first_due_day(self._connection, bank.id, tomorrow)
            if day is not None:
                starts.append(day_start(day, bank.settings.day_start_hour))
        return min(starts, default=None)

    def _regular_cards_left(self) -> bool:
        """After a cram: whether today's regular queue (which a cram leaves alone) has cards."""
        return self._tag is not None and any(
            reports.queue_on(
                self._connection, bank.id, self._day_of(bank), self.limits_of(bank)
            ).order
            for bank in self._banks
        )

    def due_tomorrow(self) -> int:
        """Reviews due by the end of tomorrow (new items not included), in every bank."""
        return sum(
            stored_items.due_count(
                self._connection, bank.id, self._day_of(bank) + timedelta(days=1)
            )
            for bank in self._banks
        )

    def summary(self) -> Summary:
        today = self._today()
        entries = log.entries(self._connection, since=today, banks=self._bank_ids())
        session = [entry for entry in entries if entry.id > self._started_after]
        today_entries = [entry for entry in entries if entry.study_day == today]
        scheduled_today = [entry for entry in today_entries if entry.is_scheduled]
        retention = (
            sum(entry.grade >= PASSING_QUALITY for entry in scheduled_today) / len(scheduled_today)
            if scheduled_today
            else None
        )
        stats = self.stats()
        return Summary(
            reviewed=len(session),
            retention_today=retention,
            seconds_spent=sum(entry.answer_ms for entry in session) // 1000,
            reviewed_today=len(today_entries),
            seconds_today=sum(entry.answer_ms for entry in today_entries) // 1000,
            due_tomorrow=self.due_tomorrow(),
            streak_days=stats.streak_days,
            exam=stats.exam.headline() if stats.exam is not None else None,
        )

    def browse(self) -> list[CardRow]:
        """Every stored card of the session's banks for the card browser, with each bank's
        queue today as its limits make it."""
        from trainer.store.browse import card_rows

        rows = []
        for bank in self._banks:
            today = self._day_of(bank)
            queue = reports.queue_on(
                self._connection, bank.id, today, self.limits_of(bank), bank.settings
            )
            rows += card_rows(self._connection, bank, today, queue)
        return rows

    def with_history(self, row: CardRow) -> CardRow:
        """The browser's `row` with its review history (read for this card alone)."""
        from trainer.store.browse import with_history

        return with_history(self._connection, row.bank_id, [row])[0]

    def stats(self) -> Stats:
        return reports.load_stats(self._connection, self._banks, self.limits_of)

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
