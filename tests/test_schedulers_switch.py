"""A deck's scheduler is a setting: switching replays the review log, and switching back gives
exactly the SM-2 schedule (E-Factors, intervals, due days) the deck had."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Scheduler, State

from tests.store_support import SMALL_BANK, run_trainer, session_over, write
from trainer.bank import load_bank
from trainer.schedulers import Settings, schedule_after
from trainer.session import Session, open_session
from trainer.sm2 import Sm2State, review
from trainer.store.banks import all_banks
from trainer.store.mirror import mirror_bank

SCHEDULE = (
    "SELECT id, repetitions, easiness_hundredths, interval, due_day, stability, difficulty,"
    " lapses, leech, suspended FROM items ORDER BY id"
)
FIRST_DAY = datetime(2026, 3, 1, 9, 0)


def with_scheduler(settings: str) -> str:
    return SMALL_BANK.replace("  name: Small Deck\n", f"  name: Small Deck\n{settings}")


def use(path: Path, connection: sqlite3.Connection, settings: str) -> None:
    write(path, with_scheduler(settings))
    mirror_bank(connection, load_bank(path))


def study(session: Session, days: range, set_now, seed: int) -> None:
    """Answer every card of each day's queue (re-drills too) with random grades."""
    generator = random.Random(seed)
    for day in days:
        set_now((FIRST_DAY + timedelta(days=day)).isoformat())
        while (card := session.current()) is not None:
            session.grade(card, generator.choice((1, 3, 4, 4, 4, 5, 5)), 1000)


def sm2_replay(connection: sqlite3.Connection) -> dict[str, tuple[int, int, int, str]]:
    """SM-2 worked out from the log with `trainer.sm2` alone."""
    schedules: dict[str, tuple[int, int, int, str]] = {}
    states: dict[str, Sm2State] = {}
    for item_id, day, grade in connection.execute(
        "SELECT item_id, study_day, grade FROM reviews WHERE kind IN ('new', 'review') ORDER BY id"
    ):
        state = states[item_id] = review(states.get(item_id, Sm2State()), grade)
        due = date.fromisoformat(day) + timedelta(days=state.interval)
        schedules[item_id] = (
            state.repetitions,
            state.easiness_hundredths,
            state.interval,
            due.isoformat(),
        )
    return schedules


@pytest.mark.parametrize("seed", range(3))
def test_sm2_to_fsrs_to_sm2_restores_the_schedule_exactly(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now, seed: int
) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler(""))
    study(session_over(load_bank(path), fresh_db), range(40), set_now, seed)
    sm2_schedule = fresh_db.execute(SCHEDULE).fetchall()
    assert any(row[2] != 250 for row in sm2_schedule)  # E-Factors moved

    use(path, fresh_db, "  scheduler: fsrs\n")
    fsrs_schedule = fresh_db.execute(SCHEDULE).fetchall()
    assert fsrs_schedule != sm2_schedule
    assert all(row[5] is not None for row in fsrs_schedule if row[4] is not None)

    use(path, fresh_db, "  scheduler: sm2\n  desired_retention: 0.85\n")
    assert fresh_db.execute(SCHEDULE).fetchall() == sm2_schedule


def test_an_fsrs_deck_replays_its_log_through_fsrs(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler(""))
    study(session_over(load_bank(path), fresh_db), range(20), set_now, 1)
    use(path, fresh_db, "  scheduler: fsrs\n  desired_retention: 0.8\n")
    answers: dict[str, list[tuple[date, int]]] = {}
    for item_id, day, grade in fresh_db.execute(
        "SELECT item_id, study_day, grade FROM reviews WHERE kind IN ('new', 'review') ORDER BY id"
    ):
        answers.setdefault(item_id, []).append((date.fromisoformat(day), grade))
    for item_id, item_answers in answers.items():
        expected = schedule_after(Settings("fsrs", 0.8), item_answers)
        row = fresh_db.execute(
            "SELECT interval, due_day, stability, difficulty FROM items WHERE id = ?", (item_id,)
        ).fetchone()
        assert row == (
            expected.interval,
            str(expected.due_day),
            expected.stability,
            expected.difficulty,
        )
    # a different desired retention is a different schedule: replayed again
    before = fresh_db.execute(SCHEDULE).fetchall()
    use(path, fresh_db, "  scheduler: fsrs\n  desired_retention: 0.95\n")
    after = fresh_db.execute(SCHEDULE).fetchall()
    assert [row[3] for row in after] != [row[3] for row in before]


def test_reviews_made_under_fsrs_count_when_switching_back(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler(""))
    session = session_over(load_bank(path), fresh_db)
    study(session, range(15), set_now, 2)
    use(path, fresh_db, "  scheduler: fsrs\n")
    session = Session(fresh_db, all_banks(fresh_db))
    assert session.scheduler == Settings("fsrs", 0.9)
    study(session, range(15, 45), set_now, 3)
    use(path, fresh_db, "")
    stored = {
        row[0]: row[1:5] for row in fresh_db.execute(SCHEDULE).fetchall() if row[4] is not None
    }
    assert stored == sm2_replay(fresh_db)
    assert all(row[5] is None for row in fresh_db.execute(SCHEDULE).fetchall())


