"""The `notes` table: what each card shows, so the trainer starts from the database alone.

A review session needs one note at a time, never the whole bank. Keeping every note's fields
(JSON, written by `trainer.store.mirror`) and its citation in the database lets `trainer review`
on an unchanged bank skip reading, parsing and holding the bank: at 100,000 cards that was
0.6 s and 250 MiB before the first card. The rows are a copy of the bank, replaced at every
sync; the bank stays the source of truth.
"""

from __future__ import annotations

import json
import sqlite3
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from trainer.core.keys import ItemKey
from trainer.model import Citation, Note, ReviewItem, expand
from trainer.notetypes import NOTE_CLASSES

if TYPE_CHECKING:
    from trainer.model import Bank


class StoredCard(NamedTuple):
    """A review item rebuilt from the database, with the citation shown under its answer."""

    item: ReviewItem
    citation: str


def _body(note: Note) -> str:
    return json.dumps(vars(note), ensure_ascii=False, separators=(",", ":"))


def note_from_row(kind: str, body: str) -> Note:
    return note_from_fields(kind, json.loads(body))


def note_from_fields(kind: str, stored: dict[str, object]) -> Note:
    """The note from its stored fields (the JSON of `vars(note)`, already decoded)."""
    fields: dict[str, object] = {
        name: tuple(value) if isinstance(value, list) else value for name, value in stored.items()
    }
    return NOTE_CLASSES[kind](**fields)  # type: ignore[arg-type]  # our own JSON of `vars(note)`


def replace_notes(connection: sqlite3.Connection, bank_id: int, bank: Bank) -> None:
    """Store the bank's notes in place of its previous ones (inside the caller's transaction)."""
    connection.execute("DELETE FROM notes WHERE bank_id = ?", (bank_id,))
    connection.executemany(
        "INSERT INTO notes (bank_id, id, type, body, citation, citations)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                bank_id,
                note.id,
                note.type,
                _body(note),
                bank.citation(note),
                json.dumps([[c.text, c.url] for c in bank.citations(note)], ensure_ascii=False),
            )
            for note in bank.notes
        ),
    )


def _citations(citation: str, stored: str | None) -> tuple[Citation, ...]:
    """The note's citations as stored; a row written before they were kept (its bank not read
    since) has the text alone."""
    if stored is None:
        return (Citation(citation),)
    return tuple(Citation(text, url) for text, url in json.loads(stored))


def load_card(connection: sqlite3.Connection, key: ItemKey) -> StoredCard | None:
    """The item as the bank last synced had it; None if its note is no longer there."""
    row = connection.execute(
        "SELECT notes.type, notes.body, notes.citation FROM items JOIN notes"
        " ON notes.bank_id = items.bank_id AND notes.id = items.note_id"
        " WHERE items.bank_id = ? AND items.id = ?",
        key,
    ).fetchone()
    if row is None:
        return None
    kind, body, citation = row
    item = next((item for item in expand(note_from_row(kind, body)) if item.id == key.id), None)
    return StoredCard(item, citation) if item is not None else None


def stored_notes(
    connection: sqlite3.Connection, bank: int
) -> list[tuple[Note, tuple[Citation, ...]]]:
    """The notes of the bank as last synced, with their citations, in bank order (a note's
    place is its first item not retired; a note whose items are all retired is left out).

    Each note's place is one look-up in `idx_items_note`, and the rows are put in order here,
    by reference: sorted by SQLite, every note's body went through a temporary b-tree (which
    spilled to a file at 10,000 notes)."""
    rows = [
        row
        for row in connection.execute(
            "SELECT (SELECT min(bank_order) FROM items INDEXED BY idx_items_note"
            " WHERE items.bank_id = notes.bank_id AND items.note_id = notes.id"
            " AND items.retired = 0), type, body, citation, citations"
            " FROM notes WHERE bank_id = ?",
            (bank,),
        )
        if row[0] is not None
    ]
    rows.sort(key=itemgetter(0))
    return [
        (note_from_row(kind, body), _citations(citation, citations))
        for _, kind, body, citation, citations in rows
    ]
