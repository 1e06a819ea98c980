"""One item's schedule recomputed from its whole answer history, wherever the answers were given.

Pure: no I/O, no clock. `trainer sync` merges the trainer's log with Anki's and replays it here
through the deck's scheduler (`trainer.schedulers`: SM-2 or FSRS), so both sides end with the
schedule that scheduler gives for the merged history. As in a review session, the first answer
of a study day schedules the item and later ones that day are re-drills (practice, no schedule
change), so an Anki learning step counts once a day, like a re-drill.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer import schedulers
from trainer.core.grades import PASSING
from trainer.core.kinds import AnswerKind
from trainer.queue import study_day
from trainer.schedulers import Schedule, Settings
from trainer.sm2 import MAX_INTERVAL_DAYS as MAX_INTERVAL

# MAX_INTERVAL: Anki's maximum interval (100 years). SM-2's intervals grow geometrically: a long
# run of successes from another reviewer (Anki's filtered decks review ahead) would otherwise
# overflow a date and Anki's 32-bit interval field; capped after every answer, on both sides.


@dataclass(frozen=True)
class Answer:
    """One answer to an item: when, and its SM-2 grade (0-5)."""

    moment: datetime
    grade: int


@dataclass(frozen=True)
class Step:
    """An answer as the replay reads it: its study day, kind, and the schedule before and after."""

    answer: Answer
    day: date
    kind: AnswerKind
    before: Schedule
    after: Schedule


@dataclass(frozen=True)
class Replay:
    steps: tuple[Step, ...]
    schedule: Schedule
    """`due_day` None: never answered (a new item)."""
    lapses: int


def _capped(schedule: Schedule, day: date) -> Schedule:
    if schedule.interval <= MAX_INTERVAL:
        return schedule
    return schedule._replace(interval=MAX_INTERVAL, due_day=day + timedelta(days=MAX_INTERVAL))


def schedule_history(answers: Iterable[Answer], day_starts_at: int, settings: Settings) -> Replay:
    """`answers` in time order through the deck's scheduler, one scheduling answer a day."""
    schedule, lapses = Schedule(), 0
    steps: list[Step] = []
    scheduled_days: set[date] = set()
    for answer in sorted(answers, key=lambda answer: answer.moment):
        day = study_day(answer.moment, day_starts_at)
        before = schedule
        if day in scheduled_days:
            kind = AnswerKind.REDRILL
        else:
            kind = AnswerKind.NEW if schedule.due_day is None else AnswerKind.REVIEW
            scheduled_days.add(day)
            schedule = _capped(schedulers.answer(settings, schedule, answer.grade, day), day)
            lapses += answer.grade < PASSING
        steps.append(Step(answer, day, kind, before, schedule))
    return Replay(tuple(steps), schedule, lapses)
