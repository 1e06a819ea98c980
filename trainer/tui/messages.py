"""Messages the review widgets send up to their screen."""

from __future__ import annotations

from textual.message import Message


class GradeChosen(Message):
    """A grade button was clicked: grade the shown card with SM-2 `quality` (0-5)."""

    def __init__(self, quality: int) -> None:
        super().__init__()
        self.quality = quality


class RevealRequested(Message):
    """The "show answer" button was clicked."""
