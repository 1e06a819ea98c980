"""The build manifest: what each note looked like at the last build, and since when.

Anki updates a note on import only if the package's modification time is newer than the
collection's. So every note carries the time its content last changed, kept here (with its
content hash and Anki note id) between builds. A note whose hash is unchanged keeps its old
time, so Anki leaves it alone, together with any edit the user made to it inside Anki; a
changed note gets the build time and replaces the outdated copy. The deck and the note types
are stamped the same way.

Anki matches notes by GUID and refuses ("conflicting") to update a note whose note type
differs from the package's. So a note whose type changes gets a new GUID (and Anki a new
note); the old one, like every note removed from the bank, is kept here as *retired* with its
Anki note id, so one `nid:` search finds them all in Anki.

`stamp` is pure; `load` and `dumps` do the (de)serialisation. Times are whole seconds since
the Unix epoch, so a build does not depend on the machine's time zone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from trainer.errors import TrainerError

FORMAT = 2
LEGACY_FORMAT = 1
"""Written before note types and GUIDs were recorded; read, and upgraded on the next build."""
SUFFIX = ".lock.json"


def note_guid(identity: str, card_id: str, kind: str | None = None) -> str:
    """The Anki GUID of a bank note: from the bank's identity and the card id, not its text.

    `kind` is given only for a note whose type changed since its first GUID (see `stamp`); a
    note keeps the GUID of its first type, which is what every build before types were
    recorded used.
    """
    if kind is None:
        return genanki.guid_for("trainer", identity, card_id)
    return genanki.guid_for("trainer", identity, card_id, kind)


@dataclass(frozen=True)
class Stamp:
    hash: str
    mtime: int
    """When the content with this hash first appeared (seconds since the epoch)."""


@dataclass(frozen=True)
class NoteStamp(Stamp):
    nid: int
    """The Anki note id, given once: the note's creation time in milliseconds, made unique."""
    kind: str
    """The bank card type (`basic`, `reverse`, `cloze`, `mcq`): Anki's note type."""
    guid: str
    tags: tuple[str, ...] = ()
    """The bank's tags for the note: the ones it owns (see `trainer.anki.notes.user_tags`)."""


@dataclass(frozen=True)
class Retired:
    """A note Anki may still hold that the bank no longer has (removed, or its type changed)."""

    id: str
    kind: str
    guid: str
    nid: int


@dataclass(frozen=True)
class NoteInput:
    """What the build knows of one bank note."""

    id: str
    kind: str
    hash: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    created: int
    """Time of the first build: the package's collection creation time."""
    deck: Stamp
    models: Mapping[str, Stamp]
    """By Anki model id (as text, as in JSON)."""
    notes: Mapping[str, NoteStamp]
    """By bank card id, in bank order."""
    identity: str = ""
    """The bank's identity (`Deck.identity`) the GUIDs derive from; empty in legacy manifests."""
    name: str = ""
    """The deck name at the last build."""
    bank: str = ""
    """The bank's file name, so a renamed deck's manifest can be found again."""
    retired: tuple[Retired, ...] = ()

    @property
    def modified(self) -> int:
        """The latest change of anything in the package."""
        stamps = [self.deck, *self.models.values(), *self.notes.values()]
        return max(stamp.mtime for stamp in stamps)


@dataclass(frozen=True)
class Retyped:
    id: str
    old: str
    new: str


@dataclass(frozen=True)
class Changes:
    """Bank card ids, in bank order (removed ones in manifest order)."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    models_changed: tuple[str, ...]
    first_build: bool
    retyped: tuple[Retyped, ...] = ()
    """Notes whose type changed (also counted in `changed`): Anki gets a new note for each."""
    reordered: bool = False
    deck_changed: bool = False
    """The deck's name or description changed."""
    previous_name: str = ""
    """The deck name at the last build (empty if unknown)."""
    retired: tuple[Retired, ...] = ()
    """Every note Anki may hold that the bank no longer has (this build's and earlier ones)."""

    @property
    def any(self) -> bool:
        return bool(
            self.added
            or self.changed
            or self.removed
            or self.models_changed
            or self.reordered
            or self.deck_changed
        )


