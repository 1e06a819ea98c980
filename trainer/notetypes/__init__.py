"""The bank's note types, one module each, gathered in bank order. A new type is a module here
holding its note class (a `trainer.model.Note`) and declaring its fields and checks, its Anki
note type (`anki_form`: id, name, fields and what each holds, templates), how its items are
shown (text pieces and the part each plays, its label, whether a letter picks the answer) and
its small print; the validator, the export, the terminal and `trainer check` look the type up
here."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from trainer.model import Note
from trainer.notetypes.base import NoteType
from trainer.notetypes.basic import BASIC
from trainer.notetypes.cloze import CLOZE
from trainer.notetypes.mcq import MCQ
from trainer.notetypes.reverse import REVERSE

NOTE_TYPES: Mapping[str, NoteType] = MappingProxyType(
    {note_type.name: note_type for note_type in (BASIC, REVERSE, CLOZE, MCQ)}
)
NOTE_CLASSES: Mapping[str, type[Note]] = MappingProxyType(
    {name: note_type.note_class for name, note_type in NOTE_TYPES.items()}
)
"""Each type's note class, by the bank's `type:` name."""
CARD_TYPES = tuple(NOTE_TYPES)
"""The bank's `type:` names, in the order the summaries list them."""
