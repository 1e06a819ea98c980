"""Exam day (`trainer.exam`): a layer over SM-2 and FSRS that only moves due days earlier."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.store_support import run_trainer, synthetic_bank, write
from trainer import schedulers
from trainer.exam import Exam, PlanCard, exam_range, plan, recall_on_day, target
from trainer.schedulers import Schedule, Settings
from trainer.session import open_session
from trainer.store import log
from trainer.store.banks import all_banks
from trainer.store.database import open_for_reading
from trainer.store.items import load_items

START = date(2026, 3, 1)
EXAM = Exam(date(2026, 6, 1), 10)
SM2, FSRS = Settings("sm2"), Settings("fsrs")


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def history(*offsets_and_grades: tuple[int, int]) -> list[tuple[date, int]]:
    return [(day(offset), grade) for offset, grade in offsets_and_grades]


HISTORIES = {
    "mature": history((0, 4), (1, 4), (7, 5), (22, 4), (60, 4)),
    "lapsed": history((0, 4), (1, 4), (7, 4), (22, 2), (23, 4), (29, 4), (45, 4)),
    "young": history((80, 4), (81, 4)),
    "in the window": history((82, 4), (83, 3), (89, 3)),
}


def plain(settings: Settings, name: str) -> Schedule:
    return schedulers.schedule_after(settings, HISTORIES[name])


# -- which cards the window moves -----------------------------------------------------------


def test_a_card_learned_before_the_window_is_reviewed_in_it() -> None:
    schedule = plain(SM2, "mature")  # reviewed on day 60 (April 30), next due long after
    assert schedule.due_day > EXAM.day
    assert exam_range(EXAM, SM2, schedule, day(70)) == (EXAM.window_start, EXAM.eve)
    # inside the window, from today on
    assert exam_range(EXAM, SM2, schedule, date(2026, 5, 27)) == (date(2026, 5, 27), EXAM.eve)
    # due inside the window: no later than its plain due day
    due_in_window = Schedule(2, 250, 6, date(2026, 5, 25))
    assert exam_range(EXAM, SM2, due_in_window, day(70)) == (EXAM.window_start, date(2026, 5, 25))


def test_cards_that_need_nothing_keep_their_plain_due_day() -> None:
    before_window = Schedule(2, 250, 6, date(2026, 5, 10))  # its review comes first
    assert exam_range(EXAM, SM2, before_window, day(60)) is None
    reviewed_in_window = Schedule(4, 250, 40, date(2026, 7, 2))  # last review May 23
    assert exam_range(EXAM, SM2, reviewed_in_window, date(2026, 5, 24)) is None
    due_today = Schedule(4, 250, 40, date(2026, 5, 24))
    assert exam_range(EXAM, SM2, due_today, date(2026, 5, 24)) is None
    assert exam_range(EXAM, SM2, plain(SM2, "mature"), EXAM.day) is None  # the day: plain again


def test_a_card_below_the_target_on_the_day_is_reviewed_again_before_it() -> None:
    # reviewed on May 25 in the window, next due June 3: 0.9 ** (7 / 9) = 0.921 on the day
    schedule = Schedule(2, 250, 9, date(2026, 6, 3))
    assert exam_range(EXAM, SM2, schedule, date(2026, 5, 26)) == (date(2026, 5, 26), EXAM.eve)


def test_the_target_is_the_exam_recall_or_a_higher_desired_retention() -> None:
    assert target(SM2) == 0.95
    assert target(Settings("fsrs", 0.97)) == 0.97


# -- the load over the window's days --------------------------------------------------------


def mature_cards(count: int, settings: Settings, *, seed: int = 1) -> list[PlanCard]:
    """`count` cards last reviewed before the window, due after the exam."""
    chooser = random.Random(seed)
    cards = []
    for number in range(count):
        due = EXAM.window_start + timedelta(days=chooser.randint(1, 60))
        interval = (due - EXAM.window_start).days + chooser.randint(1, 60)
        stability = float(interval) if settings.scheduler == "fsrs" else None
        schedule = Schedule(4, 250, interval, due, stability, 5.0 if stability else None)
        cards.append(PlanCard(f"card-{number}", number, schedule))
    return cards


@pytest.mark.parametrize("settings", [SM2, FSRS], ids=["sm2", "fsrs"])
def test_exam_reviews_are_spread_over_the_window(settings: Settings) -> None:
    cards = mature_cards(500, settings)
    placed = plan(EXAM, settings, cards, EXAM.window_start)
    load = dict.fromkeys((EXAM.window_start + timedelta(days=n) for n in range(10)), 0)
    for card in cards:
        due = placed.get(card.key, card.schedule.due_day)
        if due in load:
            load[due] += 1
    assert sum(load.values()) == 500  # every card once in the window
    average = sum(load.values()) / len(load)
    assert max(load.values()) <= 1.1 * average, load
    assert load[EXAM.eve] <= average  # not piled onto the last day
    # deterministic: the order the cards come in plays no part
    shuffled = random.Random(7).sample(cards, len(cards))
    assert plan(EXAM, settings, shuffled, EXAM.window_start) == placed


def test_answering_todays_share_leaves_the_rest_of_today_as_it_was() -> None:
    """Each answer is one of today's share done: today's queue never grows while studying
    (later days may trade cards: they are not shown yet)."""
    cards = mature_cards(200, SM2, seed=2)
    today = EXAM.window_start + timedelta(days=2)
    placed = plan(EXAM, SM2, cards, today)
    todays = [card for card in cards if placed.get(card.key) == today]
    assert len(todays) == -(-len(placed) // 8)  # eight days left: an equal share, rounded up
    for answered in range(1, len(todays) + 1):
        rest = [card for card in cards if card not in todays[:answered]]
        again = plan(EXAM, SM2, rest, today, done_today=answered)
        still = {card.key for card in todays[answered:]}
        assert {key for key, day in again.items() if day == today} == still


def test_exam_reviews_given_today_count_as_todays_load() -> None:
    cards = mature_cards(20, SM2, seed=3)
    today = EXAM.window_start + timedelta(days=1)  # nine days left
    placed = plan(EXAM, SM2, cards, today, done_today=5)
    days = list(placed.values())
    assert today not in days
    assert max(days.count(day) for day in days) == 3  # 2 a day on the 8 days after, 4 at 3


# -- fixed histories at fixed times, both schedulers -----------------------------------------


@pytest.mark.parametrize(
    ("settings", "today", "expected"),
    [
        (SM2, date(2026, 5, 1), {"mature": date(2026, 5, 31)}),
        (SM2, date(2026, 5, 22), {"young": date(2026, 5, 27), "mature": date(2026, 5, 31)}),
        (SM2, date(2026, 5, 30), {"mature": date(2026, 5, 31)}),
        (FSRS, date(2026, 5, 1), {"mature": date(2026, 5, 31)}),
        (FSRS, date(2026, 5, 22), {"young": date(2026, 5, 28), "mature": date(2026, 5, 31)}),
        (FSRS, date(2026, 5, 30), {"mature": date(2026, 5, 31)}),
    ],
)
def test_exam_schedule_of_fixed_histories(
    settings: Settings, today: date, expected: dict[str, date]
) -> None:
    """SM-2: mature due Aug 10, lapsed Apr 29 (before the window), young May 27 (in it),
    reviewed in the window due Jun 13 at 97.9% on the day. FSRS: Dec 4, May 17, May 28, Jun 12."""
    cards = [PlanCard(name, order, plain(settings, name)) for order, name in enumerate(HISTORIES)]
    known = [card for card in cards if card.schedule.last_day < today]
    assert plan(EXAM, settings, known, today, done_today=1) == expected
    # the plain schedules are the scheduler's, whatever the exam
    assert [card.schedule.due_day for card in cards] == [
        schedulers.schedule_after(settings, HISTORIES[name]).due_day for name in HISTORIES
    ]


@pytest.mark.parametrize("settings", [SM2, FSRS], ids=["sm2", "fsrs"])
def test_studied_as_planned_a_card_is_at_the_target_on_the_day(settings: Settings) -> None:
    for name in HISTORIES:
        schedule = plain(settings, name)
        placed = plan(EXAM, settings, [PlanCard(name, 0, schedule)], day(75))
        recall = recall_on_day(EXAM, settings, schedule, placed.get(name), day(75))
        assert recall >= target(settings), name


# -- through the review database ------------------------------------------------------------


def study(bank: Path, db: Path, first: date, last: date, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Answer every due card each day from `first` to `last` (a grade from a seeded draw);
    the number answered each day."""
    grades = random.Random(3)
    answered = {}
    current = first
    while current <= last:
        monkeypatch.setenv("TRAINER_NOW", f"{current.isoformat()}T09:00:00")
        count = 0
        with open_session(bank, db) as session:
            while (card := session.current()) is not None:
                session.grade(card, grades.choice((2, 4, 4, 4, 5)), 1000)
                count += 1
        answered[current] = count
        current += timedelta(days=1)
    return answered


