"""Failed cards come back within a few answers (issue #15), checked over ten simulated days of
study in which the user stops early, as real users do."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from tests.store_support import session_over, synthetic_bank, write
from trainer.bank import load_bank
from trainer.queue import DEFAULT_REDRILL_AFTER
from trainer.session import Session
from trainer.store.banks import all_banks
from trainer.store.mirror import mirror_bank

DAYS = 10
FOLLOWING_ANSWERS = 10
"""A failure followed by this many answers the same day must have been asked again."""


def study(session: Session, answers: int, chooser: random.Random) -> int:
    """Answer up to `answers` cards (grades 0-5, a third of them failures); the count given."""
    for given in range(answers):
        card = session.current()
        if card is None:
            return given
        session.grade(card, chooser.choice([1, 2, 3, 4, 5, 5]), 1000)
    return answers


def undone_failures(connection: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(day, item, answers after it) of each failure not asked again later that day although
    at least FOLLOWING_ANSWERS answers followed it."""
    rows = connection.execute(
        "SELECT study_day, item_id, grade FROM reviews ORDER BY id"
    ).fetchall()
    undone = []
    for index, (day, item_id, grade) in enumerate(rows):
        if grade >= 4:
            continue
        later = [row for row in rows[index + 1 :] if row[0] == day]
        if len(later) >= FOLLOWING_ANSWERS and item_id not in {row[1] for row in later}:
            undone.append((day, item_id, len(later)))
    return undone


def test_ten_days_with_early_stops_leave_no_failure_undone(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    bank = load_bank(write(tmp_path / "cards.yaml", synthetic_bank(400)))
    session = session_over(bank, fresh_db)
    chooser = random.Random(15)
    stops = []
    for day in range(DAYS):
        set_now(f"2026-03-{day + 1:02d}T09:00:00")
        stops.append(study(session, chooser.randint(12, 40), chooser))
    redrills = fresh_db.execute("SELECT count(*) FROM reviews WHERE kind = 'redrill'")
    assert redrills.fetchone()[0] > DAYS  # failures happened and were repeated
    assert all(stop >= 12 for stop in stops)  # every day stopped with the queue not empty
    assert undone_failures(fresh_db) == []


def test_a_failed_card_returns_after_the_configured_number_of_answers(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    set_now("2026-03-01T09:00:00")
    bank = load_bank(
        write(tmp_path / "cards.yaml", synthetic_bank(20, deck_settings="  redrill_after: 5\n"))
    )
    session = session_over(bank, fresh_db)
    failed = session.current()
    session.grade(failed, 1, 1000)
    shown = []
    for _ in range(7):
        card = session.current()
        shown.append((card.item.id, card.kind))
        session.grade(card, 5 if card.item.id != failed.item.id else 4, 1000)
    assert shown[5] == (failed.item.id, "redrill")
    assert failed.item.id not in [item_id for item_id, _ in shown[:5] + shown[6:]]


def test_the_default_wait_is_a_few_answers(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    set_now("2026-03-01T09:00:00")
    session = session_over(load_bank(write(tmp_path / "b.yaml", synthetic_bank(20))), fresh_db)
    failed = session.current()
    session.grade(failed, 0, 1000)
    for _ in range(DEFAULT_REDRILL_AFTER):
        assert session.current().item.id != failed.item.id
        session.grade(session.current(), 5, 1000)
    card = session.current()
    assert (card.item.id, card.kind) == (failed.item.id, "redrill")
    assert session.counts().redrill == 1
    schedule = "SELECT repetitions, easiness_hundredths, interval, due_day FROM items WHERE id = ?"
    before = fresh_db.execute(schedule, (failed.item.id,)).fetchone()
    session.grade(card, 3, 1000)  # below 4: asked again, the schedule left alone
    assert fresh_db.execute(schedule, (failed.item.id,)).fetchone() == before
    assert session.counts().redrill == 1


def test_answers_in_another_bank_count_towards_a_re_drill(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    """Without BANK a session covers every bank, each bank's reviews then their new cards: a
    card failed in the first bank comes back after answers given in the second."""
    set_now("2026-03-01T09:00:00")
    first = load_bank(write(tmp_path / "a.yaml", synthetic_bank(2)))
    second_text = synthetic_bank(20).replace("Synthetic", "Other")
    second = load_bank(write(tmp_path / "b.yaml", second_text))
    mirror_bank(fresh_db, first)
    mirror_bank(fresh_db, second)
    session = Session(fresh_db, all_banks(fresh_db))
    failed = session.current()
    assert failed is not None and failed.bank.name != second.deck.name
    session.grade(failed, 1, 1000)
    shown = []
    for _ in range(DEFAULT_REDRILL_AFTER + 1):
        card = session.current()
        assert card is not None
        shown.append((card.key, card.kind))
        session.grade(card, 4, 1000)
    assert shown[DEFAULT_REDRILL_AFTER] == (failed.key, "redrill")
    others = [key for key, _ in shown[:DEFAULT_REDRILL_AFTER] if key.bank != failed.key.bank]
    assert len(others) == DEFAULT_REDRILL_AFTER - 1  # the first bank's other card, then two
