"""The schedulers a deck can choose, behind one small interface. Pure: no I/O, no clock.

A deck's schedule is a function of its review log: every item's `Schedule` is what its
scheduler makes of the item's scheduled answers (study day and grade), in order. So a deck can
switch schedulers at any time by replaying the log (`schedule_after`), and switching back gives
exactly the schedule it had. Each scheduler is a pure module with the same three functions:
`answer(schedule, grade, day, settings)`, `schedule_after(answers, settings)` (the same as
answering each in turn from a new `Schedule`, only faster: a switch at 10,000 cards replays a
million answers) and `retrievability(schedule, day, settings)`.

- `sm2` (`trainer.schedulers.sm2`): SuperMemo's SM-2 (`trainer.sm2`), the default.
- `fsrs` (`trainer.schedulers.fsrs`): FSRS-6 through the reference `fsrs` package, imported
  only when a deck uses it.
"""

import importlib
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from types import ModuleType
from typing import NamedTuple

from trainer.core.grades import GRADES
from trainer.core.limits import DEFAULT_DESIRED_RETENTION, DEFAULT_SCHEDULER
from trainer.sm2 import INITIAL_EASINESS_HUNDREDTHS, Sm2State

SCHEDULERS = ("sm2", "fsrs")


class Settings(NamedTuple):
    """A deck's choice of scheduler."""

    scheduler: str = DEFAULT_SCHEDULER
    desired_retention: float = DEFAULT_DESIRED_RETENTION
    parameters: tuple[float, ...] | None = None
    """FSRS's model weights; None: the `fsrs` package's defaults (what decks use)."""


class Schedule(NamedTuple):
    """An item's schedule, whichever scheduler made it.

    `interval` is the number of days from the last scheduled answer to `due_day` (None: a new
    item). SM-2 keeps `repetitions` and the E-Factor; FSRS keeps `stability` (days until recall
    falls to 90%) and `difficulty` (1-10), and counts `repetitions` the way SM-2 does (passes in
    a row) but leaves the E-Factor alone.
    """

    repetitions: int = 0
    easiness_hundredths: int = INITIAL_EASINESS_HUNDREDTHS
    interval: int = 0
    due_day: date | None = None
    stability: float | None = None
    difficulty: float | None = None

    @property
    def sm2(self) -> Sm2State:
        return Sm2State.from_hundredths(self.repetitions, self.easiness_hundredths, self.interval)

    @property
    def last_day(self) -> date | None:
        """The study day of the last scheduled answer."""
        return None if self.due_day is None else self.due_day - timedelta(days=self.interval)

    def with_sm2(self, state: Sm2State, due_day: date) -> "Schedule":
        return self._replace(
            repetitions=state.repetitions,
            easiness_hundredths=state.easiness_hundredths,
            interval=state.interval,
            due_day=due_day,
        )


def _module(settings: Settings) -> ModuleType:
    return _scheduler_module(settings.scheduler)


@cache
def _scheduler_module(name: str) -> ModuleType:
    """Imported on first use, so an SM-2 deck never imports the `fsrs` package."""
    if name not in SCHEDULERS:
        raise ValueError(f"unknown scheduler {name!r}")
    return importlib.import_module(f"trainer.schedulers.{name}")


def answer(settings: Settings, schedule: Schedule, grade: int, day: date) -> Schedule:
    """The schedule after a scheduled answer graded `grade` (0-5) on study day `day`; raises
    ValueError for any other grade."""
    after: Schedule = _module(settings).answer(schedule, grade, day, settings)
    return after


def schedule_after(settings: Settings, answers: Iterable[tuple[date, int]]) -> Schedule:
    """The schedule an item has after its scheduled answers `(study day, grade)`, in order."""
    schedule: Schedule = _module(settings).schedule_after(answers, settings)
    return schedule


def intervals(settings: Settings, schedule: Schedule, day: date) -> dict[int, int]:
    """Grade -> the interval in days an answer on `day` would give."""
    return {grade: answer(settings, schedule, grade, day).interval for grade in GRADES}


def retrievability(settings: Settings, schedule: Schedule, day: date) -> float | None:
    """The predicted probability of recalling the item on study day `day` (None: new item)."""
    if schedule.due_day is None:
        return None
    recall: float = _module(settings).retrievability(schedule, day, settings)
    return recall
