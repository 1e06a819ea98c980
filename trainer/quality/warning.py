"""A card-quality warning, and how a rule makes one."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.model import Note


@dataclass(frozen=True, order=True)
class CardWarning:
    """One card-quality warning, located at the field it is about."""

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
