"""A sitting: the banks a review session studies and its options, with each bank's study day
and limits at a given moment. A value: the session replaces it when its banks change."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple, TypedDict

from trainer.queue import Limits, study_day
from trainer.store.banks import StoredBank


class Options(TypedDict, total=False):
    """A sitting's options as `trainer review` takes them (`Sitting`'s fields)."""

    new_per_day: int | None
    reviews_per_day: int | None
    tag: str | None
    reschedule: bool


class Sitting(NamedTuple):
    banks: tuple[StoredBank, ...]
    new_per_day: int | None = None
    """This sitting's limit of new cards (None: each deck's own)."""
    reviews_per_day: int | None = None
    tag: str | None = None
    """A cram of this tag (None: the day's queue)."""
    reschedule: bool = False
    """A cram that schedules like a day's review."""

    @property
    def limits(self) -> tuple[int | None, int | None]:
        """This sitting's (new, reviews) limits, None where each deck's own hold."""
        return self.new_per_day, self.reviews_per_day

    @property
    def cramming(self) -> bool:
        """A cram that leaves schedules alone."""
        return self.tag is not None and not self.reschedule

    @property
    def bank_ids(self) -> list[int]:
        return [bank.id for bank in self.banks]

    def bank(self, bank_id: int) -> StoredBank:
        return next(bank for bank in self.banks if bank.id == bank_id)

    @staticmethod
    def day_of(bank: StoredBank, now: datetime) -> date:
        return study_day(now, bank.settings.day_start_hour)

    def days(self, now: datetime) -> dict[int, date]:
        """Each bank's study day at `now`, by bank id."""
        return {bank.id: self.day_of(bank, now) for bank in self.banks}

    def today(self, now: datetime) -> date:
        """The sitting's day (undo, progress, summary): the first bank's."""
        return self.day_of(self.banks[0], now) if self.banks else study_day(now)

    def limits_of(self, bank: StoredBank, now: datetime) -> Limits:
        """The bank's daily limits, or the sitting's."""
        day = self.day_of(bank, now)
        return bank.settings.limits(self.new_per_day, self.reviews_per_day, day=day)