def _restamp(previous: Stamp | None, content_hash: str, now: int) -> Stamp:
    if previous is not None and previous.hash == content_hash:
        return previous
    return Stamp(content_hash, now)


class _NoteIds:
    """Fresh Anki note ids from the build time in milliseconds, skipping the ones in use."""

    def __init__(self, now: int, used: Iterable[int]) -> None:
        self.next = now * 1000
        self.used = set(used)

    def take(self) -> int:
        while self.next in self.used:
            self.next += 1
        self.used.add(self.next)
        return self.next


def _new_guid(identity: str, note: NoteInput, taken: set[str]) -> str:
    plain = note_guid(identity, note.id)
    return plain if plain not in taken else note_guid(identity, note.id, note.kind)


def _note_stamps(
    previous: Manifest, identity: str, notes: Sequence[NoteInput], now: int
) -> tuple[dict[str, NoteStamp], list[Retired]]:
    """Each note's stamp, and the retired notes after this build."""
    current_ids = {note.id for note in notes}
    kept = {note_id: stamp for note_id, stamp in previous.notes.items() if note_id in current_ids}
    retired = list(previous.retired)
    retired += [
        Retired(note_id, stamp.kind, stamp.guid, stamp.nid)
        for note_id, stamp in previous.notes.items()
        if note_id not in current_ids
    ]
    ids = _NoteIds(now, [s.nid for s in kept.values()] + [r.nid for r in retired])
    stamps: dict[str, NoteStamp] = {}
    for note in notes:
        old = kept.get(note.id)
        if old is not None and old.kind == note.kind:
            mtime = old.mtime if old.hash == note.hash else now
            stamps[note.id] = NoteStamp(note.hash, mtime, old.nid, note.kind, old.guid, note.tags)
            continue
        if old is not None:
            retired.append(Retired(note.id, old.kind, old.guid, old.nid))
        revived = next((r for r in retired if (r.id, r.kind) == (note.id, note.kind)), None)
        if revived is not None:  # the same note type again: Anki's old note comes back
            retired.remove(revived)
            stamps[note.id] = NoteStamp(
                note.hash, now, revived.nid, note.kind, revived.guid, note.tags
            )
            continue
        taken = {r.guid for r in retired} | {s.guid for s in kept.values()}
        guid = _new_guid(identity, note, taken)
        stamps[note.id] = NoteStamp(note.hash, now, ids.take(), note.kind, guid, note.tags)
    return stamps, retired


def stamp(
    previous: Manifest | None,
    *,
    identity: str,
    name: str,
    bank: str,
    deck_hash: str,
    model_hashes: Mapping[str, str],
    notes: Sequence[NoteInput],
    now: int,
) -> tuple[Manifest, Changes]:
    """The manifest for this build (`notes` in bank order) and what changed."""
    first_build = previous is None
    if previous is None:
        previous = Manifest(now, Stamp("", now), {}, {})
    models = {
        model_id: _restamp(previous.models.get(model_id), model_hash, now)
        for model_id, model_hash in model_hashes.items()
    }
    stamps, retired = _note_stamps(previous, identity, notes, now)
    deck = _restamp(previous.deck, deck_hash, now)
    manifest = Manifest(
        previous.created, deck, models, stamps, identity, name, bank, tuple(retired)
    )
    old_notes = previous.notes
    kept_order = [note_id for note_id in old_notes if note_id in stamps]
    changes = Changes(
        added=tuple(note_id for note_id in stamps if note_id not in old_notes),
        changed=tuple(
            note_id
            for note_id, note in stamps.items()
            if note_id in old_notes and old_notes[note_id].hash != note.hash
        ),
        removed=tuple(note_id for note_id in old_notes if note_id not in stamps),
        models_changed=tuple(
            model_id
            for model_id, model in models.items()
            if not first_build and model is not previous.models.get(model_id)
        ),
        first_build=first_build,
        retyped=tuple(
            Retyped(note_id, old_notes[note_id].kind, note.kind)
            for note_id, note in stamps.items()
            if note_id in old_notes and old_notes[note_id].kind != note.kind
        ),
        reordered=kept_order != [note_id for note_id in stamps if note_id in old_notes],
        deck_changed=not first_build and deck is not previous.deck,
        previous_name=previous.name,
        retired=tuple(retired),
    )
    return manifest, changes


