"""Write the `.apkg`: genanki's collection, with every time and id taken from the manifest.

genanki stamps all notes, cards, note types and decks with one build time and writes the zip
with the wall-clock time. Here each note carries its own modification time (`StampedNote`),
note types and the deck get theirs from the manifest, the collection row's times come from
it too, and the zip entries have fixed dates and order: the same bank and manifest give a
byte-identical package.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from trainer.anki import models
from trainer.anki.notes import RenderedNote, text_to_html
from trainer.anki.stamps import Manifest
from trainer.errors import TrainerError
from trainer.files import (
    TEMPORARY_SUFFIX,
    regular_target,
    remove_leftovers,
    replace_atomically,
    temporary_prefix,
)
from trainer.model import Deck

COLLECTION_ENTRY = "collection.anki2"
IDENTITY_KEY = "trainerIdentity"
"""The bank's identity, in the package collection's configuration (which Anki does not
import), so a lost manifest can be rebuilt from the package with the right GUIDs."""
MEDIA_ENTRY = "media"
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
"""The earliest date a zip entry can carry."""
ZIP_LATEST = datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)
"""The latest (the year is 7 bits from 1980, seconds are even)."""
UNIX_FILE_MODE = 0o100644
DECK_ID_RANGE = (1 << 30, 1 << 31)
"""Where genanki suggests deck ids come from; far from Anki's own (1 and timestamps)."""


def deck_id(identity: str) -> int:
    """Stable for a bank's identity (`Deck.identity`: its name unless it has an `id`)."""
    low, high = DECK_ID_RANGE
    digest = hashlib.sha256(identity.encode()).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low)


class StampedNote(genanki.Note):
    """A genanki note with its own id and modification time instead of the build's.

    Its cards get their ids from the shared `card_ids` counter and the note's time too.
    """

    def __init__(self, *, note_id: int, mtime: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.note_id = note_id
        self.mtime = mtime

    def write_to_db(
        self, cursor: sqlite3.Cursor, timestamp: float, deck_id: int, id_gen: Iterator[int]
    ) -> None:
        # genanki takes the note id, then its card ids, from id_gen; the note's id is fixed.
        super().write_to_db(cursor, self.mtime, deck_id, itertools.chain((self.note_id,), id_gen))


def _genanki_notes(
    rendered: Sequence[RenderedNote], manifest: Manifest, note_types: Mapping[str, genanki.Model]
) -> Iterator[StampedNote]:
    for position, note in enumerate(rendered, start=1):
        stamp = manifest.notes[note.id]
        yield StampedNote(
            note_id=stamp.nid,
            mtime=stamp.mtime,
            model=note_types[note.kind],
            fields=list(note.fields),
            tags=list(note.tags),
            guid=stamp.guid,
            due=position,  # new cards come up in bank order
        )


def _update_json_column(cursor: sqlite3.Cursor, column: str, entries: dict[str, Any]) -> None:
    (text,) = cursor.execute(f"SELECT {column} FROM col").fetchone()
    merged = json.loads(text) | entries
    cursor.execute(f"UPDATE col SET {column} = ?", (json.dumps(merged),))


def _write_collection(
    cursor: sqlite3.Cursor,
    deck: Deck,
    rendered: Sequence[RenderedNote],
    manifest: Manifest,
    on_note: Callable[[], None],
) -> None:
    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    did = deck_id(deck.identity)
    anki_deck = genanki.Deck(did, deck.name, text_to_html(deck.description or ""))
    _update_json_column(
        cursor, "decks", {str(did): anki_deck.to_json() | {"mod": manifest.deck.mtime}}
    )
    _update_json_column(cursor, "conf", {IDENTITY_KEY: deck.identity})
    note_types = {
        kind: models.genanki_model(note_type) for kind, note_type in models.MODELS.items()
    }
    _update_json_column(
        cursor,
        "models",
        {
            str(model.model_id): model.to_json(manifest.models[str(model.model_id)].mtime, did)
            for model in note_types.values()
        },
    )
    card_ids = itertools.count(manifest.created * 1000)
    for note in _genanki_notes(rendered, manifest, note_types):
        note.write_to_db(cursor, note.mtime, did, card_ids)
        on_note()
    cursor.execute(
        "UPDATE col SET crt = ?, mod = ?, scm = ?",
        (manifest.created, manifest.modified * 1000, manifest.created * 1000),
    )


def _zip_entry(name: str, modified: int) -> zipfile.ZipInfo:
    seconds = min(max(modified, int(ZIP_EPOCH.timestamp())), int(ZIP_LATEST.timestamp()))
    moment = datetime.fromtimestamp(seconds, UTC)
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever the building machine
    info.external_attr = UNIX_FILE_MODE << 16
    return info


def _write_zip(target: IO[bytes], collection: bytes, modified: int) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(_zip_entry(COLLECTION_ENTRY, modified), collection)
        archive.writestr(_zip_entry(MEDIA_ENTRY, modified), "{}")


def collection_bytes(
    deck: Deck,
    rendered: Sequence[RenderedNote],
    manifest: Manifest,
    on_note: Callable[[], None] = lambda: None,
    *,
    beside: Path,
) -> bytes:
    """The package's SQLite collection, built in a scratch directory beside the package
    `beside`, named so that the next build removes it if this one is killed."""
    with tempfile.TemporaryDirectory(
        dir=beside.parent, prefix=temporary_prefix(beside), suffix=TEMPORARY_SUFFIX
    ) as directory:
        path = Path(directory) / COLLECTION_ENTRY
        connection = sqlite3.connect(path)
        try:
            _write_collection(connection.cursor(), deck, rendered, manifest, on_note)
            connection.commit()
        finally:
            connection.close()
        return path.read_bytes()


def write_package(
    path: Path,
    deck: Deck,
    rendered: Sequence[RenderedNote],
    manifest: Manifest,
    on_note: Callable[[], None] = lambda: None,
) -> None:
    """Write the package to `path` atomically; `on_note` is called after each note."""
    path = regular_target(path)
    try:
        remove_leftovers(path)
        collection = collection_bytes(deck, rendered, manifest, on_note, beside=path)
    except (OSError, sqlite3.Error) as error:
        detail = error.strerror if isinstance(error, OSError) else None
        raise TrainerError(f"cannot write {path}: {detail or error}") from None
    replace_atomically(path, lambda target: _write_zip(target, collection, manifest.modified))
