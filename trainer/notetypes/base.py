"""A note type as the bank declares it: its own fields and the checks of their values. Each
type is one module of `trainer.notetypes`; the validator (`trainer.validate`) reads the bank
through them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from trainer.model import Note
from trainer.notetypes.anki_form import AnkiNoteType

Entries = Mapping[str, tuple[Any, Any]]
"""A card's fields as read from the bank: name -> (key node, value node)."""


class Checker(Protocol):
    """What a type's check may ask of the validator (the nodes are YAML's, left opaque here
    so that reading a type does not import YAML)."""

    def report(self, node: Any, message: str) -> None: ...

    def text(self, node: Any, what: str, *, required: bool = True) -> str | None: ...

    def elements(self, node: Any) -> list[Any] | None:
        """A list's element nodes; None if `node` is not a list."""
        ...


Check = Callable[[Checker, Entries, dict[str, object], str], None]
"""Checks a card's `values` (its text fields, read) against its `entries`; sets a field it
finds wrong to None (reported), fills in the fields it reads itself."""


@dataclass(frozen=True, kw_only=True)
class NoteType:
    note_class: type[Note]
    fields: Mapping[str, bool]
    """The type's own fields (beyond id, type, tags, source and quiet): True if required."""
    anki: AnkiNoteType
    """The type as Anki keeps it (`trainer.anki` builds and syncs it)."""
    aside: str = "extra"
    """The note's optional attribute shown in small print under the answer."""
    check: Check | None = None
    read_by_check: tuple[str, ...] = ()
    """Fields that are not plain text: `check` reads them."""

    @property
    def name(self) -> str:
        """The bank's `type:` (the note class's)."""
        return self.note_class.type
