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
types claiming one name or one position are refused when the types are first listed (`check`,
`build`, the summaries). A type asked for by name is found in the module of that name when it
declares it, without importing the others: a review imports only the types of the cards it
shows.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from trainer.model import Note
from trainer.notetypes.base import NoteType


def _declared() -> Iterator[NoteType]:
    """Each module's `NOTE_TYPE`, the modules in name order."""
    import pkgutil  # only to list the types: a card's type is found by its name

    for module in pkgutil.iter_modules(__path__):
        declared = getattr(importlib.import_module(f"{__name__}.{module.name}"), "NOTE_TYPE", None)
        if isinstance(declared, NoteType):
            yield declared


def _declared_in(name: str) -> NoteType | None:
    """The type `name` if the module of that name declares it (each shipped type's does), else
    None."""
    if not name.isidentifier():
        return None
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"{__name__}.{name}":
            return None  # no such module (a module that is there and fails to import raises)
        raise
    declared = getattr(module, "NOTE_TYPE", None)
    return declared if isinstance(declared, NoteType) and declared.name == name else None


def _ordered(note_types: list[NoteType]) -> tuple[NoteType, ...]:
    for attribute in ("name", "position"):
        values = [getattr(note_type, attribute) for note_type in note_types]
        repeated = sorted({value for value in values if values.count(value) > 1}, key=str)
        if repeated:
            raise ValueError(f"note types share a {attribute}: {repeated}")
    return tuple(sorted(note_types, key=lambda note_type: note_type.position))


class _Registry(Mapping[str, NoteType]):
    """The types by name. A type asked for by name is first looked for in the module of that
    name, so that showing a card imports its own type's module alone (a review of multiple-choice
    cards never imports the cloze type: ~7M instructions a type before the first card, issue
    #23); listing the types, or a name not found so, imports every module and checks them."""

    def __init__(self) -> None:
        self._named: dict[str, NoteType] = {}
        self._every: dict[str, NoteType] | None = None

    def every(self) -> dict[str, NoteType]:
        if self._every is None:
            self._every = {note_type.name: note_type for note_type in _ordered(list(_declared()))}
        return self._every

    def __getitem__(self, name: str) -> NoteType:
        if self._every is None:
            if name not in self._named and (declared := _declared_in(name)) is not None:
                self._named[name] = declared
            if name in self._named:
                return self._named[name]
        return self.every()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.every())

    def __len__(self) -> int:
        return len(self.every())


class _Classes(Mapping[str, type[Note]]):
    """Each type's note class, by name, as the registry finds them."""

    def __getitem__(self, name: str) -> type[Note]:
        return NOTE_TYPES[name].note_class

    def __iter__(self) -> Iterator[str]:
        return iter(NOTE_TYPES)

    def __len__(self) -> int:
        return len(NOTE_TYPES)


NOTE_TYPES: Mapping[str, NoteType] = _Registry()
NOTE_CLASSES: Mapping[str, type[Note]] = _Classes()
"""Each type's note class, by the bank's `type:` name."""
CARD_TYPES: tuple[str, ...]
"""The bank's `type:` names, in the order the summaries list them (made when first asked for:
it lists every type)."""


def __getattr__(name: str) -> object:
    if name != "CARD_TYPES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    card_types = globals()["CARD_TYPES"] = tuple(NOTE_TYPES)  # made once
    return card_types
