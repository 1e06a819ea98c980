"""A card's schedule written into Anki, as Anki's own answer would leave it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from trainer.store import merge
from trainer.sync.state import Pass

if TYPE_CHECKING:
    from anki.cards import Card as AnkiCard

CARD_TYPE_REVIEW = QUEUE_REVIEW = 2
FACTOR_PER_HUNDREDTH = 10
"""Anki stores the ease in permille (2500 = 2.5); SM-2's E-Factor is kept in hundredths."""


@dataclass(frozen=True)
class CardWork:
    """What the collection gets for one card: the trainer's answers it lacks, the schedule."""

    card_id: int
    schedule: merge.ItemSchedule
    answered: int
    to_anki: list[merge.LoggedAnswer]
    last_answer: int | None
    """The Unix second of the card's last answer on either side (Anki's "last review time")."""
    new_answers: bool = False
    """Whether either side got answers from the other (Anki's FSRS memory state then
    changes)."""


class CardWriter(Pass):
    """Writes the merged schedules into the collection's cards."""

    def _write_card(self, work: CardWork, exam_day: date | None) -> None:
        """Set the card's schedule (its answers are in Anki's log by now: `_copy_answers`), due
        on `exam_day` when the deck's exam plan moves it."""
        col = self.col
        schedule, lapses = work.schedule.schedule, work.schedule.lapses
        assert schedule.due_day is not None
        card = self._card(work.card_id)
        due = self._anki_today + ((exam_day or schedule.due_day) - self.context.today).days
        factor = schedule.easiness_hundredths * FACTOR_PER_HUNDREDTH
        reps = max(card.reps, work.answered)
        filtered = bool(card.odid)  # in a filtered deck: its own due is kept in odue
        queue = card.queue if card.queue < 0 or filtered else QUEUE_REVIEW  # suspend, bury
        wanted = (CARD_TYPE_REVIEW, queue, schedule.interval, due, factor, lapses, reps)
        have = (
            card.type,
            card.queue,
            card.ivl,
            card.odue if filtered else card.due,
            card.factor,
            card.lapses,
            card.reps,
        )
        stale_time = work.last_answer is not None and card.last_review_time != work.last_answer
        if have == wanted and not stale_time and not work.new_answers:
            return
        self.write()
        card.type, card.queue, card.ivl = CARD_TYPE_REVIEW, queue, schedule.interval  # type: ignore[assignment]
        if filtered:
            card.odue = due
        else:
            card.due = due
        card.factor, card.lapses, card.reps, card.left = factor, lapses, reps, 0
        if work.last_answer is not None:
            card.last_review_time = work.last_answer
        if self._fsrs:
            self._memory_state(card)
        col.update_card(card)
        if have != wanted or stale_time:
            self.plan.anki_schedules += 1

    def _memory_state(self, card: AnkiCard) -> None:
        """Anki's FSRS memory state of the card computed from its review log as it is now
        (with the answers just copied in), as Anki's own answer would leave it."""
        from anki.cards import FSRSMemoryState

        computed = self.col.compute_memory_state(card.id)
        if computed.stability is not None and computed.difficulty is not None:
            card.memory_state = FSRSMemoryState(
                stability=computed.stability, difficulty=computed.difficulty
            )
        card.desired_retention = computed.desired_retention
        card.decay = computed.decay
