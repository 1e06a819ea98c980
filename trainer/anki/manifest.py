"""The build manifest: what each note looked like at the last build, and since when.

Anki updates a note on import only if the package's modification time is newer than the
collection's. So every note carries the time its content last changed, kept here (with its
content hash and Anki note id) between builds. A note whose hash is unchanged keeps its old
time, so Anki leaves it alone, together with any edit the user made to it inside Anki; a
changed note gets the build time and replaces the outdated copy. The deck and the note types
are stamped the same way.

`stamp` is pure; `load` and `dumps` do the (de)serialisation. Times are whole seconds since
the Unix epoch, so a build does not depend on the machine's time zone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from trainer.errors import TrainerError

FORMAT = 1
SUFFIX = ".lock.json"


@dataclass(frozen=True)
class Stamp:
    hash: str
    mtime: int
    """When the content with this hash first appeared (seconds since the epoch)."""


@dataclass(frozen=True)
class NoteStamp(Stamp):
    nid: int
    """The Anki note id, given once: the note's creation time in milliseconds, made unique."""


@dataclass(frozen=True)
class Manifest:
    created: int
    """Time of the first build: the package's collection creation time."""
    deck: Stamp
    models: Mapping[str, Stamp]
    """By Anki model id (as text, as in JSON)."""
    notes: Mapping[str, NoteStamp]
    """By bank card id."""
    stamped: int = 0
    """The newest stamp ever given, removed notes' included (in the file only when it is
    newer than `modified`; 0 until a build sets it)."""

    @property
    def modified(self) -> int:
        """The latest change of anything in the package."""
        stamps = [self.deck, *self.models.values(), *self.notes.values()]
        return max(stamp.mtime for stamp in stamps)

    @property
    def newest(self) -> int:
        """The time the next change must come after."""
        return max(self.stamped, self.modified)


