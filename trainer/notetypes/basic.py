"""`basic`: a front asked, a back recalled; one review item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from trainer.model import Note, ReviewItem
from trainer.notetypes.anki_form import (
    SOURCE_FIELD,
    AnkiField,
    AnkiNoteType,
    FieldForm,
    recall_template,
)
from trainer.notetypes.base import PLAIN, RIGHT, NoteType, Pieces


@dataclass(frozen=True, kw_only=True)
class BasicNote(Note):
    type: ClassVar[str] = "basic"

    front: str
    back: str
    extra: str | None = None

    @property
    def prompt(self) -> str:
        return self.front

    def asked(self, ord_: int) -> str:
        return self.back if self.is_reverse(ord_) else self.front


RECALL_FIELDS = (
    AnkiField("Front", FieldForm.TEXT, "front"),
    AnkiField("Back", FieldForm.TEXT, "back"),
    AnkiField("Extra", FieldForm.OPTIONAL, "extra"),
    SOURCE_FIELD,
)
"""Anki's fields of a note with a front and a back (`basic` and `reverse`)."""
FRONT_TO_BACK = recall_template("Front \u2192 Back", "Front", "Back")


def sides(item: ReviewItem) -> tuple[str, str]:
    """`(asked, expected)`: the front and the back, or the back and the front when reversed."""
    note = item.note
    assert isinstance(note, BasicNote), note.type
    return (note.back, note.front) if item.is_reverse else (note.front, note.back)


def question(item: ReviewItem, _picked: int | None) -> Pieces:
    return [(sides(item)[0], PLAIN)]


def answer(item: ReviewItem, _picked: int | None) -> Pieces:
    asked, expected = sides(item)
    return [(asked, PLAIN), ("\n\n", PLAIN), (expected, RIGHT)]


BASIC = NoteType(
    position=10,
    note_class=BasicNote,
    fields={"front": True, "back": True, "extra": False},
    anki=AnkiNoteType(1897131631, "Trainer \u00b7 Basic", RECALL_FIELDS, (FRONT_TO_BACK,)),
    question=question,
    answer=answer,
)
NOTE_TYPE = BASIC
