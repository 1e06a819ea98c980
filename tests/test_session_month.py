"""A simulated month of daily study against an independent model of the rules.

40 cards, 8 new and 10 reviews a day, a fixed grade pattern, three days skipped: every
morning the session's counts and `due` equal the model's, every card comes in the model's
order (a failed card back as a re-drill once REDRILL_AFTER answers followed it, passed with a
4); at the end every item's SM-2 state and due date do, and the log holds exactly the answers
given.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from tests.store_support import session_over, synthetic_bank, write
from trainer.bank import load_bank
from trainer.session import Counts
from trainer.sm2 import Sm2State, review
from trainer.store import items as stored_items
from trainer.store import reports
from trainer.store.banks import all_banks

CARDS = 40
REDRILL_AFTER = 3
NEW_PER_DAY = 8
REVIEWS_PER_DAY = 10
FIRST_DAY = date(2026, 3, 1)
DAYS = 31
SKIPPED = {10, 11, 20}
PATTERN = (5, 4, 3, 4, 2, 5, 4)


def grade_for(order: int, day: int) -> int:
    return PATTERN[(order * 3 + day) % len(PATTERN)]


class Model:
    """The rules written out plainly: due by (due day, bank order) up to the review limit,
    then new in bank order up to the new limit and what is left of the review limit."""

    def __init__(self) -> None:
        self.state = {n: Sm2State() for n in range(CARDS)}
        self.due: dict[int, date | None] = dict.fromkeys(range(CARDS))

    def queue(self, today: date) -> tuple[list[int], list[int]]:
        due = [n for n, day in self.due.items() if day is not None and day <= today]
        reviews = sorted(due, key=lambda n: (self.due[n], n))[:REVIEWS_PER_DAY]
        room = min(NEW_PER_DAY, REVIEWS_PER_DAY - len(reviews))
        new = [n for n, day in self.due.items() if day is None][:room]
        return reviews, new

    def answer(self, n: int, quality: int, today: date) -> None:
        self.state[n] = review(self.state[n], quality)
        self.due[n] = today + timedelta(days=self.state[n].interval)


def test_a_month_of_daily_study(fresh_db: sqlite3.Connection, tmp_path: Path, set_now) -> None:
    settings = f"  new_per_day: {NEW_PER_DAY}\n  reviews_per_day: {REVIEWS_PER_DAY}\n"
    bank = load_bank(write(tmp_path / "cards.yaml", synthetic_bank(CARDS, deck_settings=settings)))
    model = Model()
    answers = {"new": 0, "review": 0, "redrill": 0}
    limited_days = 0
    for day_number in range(1, DAYS + 1):
        if day_number in SKIPPED:
            continue
        today = FIRST_DAY + timedelta(days=day_number - 1)
        set_now(f"{today.isoformat()}T07:30:00")
        reviews, new = model.queue(today)
        limited_days += len(reviews) == REVIEWS_PER_DAY
        session = session_over(bank, fresh_db)
        assert session.counts() == Counts(new=len(new), review=len(reviews), redrill=0), today
        assert reports.due_count(fresh_db, all_banks(fresh_db)) == len(reviews) + len(new)
        waiting: dict[int, int] = {}  # failed today -> answers given since, oldest first
        scheduled = reviews + new
        while scheduled or waiting:
            ready = [n for n, since in waiting.items() if since >= REDRILL_AFTER]
            if ready or not scheduled:  # a re-drill is due back, or nothing else is left
                n, kind = (ready or list(waiting))[0], "redrill"
            else:
                n = scheduled.pop(0)
                kind = "review" if n in reviews else "new"
            card = session.current()
            assert card is not None
            assert (card.item.id, card.kind) == (f"card-{n}", kind)
            assert card.state == model.state[n]
            quality = 4 if kind == "redrill" else grade_for(n, day_number)
            session.grade(card, quality, 2000)
            answers[kind] += 1
            waiting = {m: since + 1 for m, since in waiting.items() if m != n}
            if kind != "redrill":
                model.answer(n, quality, today)
                if quality < 4:
                    waiting[n] = 0
        assert session.current() is None
        assert session.counts().total == 0
        assert reports.due_count(fresh_db, all_banks(fresh_db)) == 0
        stats = session.stats()
        assert stats.reviews_today == len(reviews) + len(new)

    assert limited_days >= 3, "the review limit should bind on some days"
    stored = {item.id: item for item in stored_items.load_items(fresh_db)}
    for n in range(CARDS):
        item = stored[f"card-{n}"]
        assert item.state == model.state[n], n
        assert item.record.due_day == model.due[n], n
    kinds = dict(fresh_db.execute("SELECT kind, count(*) FROM reviews GROUP BY kind").fetchall())
    assert kinds == answers
    assert answers["new"] == CARDS
