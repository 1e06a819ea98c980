"""One item's schedule recomputed from its whole answer history, wherever the answers were given.

Pure: no I/O, no clock. `trainer sync` merges the trainer's log with Anki's and replays it here,
so both sides end with the schedule SM-2 gives for the merged history. As in a review session,
the first answer of a study day schedules the item and later ones that day are re-drills
(practice, no schedule change), so an Anki learning step counts once a day, like a re-drill.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.queue import study_day
from trainer.sm2 import PASSING_QUALITY, Sm2State, review

KIND_NEW, KIND_REVIEW, KIND_REDRILL = "new", "review", "redrill"
MAX_INTERVAL = 36_500
"""Anki's maximum interval (100 years). SM-2's intervals grow geometrically: a long run of
same-day-spaced successes from another reviewer (Anki's filtered decks review ahead) would
otherwise overflow a date and Anki's 32-bit interval field; capped here, on both sides."""


@dataclass(frozen=True)
class Answer:
    """One answer to an item: when, and its SM-2 grade (0-5)."""

    moment: datetime
    grade: int


@dataclass(frozen=True)
class Step:
    """An answer as the replay reads it: its kind and the schedule before and after."""

    answer: Answer
    day: date
    kind: str
    before: tuple[Sm2State, date | None]
    after: tuple[Sm2State, date | None]


@dataclass(frozen=True)
class Replay:
    steps: tuple[Step, ...]
    state: Sm2State
    due: date | None
    """None: never answered (a new item)."""
    lapses: int


def replay(answers: Iterable[Answer], day_starts_at: int) -> Replay:
    """SM-2 over `answers` in time order; the due day is the scheduling answer's study day plus
    its interval, as `trainer review` sets it."""
    state, due, lapses = Sm2State(), None, 0
    steps: list[Step] = []
    scheduled_days: set[date] = set()
    for answer in sorted(answers, key=lambda answer: answer.moment):
        day = study_day(answer.moment, day_starts_at)
        before = (state, due)
        if day in scheduled_days:
            kind = KIND_REDRILL
        else:
            kind = KIND_NEW if due is None else KIND_REVIEW
            scheduled_days.add(day)
            state = review(state, answer.grade)
            if state.interval > MAX_INTERVAL:
                state = Sm2State(state.repetitions, state.easiness, MAX_INTERVAL)
            due = day + timedelta(days=state.interval)
            lapses += answer.grade < PASSING_QUALITY
        steps.append(Step(answer, day, kind, before, (state, due)))
    return Replay(tuple(steps), state, due, lapses)
