"""Read (never write) an Anki collection file: the tags its notes carry now."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path

from trainer.errors import TrainerError


def note_tags(path: Path, guids: Collection[str]) -> dict[str, tuple[str, ...]]:
    """Tags by note GUID, for the notes of `guids` the collection at `path` has.

    Opened read-only and immutable: nothing is written beside the file, and no lock is taken.
    Anki must be closed (it writes its latest changes into the file when it closes).
    """
    if not path.is_file():
        raise TrainerError(f"{path}: no Anki collection there (collection.anki2 in your profile)")
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            rows = connection.execute("SELECT guid, tags FROM notes").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise TrainerError(f"{path}: cannot read the Anki collection: {error}") from None
    wanted = set(guids)
    return {guid: tuple(tags.split()) for guid, tags in rows if guid in wanted}
