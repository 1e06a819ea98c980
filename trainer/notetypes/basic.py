"""`basic`: a front asked, a back recalled; one review item."""

from __future__ import annotations

from trainer.model import BasicNote
from trainer.notetypes.base import NoteType

BASIC = NoteType(BasicNote, {"front": True, "back": True, "extra": False})
