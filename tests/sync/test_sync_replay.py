"""The replay `trainer sync` uses: the deck's scheduler over a merged history, one scheduling
answer per study day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from trainer import schedulers
from trainer.replay import MAX_INTERVAL, Answer, schedule_history
from trainer.schedulers import Settings

SM2 = Settings("sm2")


@pytest.mark.parametrize("settings", [SM2, Settings("fsrs")], ids=["sm2", "fsrs"])
def test_first_answer_of_a_study_day_schedules_and_later_ones_are_redrills(
    settings: Settings,
) -> None:
    answers = [
        Answer(datetime(2026, 3, 1, 9), 2),
        Answer(datetime(2026, 3, 1, 9, 5), 4),  # same study day: a re-drill
        Answer(datetime(2026, 3, 2, 3), 5),  # 03:00 still belongs to 1 March (day starts at 4)
        Answer(datetime(2026, 3, 2, 9), 4),
    ]
    result = schedule_history(
        reversed(answers), day_starts_at=4, settings=settings
    )  # any input order
    assert [step.kind for step in result.steps] == ["new", "redrill", "redrill", "review"]
    expected = schedulers.schedule_after(settings, [(date(2026, 3, 1), 2), (date(2026, 3, 2), 4)])
    assert result.schedule == expected  # what the scheduler itself makes of the scheduled ones
    assert result.lapses == 1
    assert result.steps[1].before == result.steps[1].after  # practice changes nothing


def test_no_answers_leave_the_item_new() -> None:
    result = schedule_history([], day_starts_at=4, settings=SM2)
    assert (result.schedule.due_day, result.steps, result.lapses) == (None, (), 0)


def test_intervals_stop_at_anki_maximum_instead_of_overflowing() -> None:
    answers = [Answer(datetime(2026, 1, 1, 9) + timedelta(days=n), 5) for n in range(60)]
    result = schedule_history(answers, day_starts_at=4, settings=SM2)
    assert result.schedule.interval == MAX_INTERVAL
    assert result.schedule.due_day == date(2026, 1, 1) + timedelta(days=59 + MAX_INTERVAL)
