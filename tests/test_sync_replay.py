"""The replay `trainer sync` uses: SM-2 over a merged history, one scheduling answer a day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from trainer.replay import MAX_INTERVAL, Answer, replay
from trainer.sm2 import Sm2State, review


def test_first_answer_of_a_study_day_schedules_and_later_ones_are_redrills() -> None:
    answers = [
        Answer(datetime(2026, 3, 1, 9), 2),
        Answer(datetime(2026, 3, 1, 9, 5), 4),  # same study day: a re-drill
        Answer(datetime(2026, 3, 2, 3), 5),  # 03:00 still belongs to 1 March (day starts at 4)
        Answer(datetime(2026, 3, 2, 9), 4),
    ]
    result = replay(reversed(answers), day_starts_at=4)  # order of input does not matter
    assert [step.kind for step in result.steps] == ["new", "redrill", "redrill", "review"]
    expected = review(review(Sm2State(), 2), 4)
    assert result.state == expected
    assert result.due == date(2026, 3, 2 + expected.interval)
    assert result.lapses == 1
    assert result.steps[1].before == result.steps[1].after  # practice changes nothing


def test_no_answers_leave_the_item_new() -> None:
    result = replay([], day_starts_at=4)
    assert (result.state, result.due, result.steps) == (Sm2State(), None, ())


def test_intervals_stop_at_anki_maximum_instead_of_overflowing() -> None:
    answers = [Answer(datetime(2026, 1, 1, 9) + timedelta(days=n), 5) for n in range(60)]
    result = replay(answers, day_starts_at=4)
    assert result.state.interval == MAX_INTERVAL
    assert result.due == date(2026, 1, 1) + timedelta(days=59 + MAX_INTERVAL)
