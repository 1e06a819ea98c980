"""`cloze`: a text with `{{c1::...}}` deletions (Anki's syntax); one review item per number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from trainer import cloze
from trainer.core.keys import CLOZE_INFIX, CLOZE_TYPE
from trainer.model import Note, ReviewItem
from trainer.notetypes.anki_form import (
    SOURCE_FIELD,
    SOURCE_HTML,
    AnkiField,
    AnkiNoteType,
    FieldForm,
    extra,
    isolated,
    literal,
)
from trainer.notetypes.base import GAP, PLAIN, REVEALED, Checker, Entries, NoteType, Pieces


@dataclass(frozen=True, kw_only=True)
class ClozeNote(Note):
    type: ClassVar[str] = CLOZE_TYPE

    text: str
    extra: str | None = None

    @property
    def prompt(self) -> str:
        return self.text

    @property
    def numbers(self) -> tuple[int, ...]:
        return cloze.numbers(self.text)

    def item_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.id}{CLOZE_INFIX}{n}" for n in self.numbers)

    def item_ords(self) -> tuple[int, ...]:
        """Cloze number - 1: Anki's card ordinal of each deletion."""
        return tuple(number - 1 for number in self.numbers)

    def cloze_number(self, ord_: int) -> int | None:
        return ord_ + 1

    def asked(self, ord_: int) -> str:
        return cloze.asked(self.text, ord_ + 1)


def check(checker: Checker, entries: Entries, values: dict[str, object], where: str) -> None:
    """The text parses as cloze syntax and deletes something."""
    text = values.get("text")
    if not isinstance(text, str):
        return
    node = entries["text"][1]
    try:
        segments = cloze.parse(text)
    except cloze.ClozeSyntaxError as error:
        checker.report(node, f"{where}: {error}")
        values["text"] = None
        return
    if not any(isinstance(segment, cloze.Deletion) for segment in segments):
        checker.report(node, f"{where}: cloze text has no deletion like '{{{{c1::answer}}}}'")
        values["text"] = None


def _shown(item: ReviewItem, *, revealed: bool) -> Pieces:
    """The text with the item's deletions hidden (`[...]`, `[hint]`) or shown; the others'
    answers in place."""
    note, number = item.note, item.cloze_number or 1
    assert isinstance(note, ClozeNote), note.type
    pieces: Pieces = []
    for segment in cloze.parse(note.text):
        if isinstance(segment, str):
            pieces.append((segment, PLAIN))
        elif segment.number != number:
            pieces.append((segment.answer, PLAIN))
        elif revealed:
            pieces.append((segment.answer, REVEALED))
        else:
            pieces.append((f"[{segment.hint}]" if segment.hint else cloze.GAP, GAP))
    return pieces


def question(item: ReviewItem, _picked: int | None) -> Pieces:
    return _shown(item, revealed=False)


def answer(item: ReviewItem, _picked: int | None) -> Pieces:
    return _shown(item, revealed=True)


def label(item: ReviewItem) -> str:
    """`cloze c2`: the deletion asked."""
    return f"cloze c{item.cloze_number}"


CLOZE = NoteType(
    position=30,
    note_class=ClozeNote,
    fields={"text": True, "extra": False},
    check=check,
    anki=AnkiNoteType(
        1365275433,
        "Trainer \u00b7 Cloze",
        (
            AnkiField("Text", FieldForm.DELETIONS, "text"),
            AnkiField("Extra", FieldForm.OPTIONAL, "extra"),
            SOURCE_FIELD,
        ),
        (
            literal(
                {
                    "name": "Cloze",
                    "qfmt": f'<div class="prompt">{isolated("cloze:Text")}</div>',
                    "afmt": (
                        f'<div class="prompt">{isolated("cloze:Text")}</div>\n'
                        f"{extra('Extra')}\n{SOURCE_HTML}"
                    ),
                }
            ),
        ),
        cloze=True,
    ),
    question=question,
    answer=answer,
    label=label,
)
NOTE_TYPE = CLOZE
