"""The session's queue as the database has it: each bank's queue read from the store and
merged into one showing order (`trainer.merged_queue`), kept until a study day turns or
something is written."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import NamedTuple

from trainer.core.keys import ItemKey
from trainer.core.kinds import DAY_KINDS, SCHEDULED_KINDS, AnswerKind
from trainer.merged_queue import (
    Entry,
    cram_entries,
    daily_entries,
    merged,
    ready_redrills,
    rescheduling_cram_entries,
)
from trainer.model import ReviewItem
from trainer.queue import redrill_waits
from trainer.schedulers import Schedule
from trainer.sitting import Sitting
from trainer.sm2 import Sm2State
from trainer.store import cards, items, log, reports
from trainer.store.banks import StoredBank


class Card(NamedTuple):
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


class SessionQueue:
    """The entries `(item key, kind)` of a sitting in showing order, and the card in front."""

    def __init__(self, connection: sqlite3.Connection, started_after: int) -> None:
        self._connection = connection
        self._started_after = started_after
        """The last log entry before the session: a cram counts the answers after it."""
        self._kept: tuple[tuple[date, ...], tuple[Entry, ...]] | None = None
        self.front: ItemKey | None = None
        """An item to show first if it is in the queue: the one just undone, or the one shown
        when the bank was reloaded."""

    def changed(self) -> None:
        """Something was written: read the queue again when next asked."""
        self._kept = None

    def entries(self, sitting: Sitting, now: datetime) -> tuple[Entry, ...]:
        days = sitting.days(now)
        if self._kept is None or self._kept[0] != tuple(days.values()):
            parts = [
                self._bank_entries(sitting, bank, days[bank.id], now) for bank in sitting.banks
            ]
            self._kept = (tuple(days.values()), merged(parts, self._ready(sitting, now)))
        return self._kept[1]

    def _ready(self, sitting: Sitting, now: datetime) -> dict[ItemKey, int]:
        if sitting.cramming:
            return {}
        waits = redrill_waits(log.answers_on(self._connection, sitting.days(now)))
        after = {bank.id: sitting.limits_of(bank, now).redrill_after for bank in sitting.banks}
        return ready_redrills(waits, after)

    def _bank_entries(
        self, sitting: Sitting, bank: StoredBank, today: date, now: datetime
    ) -> list[Entry]:
        if sitting.tag is None:
            limits = sitting.limits_of(bank, now)
            queue = reports.queue_on(self._connection, bank.id, today, limits, bank.settings)
            return daily_entries(bank.id, queue)
        stored = items.load_items(self._connection, bank.id)
        tagged = [item.record for item in stored if sitting.tag in item.tags]

        def answers(kinds: tuple[AnswerKind, ...]) -> list[tuple[str, int]]:
            return log.answers_since(self._connection, bank.id, self._started_after, kinds)

        if sitting.cramming:
            return cram_entries(bank.id, tagged, today, answers((AnswerKind.CRAM,)))
        scheduled, practised = answers(SCHEDULED_KINDS), answers(DAY_KINDS)
        return rescheduling_cram_entries(bank.id, tagged, today, scheduled, practised)

    def current(self, sitting: Sitting, now: datetime) -> Card | None:
        """The card to show now; None when the queue is empty."""
        card = self._first_card(sitting, now)
        if card is None and self.entries(sitting, now):  # `due` or `stats` synced an edit
            self.changed()
            card = self._first_card(sitting, now)
        return card

    def _first_card(self, sitting: Sitting, now: datetime) -> Card | None:
        entries = self.entries(sitting, now)
        if not entries:
            return None
        key, kind = next((entry for entry in entries if entry[0] == self.front), entries[0])
        stored = cards.load_card(self._connection, key)
        if stored is None:
            return None
        schedule = items.load_item(self._connection, key).schedule
        return Card(stored.item, kind, stored.citation, schedule, key, sitting.bank(key.bank))

    def has_cards(self, sitting: Sitting, now: datetime) -> bool:
        """Whether the queue has cards, or, after a cram, today's regular queue (which a cram
        leaves alone) has."""
        return bool(self.entries(sitting, now)) or (
            sitting.tag is not None
            and any(
                reports.queue_on(
                    self._connection,
                    bank.id,
                    sitting.day_of(bank, now),
                    sitting.limits_of(bank, now),
                ).order
                for bank in sitting.banks
            )
        )
