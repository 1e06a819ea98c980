"""A steady `trainer sync` costs the trainer's database in proportion to the cards, never to
the history: counted, not timed (tests/work_support.py).

Two review databases hold the same bank (500 cards) and differ only in their history (1,000
answers against 50,000); each is synced once into its own fresh Anki collection (which copies
the history), then synced again with nothing new. The second sync's SQLite work on the trainer's
database may differ by at most `MAX_RATIO`: reading the whole log again (as a sync did before
each item's answer seconds were kept) multiplies it by about 50 here. Anki's own reads go
through its Rust backend and are not counted: they are the floor `bench/sync.py` times.

Nor does a steady sync sort or group anything in a temporary b-tree: every note's body went
through one (bank order), which SQLite spilled to a temporary file at 10,000 notes.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from bench import banks
from tests.work_support import counted, temporary_structures, traced
from trainer.bank import load_bank
from trainer.cli import main
from trainer.store.database import open_for_writing
from trainer.store.mirror import mirror_bank

CARDS = 500
SMALL, LARGE = 1_000, 50_000
MAX_RATIO = 1.5


def _synced_once(folder: Path, answers: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The `trainer sync` arguments of a bank with `answers` in its history, synced once."""
    from anki.collection import Collection

    folder.mkdir()
    bank, db = folder / "cards.yaml", folder / "reviews.sqlite3"
    bank.write_text(banks.bank_text(CARDS, seed=7, name="Guard sync"), encoding="utf-8")
    connection = open_for_writing(db)
    try:
        mirror_bank(connection, load_bank(bank))
    finally:
        connection.close()
    banks.write_history(db, answers, seed=7)
    collection = folder / "User 1" / "collection.anki2"
    collection.parent.mkdir()
    Collection(str(collection)).close()
    arguments = ["sync", str(bank), "--collection", str(collection), "--db", str(db)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(arguments) == 0  # the first sync copies the history into Anki
    return arguments


def _steady_work(arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    output = io.StringIO()
    with counted(monkeypatch) as work, contextlib.redirect_stdout(output):
        assert main(arguments) == 0
    assert "nothing to do" in output.getvalue()
    return work.steps


def test_a_steady_sync_does_not_grow_with_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRAINER_NOW", raising=False)  # sync reads the real clock, as Anki does
    small = _synced_once(tmp_path / "small", SMALL, monkeypatch)
    large = _synced_once(tmp_path / "large", LARGE, monkeypatch)
    for arguments in (small, large):  # the sync after the first reads the log once, by design
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(arguments) == 0
    small_steps = _steady_work(small, monkeypatch)
    large_steps = _steady_work(large, monkeypatch)
    assert 0 < large_steps <= MAX_RATIO * small_steps, (small_steps, large_steps)


def test_a_steady_sync_builds_no_temporary_b_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRAINER_NOW", raising=False)
    arguments = _synced_once(tmp_path / "bank", SMALL, monkeypatch)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(arguments) == 0  # the sync after the first reads the log once, by design
    output = io.StringIO()
    with traced(monkeypatch) as statements, contextlib.redirect_stdout(output):
        assert main(arguments) == 0
    assert "nothing to do" in output.getvalue()
    assert any("body" in sql for sql in statements)  # the notes of the unchanged bank were read
    temporary = temporary_structures(arguments[-1], statements)
    assert not temporary, temporary
