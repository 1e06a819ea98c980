"""`reverse`: a basic note asked both ways; two review items (front -> back, back -> front)."""

from __future__ import annotations

from trainer.model import ReverseNote
from trainer.notetypes.anki_form import AnkiNoteType, recall_template
from trainer.notetypes.base import NoteType
from trainer.notetypes.basic import BASIC, FRONT_TO_BACK, RECALL_FIELDS

REVERSE = NoteType(
    note_class=ReverseNote,
    fields=BASIC.fields,
    anki=AnkiNoteType(
        1212146010,
        "Trainer \u00b7 Basic (and reversed card)",
        RECALL_FIELDS,
        (FRONT_TO_BACK, recall_template("Back \u2192 Front", "Back", "Front")),
    ),
)
