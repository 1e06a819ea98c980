"""The note-type registry (#25): each type's module declares what every layer needs, and the
layers take it from there."""

from __future__ import annotations

from dataclasses import fields

from trainer.anki import models
from trainer.model import CARD_TYPES
from trainer.notetypes import NOTE_TYPES
from trainer.notetypes.anki_form import FieldForm

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
