"""`reverse`: a basic note asked both ways; two review items (front -> back, back -> front)."""

from __future__ import annotations

from trainer.model import ReverseNote
from trainer.notetypes.base import NoteType

REVERSE = NoteType(ReverseNote, {"front": True, "back": True, "extra": False})
