"""`reverse`: a basic note asked both ways; two review items (front -> back, back -> front)."""

from __future__ import annotations

from typing import ClassVar

from trainer.core.keys import REVERSE_SUFFIX, REVERSE_TYPE
from trainer.model import ReviewItem
from trainer.notetypes.anki_form import AnkiNoteType, recall_template
from trainer.notetypes.base import NoteType
from trainer.notetypes.basic import BASIC, FRONT_TO_BACK, RECALL_FIELDS, BasicNote


class ReverseNote(BasicNote):
    """A basic note asked both ways. It adds no field, so it is not a dataclass of its own: it
    inherits BasicNote's generated methods (which go by `self.__class__`: its repr and equality
    are its own), and defining it costs no code generation (~5M instructions before the first
    card, issue #23)."""

    type: ClassVar[str] = REVERSE_TYPE

    def item_ids(self) -> tuple[str, ...]:
        return (self.id, self.id + REVERSE_SUFFIX)

    def is_reverse(self, ord_: int) -> bool:
        return ord_ == 1


def label(item: ReviewItem) -> str:
    """Which way the card asks: `reverse (back \u2192 front)`."""
    return "reverse (back \u2192 front)" if item.is_reverse else "reverse (front \u2192 back)"


REVERSE = NoteType(
    position=20,
    note_class=ReverseNote,
    fields=BASIC.fields,
    anki=AnkiNoteType(
        1212146010,
        "Trainer \u00b7 Basic (and reversed card)",
        RECALL_FIELDS,
        (FRONT_TO_BACK, recall_template("Back \u2192 Front", "Back", "Front")),
    ),
    question=BASIC.question,
    answer=BASIC.answer,
    label=label,
)
NOTE_TYPE = REVERSE
