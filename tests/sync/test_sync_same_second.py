"""Two answers to one card in the same second, one on the phone (Anki's log, whose ids are
milliseconds) and one in the trainer: two answers, each kept once on both sides, and the next
sync has nothing to do. The merge once matched answers by their Unix second and took them as
one."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.sync.test_sync_anki import (
    _key,
    answer_in_anki,
    card_ids,
    grade_in_trainer,
    items_by_card,
    stored_content,
    sync,
)
from trainer.store.paths import database_path

PHONE_MS = 500
"""Where in the trainer's second the phone's answer lands (the trainer's clock has whole
seconds: its answer is at millisecond 0)."""


def _trainer_seconds(item_id: str) -> list[int]:
    with closing(sqlite3.connect(database_path())) as db:
        rows = db.execute(
            "SELECT unix_time FROM reviews WHERE item_id = ? ORDER BY unix_time", (item_id,)
        )
        return [second for (second,) in rows]


def _anki_ids(collection: Path, card_id: int) -> list[int]:
    with closing(sqlite3.connect(collection)) as db:
        rows = db.execute("SELECT id FROM revlog WHERE cid = ? ORDER BY id", (card_id,))
        return [revlog_id for (revlog_id,) in rows]


def test_a_phone_answer_in_the_trainer_answers_second_is_a_second_answer(
    bank: Path,
    collection_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert sync(bank, collection_path) == 0
    (item_id,) = grade_in_trainer(bank, [4])
    (second,) = _trainer_seconds(item_id)
    card_of = {item: key for key, item in items_by_card(bank).items()}
    col = Collection(str(collection_path))
    try:
        (card_id,) = [c for c in card_ids(col) if _key(col, c) == card_of[item_id]]
        answer_in_anki(col, card_id, 3)
        assert col.db is not None
        col.db.execute("UPDATE revlog SET id = ? WHERE cid = ?", second * 1000 + PHONE_MS, card_id)
    finally:
        col.close()
    assert _anki_ids(collection_path, card_id) == [second * 1000 + PHONE_MS]
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    out = capsys.readouterr().out
    assert "reviews to copy from Anki: 1" in out
    assert "reviews to copy to Anki: 1" in out
    assert _trainer_seconds(item_id) == [second, second]
    in_anki = _anki_ids(collection_path, card_id)
    assert len(in_anki) == 2 and {i // 1000 for i in in_anki} == {second}
    before = stored_content(collection_path)
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert stored_content(collection_path) == before
    assert _trainer_seconds(item_id) == [second, second]


def test_answers_logged_before_milliseconds_are_found_by_their_second_once(
    bank: Path,
    collection_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An answer logged before the log kept milliseconds (m019 leaves them NULL), whose copy
    an older sync put at another millisecond of its second, is that copy: nothing is copied
    again, and the copy's millisecond is recorded, so the sync after compares it as it is."""
    assert sync(bank, collection_path) == 0
    (item_id,) = grade_in_trainer(bank, [4])
    assert sync(bank, collection_path) == 0
    (second,) = _trainer_seconds(item_id)
    with closing(sqlite3.connect(collection_path)) as db, db:
        db.execute("UPDATE revlog SET id = id + 3 WHERE id = ?", (second * 1000,))
    with closing(sqlite3.connect(database_path())) as db, db:
        db.execute("UPDATE reviews SET unix_ms = NULL")
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
    with closing(sqlite3.connect(database_path())) as db:
        assert db.execute("SELECT unix_ms FROM reviews").fetchall() == [(second * 1000 + 3,)]
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert _trainer_seconds(item_id) == [second]


def test_an_undone_answer_takes_out_its_copy_not_a_phone_answer_in_its_second(
    bank: Path,
    collection_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The trainer's answer is copied into Anki, the phone answers the same card in the same
    second (not yet sent to AnkiWeb), then the trainer's answer is undone: the sync takes out
    the copy (its millisecond is the answer's) and keeps the phone's answer, copied in."""
    from trainer.session import open_session

    assert sync(bank, collection_path) == 0
    (item_id,) = grade_in_trainer(bank, [4])
    (second,) = _trainer_seconds(item_id)
    assert sync(bank, collection_path) == 0  # the copy, at the answer's millisecond
    card_of = {item: key for key, item in items_by_card(bank).items()}
    col = Collection(str(collection_path))
    try:
        (card_id,) = [c for c in card_ids(col) if _key(col, c) == card_of[item_id]]
        (copy,) = _anki_ids(collection_path, card_id)
        answer_in_anki(col, card_id, 3)
        assert col.db is not None
        col.db.execute(
            "UPDATE revlog SET id = ? WHERE cid = ? AND id != ?",
            second * 1000 + PHONE_MS,
            card_id,
            copy,
        )
    finally:
        col.close()
    assert _anki_ids(collection_path, card_id) == [copy, second * 1000 + PHONE_MS]
    with open_session(bank) as session:
        assert session.undo() is not None
    assert _trainer_seconds(item_id) == []
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    out = capsys.readouterr().out
    assert "reviews undone in the trainer to take out of Anki: 1" in out
    assert "reviews to copy from Anki: 1" in out
    assert _anki_ids(collection_path, card_id) == [second * 1000 + PHONE_MS]
    assert _trainer_seconds(item_id) == [second]
    before = stored_content(collection_path)
    assert sync(bank, collection_path) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert stored_content(collection_path) == before
