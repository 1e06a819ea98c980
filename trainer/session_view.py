"""What a review session shows: the banks, today's queue and the card in front, the header,
the intervals a grade would give, and the reports (`trainer.outlook`). Reads only; the
session (`trainer.session`) writes and keeps it current. Each call reads the clock once."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import TYPE_CHECKING

from trainer import clock, merged_queue
from trainer.core.grades import GRADES
from trainer.core.kinds import DAY_KINDS, SCHEDULED_KINDS, AnswerKind
from trainer.merged_queue import Counts
from trainer.queue import Limits
from trainer.schedulers import Settings, intervals
from trainer.session_queue import Card, SessionQueue
from trainer.session_words import deck_line
from trainer.sitting import Sitting
from trainer.store import items, log, undo
from trainer.store.banks import StoredBank

if TYPE_CHECKING:
    from trainer.browse import CardRow
    from trainer.outlook import Summary
    from trainer.stats import Stats


class SessionView:
    """A sitting's banks over a database synced with them, read one card at a time."""

    def __init__(self, connection: sqlite3.Connection, sitting: Sitting) -> None:
        self._connection = connection
        self._sitting = sitting
        self._started_after = log.last_id(connection)
        """The last answer logged before the session: its own answers come after."""
        self._queue = SessionQueue(connection, self._started_after)

    @property
    def banks(self) -> list[StoredBank]:
        return list(self._sitting.banks)

    @property
    def deck_name(self) -> str:
        """The deck's name; with several banks, their names."""
        return " + ".join(bank.name for bank in self._sitting.banks)

    def limits_of(self, bank: StoredBank) -> Limits:
        """The bank's daily limits, or the session's options."""
        return self._sitting.limits_of(bank, clock.now())

    def today(self) -> date:
        """The session's study day (the first bank's)."""
        return self._sitting.today(clock.now())

    # -- the queue ---------------------------------------------------------------------------

    def current(self) -> Card | None:
        """The card to show now; None when today's queue is empty."""
        return self._queue.current(self._sitting, clock.now())

    def counts(self) -> Counts:
        return merged_queue.counts(self._queue.entries(self._sitting, clock.now()))

    def header_parts(self, card: Card | None) -> tuple[str, int | None]:
        """The deck line of the review header: the deck's name; with several banks, the
        current card's deck and the cards left in it (None with one bank; the counts beside
        the line are every bank's)."""
        if len(self._sitting.banks) < 2 or card is None:
            return self.deck_name, None
        entries = self._queue.entries(self._sitting, clock.now())
        return card.bank.name, sum(key.bank == card.bank.id for key, _ in entries)

    def header(self, card: Card | None) -> str:
        """The deck line as a wide screen shows it."""
        return deck_line(*self.header_parts(card), len(self._sitting.banks))

    def answered_today(self) -> int:
        """Answers already given today in this kind of session (a cram counts cram answers),
        so progress spans every sitting of the day."""
        kinds = (AnswerKind.CRAM,) if self._sitting.cramming else DAY_KINDS
        return log.count_on(self._connection, self.today(), kinds, self._sitting.bank_ids)

    @property
    def scheduler(self) -> Settings:
        """The scheduler (`sm2` or `fsrs`) and its setting of the first bank's deck."""
        banks = self._sitting.banks
        return banks[0].settings.choice if banks else Settings()

    def intervals(self, card: Card) -> dict[int, int]:
        """Quality -> the interval in days it would give with its deck's scheduler (unchanged
        for re-drills and cram)."""
        if card.kind not in SCHEDULED_KINDS:
            return dict.fromkeys(GRADES, card.schedule.interval)
        day = self._sitting.day_of(card.bank, clock.now())
        return intervals(card.bank.settings.choice, card.schedule, day)

    def tags(self) -> set[str]:
        """The tags of the session's banks' cards (retired ones left out)."""
        return items.tags_in_use(self._connection, self._sitting.bank_ids)

    def can_undo(self) -> bool:
        return undo.latest(self._connection, self.today(), self._sitting.bank_ids) is not None

    # -- outlook (`trainer.outlook`, imported when asked: the first card needs none of it) ---

    def next_due(self) -> datetime | None:
        """When something is next due: now if the queue has cards; else the start of the day
        the next review falls on (at the earliest tomorrow); None if nothing is scheduled."""
        now = clock.now()
        if self._queue.has_cards(self._sitting, now):
            return now
        from trainer import outlook

        return outlook.first_due(self._connection, self._sitting, now)

    def due_tomorrow(self) -> int:
        """Reviews due by the end of tomorrow (new items not included), in every bank."""
        from trainer import outlook

        return outlook.due_tomorrow(self._connection, self._sitting, clock.now())

    def summary(self) -> Summary:
        from trainer import outlook

        return outlook.summary(self._connection, self._sitting, clock.now(), self._started_after)

    def browse(self) -> list[CardRow]:
        """Every stored card of the session's banks for the card browser."""
        from trainer import outlook

        return outlook.card_rows(self._connection, self._sitting, clock.now())

    def with_history(self, row: CardRow) -> CardRow:
        from trainer import outlook

        return outlook.with_history(self._connection, row)

    def stats(self) -> Stats:
        from trainer import outlook

        return outlook.stats(self._connection, self._sitting, clock.now())
