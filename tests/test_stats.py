"""Statistics agree with the review log; `trainer stats` prints them as JSON or tables."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from tests.store_support import SMALL_BANK_ITEMS, run_trainer
from trainer.bank import load_bank
from trainer.session import open_session
from trainer.stats import streak

REQUIRED = (
    "items_total",
    "items_new",
    "items_suspended",
    "items_retired",
    "due_now",
    "reviews_total",
    "reviews_today",
    "retention_30d",
    "streak_days",
    "forecast",
)


def study(bank_path: Path, db: Path, set_now, plan: dict[str, list[int]]) -> None:
    """`plan`: ISO date -> grades for the day's cards in queue order."""
    for day, grades in plan.items():
        set_now(f"{day}T10:00:00")
        with open_session(bank_path, db) as session:
            for quality in grades:
                session.grade(session.current(), quality, 3000)


def stats_json(bank: Path, db: Path, now: str) -> dict:
    result = run_trainer("stats", str(bank), "--db", str(db), "--json", now=now)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_empty_database(small_bank_path: Path, tmp_path: Path) -> None:
    stats = stats_json(small_bank_path, tmp_path / "r.sqlite3", "2026-03-01T09:00:00")
    assert set(REQUIRED) <= set(stats)
    assert stats["items_total"] == len(SMALL_BANK_ITEMS) == stats["items_new"]
    assert (stats["reviews_total"], stats["retention_30d"], stats["streak_days"]) == (0, None, 0)
    assert len(stats["forecast"]) == 30
    assert next(iter(stats["forecast"])) == "2026-03-02"


def test_stats_agree_with_the_log(small_bank_path: Path, tmp_path: Path, set_now) -> None:
    db = tmp_path / "r.sqlite3"
    study(
        small_bank_path,
        db,
        set_now,
        {"2026-03-01": [5, 4, 2, 3], "2026-03-02": [4, 1, 5], "2026-03-04": [5]},
    )
    stats = stats_json(small_bank_path, db, "2026-03-04T20:00:00")
    with closing(sqlite3.connect(db)) as connection:
        grades = [
            g
            for (g,) in connection.execute(
                "SELECT grade FROM reviews WHERE kind IN ('new', 'review')"
            )
        ]
        today = connection.execute(
            "SELECT count(*) FROM reviews WHERE study_day = '2026-03-04' AND kind = 'review'"
        ).fetchone()[0]
        due_days = dict(
            connection.execute(
                "SELECT due_day, count(*) FROM items WHERE due_day > '2026-03-04' GROUP BY 1"
            ).fetchall()
        )
    assert stats["reviews_total"] == len(grades)
    assert stats["retention_30d"] == round(sum(g >= 3 for g in grades) / len(grades), 4)
    assert stats["reviews_today"] == today == 1
    assert stats["streak_days"] == 1  # 3 March was skipped
    assert {day: n for day, n in stats["forecast"].items() if n} == due_days
    assert stats["items_total"] == len(load_bank(small_bank_path).items)
    assert stats["practice_total"] == 0  # re-drills were not done in this plan
    accuracy = stats["category_accuracy"]
    assert sum(c["reviews"] for c in accuracy.values()) == len(grades)
    assert accuracy["date"]["reviews"] >= 1


def test_streak_counts_consecutive_days() -> None:
    days = {date(2026, 3, d) for d in (1, 2, 3, 5, 6)}
    assert streak(days, date(2026, 3, 6)) == 2
    assert streak(days, date(2026, 3, 7)) == 2  # nothing yet today: yesterday's streak holds
    assert streak(days, date(2026, 3, 8)) == 0
    assert streak(days, date(2026, 3, 3)) == 3


def test_session_stats_has_history_and_leech_lists(
    small_bank_path: Path, tmp_path: Path, set_now
) -> None:
    db = tmp_path / "r.sqlite3"
    study(small_bank_path, db, set_now, {"2026-03-01": [2, 5]})
    with open_session(small_bank_path, db) as session:
        stats = session.stats()
    assert len(stats.daily_reviews) == 365
    assert stats.daily_reviews[date(2026, 3, 1)] == 2
    assert stats.retention_by_week == {date(2026, 2, 23): 0.5}
    assert [item.id for item in stats.hardest] == ["talks-date"]
    assert stats.leeches == ()


