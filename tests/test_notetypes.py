"""The note-type registry (#25): each type's module declares what every layer needs, and the
layers take it from there."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import ClassVar

import pytest

from tests.test_core_vocabulary import imported_modules
from trainer.anki import models
from trainer.model import Note, ReviewItem, expand
from trainer.notetypes import CARD_TYPES, NOTE_TYPES
from trainer.notetypes.anki_form import FieldForm
from trainer.notetypes.base import PLAIN, RIGHT, Pieces
from trainer.notetypes.mcq import MCQ
from trainer.tui import render

NOTETYPES = Path(__file__).resolve().parent.parent / "trainer" / "notetypes"

FROM_AN_ATTRIBUTE = {FieldForm.TEXT, FieldForm.OPTIONAL, FieldForm.DELETIONS}


def test_every_card_type_is_registered_once() -> None:
    assert tuple(NOTE_TYPES) == CARD_TYPES
    ids = [note_type.anki.model_id for note_type in NOTE_TYPES.values()]
    names = [note_type.anki.name for note_type in NOTE_TYPES.values()]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)


def test_the_export_takes_its_note_types_from_the_registry() -> None:
    assert dict(models.MODELS) == {name: kind.anki for name, kind in NOTE_TYPES.items()}
    assert {models.KINDS[kind.anki.model_id] for kind in NOTE_TYPES.values()} == set(NOTE_TYPES)


def test_every_anki_field_is_made_from_something_the_note_has() -> None:
    for name, note_type in NOTE_TYPES.items():
        attributes = {field.name for field in fields(note_type.note_class)}
        anki_fields = note_type.anki.anki_fields
        assert anki_fields[-1].form is FieldForm.SOURCE, name
        for field in anki_fields:
            if field.form in FROM_AN_ATTRIBUTE:
                assert field.attribute in attributes, (name, field)
        assert note_type.aside in attributes, name


def test_the_note_types_import_no_terminal_or_package_library() -> None:
    for path in sorted(NOTETYPES.glob("*.py")):
        heavy = {
            name
            for name in imported_modules(path)
            if name.split(".")[0] in {"textual", "rich", "genanki", "yaml", "anki"}
        }
        assert not heavy, f"{path.name} imports {sorted(heavy)}"


@dataclass(frozen=True, kw_only=True)
class TypedNote(Note):
    """A hypothetical type-the-answer card: a prompt, and the answer to type."""

    type: ClassVar[str] = "typed"
    prompt_text: str
    expected: str
    extra: str | None = None

    @property
    def prompt(self) -> str:
        return self.prompt_text


def _typed_question(item: ReviewItem, _picked: int | None) -> Pieces:
    assert isinstance(item.note, TypedNote)
    return [(item.note.prompt_text, PLAIN), ("\n\n", PLAIN), ("type the answer", PLAIN)]


def _typed_answer(item: ReviewItem, _picked: int | None) -> Pieces:
    assert isinstance(item.note, TypedNote)
    return [(item.note.prompt_text, PLAIN), ("\n\n", PLAIN), (item.note.expected, RIGHT)]


TYPED = replace(
    MCQ,
    note_class=TypedNote,
    fields={"prompt_text": True, "expected": True, "extra": False},
    check=None,
    read_by_check=(),
    aside="extra",
    question=_typed_question,
    answer=_typed_answer,
    label=lambda _item: "typed answer",
    choice=None,
)
"""Declared in one place, as a module of `trainer.notetypes` would declare it."""


def test_a_new_type_is_shown_as_its_own_module_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "NOTE_TYPES", {**NOTE_TYPES, TYPED.name: TYPED})
    note = TypedNote(id="t", tags=("date",), sources=(), prompt_text="Capital?", expected="Ottawa")
    (item,) = expand(note)
    assert render.question(item).plain == "Capital?\n\ntype the answer"
    shown = render.answer(item)
    assert shown.plain == "Capital?\n\nOttawa"
    assert [shown.plain[span.start : span.end] for span in shown.spans] == ["Ottawa"]
    assert render.type_label(item) == "typed answer"
    assert render.choices(item) == 0 and render.suggested_grade(item, 0) is None