def dumps(manifest: Manifest) -> str:
    data = {
        "format": FORMAT,
        "bank": manifest.bank,
        "identity": manifest.identity,
        "name": manifest.name,
        "created": manifest.created,
        "deck": vars(manifest.deck),
        "models": {key: vars(value) for key, value in sorted(manifest.models.items())},
        "order": list(manifest.notes),
        "notes": {
            key: vars(value) | {"tags": list(value.tags)}
            for key, value in sorted(manifest.notes.items())
        },
        "retired": [vars(entry) for entry in manifest.retired],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _stamps(entries: Iterable[tuple[str, dict]], kind: type[Stamp]) -> dict:
    return {key: kind(**value) for key, value in entries}


def _legacy_notes(data: dict, identity: str, kinds: Mapping[str, str]) -> dict[str, NoteStamp]:
    """Format 1 recorded neither note types, GUIDs nor order: the GUIDs were the plain ones,
    and the types and order are taken as the bank's (`kinds` is in bank order), so a type or
    order changed in the very build that upgrades the manifest goes unnoticed."""
    order = {key: position for position, key in enumerate(kinds)}
    entries = sorted(data["notes"].items(), key=lambda entry: order.get(entry[0], len(order)))
    return {
        key: NoteStamp(
            value["hash"],
            value["mtime"],
            value["nid"],
            kinds.get(key, ""),
            note_guid(identity, key),
        )
        for key, value in entries
    }


def _from_data(data: dict, identity: str, kinds: Mapping[str, str]) -> Manifest:
    if data["format"] == LEGACY_FORMAT:
        return Manifest(
            created=int(data["created"]),
            deck=Stamp(**data["deck"]),
            models=_stamps(data["models"].items(), Stamp),
            notes=_legacy_notes(data, identity, kinds),
            identity=identity,
            name=identity,  # builds then used the deck name as the identity
        )
    notes = {
        key: NoteStamp(**(value | {"tags": tuple(value["tags"])}))
        for key, value in data["notes"].items()
    }
    return Manifest(
        created=int(data["created"]),
        deck=Stamp(**data["deck"]),
        models=_stamps(data["models"].items(), Stamp),
        notes={note_id: notes[note_id] for note_id in data["order"]},
        identity=str(data["identity"]),
        name=str(data["name"]),
        bank=str(data["bank"]),
        retired=tuple(Retired(**entry) for entry in data["retired"]),
    )


def load(path: Path, identity: str, kinds: Mapping[str, str]) -> Manifest | None:
    """The manifest at `path`, or None if there is none yet (the first build).

    `identity` and `kinds` (note type by card id) stand in for what a legacy manifest lacks.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TrainerError(f"{path}: cannot read the build manifest: {error}") from None
    try:
        if data["format"] not in (FORMAT, LEGACY_FORMAT):
            raise TrainerError(
                f"{path}: build manifest format {data['format']!r} is not supported "
                f"(expected {FORMAT})"
            )
        return _from_data(data, identity, kinds)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise TrainerError(
            f"{path}: malformed build manifest ({type(error).__name__}: {error}); "
            "restore it from version control, or delete it to start afresh "
            "(every note then counts as changed)"
        ) from None


@dataclass(frozen=True)
class Owner:
    """Whose manifest a file is: enough to find a renamed deck's manifest again."""

    path: Path
    bank: str
    """The bank's file name; empty for a legacy manifest, which did not record it."""
    identity: str
    name: str
    notes: frozenset[str] = frozenset()
    """The card ids of a legacy manifest, to recognise its bank by."""


def owner(path: Path) -> Owner | None:
    """The owner recorded in the manifest at `path` (a legacy one records only its notes:
    `bank`, `identity` and `name` are empty); None for one unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] == LEGACY_FORMAT:
            return Owner(path, "", "", "", frozenset(data["notes"]))
        return Owner(path, str(data["bank"]), str(data["identity"]), str(data["name"]))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
