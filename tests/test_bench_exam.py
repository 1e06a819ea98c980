"""`bench/exam.py`: the simulation runs the trainer's own exam plan, and on a small synthetic
learner it shows what the README's table shows: exam mode keeps the cards at the target on the
day without the floor's pile of reviews on the eve."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bench.exam import (
    MODES,
    SCHEDULERS,
    SYNTHETIC_START,
    Learner,
    simulate,
    synthetic,
    table,
)
from trainer.exam import Exam
from trainer.schedulers import Settings


@pytest.mark.parametrize("settings", list(SCHEDULERS.values()), ids=list(SCHEDULERS))
def test_exam_mode_against_plain_and_the_floor(settings: Settings) -> None:
    exam = Exam(SYNTHETIC_START + timedelta(days=40), 10)
    learner = Learner("test", 1.0)
    plain, exam_mode, capped = (
        simulate(synthetic(100), SYNTHETIC_START, exam, settings, mode=mode, learner=learner)
        for mode in MODES
    )
    assert plain.learned == exam_mode.learned == capped.learned == 100
    assert exam_mode.at_target >= 0.9 > plain.at_target
    assert exam_mode.peak_over_average <= 2 < capped.peak_over_average
    assert capped.peak == 100  # the floor: every card on the eve
    assert "| test |" in table([plain, exam_mode, capped])


def test_the_same_draws_give_the_same_run() -> None:
    exam = Exam(SYNTHETIC_START + timedelta(days=30), 7)
    settings = SCHEDULERS["SM-2"]
    runs = [
        simulate(synthetic(40), SYNTHETIC_START, exam, settings, mode="exam mode", learner=learner)
        for learner in (Learner("a", 1.0), Learner("a", 1.0), Learner("a", 1.0, seed=1))
    ]
    assert runs[0] == runs[1] != runs[2]
