"""One build: find the manifest, render the bank, stamp the manifest, write the package, then
the manifest."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trainer.anki import manifest, models
from trainer.anki.collection_tags import note_tags
from trainer.anki.notes import RenderedNote, render_bank, user_tags
from trainer.anki.package import write_package
from trainer.anki.recover import from_package, legacy_name
from trainer.anki.stamps import Changes, Manifest, NoteInput
from trainer.errors import TrainerError
from trainer.files import check_directory, replace_atomically
from trainer.model import Bank, Deck, slugify


@dataclass(frozen=True)
class BuildResult:
    manifest: Manifest
    changes: Changes
    unmanifested_package: bool = False
    """A first build over an existing package: its manifest was lost, or it is not ours."""
    kept_tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The user's own tags read from their Anki collection, by bank card id."""
    recovered: bool = False
    """The manifest was missing and has been rebuilt from the previous package."""
    renamed_from: str | None = None
    """The deck name the recovered package was built with, if the deck has been renamed since
    (its identity kept)."""

    @property
    def model_names(self) -> dict[str, str]:
        return {str(model.model_id): model.name for model in models.MODELS.values()}


@dataclass(frozen=True)
class Located:
    """Where a bank's manifest is, and the identity its build uses."""

    path: Path
    bank: Bank
    """The bank, with `deck.id` set to the earlier identity if its deck was renamed."""
    renamed_from: str | None = None
    """The earlier deck name, if the rename is new since the last build."""


def manifest_path(bank: Bank, directory: Path) -> Path:
    """`<directory>/<identity-slug>.lock.json`: a bank keeps its manifest when renamed."""
    return directory / f"{slugify(bank.deck.identity)}{manifest.SUFFIX}"


def _owners(directory: Path) -> Iterator[manifest.Owner]:
    """The owners of the manifests in `directory`, legacy ones named after their package."""
    for candidate in sorted(directory.glob(f"*{manifest.SUFFIX}")):
        found = manifest.owner(candidate)
        if found is not None and not found.identity:
            name = legacy_name(candidate)
            found = None if name is None else dataclasses.replace(found, identity=name, name=name)
        if found is not None:
            yield found


def _belongs(found: manifest.Owner, bank: Bank) -> bool:
    """A manifest is the bank's if it records the bank's file name, or (legacy manifests
    record none) if most of its notes are the bank's."""
    if found.bank:
        return found.bank == bank.path.name
    ids = {note.id for note in bank.notes}
    return 2 * len(found.notes & ids) > len(found.notes)


def locate(bank: Bank, directory: Path) -> Located:
    """The bank's manifest in `directory`, following a rename of a deck without `deck.id`.

    A renamed deck's manifest is the one recording the same bank file (and another name).
    The build then keeps that manifest's identity, so every note keeps its Anki GUID.
    """
    path = manifest_path(bank, directory)
    if bank.deck.id is not None:
        return Located(path if path.exists() else _built_with_id(bank, directory, path), bank)
    if path.exists():
        found = manifest.owner(path)
        if found is None or found.identity in ("", bank.deck.identity):
            return Located(path, bank)
        return _keep_identity(bank, found)
    owners = [
        found
        for found in _owners(directory)
        if found.identity != bank.deck.identity and _belongs(found, bank)
    ]
    if not owners:
        return Located(path, bank)
    if len(owners) > 1:
        names = ", ".join(str(found.path) for found in owners)
        raise TrainerError(
            f"{bank.path}: the deck was renamed, and several build manifests belong to this "
            f"bank ({names}); add 'id: <the old name>' under 'deck:' to say which deck it is"
        )
    return _keep_identity(bank, owners[0])


def _built_with_id(bank: Bank, directory: Path, default: Path) -> Path:
    """The manifest of a bank with `deck.id` kept under another name (a rename recorded
    before the id was written), else `default`. An id that differs from the identity the
    bank was built with would give every note a new GUID, so a duplicate of each in Anki:
    that is refused, saying how to go on."""
    for found in _owners(directory):
        if not _belongs(found, bank):
            continue
        if found.identity == bank.deck.identity:
            return found.path
        raise TrainerError(
            f"{bank.path}: deck 'id: {bank.deck.id}' is not the identity this bank was "
            f"built with ({found.identity!r}, in {found.path}): every note would be new "
            f"in Anki. Write 'id: {found.identity}' to keep them, or delete {found.path} "
            "to start a new deck"
        )
    return default


