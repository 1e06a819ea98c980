"""The review screen of an FSRS deck: its buttons show FSRS's intervals, and grading with the
keys schedules with FSRS."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from textual.widgets import Button

from tests.tui_support import BANK, SIZE, make_app, screen_text, sync, write_bank


@sync
async def test_an_fsrs_deck_shows_and_gives_fsrs_intervals(tmp_path: Path, set_now) -> None:
    write_bank(tmp_path, BANK.replace("deck:\n", "deck:\n  scheduler: fsrs\n", 1))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        labels = [str(app.screen.query_one(f"#grade-{g}", Button).label) for g in range(6)]
        assert [label.rsplit(" · ", 1)[1] for label in labels] == [
            "1d",
            "1d",
            "1d",
            "1d",
            "2d",
            "8d",
        ]
        await pilot.press("5")
        await pilot.pause()
    app.session.close()
    with closing(sqlite3.connect(tmp_path / "reviews.sqlite3")) as connection:
        rows = connection.execute(
            "SELECT interval, stability FROM items WHERE stability IS NOT NULL"
        ).fetchall()
    assert len(rows) == 1 and rows[0][0] == 8


@sync
async def test_help_says_how_fsrs_reads_the_grades(tmp_path: Path, set_now) -> None:
    write_bank(tmp_path, BANK.replace("deck:\n", "deck:\n  scheduler: fsrs\n", 1))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
    assert "scheduled with FSRS: 0-2 are its Again, 3 Hard, 4 Good, 5 Easy" in text
    assert "starts again at a 1-day interval" not in text


@sync
async def test_the_statistics_screen_shows_fsrs_predicted_retention(
    tmp_path: Path, set_now
) -> None:
    write_bank(tmp_path, BANK.replace("deck:\n", "deck:\n  scheduler: fsrs\n", 1))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        set_now("2026-03-04T09:00:00")
        predicted = app.session.stats().predicted_retention
        assert predicted is not None and 0.8 < predicted < 0.9
        await pilot.press("s")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
    assert f"FSRS predicts {predicted:.0%} recall today" in text


@sync
async def test_the_browser_shows_fsrs_memory_not_an_e_factor(tmp_path: Path, set_now) -> None:
    write_bank(tmp_path, BANK.replace("deck:\n", "deck:\n  scheduler: fsrs\n", 1))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4", "b")
        await pilot.pause()
        table = screen_text(app)
        assert "S D R" in table and "Ease" not in table
        (graded,) = [row for row in app.screen.shown if row.stability is not None]
        assert graded.memory_cell().startswith("S") and " R" in graded.memory_cell()
        assert graded.memory_cell() in table
        await pilot.press("i")
        await pilot.pause()
        info = screen_text(app)
        assert "Stability" in info and "Difficulty" in info and "retrievability" in info
        assert "E-Factor" not in info
    app.session.close()
