"""A card-quality warning, and how a rule makes one."""

from __future__ import annotations

from typing import NamedTuple

from trainer.model import Note


class CardWarning(NamedTuple):
    """One card-quality warning, located at the field it is about. A tuple: a bank's warnings
    (tens of thousands in a large bank) are made and sorted, in file order, at C speed."""

    line: int
    column: int
    rule: str
    note_id: str
    message: str

    def render(self, file: str) -> str:
        return f"{file}:{self.line}:{self.column}: warning: {self.message} [{self.rule}]"


def warn(note: Note, field: str, rule: str, message: str) -> CardWarning:
    """The rule's warning about `note`, at `field` (at the card where the field has no place)."""
    line, column = note.positions.get(field, (note.line, note.column))
    return CardWarning(line, column, rule, note.id, f"card {note.id!r}: {message}")
