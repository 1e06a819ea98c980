"""An action reads the clock once (#25): a grade given as the clock crosses the start of a
study day (04:00) is logged at a moment that belongs to the study day it is logged under."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.tui_support import write_bank
from trainer import clock
from trainer.queue import study_day
from trainer.session import open_session

BEFORE_FOUR = datetime(2026, 3, 2, 3, 59, 59)
AFTER_FOUR = datetime(2026, 3, 2, 4, 0, 0)


def test_a_grade_at_the_turn_of_the_day_keeps_its_moment_and_day_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINER_NOW", BEFORE_FOUR.isoformat())
    bank, db = write_bank(tmp_path), tmp_path / "reviews.sqlite3"
    with open_session(bank, db) as session:
        card = session.current()
        assert card is not None
        ticks: Iterator[datetime] = iter([BEFORE_FOUR])
        reads: list[datetime] = []

        def ticking() -> datetime:  # the first read before 04:00, every later one after
            reads.append(next(ticks, AFTER_FOUR))
            return reads[-1]

        monkeypatch.setattr(clock, "now", ticking)
        session.grade(card, 4, 1000)
    assert reads == [BEFORE_FOUR]
    with sqlite3.connect(db) as connection:
        moment, day = connection.execute("SELECT reviewed_at, study_day FROM reviews").fetchone()
    assert day == study_day(datetime.fromisoformat(moment)).isoformat() == "2026-03-01"
