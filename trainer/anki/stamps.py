"""The build manifest's records (`trainer.anki.manifest`): each note's, the deck's and the note
types' content hash with the time it first appeared, the notes retired from the bank, and what
a build changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