def _with_identity(bank: Bank, identity: str) -> Bank:
    return dataclasses.replace(bank, deck=dataclasses.replace(bank.deck, id=identity))


def _keep_identity(bank: Bank, found: manifest.Owner) -> Located:
    """The bank built with the identity its manifest remembers."""
    renamed_from = found.name if found.name != bank.deck.name else None
    return Located(found.path, _with_identity(bank, found.identity), renamed_from)


def deck_hash(deck: Deck) -> str:
    payload = json.dumps([deck.name, deck.description or ""], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _with_user_tags(
    rendered: Sequence[RenderedNote],
    previous: Manifest | None,
    current: Manifest,
    collection: Path,
) -> tuple[tuple[RenderedNote, ...], dict[str, tuple[str, ...]]]:
    """The notes with the tags the user gave them in Anki added, and those tags by card id.

    A note whose type changed is a new note in Anki: it takes the user's tags from the old one.
    """
    earlier = previous.notes if previous else {}
    guids = [stamp.guid for stamp in (*current.notes.values(), *earlier.values())]
    in_anki = note_tags(collection, guids)
    kept: dict[str, tuple[str, ...]] = {}
    for note in rendered:
        old = earlier.get(note.id)
        tags = in_anki.get(current.notes[note.id].guid) or (
            in_anki.get(old.guid, ()) if old else ()
        )
        own = user_tags(tags, note.tags, old.tags if old else ())
        if own:
            kept[note.id] = own
    notes = tuple(
        dataclasses.replace(note, tags=note.tags + kept[note.id]) if note.id in kept else note
        for note in rendered
    )
    return notes, kept


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def build(
    bank: Bank,
    package: Path,
    manifest_file: Path,
    *,
    now: int,
    create_directories: bool,
    on_note: Callable[[], None] = lambda: None,
    collection: Path | None = None,
) -> BuildResult:
    """Write `package` for `bank`, then update `manifest_file` (only if anything changed).

    `now` (seconds since the epoch) stamps what changed. The package goes into place first,
    so a failed build leaves both files as they were. With an Anki `collection` file, each
    note keeps the tags the user gave it there (Anki replaces an updated note's tags with the
    package's); the manifest does not depend on them.
    """
    check_directory(package.parent, create=create_directories)
    check_directory(manifest_file.parent, create=True)
    identity = bank.deck.identity
    kinds = {note.id: note.type for note in bank.notes}
    previous = manifest.load(manifest_file, identity, kinds)
    rendered = render_bank(bank)
    deck = deck_hash(bank.deck)
    recovered = False
    renamed_from = None
    if previous is None and package.is_file():
        previous = from_package(package, bank.deck, deck, rendered, bank.path.name)
        recovered = previous is not None
        if previous is not None and previous.identity != identity:
            bank, identity = _with_identity(bank, previous.identity), previous.identity
            renamed_from = previous.name if previous.name != bank.deck.name else None
    current, changes = manifest.stamp(
        previous,
        identity=identity,
        name=bank.deck.name,
        bank=bank.path.name,
        deck_hash=deck,
        model_hashes={
            str(model.model_id): models.fingerprint(model) for model in models.MODELS.values()
        },
        notes=[NoteInput(note.id, note.kind, note.content_hash, note.tags) for note in rendered],
        now=now,
    )
    kept: dict[str, tuple[str, ...]] = {}
    if collection is not None:
        rendered, kept = _with_user_tags(rendered, previous, current, collection)
    unmanifested = previous is None and package.is_file()
    write_package(package, bank.deck, rendered, current, on_note)
    text = manifest.dumps(current)
    if _read_text(manifest_file) != text:
        replace_atomically(manifest_file, lambda target: target.write(text.encode()))
    return BuildResult(current, changes, unmanifested, kept, recovered, renamed_from)
