"""The scheduler interface: a replay is the same as answering one answer at a time, for every
scheduler, and SM-2 through it is `trainer.sm2` exactly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.schedulers import SCHEDULERS, Schedule, Settings, answer, schedule_after
from trainer.sm2 import Sm2State, review

START = date(2026, 3, 1)
histories = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5)), max_size=25)
"""(days after the previous answer, grade): 0 is a second answer the same day."""


def dated(history: list[tuple[int, int]]) -> list[tuple[date, int]]:
    day, out = START, []
    for gap, grade in history:
        day += timedelta(days=gap)
        out.append((day, grade))
    return out


@pytest.mark.parametrize("scheduler", SCHEDULERS)
@settings(deadline=None, max_examples=60)
@given(history=histories, retention=st.sampled_from((0.7, 0.9, 0.99)))
def test_a_replay_is_answering_one_at_a_time(
    scheduler: str, history: list[tuple[int, int]], retention: float
) -> None:
    choice = Settings(scheduler, retention)
    schedule = Schedule()
    for day, grade in dated(history):
        schedule = answer(choice, schedule, grade, day)
    assert schedule_after(choice, dated(history)) == schedule


@settings(deadline=None)
@given(history=histories)
def test_sm2_through_the_interface_is_trainer_sm2(history: list[tuple[int, int]]) -> None:
    state, due = Sm2State(), None
    for day, grade in dated(history):
        state = review(state, grade)
        due = day + timedelta(days=state.interval)
    schedule = schedule_after(Settings("sm2"), dated(history))
    assert (schedule.sm2, schedule.due_day) == (state, due)
    assert schedule.stability is None


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_a_grade_outside_0_to_5_is_refused(scheduler: str) -> None:
    for grade in (-1, 6):
        with pytest.raises(ValueError):
            schedule_after(Settings(scheduler), [(START, grade)])
