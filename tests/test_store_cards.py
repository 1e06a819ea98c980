"""The stored card text: review starts from the database alone and never shows stale text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.store_support import SMALL_BANK, SMALL_BANK_ITEMS, write
from trainer.bank import load_bank
from trainer.errors import BankError
from trainer.session import open_session
from trainer.store.banks import all_banks
from trainer.store.cards import load_card
from trainer.store.database import open_for_writing
from trainer.store.items import ItemKey
from trainer.store.mirror import mirror_bank
from trainer.store.schema import migrations


def test_every_item_comes_back_from_the_database_as_the_bank_has_it(
    fresh_db: sqlite3.Connection, small_bank
) -> None:
    bank_id = mirror_bank(fresh_db, small_bank)
    for item in small_bank.items:
        stored = load_card(fresh_db, ItemKey(bank_id, item.id))
        assert stored is not None
        assert stored.item == item  # same note fields (tuples included), same ordinal
        assert stored.citation == small_bank.citation(item.note)
    assert [bank.name for bank in all_banks(fresh_db)] == ["Small Deck"]


def test_a_removed_note_is_no_longer_stored(
    fresh_db: sqlite3.Connection, small_bank_path: Path
) -> None:
    bank_id = mirror_bank(fresh_db, load_bank(small_bank_path))
    without_venue = SMALL_BANK[: SMALL_BANK.index("  - id: venue")]
    assert mirror_bank(fresh_db, load_bank(write(small_bank_path, without_venue))) == bank_id
    assert load_card(fresh_db, ItemKey(bank_id, "venue")) is None
    assert load_card(fresh_db, ItemKey(bank_id, "doval:reverse")) is not None


def test_review_on_an_unchanged_bank_does_not_read_it(
    tmp_path: Path, small_bank_path: Path, set_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the bank's bytes, to parse or to digest them, fails: whatever path the code took
    to read it would fail. (Replacing the bytes while keeping size and mtime no longer works as
    a trap: the ctime gives such an edit away, as it should.)"""
    db = tmp_path / "reviews.sqlite3"
    with open_session(small_bank_path, db) as session:
        first = session.current()

    def refuse(*_: object) -> None:
        raise AssertionError("the bank was read")

    monkeypatch.setattr("trainer.bank.read_file", refuse)
    monkeypatch.setattr("trainer.bankfile.BankFile.digest_of", refuse)
    with pytest.raises(AssertionError):
        load_bank(small_bank_path)
    with open_session(small_bank_path, db) as session:
        assert session.current() == first
        assert session.deck_name == "Small Deck"


def test_an_edited_bank_is_read_and_its_new_text_shown(
    tmp_path: Path, small_bank_path: Path, set_now
) -> None:
    db = tmp_path / "reviews.sqlite3"
    open_session(small_bank_path, db).close()
    write(small_bank_path, SMALL_BANK.replace("When were the talks held?", "Talks held when?"))
    with open_session(small_bank_path, db) as session:
        card = session.current()
        assert card is not None and card.item.note.prompt == "Talks held when?"


def test_an_invalid_bank_fails_before_the_database_is_created(
    tmp_path: Path, small_bank_path: Path
) -> None:
    write(small_bank_path, SMALL_BANK.replace("type: mcq", "type: quiz"))
    db = tmp_path / "reviews.sqlite3"
    with pytest.raises(BankError):
        open_session(small_bank_path, db)
    assert not db.exists()


def test_a_version_4_database_fills_the_card_text_at_its_next_open(
    tmp_path: Path, small_bank, set_now
) -> None:
    """m005 forgets the bank's fingerprint, so the first open after the upgrade syncs."""
    db = tmp_path / "reviews.sqlite3"
    connection = sqlite3.connect(db, isolation_level=None)
    migrations.apply(Database(connection), stop_before="m005_note_content")
    connection.execute("PRAGMA user_version = 4")
    sync_without_notes = {"key": "bank_digest", "value": "synced by version 4"}
    Database(connection)["meta"].insert(sync_without_notes)
    connection.close()
    with open_session(small_bank.path, db) as session:
        card = session.current()
        assert card is not None and card.item.id == SMALL_BANK_ITEMS[0]
        assert card.citation.startswith("The Hindu")


def test_a_bank_synced_by_another_command_mid_session_is_shown_as_synced(
    tmp_path: Path, small_bank_path: Path, set_now
) -> None:
    """`trainer due` in another terminal syncs an edited bank while the trainer is open."""
    db = tmp_path / "reviews.sqlite3"
    with open_session(small_bank_path, db) as session:
        first = session.current()
        assert first is not None and first.item.id == "talks-date"
        edited = SMALL_BANK.replace("  - id: talks-date", "  - id: talks-day", 1)
        other = open_for_writing(db)
        mirror_bank(other, load_bank(write(small_bank_path, edited)))
        other.close()
        card = session.current()  # the queued talks-date is retired now: not an error
        assert card is not None and card.item.id == "talks-day"


def test_the_sync_reads_the_notes_in_bank_order_by_their_first_item_not_retired(
    fresh_db: sqlite3.Connection, small_bank
) -> None:
    """`stored_notes` (what `trainer sync` reads of an unchanged bank): a note's place is its
    first item not retired, a note whose items are all retired is left out; `known_note_ids`
    keeps every note the bank has had an item of."""
    from trainer.store.cards import stored_notes
    from trainer.store.merge import known_note_ids

    bank_id = mirror_bank(fresh_db, small_bank)
    for item_id, order, retired in (
        ("talks-date", 7, 0),  # after every other note's first item
        ("doval", 1, 1),  # retired: the note's place is its reverse's
        ("doval:reverse", 2, 0),
        ("four-areas:c1", 0, 1),  # retired: would have put the cloze first
        ("four-areas:c2", 4, 0),
        ("venue", 5, 1),  # its note's only item: the note is left out
    ):
        fresh_db.execute(
            "UPDATE items SET bank_order = ?, retired = ? WHERE bank_id = ? AND id = ?",
            (order, retired, bank_id, item_id),
        )
    notes = {note.id: note for note in small_bank.notes}
    stored = stored_notes(fresh_db, bank_id)
    assert [note.id for note, _ in stored] == ["doval", "four-areas", "talks-date"]
    assert all(note == notes[note.id] for note, _ in stored)
    assert [citations for _, citations in stored] == [
        small_bank.citations(note) for note, _ in stored
    ]
    assert sorted(known_note_ids(fresh_db, bank_id)) == sorted(notes)
