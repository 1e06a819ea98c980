"""The note types as Anki stores them, looked up by bank card type. Each type declares its own
(`trainer.notetypes`: id, name, fields, templates; `trainer.notetypes.anki_form` says why ids
and names never change); this module interprets those declarations for the export.

Plain data: genanki's `Model` is made only for a build (`genanki_model`), so `trainer sync`,
which reads these too, does not import genanki (and the YAML, asyncio and chevron it imports:
60 ms of a sync's start).
"""

from __future__ import annotations

import hashlib
import json
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from trainer.notetypes import NOTE_TYPES
from trainer.notetypes.anki_form import AnkiNoteType as NoteType
from trainer.notetypes.basic import BASIC as _BASIC
from trainer.notetypes.mcq import MCQ_ANKI as MCQ

if TYPE_CHECKING:
    import genanki

__all__ = ["BASIC", "KINDS", "MCQ", "MODELS", "NoteType", "fingerprint", "genanki_model"]

MODELS = MappingProxyType({kind: note_type.anki for kind, note_type in NOTE_TYPES.items()})
"""Note type by bank card type."""
KINDS = MappingProxyType({model.model_id: kind for kind, model in MODELS.items()})
"""Bank card type by note type id."""
BASIC = _BASIC.anki


def genanki_model(note_type: NoteType) -> genanki.Model:
    """genanki's model of the note type, for writing a package."""
    import genanki

    return genanki.Model(
        note_type.model_id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[dict(template) for template in note_type.templates],
        css=note_type.css,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=note_type.sort_field_index,
    )


def fingerprint(note_type: NoteType) -> str:
    """Changes whenever anything Anki stores for the note type changes (name, CSS, templates)."""
    return json_fingerprint(genanki_model(note_type).to_json(0, 0))


def json_fingerprint(stored: dict[str, Any]) -> str:
    """`fingerprint` of a note type as a package stores it (with its time and deck id)."""
    payload = json.dumps(stored | {"mod": 0, "did": 0}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]