def test_tables_are_printed(small_bank_path: Path, tmp_path: Path, set_now) -> None:
    db = tmp_path / "r.sqlite3"
    study(small_bank_path, db, set_now, {"2026-03-01": [2, 5]})
    result = run_trainer("stats", str(small_bank_path), "--db", str(db), now="2026-03-01T12:00")
    assert result.returncode == 0, result.stderr
    for text in ("Retention (30 days)", "50%", "Forecast", "Accuracy by category", "talks-date"):
        assert text in result.stdout


def test_stats_read_while_a_session_writes(small_bank_path: Path, tmp_path: Path, set_now) -> None:
    db = tmp_path / "r.sqlite3"
    with open_session(small_bank_path, db) as session:
        session.grade(session.current(), 4, 100)
        writer = sqlite3.connect(db, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE items SET lapses = lapses")
        stats = stats_json(small_bank_path, db, "2026-03-01T09:00:00")
        writer.rollback()
        writer.close()
    assert stats["reviews_total"] == 1


def test_the_hardest_list_shows_each_question_as_asked(tmp_path, fresh_db, set_now) -> None:
    from tests.store_support import SMALL_BANK, session_over, write
    from trainer.bank import load_bank

    set_now("2026-03-01T09:00:00")
    session = session_over(load_bank(write(tmp_path / "cards.yaml", SMALL_BANK)), fresh_db)
    while (card := session.current()) is not None:
        session.grade(card, 1 if card.kind != "redrill" else 4, 100)
    questions = {brief.id: brief.prompt for brief in session.stats().hardest}
    assert questions["four-areas:c1"] == "Areas include [...] and narcotics."
    assert "{{" not in "".join(questions.values())


def test_the_stored_question_is_the_models(tmp_path, fresh_db) -> None:
    """`stats` names a card by its question read from the stored note, without the bank's
    model: the same text as `ReviewItem.question`, for every kind of card."""
    from tests.store_support import SMALL_BANK, write
    from trainer.bank import load_bank
    from trainer.store import reports
    from trainer.store.mirror import mirror_bank

    bank = load_bank(write(tmp_path / "cards.yaml", SMALL_BANK))
    bank_id = mirror_bank(fresh_db, bank)
    kinds = {item.note.type for item in bank.items}
    assert kinds == {"basic", "reverse", "cloze", "mcq"}
    briefs = reports._briefs(fresh_db, bank_id, "items.lapses = 0", "items.rowid")
    assert {brief.id: brief.prompt for brief in briefs} == {
        item.id: item.question for item in bank.items
    }
    assert reports._question("gone", "stored prompt", None, None, None) == "stored prompt"


def _python_calls(work: Callable[[], object]) -> int:
    """The Python-level calls `work` makes (functions and builtins, as the profiler sees
    them): a count, so the same on any machine."""
    calls = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return calls


def test_a_bank_s_calendar_costs_python_calls_by_the_week_not_by_the_day() -> None:
    """The statistics' calendar (a year of answers by day, the streak, the weeks' retention,
    their JSON) is read in C over the shared days: a five-bank `stats` makes six of them, and
    a few Python calls a day were most of its work after the queries. A year of answers every
    day takes as many calls as one answer a week over the same weeks."""
    from trainer.queue import DailyQueue
    from trainer.stats import ItemCounts, Tallies, compute

    today = date(2026, 3, 1)
    every_day = [today - timedelta(days=back) for back in range(1, 365)]
    mondays = [day for day in every_day if day.weekday() == 0]

    def statistics(days: list[date]) -> Callable[[], object]:
        tallies = Tallies(
            items=ItemCounts(10, 0, 0, 0),
            due_by_day={today + timedelta(days=2): 1},
            reviews_by_day=dict.fromkeys(days, 3),
            correct_by_day=dict.fromkeys(days, 2),
            practice_total=0,
            accuracy_by_category={},
            leeches=(),
            hardest=(),
        )
        return lambda: compute(tallies, today, DailyQueue()).to_json()

    daily, weekly = statistics(every_day), statistics(mondays)
    daily(), weekly()  # the days, weeks and texts the calendars share, made once
    assert _python_calls(daily) <= _python_calls(weekly) + 10, (
        _python_calls(daily),
        _python_calls(weekly),
    )
