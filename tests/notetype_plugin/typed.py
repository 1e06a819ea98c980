"""`typed`: a hypothetical type-the-answer card (#25), written as a module of
`trainer.notetypes` would be: its note class and its declaration, nothing else. A prompt, and the
answer to type; one review item. The tests load it beside the package's own types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from trainer.model import Note, ReviewItem
from trainer.notetypes.anki_form import (
    ANSWER_RULE,
    SOURCE_FIELD,
    SOURCE_HTML,
    AnkiField,
    AnkiNoteType,
    FieldForm,
    extra,
    isolated,
    literal,
)
from trainer.notetypes.base import PLAIN, RIGHT, NoteType, Pieces

HINT = "type the answer"


@dataclass(frozen=True, kw_only=True)
class TypedNote(Note):
    type: ClassVar[str] = "typed"

    prompt_text: str
    expected: str
    extra: str | None = None

    @property
    def prompt(self) -> str:
        return self.prompt_text


def _note(item: ReviewItem) -> TypedNote:
    assert isinstance(item.note, TypedNote), item.note.type
    return item.note


def question(item: ReviewItem, _picked: int | None) -> Pieces:
    return [(_note(item).prompt_text, PLAIN), ("\n\n", PLAIN), (HINT, PLAIN)]


def answer(item: ReviewItem, _picked: int | None) -> Pieces:
    note = _note(item)
    return [(note.prompt_text, PLAIN), ("\n\n", PLAIN), (note.expected, RIGHT)]


_PROMPT = f'<div class="prompt">{isolated("Prompt")}</div>'

NOTE_TYPE = NoteType(
    note_class=TypedNote,
    position=50,
    fields={"prompt_text": True, "expected": True, "extra": False},
    anki=AnkiNoteType(
        1730050115,
        "Trainer \u00b7 Typed answer",
        (
            AnkiField("Prompt", FieldForm.TEXT, "prompt_text"),
            AnkiField("Answer", FieldForm.TEXT, "expected"),
            AnkiField("Extra", FieldForm.OPTIONAL, "extra"),
            SOURCE_FIELD,
        ),
        (
            literal(
                {
                    "name": "Typed answer",
                    "qfmt": f"{_PROMPT}\n{{{{type:Answer}}}}",
                    "afmt": (
                        f"{_PROMPT}\n{ANSWER_RULE}\n{{{{type:Answer}}}}\n"
                        f"{extra('Extra')}\n{SOURCE_HTML}"
                    ),
                }
            ),
        ),
    ),
    question=question,
    answer=answer,
    label=lambda _item: "typed answer",
)
