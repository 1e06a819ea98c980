"""FSRS behind the scheduler interface (`trainer.schedulers`), through the reference `fsrs`
package (FSRS-6, default parameters, fuzzing off so that a replay is reproducible).

Grades map onto FSRS's four ratings: 0-2 Again, 3 Hard, 4 Good, 5 Easy (SM-2's pass mark, 3,
stays the pass mark). Time is counted in study days, as Anki counts it for FSRS: an answer is
taken to happen at the start of its study day, so elapsed time is a whole number of days and
no clock is read. There are no learning steps: a new or failed card is next due in at least a
day, and the same day's repeats are SM-2-style re-drills, which are practice and never reach
the scheduler (`trainer.queue`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from trainer.core.grades import GRADES, anki_button, passed
from trainer.schedulers import Schedule, Settings
from trainer.sm2 import check_quality

RATINGS = tuple(Rating(anki_button(grade)) for grade in GRADES)
"""The FSRS rating of each grade 0-5: FSRS rates with Anki's four buttons (Again 1, Hard 2,
Good 3, Easy 4), so a grade counts as the button Anki would log for it."""


@cache
def scheduler(settings: Settings) -> Scheduler:
    return Scheduler(
        parameters=settings.parameters or DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


@cache
def moment(day: date) -> datetime:
    """The instant FSRS is told a study day's answers happen at."""
    return datetime.combine(day, time(), tzinfo=UTC)


def card(schedule: Schedule) -> Card:
    """The FSRS card for a schedule (card ids play no part in scheduling: all are 0)."""
    last = schedule.last_day
    if schedule.stability is None or schedule.due_day is None or last is None:
        return Card(card_id=0, state=State.Learning, step=0, due=moment(date.min))
    return Card(
        card_id=0,
        state=State.Review,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=moment(schedule.due_day),
        last_review=moment(last),
    )


def answer(schedule: Schedule, grade: int, day: date, settings: Settings) -> Schedule:
    check_quality(grade)
    reviewed, _ = scheduler(settings).review_card(card(schedule), RATINGS[grade], moment(day))
    interval = (reviewed.due - moment(day)) // timedelta(days=1)
    return schedule._replace(
        repetitions=schedule.repetitions + 1 if passed(grade) else 0,
        interval=interval,
        due_day=day + timedelta(days=interval),
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
    )


def schedule_after(answers: Iterable[tuple[date, int]], settings: Settings) -> Schedule:
    """One FSRS card threaded through the answers: with no learning steps, every answer leaves
    it in the Review state with exactly what `card` rebuilds from a `Schedule`."""
    fsrs_scheduler, memory = scheduler(settings), card(Schedule())
    repetitions, last = 0, None
    for day, grade in answers:
        check_quality(grade)
        memory, _ = fsrs_scheduler.review_card(memory, RATINGS[grade], moment(day))
        repetitions = repetitions + 1 if passed(grade) else 0
        last = day
    if last is None:
        return Schedule()
    interval = (memory.due - moment(last)) // timedelta(days=1)
    return Schedule(
        repetitions=repetitions,
        interval=interval,
        due_day=last + timedelta(days=interval),
        stability=memory.stability,
        difficulty=memory.difficulty,
    )


def retrievability(schedule: Schedule, day: date, settings: Settings) -> float:
    """FSRS-6's forgetting curve, R = (1 + factor * t / S) ** -decay with t the whole days
    since the last answer and decay its last parameter: what `Scheduler.get_card_retrievability`
    computes (tests hold them equal), without building a Card, as statistics ask it of every
    scheduled item."""
    last = schedule.last_day
    if last is None or schedule.stability is None:
        return 0.0
    decay = -scheduler(settings).parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    recall: float = (1 + factor * max(0, (day - last).days) / schedule.stability) ** decay
    return recall
