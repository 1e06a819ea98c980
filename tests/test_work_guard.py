"""The hot paths cost in proportion to the day's work, never to the history: counted, not timed.

Two review databases hold the same three banks (1,000 cards each) and differ only in their
history: 2,000 answers per bank against 200,000 (100 times more, 600,000 in all, over a year).
Each hot path runs on both with the same clock, the day after the history ends, and the same
answers given today; its SQLite virtual-machine steps (tests/work_support.py) may differ by at
most `MAX_RATIO`. A query that walks a bank's whole log for today's answers (m013's index once
made `day_log` do that: 45x slower at a million answers, and nothing noticed) multiplies its
steps by about 100 here and fails, on any machine, loaded or not.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench import banks
from tests.work_support import Work, counted, temporary_structures, traced
from trainer.bank import load_bank
from trainer.cli import main
from trainer.session import Session, open_session
from trainer.store.database import open_for_writing
from trainer.store.mirror import mirror_bank

BANKS, CARDS = 3, 1_000
SMALL, LARGE = 2_000, 200_000
"""Answers per bank in the two histories."""
TODAY = "2026-03-02T09:00:00"
"""The day after the generated histories end (bench.banks.NOW): nothing answered yet."""
MAX_RATIO = 1.5
"""How much more work the large history may cost. The paths' real difference is a few
percent (a deeper index); a scan of the history costs about 100 times more."""
GRADES = 10


@dataclass(frozen=True)
class Library:
    banks: tuple[Path, ...]
    db: Path


def _library(folder: Path, answers: int) -> Library:
    folder.mkdir()
    paths = []
    for number in range(1, BANKS + 1):
        bank = folder / f"bank-{number}.yaml"
        name = f"Guard bank {number}"
        bank.write_text(banks.bank_text(CARDS, seed=number, name=name), encoding="utf-8")
        connection = open_for_writing(folder / "reviews.sqlite3")
        try:
            bank_id = mirror_bank(connection, load_bank(bank))
        finally:
            connection.close()
        banks.write_history(folder / "reviews.sqlite3", answers, seed=number, bank_id=bank_id)
        paths.append(bank)
    return Library(tuple(paths), folder / "reviews.sqlite3")


@pytest.fixture(scope="session")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Library]:
    root = tmp_path_factory.mktemp("work-guard")
    return {"small": _library(root / "small", SMALL), "large": _library(root / "large", LARGE)}


def _cli(*argv: str) -> Callable[[Library], None]:
    def run(library: Library) -> None:
        arguments = [str(library.banks[0]) if argument == "BANK" else argument for argument in argv]
        with contextlib.redirect_stdout(io.StringIO()):
            assert main([*arguments, "--db", str(library.db)]) == 0

    return run


def _answered(session: Session, count: int) -> None:
    for _ in range(count):
        card = session.current()
        assert card is not None
        session.grade(card, 4 if card.item.id[-1] in "02468" else 2, 3_000)


def _review_opened(library: Library) -> None:
    """What `trainer review` reads before the first card is on screen."""
    with open_session(None, library.db) as session:
        card = session.current()
        session.counts()
        session.header(card)
        session.answered_today()


def _graded(library: Library, work: Work) -> None:
    """A grade and the next card, counted from the second answer of the day on."""
    with open_session(None, library.db) as session:
        _answered(session, 1)
        work.by_statement.clear()
        for _ in range(GRADES):
            card = session.current()
            assert card is not None
            session.grade(card, 2, 3_000)
            session.current()
            session.counts()
            session.answered_today()


def _undone_and_quit(library: Library) -> None:
    with open_session(None, library.db) as session:
        session.undo()
        session.summary()
        session.next_due()


def _crammed(library: Library) -> None:
    with open_session(None, library.db, tag="cyber") as session:
        _answered(session, 3)
        session.counts()


def _one_card(library: Library) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["cards", "--db", str(library.db), "--json", "--search", "card-000007"])
    assert code == 0


PATHS: dict[str, Callable[..., None]] = {
    "due": _cli("due"),
    "due BANK": _cli("due", "BANK"),
    "stats --json": _cli("stats", "--json"),
    "stats BANK": _cli("stats", "BANK"),
    "cards": _cli("cards"),
    "cards --json --search ONE": _one_card,
    "review: first card": _review_opened,
    "review: grade + next card": _graded,
    "review: undo, summary": _undone_and_quit,
    "review --tag (cram)": _crammed,
}


def _work(library: Library, path: str, monkeypatch: pytest.MonkeyPatch, set_now: Callable) -> Work:
    set_now(TODAY)
    # The day's first writing open checks every page and backs the file up: once a day, by
    # design (trainer.store.database.open_for_writing), so it is done before counting.
    open_for_writing(library.db).close()
    with counted(monkeypatch) as work:
        run = PATHS[path]
        if run is _graded:
            run(library, work)
        else:
            run(library)
    return work


@pytest.mark.parametrize("path", list(PATHS))
def test_work_does_not_grow_with_the_history(
    path: str,
    libraries: dict[str, Library],
    monkeypatch: pytest.MonkeyPatch,
    set_now: Callable,
) -> None:
    small = _work(libraries["small"], path, monkeypatch, set_now)
    large = _work(libraries["large"], path, monkeypatch, set_now)
    assert small.steps > 0
    assert large.steps <= MAX_RATIO * small.steps, (
        f"{path}: {large.steps:,} steps with {LARGE:,} answers per bank against "
        f"{small.steps:,} with {SMALL:,}; heaviest: {large.heaviest()}"
    )


def test_the_guard_sees_a_scan_of_the_history(
    libraries: dict[str, Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count itself: reading the whole log costs ~100 times more on the large history."""

    def scanned(library: Library) -> int:
        import sqlite3

        with counted(monkeypatch) as work:
            connection = sqlite3.connect(library.db)
            connection.execute("SELECT count(*) FROM reviews WHERE grade >= 0").fetchone()
            connection.close()
        return work.steps

    assert scanned(libraries["large"]) > 50 * scanned(libraries["small"])


@pytest.fixture(scope="module")
def plan_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The banks with the small history, for the plans alone (their size does not change
    them: the database keeps no statistics); a library of their own, so that the answers given
    here change nothing the counts above compare."""
    return _library(tmp_path_factory.mktemp("work-plans") / "library", SMALL)


def test_no_hot_path_sorts_note_bodies_in_a_temporary_b_tree(
    plan_library: Library, monkeypatch: pytest.MonkeyPatch, set_now: Callable
) -> None:
    """A query that reads note bodies and sorts or groups them builds a temporary b-tree
    holding every body, which SQLite spills to a file once it outgrows the cache (the sync's
    notes in bank order did that at 10,000 notes); the hot paths read a body by its key."""
    set_now(TODAY)
    open_for_writing(plan_library.db).close()
    with traced(monkeypatch) as statements:
        for run in PATHS.values():
            if run is _graded:
                run(plan_library, Work())
            else:
                run(plan_library)
    bodies = [sql for sql in statements if "body" in sql]
    assert bodies  # the review paths show cards: their text is read
    assert not temporary_structures(plan_library.db, bodies)
