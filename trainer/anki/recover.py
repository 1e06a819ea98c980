"""A lost build manifest, rebuilt from the package the last build wrote.

Everything the manifest keeps is also in the package: each note's GUID, Anki id, note type,
fields, tags and modification time, the note types' and the deck's times, and the collection's
creation time. So when the manifest is gone but the package is still there, notes whose
content is unchanged keep their times and Anki leaves them (and the user's edits) alone.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from trainer.anki import PACKAGE_SUFFIX, manifest, models
from trainer.anki.manifest import SUFFIX, note_guid
from trainer.anki.notes import RenderedNote, text_to_html
from trainer.anki.package import COLLECTION_ENTRY, IDENTITY_KEY, deck_id
from trainer.anki.stamps import Manifest, NoteStamp, Retired, Stamp
from trainer.model import Deck, slugify

FIELD_SEPARATOR = "\x1f"
ANKI_DEFAULT_DECK = "1"
"""Every collection has Anki's Default deck; a package of ours has one deck besides."""


MAX_COLLECTION_BYTES = 1 << 30
"""The largest collection read back from a package, far above what a bank's build writes; a
package that says its collection is larger is not one to trust (a zip bomb)."""
DAMAGE = (
    OSError,
    zipfile.BadZipFile,
    KeyError,
    sqlite3.Error,
    TypeError,
    ValueError,
    AttributeError,
    OverflowError,
    RecursionError,
    NotImplementedError,  # zipfile: a compression method it does not know
    EOFError,
)
"""What damage in a package can raise while it is read back: all mean "not one of ours"."""


def _collection(package: Path) -> sqlite3.Connection | None:
    """The package's collection, or None for anything else (a FIFO is never opened; an entry
    larger than MAX_COLLECTION_BYTES is never read: zipfile stops at the size it declares)."""
    if not package.is_file():
        return None
    try:
        with zipfile.ZipFile(package) as archive:
            if archive.getinfo(COLLECTION_ENTRY).file_size > MAX_COLLECTION_BYTES:
                return None
            data = archive.read(COLLECTION_ENTRY)
        connection = sqlite3.connect(":memory:")
        connection.deserialize(data)
    except DAMAGE:
        return None
    return connection


def _guids(identity: str, rendered: Sequence[RenderedNote]) -> dict[str, str]:
    """Card id by every GUID a build could have given the bank's notes."""
    guids = {note_guid(identity, note.id): note.id for note in rendered}
    for note in rendered:
        for kind in models.MODELS:
            guids[note_guid(identity, note.id, kind)] = note.id
    return guids


def _notes(
    connection: sqlite3.Connection, identity: str, rendered: Sequence[RenderedNote]
) -> Iterator[tuple[str | None, NoteStamp]]:
    """(card id or None if the bank no longer has it, stamp) for each of our package notes."""
    guids = _guids(identity, rendered)
    bank_tags = {note.id: note.tags for note in rendered}
    rows = connection.execute("SELECT id, guid, mid, mod, flds, tags FROM notes ORDER BY id")
    for nid, guid, mid, mod, fields, tags in rows:
        kind = models.KINDS.get(mid)
        if kind is None:
            continue
        card_id = guids.get(guid)
        stored = RenderedNote(
            card_id or "", kind, tuple(fields.split(FIELD_SEPARATOR)), tuple(tags.split())
        )
        # The bank's tags then are unknown if the package also carried the user's (built with
        # --collection): count as the bank's only those it still gives, so none is dropped.
        owned = tuple(tag for tag in stored.tags if tag in bank_tags.get(card_id or "", ()))
        yield card_id, NoteStamp(stored.content_hash, mod, nid, kind, guid, owned)


def _deck_stamp(decks: dict[str, Any], deck: Deck, identity: str, deck_hash: str) -> Stamp:
    stored = decks.get(str(deck_id(identity)), {})
    same = (stored.get("name"), stored.get("desc")) == (
        deck.name,
        text_to_html(deck.description or ""),
    )
    return Stamp(deck_hash if same else "", int(stored.get("mod", 0)))


def _built_as(conf: dict[str, Any], decks: dict[str, Any]) -> tuple[str, str] | None:
    """(identity, deck name) of the build that wrote a package: the identity it recorded, or
    (packages written before it did) its deck's name, which was the identity then."""
    ours = [entry for key, entry in decks.items() if key != ANKI_DEFAULT_DECK]
    if len(ours) != 1:
        return None
    name = str(ours[0]["name"])
    return str(conf.get(IDENTITY_KEY, name)), name


def from_package(
    package: Path, deck: Deck, deck_hash: str, rendered: Sequence[RenderedNote], bank: str
) -> Manifest | None:
    """The manifest the build of `package` left, or None if it is not one of ours.

    Its identity is the bank's `deck.id` if it has one, else the one the package was built
    with: a deck renamed since keeps its notes.
    """
    connection = _collection(package)
    if connection is None:
        return None
    try:
        recovered = _manifest(connection, deck, deck_hash, rendered, bank)
        valid = recovered is not None and manifest.is_valid(recovered)
    except DAMAGE:  # any damage: "cannot rebuild the manifest from the package"
        return None
    finally:
        connection.close()
    return recovered if valid else None


def _manifest(
    connection: sqlite3.Connection,
    deck: Deck,
    deck_hash: str,
    rendered: Sequence[RenderedNote],
    bank: str,
) -> Manifest | None:
    created, conf_text, models_text, decks_text = connection.execute(
        "SELECT crt, conf, models, decks FROM col"
    ).fetchone()
    decks = json.loads(decks_text)
    built = _built_as(json.loads(conf_text), decks)
    if built is None:
        return None
    identity = deck.id or built[0]
    found = list(_notes(connection, identity, rendered))
    notes = {card_id: stamp for card_id, stamp in found if card_id is not None}
    if not notes:
        return None
    order = {note.id: position for position, note in enumerate(rendered)}
    return Manifest(
        created=int(created),
        deck=_deck_stamp(decks, deck, identity, deck_hash),
        models={
            key: Stamp(models.json_fingerprint(value), int(value["mod"]))
            for key, value in json.loads(models_text).items()
            if int(key) in models.KINDS
        },
        notes=dict(sorted(notes.items(), key=lambda entry: order[entry[0]])),
        identity=identity,
        name=built[1],
        bank=bank,
        retired=tuple(
            Retired("", stamp.kind, stamp.guid, stamp.nid)
            for card_id, stamp in found
            if card_id is None
        ),
    )


def legacy_name(manifest_path: Path) -> str | None:
    """The deck name a legacy manifest (which did not record it) was built for: the one in
    the package built beside it."""
    stem = manifest_path.name.removesuffix(SUFFIX)
    connection = _collection(manifest_path.with_name(stem + PACKAGE_SUFFIX))
    if connection is None:
        return None
    try:
        (decks_text,) = connection.execute("SELECT decks FROM col").fetchone()
        names = [str(deck["name"]) for deck in json.loads(decks_text).values()]
    except DAMAGE:
        return None
    finally:
        connection.close()
    return next((name for name in names if slugify(name) == stem), None)
