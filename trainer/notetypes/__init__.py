"""The bank's note types, one module each. A new type is a module here holding its note class
(a `trainer.model.Note`) and its `NOTE_TYPE`, declaring its fields and checks, its Anki note
type (`anki_form`: id, name, fields and what each holds, templates), how its items are shown
(text pieces and the part each plays, its label, whether a letter picks the answer), its small
print and its place among the types; the validator, the export, the terminal and `trainer check`
look the type up here.

The registry finds its types: every module of this package that defines `NOTE_TYPE` is one, so
adding a type adds a module and edits none. Their order is stated, not found: each type declares
its `position`, because the order is seen (the summaries list the types in it, the `type:` error
names them in it, the package writes its note types in it) and must not depend on file names: a
new module then cannot move the existing types, and the shipped package stays the same. Two
types claiming one name or one position are refused when the registry is built.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from trainer.model import Note
from trainer.notetypes.base import NoteType


def _declared() -> Iterator[NoteType]:
    """Each module's `NOTE_TYPE`, the modules in name order."""
    for module in pkgutil.iter_modules(__path__):
        declared = getattr(importlib.import_module(f"{__name__}.{module.name}"), "NOTE_TYPE", None)
        if isinstance(declared, NoteType):
            yield declared


def _ordered(note_types: list[NoteType]) -> tuple[NoteType, ...]:
    for attribute in ("name", "position"):
        values = [getattr(note_type, attribute) for note_type in note_types]
        repeated = sorted({value for value in values if values.count(value) > 1}, key=str)
        if repeated:
            raise ValueError(f"note types share a {attribute}: {repeated}")
    return tuple(sorted(note_types, key=lambda note_type: note_type.position))


NOTE_TYPES: Mapping[str, NoteType] = MappingProxyType(
    {note_type.name: note_type for note_type in _ordered(list(_declared()))}
)
NOTE_CLASSES: Mapping[str, type[Note]] = MappingProxyType(
    {name: note_type.note_class for name, note_type in NOTE_TYPES.items()}
)
"""Each type's note class, by the bank's `type:` name."""
CARD_TYPES = tuple(NOTE_TYPES)
"""The bank's `type:` names, in the order the summaries list them."""
