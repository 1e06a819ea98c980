"""SM-2 behind the scheduler interface (`trainer.schedulers`): `trainer.sm2`, unchanged, with
the stored interval capped at Anki's 36,500 days (`trainer.sm2.capped`), so a run of "Easy"
grades keeps its due day on the calendar.

SM-2 predicts no probability of recall. For statistics and the benchmark we give it the
forgetting curve the open srs-benchmark gives it: recall is 90% when the interval has passed,
`R(t) = 0.9 ** (t / interval)`, which is what an interval "is" if it is taken at its word.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from trainer.schedulers import Schedule, Settings
from trainer.sm2 import Sm2State, capped, review

RECALL_AT_INTERVAL = 0.9


def answer(schedule: Schedule, grade: int, day: date, settings: Settings) -> Schedule:
    """`settings` are ignored: SM-2 has no target."""
    state = capped(review(schedule.sm2, grade))
    return schedule.with_sm2(state, day + timedelta(days=state.interval))


def schedule_after(answers: Iterable[tuple[date, int]], settings: Settings) -> Schedule:
    state, last = Sm2State(), None
    for day, grade in answers:
        state, last = capped(review(state, grade)), day
    if last is None:
        return Schedule()
    return Schedule().with_sm2(state, last + timedelta(days=state.interval))


def forgetting_curve(elapsed_days: float, interval: float) -> float:
    recall: float = RECALL_AT_INTERVAL ** (max(elapsed_days, 0) / max(interval, 1))
    return recall


def retrievability(schedule: Schedule, day: date, settings: Settings) -> float:
    last = schedule.last_day
    assert last is not None
    return forgetting_curve((day - last).days, schedule.interval)