def test_the_buttons_show_the_deck_schedulers_intervals(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler("  scheduler: fsrs\n"))
    session = session_over(load_bank(path), fresh_db)
    card = session.current()
    assert card is not None and card.kind == "new"
    assert session.intervals(card) == {0: 1, 1: 1, 2: 1, 3: 1, 4: 2, 5: 8}
    session.grade(card, 4, 1000)
    row = fresh_db.execute(
        "SELECT interval, due_day, stability FROM items WHERE id = ?", (card.item.id,)
    ).fetchone()
    assert row[:2] == (2, "2026-03-03") and row[2] > 0


def test_undo_under_fsrs_restores_the_memory_state(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler("  scheduler: fsrs\n"))
    session = session_over(load_bank(path), fresh_db)
    study(session, range(5), set_now, 4)
    set_now((FIRST_DAY + timedelta(days=9)).isoformat())
    card = session.current()
    assert card is not None
    before = fresh_db.execute(SCHEDULE).fetchall()
    session.grade(card, 1, 1000)
    assert fresh_db.execute(SCHEDULE).fetchall() != before
    session.undo()
    assert fresh_db.execute(SCHEDULE).fetchall() == before


def test_a_wrong_scheduler_setting_is_a_bank_error(tmp_path: Path) -> None:
    path = write(
        tmp_path / "cards.yaml",
        with_scheduler("  scheduler: FSRS5\n").replace("  - id: venue", "  - id: venue"),
    )
    result = run_trainer("check", str(path))
    assert result.returncode == 1
    assert f"{path}:3:14: deck: 'scheduler' is 'sm2' or 'fsrs', not 'FSRS5'" in result.stderr
    write(path, with_scheduler("  scheduler: fsrs\n  desired_retention: 90%\n"))
    result = run_trainer("check", str(path))
    assert result.returncode == 1
    assert f"{path}:4:22: deck: 'desired_retention' is a probability" in result.stderr
    assert "Traceback" not in result.stderr


def test_stats_show_fsrs_predicted_retention(tmp_path: Path, set_now) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler("  scheduler: fsrs\n"))
    db = tmp_path / "reviews.sqlite3"
    with open_session(path, db) as session:
        card = session.current()
        assert card is not None
        session.grade(card, 4, 1000)  # Good: stability 2.3065 days, due in 2
    env = {"TRAINER_DB": str(db)}
    result = run_trainer("stats", str(path), "--json", now="2026-03-04T09:00:00", extra_env=env)
    stats = json.loads(result.stdout)
    scheduler = Scheduler(enable_fuzzing=False)
    expected = scheduler.get_card_retrievability(
        Card(
            card_id=1,
            state=State.Review,
            stability=2.3065,
            difficulty=2.1181,
            due=datetime(2026, 3, 3, tzinfo=UTC),
            last_review=datetime(2026, 3, 1, tzinfo=UTC),
        ),
        datetime(2026, 3, 4, tzinfo=UTC),
    )
    assert stats["scheduler"] == "fsrs"
    assert stats["predicted_retention"] == round(expected, 4)
    assert 0.8 < expected < 0.9
    text = run_trainer("stats", str(path), now="2026-03-04T09:00:00", extra_env=env).stdout
    line = next(line for line in text.splitlines() if "Predicted retention today (FSRS)" in line)
    assert line.split("│")[2].strip() == f"{expected:.0%}"
    write(path, with_scheduler(""))
    result = run_trainer("stats", str(path), "--json", now="2026-03-04T09:00:00", extra_env=env)
    stats = json.loads(result.stdout)
    assert (stats["scheduler"], stats["predicted_retention"]) == ("sm2", None)


def test_under_fsrs_redrills_leave_the_schedule_alone(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler("  scheduler: fsrs\n"))
    session = session_over(load_bank(path), fresh_db)
    first = session.current()
    assert first is not None
    session.grade(first, 2, 1000)  # Again: due tomorrow, and re-drilled today
    scheduled = fresh_db.execute(SCHEDULE).fetchall()
    while (card := session.current()) is not None and card.kind != "redrill":
        session.grade(card, 4, 1000)
    assert card is not None and card.item.id == first.item.id
    assert set(session.intervals(card).values()) == {1}  # the buttons: unchanged schedule
    before = fresh_db.execute(SCHEDULE).fetchall()
    session.grade(card, 4, 1000)
    assert fresh_db.execute(SCHEDULE).fetchall() == before
    assert [row for row in before if row[0] == first.item.id] == [
        row for row in scheduled if row[0] == first.item.id
    ]


def test_a_switch_clears_the_days_undo(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    path = write(tmp_path / "cards.yaml", with_scheduler(""))
    session = session_over(load_bank(path), fresh_db)
    card = session.current()
    assert card is not None
    session.grade(card, 4, 1000)
    assert session.can_undo()
    use(path, fresh_db, "  scheduler: fsrs\n")
    assert not Session(fresh_db, all_banks(fresh_db)).can_undo()
