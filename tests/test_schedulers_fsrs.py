"""FSRS through the scheduler interface: pinned interval histories, checked against the
`fsrs` library run directly (fuzzing off), and the grade mapping."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from trainer.schedulers import Schedule, Settings, answer, intervals, retrievability, schedule_after

FSRS = Settings("fsrs", 0.9)
START = date(2026, 3, 1)


def history(settings: Settings, grades: tuple[int, ...]) -> list[tuple[str, int, int]]:
    """(study day, grade, interval) answering each time on the day the item falls due."""
    schedule, day, out = Schedule(), START, []
    for grade in grades:
        schedule = answer(settings, schedule, grade, day)
        out.append((day.isoformat(), grade, schedule.interval))
        assert schedule.due_day is not None
        day = schedule.due_day
    return out


def test_an_interval_history_at_the_default_retention_is_pinned() -> None:
    assert history(FSRS, (4, 4, 5, 1, 3, 4, 4)) == [
        ("2026-03-01", 4, 2),
        ("2026-03-03", 4, 11),
        ("2026-03-14", 5, 77),
        ("2026-05-30", 1, 4),
        ("2026-06-03", 3, 8),
        ("2026-06-11", 4, 17),
        ("2026-06-28", 4, 34),
    ]


def test_a_lower_desired_retention_gives_longer_intervals_pinned() -> None:
    assert [interval for _, _, interval in history(Settings("fsrs", 0.8), (4, 4, 5, 1))] == [
        8,
        75,
        911,
        23,
    ]


def test_the_buttons_of_a_new_card() -> None:
    assert intervals(FSRS, Schedule(), START) == {0: 1, 1: 1, 2: 1, 3: 1, 4: 2, 5: 8}


def library_run(answers: list[tuple[date, int]], retention: float) -> Card:
    """The same answers through `fsrs.Scheduler` itself, one Card threaded through."""
    scheduler = Scheduler(
        desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )
    rating = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard}
    rating |= {4: Rating.Good, 5: Rating.Easy}
    card = Card(card_id=1, due=datetime(2026, 1, 1, tzinfo=UTC))
    for day, grade in answers:
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        card, _ = scheduler.review_card(card, rating[grade], moment)
    return card


@pytest.mark.parametrize("seed", range(20))
def test_replay_matches_the_library_on_early_and_late_answers(seed: int) -> None:
    generator = random.Random(seed)
    retention = generator.choice((0.8, 0.85, 0.9, 0.95))
    answers, schedule, day = [], Schedule(), START
    for _ in range(generator.randint(1, 12)):
        answers.append((day, generator.randint(0, 5)))
        schedule = answer(Settings("fsrs", retention), schedule, answers[-1][1], day)
        assert schedule.due_day is not None
        day = schedule.due_day + timedelta(days=generator.randint(-schedule.interval + 1, 30))
    card = library_run(answers, retention)
    replayed = schedule_after(Settings("fsrs", retention), answers)
    assert replayed == schedule
    assert replayed.stability == card.stability
    assert replayed.difficulty == card.difficulty
    assert replayed.due_day == card.due.date()


def test_grades_map_onto_the_four_ratings() -> None:
    after = {grade: answer(FSRS, Schedule(), grade, START) for grade in range(6)}
    assert after[0] == after[1] == after[2]  # all Again
    assert len({after[grade].stability for grade in (2, 3, 4, 5)}) == 4
    assert [after[grade].repetitions for grade in range(6)] == [0, 0, 0, 1, 1, 1]


def test_retrievability_falls_with_time_and_is_about_the_target_when_due() -> None:
    schedule = schedule_after(FSRS, [(START, 4), (START + timedelta(days=2), 4)])
    assert schedule.due_day is not None
    curve = [
        retrievability(FSRS, schedule, schedule.last_day + timedelta(days=d)) for d in (0, 5, 30)
    ]
    assert curve[0] == 1 and curve[0] > curve[1] > curve[2]
    at_due = retrievability(FSRS, schedule, schedule.due_day)
    assert at_due is not None and abs(at_due - 0.9) < 0.01
    assert retrievability(FSRS, Schedule(), START) is None


def test_an_invalid_grade_is_refused() -> None:
    with pytest.raises(ValueError):
        answer(FSRS, Schedule(), 6, START)


@pytest.mark.parametrize("seed", range(10))
def test_retrievability_is_the_librarys(seed: int) -> None:
    generator = random.Random(seed)
    settings = Settings("fsrs", generator.choice((0.8, 0.9)))
    answers = [(START, generator.randint(0, 5))]
    for _ in range(generator.randint(0, 6)):
        answers.append((answers[-1][0] + timedelta(days=generator.randint(1, 40)), 4))
    schedule = schedule_after(settings, answers)
    card = library_run(answers, settings.desired_retention)
    library = Scheduler(desired_retention=settings.desired_retention, enable_fuzzing=False)
    for later in (0, 1, 3, 10, 100, 1000):
        day = answers[-1][0] + timedelta(days=later)
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        assert retrievability(settings, schedule, day) == pytest.approx(
            library.get_card_retrievability(card, moment), rel=1e-12
        )
