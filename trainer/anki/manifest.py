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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trainer.anki.guids import guid_for
from trainer.anki.stamps import Changes, Manifest, NoteInput, NoteStamp, Retired, Retyped, Stamp
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
        return guid_for("trainer", identity, card_id)
    return guid_for("trainer", identity, card_id, kind)


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
    """The manifest for this build (`notes` in bank order) and what changed.

    Stamps never go backwards: a build whose clock (or TRAINER_NOW) is behind the newest stamp
    ever given (`Manifest.newest`) stamps its changes one second after it, or Anki would keep
    the older text it holds. New note ids then stay above every id given before.
    """
    first_build = previous is None
    if previous is None:
        previous = Manifest(now, Stamp("", now), {}, {})
    else:
        now = max(now, previous.newest + 1)
    models = {
        model_id: _restamp(previous.models.get(model_id), model_hash, now)
        for model_id, model_hash in model_hashes.items()
    }
    stamps, retired = _note_stamps(previous, identity, notes, now)
    deck = _restamp(previous.deck, deck_hash, now)
    manifest = Manifest(
        previous.created, deck, models, stamps, identity, name, bank, tuple(retired)
    )
    manifest = replace(manifest, stamped=max(previous.newest, manifest.modified))
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
    data: dict[str, object] = {
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
    if manifest.stamped > manifest.modified:  # only after a removal: older files stay as they were
        data["stamped"] = manifest.stamped
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


LATEST_TIME = 253_402_300_799
"""9999-12-31T23:59:59 UTC: no stamp a build can give is later."""
LARGEST_ID = 2**53 - 1
"""Note ids are milliseconds; Anki keeps them exact in JSON (a double) up to here."""
LEGACY_NOTE_KEYS = frozenset({"hash", "mtime", "nid"})
NOTE_KEYS = LEGACY_NOTE_KEYS | {"kind", "guid", "tags"}
RETIRED_KEYS = frozenset({"id", "kind", "guid", "nid"})


class _Malformed(ValueError):
    pass


def _whole(value: object, largest: int, what: str) -> int:
    if type(value) is not int or not 0 <= value <= largest:
        raise _Malformed(f"{what} must be a whole number 0-{largest}, not {value!r:.40}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise _Malformed(f"{what} must be text")
    return value


def _object(value: object, keys: frozenset[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise _Malformed(f"{what} must be an object with the keys {', '.join(sorted(keys))}")
    return value


def _stamp(value: object, what: str) -> Stamp:
    entry = _object(value, frozenset({"hash", "mtime"}), what)
    return Stamp(_text(entry["hash"], f"{what}: 'hash'"), _mtime(entry, what))


def _mtime(entry: dict[str, Any], what: str) -> int:
    return _whole(entry["mtime"], LATEST_TIME, f"{what}: 'mtime'")


def _nid(entry: dict[str, Any], what: str) -> int:
    return _whole(entry["nid"], LARGEST_ID, f"{what}: 'nid'")


def _note(card_id: str, value: object, legacy: Legacy | None) -> NoteStamp:
    what = f"notes {card_id!r:.40}"
    entry = _object(value, LEGACY_NOTE_KEYS if legacy else NOTE_KEYS, what)
    content_hash = _text(entry["hash"], f"{what}: 'hash'")
    mtime, nid = _mtime(entry, what), _nid(entry, what)
    if legacy is not None:
        kind = legacy.kinds.get(card_id, "")
        return NoteStamp(content_hash, mtime, nid, kind, note_guid(legacy.identity, card_id))
    tags = entry["tags"]
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise _Malformed(f"{what}: 'tags' must be a list of text")
    kind, guid = _text(entry["kind"], f"{what}: 'kind'"), _text(entry["guid"], f"{what}: 'guid'")
    return NoteStamp(content_hash, mtime, nid, kind, guid, tuple(tags))


def _entries(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed(f"{what!r} must be an object")
    return value


@dataclass(frozen=True)
class Legacy:
    """What a format-1 manifest lacks: the bank's identity and each note's type by card id
    (in bank order). Its GUIDs were the plain ones, and a type or order changed in the very
    build that upgrades the manifest goes unnoticed."""

    identity: str
    kinds: Mapping[str, str]


def _notes(data: dict[str, Any], legacy: Legacy | None) -> dict[str, NoteStamp]:
    notes = {
        key: _note(key, entry, legacy) for key, entry in _entries(data["notes"], "notes").items()
    }
    if legacy is not None:
        order = {key: position for position, key in enumerate(legacy.kinds)}
        return {key: notes[key] for key in sorted(notes, key=lambda k: order.get(k, len(order)))}
    listed = data["order"]
    if not isinstance(listed, list) or sorted(listed, key=str) != sorted(notes):
        raise _Malformed("'order' must list every note once")
    return {key: notes[key] for key in listed}


def _retired(value: object) -> tuple[Retired, ...]:
    if not isinstance(value, list):
        raise _Malformed("'retired' must be a list")
    entries = [_object(entry, RETIRED_KEYS, "a retired note") for entry in value]
    return tuple(
        Retired(
            _text(entry["id"], "a retired note's 'id'"),
            _text(entry["kind"], "a retired note's 'kind'"),
            _text(entry["guid"], "a retired note's 'guid'"),
            _nid(entry, "a retired note"),
        )
        for entry in entries
    )


def _parse(data: object, legacy: Legacy) -> Manifest:
    if not isinstance(data, dict):
        raise _Malformed("the top level must be an object")
    if "format" in data and data["format"] not in (FORMAT, LEGACY_FORMAT):
        raise TrainerError(
            f"build manifest format {data['format']!r:.40} is not supported (expected {FORMAT})"
        )
    old = data.get("format") == LEGACY_FORMAT
    required = {"format", "created", "deck", "models", "notes"}
    if not old:
        required |= {"bank", "identity", "name", "order", "retired"}
    missing = required - set(data)
    if missing:
        raise _Malformed(f"missing {', '.join(sorted(missing))}")
    loaded = Manifest(
        created=_whole(data["created"], LATEST_TIME, "'created'"),
        deck=_stamp(data["deck"], "'deck'"),
        models={
            key: _stamp(entry, f"models {key!r:.40}")
            for key, entry in _entries(data["models"], "models").items()
        },
        notes=_notes(data, legacy if old else None),
        identity=legacy.identity if old else _text(data["identity"], "'identity'"),
        name=legacy.identity if old else _text(data["name"], "'name'"),  # old: name = identity
        bank="" if old else _text(data["bank"], "'bank'"),
        retired=() if old else _retired(data["retired"]),
    )
    stamped = data.get("stamped", loaded.modified)  # written only when it is more
    return replace(loaded, stamped=_whole(stamped, LATEST_TIME, "'stamped'"))


def load(path: Path, identity: str, kinds: Mapping[str, str]) -> Manifest | None:
    """The manifest at `path`, or None if there is none yet (the first build). `identity` and
    `kinds` (note type by card id, in bank order) stand in for what a legacy one lacks. A file
    that is not one we wrote (hand-edited: wrong types, numbers no build gives, deep nesting)
    is a TrainerError that says what is wrong and how to recover."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise TrainerError(f"{path}: cannot read the build manifest: {error}") from None
    try:
        return _parse(json.loads(text), Legacy(identity, kinds))
    except json.JSONDecodeError as error:
        raise TrainerError(f"{path}: cannot read the build manifest: {error}") from None
    except TrainerError as error:
        raise TrainerError(f"{path}: {error}") from None
    except (ValueError, RecursionError) as error:  # _Malformed included
        detail = "nested too deeply" if isinstance(error, RecursionError) else error
        raise TrainerError(
            f"{path}: malformed build manifest ({detail}); restore it from version control, "
            "or delete it to start afresh (every note then counts as changed)"
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


def is_valid(manifest: Manifest) -> bool:
    """True if `load` would accept `manifest` once written: one rebuilt from a damaged package
    may hold numbers no build gives (a time of -1 or past 9999, a note id past 2**53)."""
    try:
        _parse(json.loads(dumps(manifest)), Legacy(manifest.identity, {}))
    except (ValueError, TypeError, TrainerError, RecursionError):  # TypeError: a text "mtime"
        return False
    return True


def owner(path: Path) -> Owner | None:
    """The owner recorded in the manifest at `path` (a legacy one records only its notes:
    `bank`, `identity` and `name` are empty); None for one unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] == LEGACY_FORMAT:
            return Owner(path, "", "", "", frozenset(data["notes"]))
        return Owner(path, str(data["bank"]), str(data["identity"]), str(data["name"]))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        return None
