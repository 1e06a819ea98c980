"""The session API: grading, re-drills, siblings, leeches, undo, bury/suspend, cram, locking."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from tests.store_support import session_over, synthetic_bank, write
from trainer.bank import load_bank
from trainer.model import Bank
from trainer.session import LEECH_FAILURES, Card, Counts, Session, open_session
from trainer.sm2 import Sm2State
from trainer.store.items import ItemKey
from trainer.store.lock import SessionOpenError


@pytest.fixture
def session(fresh_db: sqlite3.Connection, small_bank: Bank, set_now) -> Session:
    return session_over(small_bank, fresh_db)


def log_rows(connection: sqlite3.Connection) -> list[tuple]:
    return connection.execute(
        "SELECT item_id, kind, grade, interval_before, interval_after FROM reviews ORDER BY id"
    ).fetchall()


def shown(session: Session) -> Card:
    card = session.current()
    assert card is not None
    return card


def test_first_day_queue_of_the_small_bank(session: Session) -> None:
    assert session.counts() == Counts(new=4, review=0, redrill=0)
    card = shown(session)
    assert (card.item.id, card.kind, card.state) == ("talks-date", "new", Sm2State())
    assert session.intervals(card) == {0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1}


def test_a_grade_is_committed_with_its_log_row(session: Session, fresh_db) -> None:
    session.grade(shown(session), 5, 1234)
    assert not fresh_db.in_transaction
    row = fresh_db.execute(
        "SELECT repetitions, easiness_hundredths, interval, due_day, lapses FROM items"
        " WHERE id = 'talks-date'"
    ).fetchone()
    assert row == (1, 260, 1, "2026-03-02", 0)
    log = fresh_db.execute(
        "SELECT kind, grade, answer_ms, reviewed_at, study_day, repetitions_before,"
        " easiness_before, due_before, repetitions_after, easiness_after, due_after FROM reviews"
    ).fetchall()
    assert log == [
        ("new", 5, 1234, "2026-03-01T09:00:00", "2026-03-01", 0, 250, None, 1, 260, "2026-03-02")
    ]


def test_grades_below_four_are_redrilled_without_rescheduling(session: Session, fresh_db) -> None:
    first = shown(session)
    session.grade(first, 3, 500)
    assert session.counts() == Counts(new=3, review=0, redrill=1)
    for _ in range(3):
        session.grade(shown(session), 5, 500)
    redrill = shown(session)
    assert (redrill.item.id, redrill.kind) == ("talks-date", "redrill")
    assert session.intervals(redrill) == dict.fromkeys(range(6), 1)
    session.grade(redrill, 2, 500)
    assert shown(session).kind == "redrill"
    session.grade(shown(session), 4, 500)
    assert session.current() is None
    assert [row for row in log_rows(fresh_db) if row[0] == "talks-date"] == [
        ("talks-date", "new", 3, 0, 1),
        ("talks-date", "redrill", 2, 1, 1),
        ("talks-date", "redrill", 4, 1, 1),
    ]
    easiness = fresh_db.execute("SELECT easiness_hundredths FROM items WHERE id='talks-date'")
    assert easiness.fetchone()[0] == 236  # only the scheduled answer changed it


def test_redrills_survive_a_restart(session: Session, fresh_db, small_bank) -> None:
    session.grade(shown(session), 1, 500)
    again = session_over(small_bank, fresh_db)
    assert again.counts() == Counts(new=3, review=0, redrill=1)


def test_siblings_wait_for_tomorrow_without_changing_their_schedule(
    session: Session, fresh_db, set_now
) -> None:
    shown_today = []
    while (card := session.current()) is not None:
        shown_today.append(card.item.id)
        session.grade(card, 4, 100)
    assert shown_today == ["talks-date", "doval", "four-areas:c1", "venue"]
    untouched = fresh_db.execute(
        "SELECT due_day, repetitions FROM items WHERE id IN ('doval:reverse', 'four-areas:c2')"
    ).fetchall()
    assert untouched == [(None, 0), (None, 0)]
    set_now("2026-03-02T09:00:00")
    assert session.counts() == Counts(new=0, review=4, redrill=0)  # siblings of today's reviews
    set_now("2026-03-02T03:59:00")  # before 4 am: still March 1st's study day
    assert session.counts() == Counts(new=0, review=0, redrill=0)


def test_burying_a_cloze_deletion_keeps_its_sibling_away_until_tomorrow(
    session: Session, set_now
) -> None:
    while shown(session).item.id != "four-areas:c1":
        session.grade(shown(session), 5, 100)
    session.bury(shown(session))
    assert shown(session).item.id == "venue"  # not four-areas:c2, which shows c1's answer
    session.grade(shown(session), 5, 100)
    assert session.current() is None
    set_now("2026-03-02T09:00:00")
    next_day = []
    while (card := session.current()) is not None:
        next_day.append(card.item.id)
        session.grade(card, 5, 100)
    assert "four-areas:c1" in next_day  # back the next day


def test_undo_several_steps_including_bury_and_suspend(session: Session, fresh_db) -> None:
    assert not session.can_undo()
    assert session.undo() is None
    before = fresh_db.execute("SELECT * FROM items ORDER BY id").fetchall()
    first = shown(session)
    session.grade(first, 1, 100)
    second = shown(session)
    session.bury(second)
    third = shown(session)
    session.suspend(third)
    fourth = shown(session)
    session.grade(fourth, 5, 100)
    assert session.counts().redrill == 1
    assert second.item.id == "doval"
    assert third.item.id == "four-areas:c1"  # a buried card keeps its siblings away
    assert [session.undo().id for _ in range(4)] == [
        fourth.item.id,
        third.item.id,
        second.item.id,
        first.item.id,
    ]
    assert not session.can_undo()
    assert fresh_db.execute("SELECT * FROM items ORDER BY id").fetchall() == before
    assert log_rows(fresh_db) == []
    assert shown(session).item.id == first.item.id
    assert session.counts() == Counts(new=4, review=0, redrill=0)


def test_the_undone_card_is_shown_again_first(session: Session) -> None:
    session.grade(shown(session), 4, 100)
    session.grade(shown(session), 4, 100)
    undone = session.undo()
    assert undone is not None and undone.id == "doval"
    assert undone.describe() == "Undone: answer of \u201cAjit Doval\u201d"
    assert shown(session).item.id == "doval"


def test_undo_survives_a_restart_the_same_day(
    session: Session, fresh_db, small_bank, set_now
) -> None:
    before = fresh_db.execute("SELECT * FROM items ORDER BY id").fetchall()
    first = shown(session)
    session.grade(first, 5, 100)
    session.bury(shown(session))
    again = session_over(small_bank, fresh_db)  # quit and start again
    assert again.can_undo()
    assert again.undo().id == "doval"
    assert again.undo().id == first.item.id
    assert not again.can_undo()
    assert fresh_db.execute("SELECT * FROM items ORDER BY id").fetchall() == before
    assert log_rows(fresh_db) == []


def test_undo_does_not_reach_into_yesterday(session: Session, small_bank, fresh_db, set_now):
    session.grade(shown(session), 5, 100)
    set_now("2026-03-02T09:00:00")
    tomorrow = session_over(small_bank, fresh_db)
    assert not tomorrow.can_undo()
    assert tomorrow.undo() is None
    assert len(log_rows(fresh_db)) == 1


def test_bury_returns_the_next_day(session: Session, set_now) -> None:
    session.bury(shown(session))
    assert "talks-date" not in [shown(session).item.id]
    assert session.counts().new == 3
    set_now("2026-03-02T09:00:00")
    assert shown(session).item.id == "talks-date"


def test_suspended_items_never_return(session: Session, set_now) -> None:
    session.suspend(shown(session))
    set_now("2026-04-01T09:00:00")
    assert shown(session).item.id != "talks-date"
    assert session.stats().items_suspended == 1


def test_eight_failures_make_a_leech_and_suspend_it(fresh_db, small_bank: Bank, set_now) -> None:
    session = session_over(small_bank, fresh_db, new_per_day=1)
    for day in range(1, LEECH_FAILURES + 1):
        set_now(f"2026-03-{day:02d}T09:00:00")
        card = shown(session)
        assert card.item.id == "talks-date"
        session.grade(card, 2, 100)
        while (card := session.current()) is not None:
            session.grade(card, 4, 100)  # the re-drill: not a scheduled failure
    stats = session.stats()
    assert [leech.id for leech in stats.leeches] == ["talks-date"]
    assert stats.leeches[0].lapses == LEECH_FAILURES
    assert stats.items_suspended == 1
    set_now("2026-03-20T09:00:00")
    assert all(card_id != "talks-date" for card_id in _drain(session))


def _drain(session: Session) -> list[str]:
    seen = []
    while (card := session.current()) is not None:
        seen.append(card.item.id)
        session.grade(card, 5, 100)
    return seen


def test_limits_from_options_override_the_deck(fresh_db, small_bank, set_now) -> None:
    assert session_over(small_bank, fresh_db, new_per_day=2).counts().new == 2
    assert session_over(small_bank, fresh_db, reviews_per_day=1).counts().new == 1


def test_cram_shows_tagged_items_and_changes_no_schedule(
    fresh_db, small_bank: Bank, set_now
) -> None:
    session_over(small_bank, fresh_db).grade(shown(session_over(small_bank, fresh_db)), 5, 100)
    before = fresh_db.execute("SELECT * FROM items ORDER BY id").fetchall()
    cram = session_over(small_bank, fresh_db, tag="diplomacy")
    assert cram.counts() == Counts(new=0, review=4, redrill=0)
    seen = []
    while (card := cram.current()) is not None:
        assert card.kind == "cram"
        seen.append(card.item.id)
        cram.grade(card, 2 if card.item.id == "venue" and seen.count("venue") == 1 else 5, 100)
    assert seen == ["talks-date", "doval", "doval:reverse", "venue", "venue"]
    assert fresh_db.execute("SELECT * FROM items ORDER BY id").fetchall() == before
    kinds = fresh_db.execute("SELECT kind, count(*) FROM reviews GROUP BY kind").fetchall()
    assert sorted(kinds) == [("cram", 5), ("new", 1)]


def test_cram_with_reschedule_grades_for_real(fresh_db, small_bank: Bank, set_now) -> None:
    cram = session_over(small_bank, fresh_db, tag="diplomacy", reschedule=True)
    assert cram.counts() == Counts(new=4, review=0, redrill=0)
    assert _drain(cram) == ["talks-date", "doval", "doval:reverse", "venue"]
    scheduled = fresh_db.execute("SELECT count(*) FROM items WHERE due_day IS NOT NULL")
    assert scheduled.fetchone()[0] == 4


def test_reload_keeps_the_current_card(session: Session, small_bank_path: Path) -> None:
    session.grade(shown(session), 4, 100)
    assert shown(session).item.id == "doval"
    text = small_bank_path.read_text().replace("Ajit Doval", "Ajit Kumar Doval")
    session.reload(load_bank(write(small_bank_path, text)))
    card = shown(session)
    assert card.item.id == "doval"
    assert card.item.note.front == "Ajit Kumar Doval"


def test_next_due_and_due_tomorrow(session: Session, set_now) -> None:
    assert session.next_due() == datetime(2026, 3, 1, 9, 0)
    _drain(session)
    assert session.next_due() == datetime(2026, 3, 2, 4, 0)
    assert session.due_tomorrow() == 4
    summary = session.summary()
    assert (summary.reviewed, summary.retention_today, summary.due_tomorrow) == (4, 1.0, 4)
    assert (summary.seconds_spent, summary.streak_days) == (0, 1)


def test_next_due_without_new_items_is_the_next_review_day(
    fresh_db, tmp_path: Path, set_now
) -> None:
    bank = load_bank(write(tmp_path / "cards.yaml", synthetic_bank(1)))
    session = session_over(bank, fresh_db)
    _drain(session)
    set_now("2026-03-02T09:00:00")
    _drain(session)  # interval 6 now
    assert session.next_due() == datetime(2026, 3, 8, 4, 0)


def test_a_second_session_is_refused_while_readers_are_fine(
    tmp_path: Path, small_bank: Bank, set_now
) -> None:
    db = tmp_path / "reviews.sqlite3"
    with open_session(small_bank.path, db) as first:
        with pytest.raises(SessionOpenError, match="another review session is open"):
            open_session(small_bank.path, db)
        first.grade(shown(first), 4, 100)
        reader = sqlite3.connect(db, timeout=0)
        assert reader.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
        reader.close()
    with open_session(small_bank.path, db) as again:
        assert again.counts().new == 3


def test_grade_refuses_a_bad_quality(session: Session, fresh_db) -> None:
    with pytest.raises(ValueError, match="0 to 5"):
        session.grade(shown(session), 7, 100)
    assert log_rows(fresh_db) == []


def test_answered_today_spans_every_sitting_of_the_day(
    session: Session, fresh_db, small_bank, set_now
) -> None:
    session.grade(shown(session), 2, 100)  # a failure: re-drilled later, counted as an answer
    session.grade(shown(session), 5, 100)
    again = session_over(small_bank, fresh_db)
    assert again.answered_today() == 2
    again.grade(shown(again), 4, 100)
    assert again.answered_today() == 3
    again.undo()
    assert again.answered_today() == 2
    set_now("2026-03-02T09:00:00")
    assert session_over(small_bank, fresh_db).answered_today() == 0


def test_browser_actions_are_undoable_and_journalled(session: Session, fresh_db) -> None:
    schedule = "SELECT * FROM items WHERE id = ?"
    card = shown(session)
    session.grade(card, 5, 100)
    graded = fresh_db.execute(schedule, (card.item.id,)).fetchone()
    session.suspend(shown(session))
    session.unsuspend(ItemKey(card.key.bank, "doval"))
    session.forget(card.key)
    assert fresh_db.execute(
        "SELECT repetitions, interval, due_day FROM items WHERE id = ?", (card.item.id,)
    ).fetchone() == (0, 0, None)
    session.set_due_day(ItemKey(card.key.bank, "venue"), datetime(2026, 3, 5).date())
    assert shown(session).item.id == "doval"
    session.bury(shown(session))
    session.unbury(ItemKey(card.key.bank, "doval"))
    answers = fresh_db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert answers == 1  # the actions change schedules, they are not answers
    described = [session.undo().describe() for _ in range(5)]
    assert described == [
        "Undone: unbury of \u201cAjit Doval\u201d",
        "Undone: bury of \u201cAjit Doval\u201d",
        "Undone: new due day of \u201cWhich city hosted the talks?\u201d",
        "Undone: forget of \u201cWhen were the talks held?\u201d",
        "Undone: unsuspend of \u201cAjit Doval\u201d",
    ]
    assert session.undo().action == "suspend"
    assert fresh_db.execute(schedule, (card.item.id,)).fetchone() == graded
    assert fresh_db.execute("SELECT suspended FROM items WHERE id = 'doval'").fetchone() == (0,)


def test_limits_given_for_a_session_hold_for_the_rest_of_the_study_day(
    tmp_path: Path, set_now
) -> None:
    from trainer.library import read_library
    from trainer.store import reports

    set_now("2026-03-01T09:00:00")
    bank, db = write(tmp_path / "cards.yaml", synthetic_bank(40)), tmp_path / "db.sqlite3"
    with open_session(bank, db, new_per_day=3) as session:
        assert session.counts().new == 3
        session.grade(session.current(), 5, 100)
    assert read_library(db, bank, reports.due_count) == 2  # `trainer due` agrees
    assert read_library(db, None, reports.due_count) == 2  # over every bank too
    with open_session(bank, db, reviews_per_day=150) as again:  # no --new-per-day this time
        assert again.counts().new == 2
        assert again.limits_of(again.banks[0]).reviews_per_day == 150
    set_now("2026-03-02T09:00:00")
    with open_session(bank, db) as tomorrow:
        limits = tomorrow.limits_of(tomorrow.banks[0])
        assert (limits.new_per_day, limits.reviews_per_day) == (20, 200)  # the deck's again


def test_limits_given_without_bank_hold_for_every_bank_that_day(tmp_path: Path, set_now) -> None:
    from trainer.library import read_library
    from trainer.store import reports

    set_now("2026-03-01T09:00:00")
    db = tmp_path / "db.sqlite3"
    for name in ("one", "two"):
        text = synthetic_bank(10).replace("name: Synthetic", f"name: {name}")
        open_session(write(tmp_path / f"{name}.yaml", text), db).close()
    with open_session(None, db, new_per_day=2) as session:
        assert session.counts().new == 4
    assert read_library(db, None, reports.due_count) == 4
