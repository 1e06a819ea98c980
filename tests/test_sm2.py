"""SM-2 is exact: pinned histories, and random sequences against a Fraction reference."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.sm2 import Sm2State, review


def reference(grades: list[int]) -> list[tuple[int, Fraction, int]]:
    """SM-2 from its definition, in exact rationals: (repetitions, easiness, interval) after
    each grade."""
    repetitions, easiness, interval = 0, Fraction(5, 2), 0
    history = []
    for q in grades:
        if q >= 3:
            interval = (
                1 if repetitions == 0 else 6 if repetitions == 1 else math.ceil(interval * easiness)
            )
            repetitions += 1
        else:
            repetitions, interval = 0, 1
        easiness += Fraction(1, 10) - (5 - q) * (Fraction(8, 100) + (5 - q) * Fraction(2, 100))
        easiness = max(easiness, Fraction(13, 10))
        history.append((repetitions, easiness, interval))
    return history


def run(grades: list[int]) -> list[Sm2State]:
    states, state = [], Sm2State()
    for q in grades:
        state = review(state, q)
        states.append(state)
    return states


def test_interface_example() -> None:
    assert review(Sm2State(), 4) == Sm2State(repetitions=1, easiness=2.5, interval=1)


def test_six_times_two_is_twelve() -> None:
    assert review(Sm2State(repetitions=2, easiness=2.0, interval=6), 4).interval == 12


def test_no_float_drift_reaches_the_ceiling() -> None:
    # In floats the easiness becomes 1.3 + 0.1 + 0.1 = 1.5000000000000002 and 6 x that
    # rounds up to 10; exactly it is 1.5 and 6 x 1.5 = 9.
    states = run([0, 0, 5, 5, 3])
    assert states[-2].easiness == 1.5
    assert states[-1].interval == 9


@pytest.mark.parametrize(
    ("grades", "intervals"),
    [
        ([5, 5, 5, 5, 5], [1, 6, 17, 48, 140]),  # EF 2.7, 2.8, 2.9 before steps 3-5
        ([4, 4, 4, 4, 4], [1, 6, 15, 38, 95]),  # EF stays 2.5
        ([3, 3, 3, 3], [1, 6, 14, 30]),  # ceil(6 x 2.22) = 14, ceil(14 x 2.08) = 30
        ([4, 4, 1, 4, 4, 4], [1, 6, 1, 1, 6, 12]),  # failure resets; EF 2.5 - 0.54 = 1.96
        ([0, 0, 0, 3, 3, 3, 3], [1, 1, 1, 1, 6, 8, 11]),  # EF floored at 1.3
    ],
)
def test_pinned_interval_histories(grades: list[int], intervals: list[int]) -> None:
    assert [state.interval for state in run(grades)] == intervals


def test_pinned_easiness_history() -> None:
    assert [state.easiness for state in run([5, 3, 2, 0, 4])] == [2.6, 2.46, 2.14, 1.34, 1.34]


@pytest.mark.parametrize("quality", [-1, 6, 2.5, "4", None, True])
def test_quality_outside_0_to_5_is_refused(quality: object) -> None:
    with pytest.raises(ValueError, match="0 to 5"):
        review(Sm2State(), quality)  # type: ignore[arg-type]


def test_state_is_frozen_with_interface_defaults() -> None:
    state = Sm2State()
    assert (state.repetitions, state.easiness, state.interval) == (0, 2.5, 0)
    with pytest.raises(AttributeError):
        state.interval = 3  # type: ignore[misc]


@given(st.lists(st.integers(min_value=0, max_value=5), max_size=60))
def test_random_sequences_match_exact_reference(grades: list[int]) -> None:
    for state, (repetitions, easiness, interval) in zip(
        run(grades), reference(grades), strict=True
    ):
        assert state.repetitions == repetitions
        assert state.interval == interval
        assert state.easiness_hundredths == easiness * 100
        assert state.easiness == float(easiness)


@given(
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=65, max_value=200).map(lambda n: n * 2),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=5),
)
def test_any_state_steps_exactly(repetitions: int, hundredths: int, interval: int, q: int) -> None:
    state = Sm2State.from_hundredths(repetitions, hundredths, interval)
    after = review(state, q)
    if q >= 3 and repetitions >= 2:
        assert after.interval == math.ceil(Fraction(interval * hundredths, 100))
    assert after.easiness_hundredths == max(130, hundredths + [-80, -54, -32, -14, 0, 10][q])
