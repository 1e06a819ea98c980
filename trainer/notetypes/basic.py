"""`basic`: a front asked, a back recalled; one review item."""

from __future__ import annotations

from trainer.model import BasicNote
from trainer.notetypes.anki_form import (
    SOURCE_FIELD,
    AnkiField,
    AnkiNoteType,
    FieldForm,
    recall_template,
)
from trainer.notetypes.base import NoteType

RECALL_FIELDS = (
    AnkiField("Front", FieldForm.TEXT, "front"),
    AnkiField("Back", FieldForm.TEXT, "back"),
    AnkiField("Extra", FieldForm.OPTIONAL, "extra"),
    SOURCE_FIELD,
)
"""Anki's fields of a note with a front and a back (`basic` and `reverse`)."""
FRONT_TO_BACK = recall_template("Front \u2192 Back", "Front", "Back")

BASIC = NoteType(
    note_class=BasicNote,
    fields={"front": True, "back": True, "extra": False},
    anki=AnkiNoteType(1897131631, "Trainer \u00b7 Basic", RECALL_FIELDS, (FRONT_TO_BACK,)),
)
