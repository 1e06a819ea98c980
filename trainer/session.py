"""A review session: the API the terminal UI drives, a thin coordinator.

The queue is never held only in memory: it is derived from the database (schedules, today's
log) after every action, so quitting and coming back the same day resumes exactly where the
user left off, re-drills included. Every grade, bury and suspend is one committed transaction;
undo writes back the item's previous schedule and deletes the log row. The rules live beside
it: the banks and options (`trainer.sitting`), the queue over banks (`trainer.session_queue`,
`trainer.merged_queue`), the writes (`trainer.actions`), the reports (`trainer.outlook`) and
the words (`trainer.session_words`). The clock is read once per action and passed down, so an
answer's moment, its study day and its undo step always agree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from trainer import actions, clock
from trainer.core.keys import ItemKey
from trainer.core.limits import LEECH_FAILURES
from trainer.core.undoable import Undoable
from trainer.library import Slow, survey
from trainer.merged_queue import Counts
from trainer.session_queue import Card
from trainer.session_view import SessionView
from trainer.session_words import Undone
from trainer.sitting import Options, Sitting
from trainer.sm2 import check_quality
from trainer.store import cards, items, undo
from trainer.store.banks import StoredBank, all_banks
from trainer.store.database import open_for_writing, transaction
from trainer.store.guard import DatabaseError
from trainer.store.lock import SessionLock
from trainer.store.mirror import mirror_bank
from trainer.store.paths import database_path

if TYPE_CHECKING:
    from trainer.model import Bank

__all__ = ["LEECH_FAILURES", "Card", "Counts", "Session", "Undone", "open_session"]
"""The API the screens and tests use: the session, what it shows, and its leech rule."""


def open_session(
    bank_path: Path | None,
    db_path: Path | None = None,
    *,
    slow: Slow = nullcontext,
    **options: Unpack[Options],
) -> Session:
    """Open the database (default: $TRAINER_DB or the user data directory), take the session
    lock and bring the stored cards in step with the bank at `bank_path`, or with every bank
    the database knows if None (see `trainer.library`). An unchanged bank is not read at all:
    the session works from the database. Raises BankError for an invalid `bank_path` (before
    the database is written) and TrainerError for an unusable database or a session already
    open on it. `slow` wraps reading a changed bank (`trainer.library.Slow`)."""
    path = database_path(db_path)
    found = survey(path, bank_path, strict=True, slow=slow)
    with ExitStack() as on_failure:  # closes what was opened if the session does not start
        connection = open_for_writing(path, clock.now().date())
        on_failure.callback(connection.close)
        lock = SessionLock(path)
        on_failure.callback(lock.release)
        try:
            session = Session(connection, found.apply(connection), lock=lock, **options)
            session.current()  # reads the queue's tables: a damaged schema shows here
        except sqlite3.DatabaseError as error:  # e.g. a table dropped by hand
            raise DatabaseError(f"{path}: cannot read the review database: {error}") from None
        on_failure.pop_all()
    return session


class Session(SessionView):
    """Today's review of `banks` over a database synced with them (see `open_session`); cards
    are read from the database one at a time."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        banks: Sequence[StoredBank],
        *,
        lock: SessionLock | None = None,
        **options: Unpack[Options],
    ) -> None:
        super().__init__(connection, Sitting(tuple(banks), **options))
        self._lock = lock
        if self._sitting.tag is None and self._sitting.limits != (None, None):
            with self._writing():  # limits given on the command line hold for the day
                actions.keep_for_today(connection, self._sitting, clock.now())
            self._refresh_banks()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction, made only while this session still holds its lock (a lock
        file deleted under it would let a second session start: `SessionLock.check`)."""
        with transaction(self._connection):
            if self._lock is not None:
                self._lock.check()
            yield

    def _refresh_banks(self) -> None:
        ids = set(self._sitting.bank_ids)
        banks = tuple(bank for bank in all_banks(self._connection) if bank.id in ids)
        self._sitting = self._sitting._replace(banks=banks)

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
        self._queue.front = card.key if card else None
        if self._lock is not None:
            self._lock.check()
        mirror_bank(self._connection, bank, bank_id=bank_id)
        self._refresh_banks()
        self._queue.changed()

    # -- actions: each one transaction, journalled for undo ----------------------------------

    def grade(self, card: Card, quality: int, answer_ms: int) -> None:
        """Record an answer in one committed transaction (schedule update + log row)."""
        check_quality(quality)
        now = clock.now()
        day, choice = self._sitting.day_of(card.bank, now), card.bank.settings.choice
        with self._writing():
            step = actions.grade(
                self._connection, card.key, card.kind, quality, answer_ms,
                moment=now, day=day, choice=choice,
            )  # fmt: skip
            self._done(step, now)

    def _done(self, step: undo.UndoStep, now: datetime) -> None:
        """Journal the step (inside the action's transaction) and refresh the queue."""
        undo.push(self._connection, step, self._sitting.today(now))
        self._queue.front = None
        self._queue.changed()

    def _change(self, key: ItemKey, action: Undoable, write: Callable[[date], None]) -> None:
        """A change that logs no answer; `write` is given the day after the key's bank's
        study day (a bury's and a suspend's end)."""
        now = clock.now()
        day = self._sitting.day_of(self._sitting.bank(key.bank), now) + timedelta(days=1)
        with self._writing():
            self._done(actions.change(self._connection, key, action, lambda: write(day)), now)

    def bury(self, card: Card) -> None:
        """Hide the card (and, through the queue, its siblings) until the next study day."""
        self._change(
            card.key, Undoable.BURY, lambda day: items.bury(self._connection, card.key, day)
        )

    def suspend(self, card: Card) -> None:
        """Never schedule the card again (until unsuspended); like a bury, its siblings stay
        away until tomorrow."""
        self._change(
            card.key, Undoable.SUSPEND, lambda day: items.suspend(self._connection, card.key, day)
        )

    def unsuspend(self, key: ItemKey) -> None:
        self._change(key, Undoable.UNSUSPEND, lambda _: items.unsuspend(self._connection, key))

    def unbury(self, key: ItemKey) -> None:
        self._change(key, Undoable.UNBURY, lambda _: items.unbury(self._connection, key))

    def forget(self, key: ItemKey) -> None:
        """Back to new: the card starts again (its history stays in the log)."""
        self._change(key, Undoable.FORGET, lambda _: items.forget(self._connection, key))

    def set_due_day(self, key: ItemKey, day: date) -> None:
        self._change(
            key, Undoable.SET_DUE_DAY, lambda _: items.set_due_day(self._connection, key, day)
        )

    def undo(self) -> Undone | None:
        """Undo the latest action of the study day, even one taken before a restart; the
        item is shown next if it is in the queue."""
        with self._writing():
            step = actions.undo_latest(self._connection, self.today(), self._sitting.bank_ids)
        if step is None:
            return None
        self._queue.front = step.key
        self._queue.changed()
        undone = cards.load_card(self._connection, step.key)
        return Undone(step.key.id, undone.item if undone is not None else None, step.action)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self._connection.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