@dataclass(frozen=True)
class Changes:
    """Bank card ids, in bank order (removed ones in manifest order)."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    models_changed: tuple[str, ...]
    first_build: bool

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.models_changed)


def _restamp(previous: Stamp | None, content_hash: str, now: int) -> Stamp:
    if previous is not None and previous.hash == content_hash:
        return previous
    return Stamp(content_hash, now)


def _note_stamps(
    previous: Mapping[str, NoteStamp], note_hashes: Mapping[str, str], now: int
) -> dict[str, NoteStamp]:
    kept_nids = {stamp.nid for note_id, stamp in previous.items() if note_id in note_hashes}
    next_nid = now * 1000
    stamps: dict[str, NoteStamp] = {}
    for note_id, content_hash in note_hashes.items():
        old = previous.get(note_id)
        if old is None:
            while next_nid in kept_nids:
                next_nid += 1
            stamps[note_id] = NoteStamp(content_hash, now, next_nid)
            next_nid += 1
        elif old.hash == content_hash:
            stamps[note_id] = old
        else:
            stamps[note_id] = NoteStamp(content_hash, now, old.nid)
    return stamps


def stamp(
    previous: Manifest | None,
    *,
    deck_hash: str,
    model_hashes: Mapping[str, str],
    note_hashes: Mapping[str, str],
    now: int,
) -> tuple[Manifest, Changes]:
    """The manifest for this build (`note_hashes` in bank order) and what changed.

    Stamps never go backwards: a build whose clock (or TRAINER_NOW) is behind the newest stamp
    ever given (`Manifest.newest`) stamps its changes one second after it, or Anki would keep
    the older text it holds. New note ids then stay above every id given before.
    """
    if previous is not None:
        now = max(now, previous.newest + 1)
    if previous is None:
        previous = Manifest(now, Stamp("", now), {}, {})
        first_build = True
    else:
        first_build = False
    models = {
        model_id: _restamp(previous.models.get(model_id), model_hash, now)
        for model_id, model_hash in model_hashes.items()
    }
    notes = _note_stamps(previous.notes, note_hashes, now)
    manifest = Manifest(previous.created, _restamp(previous.deck, deck_hash, now), models, notes)
    manifest = replace(manifest, stamped=max(previous.newest, manifest.modified))
    old_notes = previous.notes
    changes = Changes(
        added=tuple(note_id for note_id in notes if note_id not in old_notes),
        changed=tuple(
            note_id
            for note_id, note in notes.items()
            if note_id in old_notes and old_notes[note_id].hash != note.hash
        ),
        removed=tuple(note_id for note_id in old_notes if note_id not in notes),
        models_changed=tuple(
            model_id
            for model_id, model in models.items()
            if not first_build and model is not previous.models.get(model_id)
        ),
        first_build=first_build,
    )
    return manifest, changes


def dumps(manifest: Manifest) -> str:
    data = {
        "format": FORMAT,
        "created": manifest.created,
        "deck": vars(manifest.deck),
        "models": {key: vars(value) for key, value in sorted(manifest.models.items())},
        "notes": {key: vars(value) for key, value in sorted(manifest.notes.items())},
    }
    if manifest.stamped > manifest.modified:  # only after a removal: older files stay as they were
        data["stamped"] = manifest.stamped
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


LATEST_TIME = 253_402_300_799
"""9999-12-31T23:59:59 UTC: no stamp a build can give is later."""
LARGEST_ID = 2**53 - 1
"""Note ids are milliseconds; Anki keeps them exact in JSON (a double) up to here."""


class _Malformed(ValueError):
    pass


def _whole(value: object, largest: int, what: str) -> int:
    if type(value) is not int or not 0 <= value <= largest:
        raise _Malformed(f"{what} must be a whole number 0-{largest}, not {value!r:.40}")
    return value


def _stamp(value: object, what: str, *, with_nid: bool) -> Stamp:
    keys = {"hash", "mtime", "nid"} if with_nid else {"hash", "mtime"}
    if not isinstance(value, dict) or set(value) != keys:
        raise _Malformed(f"{what} must be an object with the keys {', '.join(sorted(keys))}")
    if not isinstance(value["hash"], str):
        raise _Malformed(f"{what}: 'hash' must be text")
    mtime = _whole(value["mtime"], LATEST_TIME, f"{what}: 'mtime'")
    if not with_nid:
        return Stamp(value["hash"], mtime)
    return NoteStamp(value["hash"], mtime, _whole(value["nid"], LARGEST_ID, f"{what}: 'nid'"))


def _stamps(value: object, what: str, *, with_nid: bool) -> dict:
    if not isinstance(value, dict):
        raise _Malformed(f"{what!r} must be an object")
    return {
        key: _stamp(entry, f"{what} {key!r:.40}", with_nid=with_nid) for key, entry in value.items()
    }


def _parse(data: object) -> Manifest:
    if not isinstance(data, dict):
        raise _Malformed("the top level must be an object")
    if "format" in data and data["format"] != FORMAT:
        raise TrainerError(
            f"build manifest format {data['format']!r:.40} is not supported (expected {FORMAT})"
        )
    missing = {"format", "created", "deck", "models", "notes"} - set(data)
    if missing:
        raise _Malformed(f"missing {', '.join(sorted(missing))}")
    loaded = Manifest(
        created=_whole(data["created"], LATEST_TIME, "'created'"),
        deck=_stamp(data["deck"], "'deck'", with_nid=False),
        models=_stamps(data["models"], "models", with_nid=False),
        notes=_stamps(data["notes"], "notes", with_nid=True),
    )
    stamped = data.get("stamped", loaded.modified)  # written only when it is more
    return replace(loaded, stamped=_whole(stamped, LATEST_TIME, "'stamped'"))


def load(path: Path) -> Manifest | None:
    """The manifest at `path`, or None if there is none yet (the first build). A file that is
    not one we wrote (hand-edited: wrong types, numbers no build gives, deep nesting) is a
    TrainerError that says what is wrong and how to recover."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise TrainerError(f"{path}: cannot read the build manifest: {error}") from None
    try:
        return _parse(json.loads(text))
    except json.JSONDecodeError as error:
        raise TrainerError(f"{path}: cannot read the build manifest: {error}") from None
    except TrainerError as error:
        raise TrainerError(f"{path}: {error}") from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError and _Malformed included
        detail = "nested too deeply" if isinstance(error, RecursionError) else error
        raise TrainerError(
            f"{path}: malformed build manifest ({detail}); restore it from version control, "
            "or delete it to start afresh (every note then counts as changed)"
        ) from None