def stored(db: Path) -> tuple[dict[str, Schedule], dict[str, list[tuple[date, int]]]]:
    connection = open_for_reading(db)
    try:
        bank = all_banks(connection)[0].id
        schedules = {item.id: item.schedule for item in load_items(connection, bank)}
        return schedules, log.scheduled_answers(connection, bank)
    finally:
        connection.close()


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_the_exam_moves_due_days_only_and_the_log_replays_to_the_plain_schedule(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = f"  new_per_day: 10\n  scheduler: {scheduler}\n"
    exam = "  exam: 2026-04-20\n  exam_window: 7\n"
    bank = write(tmp_path / "cards.yaml", synthetic_bank(40, deck_settings=settings + exam))
    db = tmp_path / "reviews.sqlite3"
    answered = study(bank, db, date(2026, 3, 1), date(2026, 4, 25), monkeypatch)
    window = [date(2026, 4, 13) + timedelta(days=n) for n in range(7)]
    in_window = [answered[d] for d in window]
    assert sum(in_window) >= 40  # every card at least once
    assert max(in_window) <= 2 * sum(in_window) / len(in_window), in_window
    # every schedule is what its scheduler makes of the log: nothing of the exam is stored
    schedules, answers = stored(db)
    choice = Settings(scheduler)
    for item_id, schedule in schedules.items():
        assert schedule == schedulers.schedule_after(choice, answers[item_id]), item_id
    # the exam off: the same schedules, and the queue is the plain schedule's again
    write(bank, synthetic_bank(40, deck_settings=settings))
    monkeypatch.setenv("TRAINER_NOW", "2026-04-16T09:00:00")
    plain_due = run_trainer("due", str(bank), "--db", str(db)).stdout
    assert stored(db)[0] == schedules
    write(bank, synthetic_bank(40, deck_settings=settings + exam))
    with_exam = run_trainer("due", str(bank), "--db", str(db)).stdout
    assert stored(db)[0] == schedules
    expected = sum(
        1 for s in schedules.values() if s.due_day is not None and s.due_day <= date(2026, 4, 16)
    )
    assert int(plain_due) == expected
    assert int(with_exam) >= expected


def test_stats_json_has_the_exam(tmp_path: Path) -> None:
    deck = "  new_per_day: 10\n  exam: 2026-03-31\n  exam_window: 7\n"
    bank = write(tmp_path / "cards.yaml", synthetic_bank(40, deck_settings=deck))
    db = tmp_path / "reviews.sqlite3"
    result = run_trainer("stats", str(bank), "--db", str(db), "--json", now="2026-03-01T09:00:00")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    exam = found["exam"]
    assert found["banks"]["Synthetic"]["exam"] == exam
    window_load = exam.pop("window_load")
    assert list(window_load) == [f"2026-03-{d}" for d in range(24, 31)]
    recall = exam.pop("predicted_recall")
    assert recall == exam.pop("predicted_recall_by_category")["date"]
    assert 0.95 <= recall <= 1
    assert exam == {
        "date": "2026-03-31",
        "days_left": 30,
        "window": 7,
        "window_start": "2026-03-24",
        "target_recall": 0.95,
        "new_left": 40,
        "new_per_day": 10,
        "learned_on": "2026-03-04",
        "learned_before_window": True,
        "new_per_day_needed": 2,
    }
    late = run_trainer("stats", str(bank), "--db", str(db), "--json", now="2026-03-22T09:00:00")
    exam = json.loads(late.stdout)["exam"]
    assert (exam["days_left"], exam["learned_before_window"]) == (9, False)
    assert (exam["learned_on"], exam["new_per_day_needed"]) == ("2026-03-25", 20)
    none = run_trainer("stats", str(bank), "--db", str(db), "--json", now="2026-04-02T09:00:00")
    exam = json.loads(none.stdout)["exam"]
    assert (exam["days_left"], exam["predicted_recall"]) == (-2, None)


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_cards_and_the_forecast_show_the_exam_due_days(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One card, one due day: `cards` (and --json) and the stats' forecast show the day the
    exam plan gives it, today for the cards the queue brings forward."""
    deck = f"  new_per_day: 10\n  scheduler: {scheduler}\n  exam: 2026-04-20\n"
    bank = write(tmp_path / "cards.yaml", synthetic_bank(40, deck_settings=deck))
    db = tmp_path / "reviews.sqlite3"
    study(bank, db, date(2026, 3, 1), date(2026, 3, 31), monkeypatch)
    for today in (date(2026, 4, 3), date(2026, 4, 9)):  # before the window, in it
        now = f"{today.isoformat()}T09:00:00"
        shown = run_trainer("cards", str(bank), "--db", str(db), "--json", now=now)
        assert shown.returncode == 0, shown.stderr
        due = {
            row["id"]: date.fromisoformat(row["due"]) for row in json.loads(shown.stdout)["items"]
        }
        plain, _ = stored(db)
        moved = {item for item, day in due.items() if day != plain[item].due_day}
        assert moved  # the window's exam reviews, planned
        assert all(due[item] < plain[item].due_day for item in moved)  # only ever earlier
        queued = {
            row["id"] for row in json.loads(shown.stdout)["items"] if row["queued"] == "review"
        }
        assert queued == {item for item, day in due.items() if day <= today}
        stats = run_trainer("stats", str(bank), "--db", str(db), "--json", now=now)
        forecast = json.loads(stats.stdout)["forecast"]
        for offset in range(1, 31):
            day = today + timedelta(days=offset)
            assert forecast[day.isoformat()] == sum(d == day for d in due.values()), day


def test_stats_without_an_exam_has_no_exam_key(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(3))
    result = run_trainer("stats", str(bank), "--db", str(tmp_path / "r.sqlite3"), "--json")
    assert "exam" not in json.loads(result.stdout)


# -- the setting ----------------------------------------------------------------------------


def test_limits_sets_and_drops_the_exam_keeping_comments(tmp_path: Path) -> None:
    text = synthetic_bank(2, deck_settings="  new_per_day: 5  # gentle\n")
    bank = write(tmp_path / "cards.yaml", text)
    result = run_trainer("limits", str(bank), "--exam", "2027-05-24", "--exam-window", "12")
    assert result.returncode == 0, result.stderr
    assert "exam: 2027-05-24, reviewed in the last 12 days" in result.stdout
    assert "  new_per_day: 5  # gentle\n  exam: 2027-05-24\n  exam_window: 12\n" in (
        bank.read_text()
    )
    result = run_trainer("limits", str(bank), "--exam", "none")
    assert result.returncode == 0, result.stderr
    assert "exam: none" in result.stdout
    assert bank.read_text() == text.replace("# gentle\n", "# gentle\n  exam_window: 12\n")
    wrongs = (["--exam", "2027-5-24"], ["--exam", "soon"], ["--exam", "9999-12-31"])
    for wrong in (*wrongs, ["--exam-window", "0"], ["--exam-window", "61"]):
        result = run_trainer("limits", str(bank), *wrong)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "exam: 24/05/2027",
            "deck: 'exam' is a date like 2027-05-24 (1970-01-02 to 9899-12-31), not '24/05/2027'",
        ),
        ("exam: 2027-02-30", "not '2027-02-30'"),
        ("exam: 9999-12-31", "not '9999-12-31'"),  # its window's reviews would be due past 9999
        ("exam: 2027-05-24T09:00", "not '2027-05-24T09:00'"),
        ("exam_window: 0", "deck: 'exam_window' is 1-60 days, not 0"),
        ("exam_window: 90", "deck: 'exam_window' is 1-60 days, not 90"),
    ],
)
def test_check_rejects_a_wrong_exam_setting(tmp_path: Path, setting: str, message: str) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(2, deck_settings=f"  {setting}\n"))
    result = run_trainer("check", str(bank))
    assert result.returncode == 1
    assert "cards.yaml:3:" in result.stderr and message in result.stderr


def test_check_warns_of_a_past_exam(tmp_path: Path) -> None:
    text = synthetic_bank(2, deck_settings="  exam: 2026-02-01\n")
    text = text.replace("title: T\n    publisher: P", "title: Treaty\n    publisher: Gazette")
    bank = write(tmp_path / "cards.yaml", text)
    result = run_trainer("check", str(bank), now="2026-03-01T09:00:00")
    assert result.returncode == 0
    assert "cards.yaml:3:3: warning: deck: 'exam' 2026-02-01 is in the past" in result.stderr
    before = run_trainer("check", "--strict", str(bank), now="2026-01-01T09:00:00")
    assert (before.returncode, before.stderr) == (0, "")
    assert run_trainer("check", "--strict", str(bank), now="2026-03-01T09:00:00").returncode == 1


def test_a_database_from_before_the_exam_setting_is_upgraded(fresh_db: sqlite3.Connection) -> None:
    columns = {row[1] for row in fresh_db.execute("PRAGMA table_info(banks)")}
    assert {"exam", "exam_window"} <= columns


# -- the store's plan for today is the pure plan's, at a cost that does not grow with the log --


def random_bank_db(tmp_path: Path, scheduler: str, count: int) -> tuple[sqlite3.Connection, int]:
    """A database with `count` scheduled cards of random schedules (learned before the window,
    some due in it, some reviewed in it), with the exam set."""
    from trainer.bank import parse_bank
    from trainer.store.database import open_for_writing
    from trainer.store.mirror import mirror_bank

    text = synthetic_bank(count, deck_settings=f"  scheduler: {scheduler}\n  exam: 2026-06-01\n")
    bank = parse_bank(text, tmp_path / "cards.yaml")
    connection = open_for_writing(tmp_path / "reviews.sqlite3")
    bank_id = mirror_bank(connection, bank)
    chooser = random.Random(5)
    rows = []
    for number in range(count):
        interval = chooser.randint(1, 90)
        due = date(2026, 5, 10) + timedelta(days=chooser.randint(0, 80))
        stability = interval * chooser.uniform(0.5, 1.5) if scheduler == "fsrs" else None
        rows.append((interval, due.isoformat(), stability, 5.0 if stability else None, number))
    connection.executemany(
        "UPDATE items SET repetitions = 3, interval = ?, due_day = ?, stability = ?,"
        " difficulty = ? WHERE id = 'card-' || ? || ':basic' OR id = 'card-' || ?",
        [(*row, row[-1]) for row in rows],
    )
    connection.commit()
    return connection, bank_id


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_the_queue_brings_forward_todays_share_of_the_plan(scheduler: str, tmp_path: Path) -> None:
    from trainer.store.exam import brought_forward, scheduled_after

    connection, bank = random_bank_db(tmp_path, scheduler, 400)
    settings = Settings(scheduler)
    exam = Exam(date(2026, 6, 1), 14)
    for today in (date(2026, 5, 10), date(2026, 5, 18), date(2026, 5, 25), date(2026, 5, 31)):
        cards = [card for _, card in scheduled_after(connection, bank, today)]
        expected = sorted(
            key for key, day in plan(exam, settings, cards, today).items() if day == today
        )
        found = brought_forward(connection, bank, exam, settings, today)
        assert sorted(record.id for record in found) == expected, today
        assert all(record.due_day == today for record in found)
        if today >= exam.window_start:
            assert found  # the window's days each take a share


def test_the_plan_for_today_reads_the_days_log_only(tmp_path: Path) -> None:
    from tests.store_support import plans
    from trainer.store.exam import brought_forward

    connection, bank = random_bank_db(tmp_path, "sm2", 200)
    exam, day = Exam(date(2026, 6, 1), 14), date(2026, 5, 25)
    recorder = plans(connection, lambda c: brought_forward(c, bank, exam, SM2, day))
    assert not recorder.scanned  # index ranges only
    assert "idx_reviews_item" not in recorder.opened  # a bank's whole log, by item


def test_the_review_summary_has_the_countdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = "  new_per_day: 5\n  exam: 2026-03-31\n"
    bank = write(tmp_path / "cards.yaml", synthetic_bank(5, deck_settings=deck))
    monkeypatch.setenv("TRAINER_NOW", "2026-03-01T09:00:00")
    with open_session(bank, tmp_path / "reviews.sqlite3") as session:
        while (card := session.current()) is not None:
            session.grade(card, 4, 1000)
        line = session.summary().exam
    assert line is not None
    assert line.startswith("2026-03-31: 30 days left \u00b7 ")
    assert line.endswith("% predicted on the day")
    monkeypatch.setenv("TRAINER_NOW", "2026-04-01T09:00:00")
    with open_session(bank, tmp_path / "reviews.sqlite3") as session:
        assert session.summary().exam == "2026-03-31: past; plain scheduling"
