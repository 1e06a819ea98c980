"""The session's words to the user: what an undo took back, and the deck line of the header."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from trainer.core.undoable import Undoable
from trainer.visible import clipped, visible

if TYPE_CHECKING:
    from trainer.model import ReviewItem

UNDO_QUESTION_WIDTH = 50
UNDO_WORDS: dict[str, str] = {
    **{action: action.value for action in Undoable},
    Undoable.GRADE: "answer",
    Undoable.SET_DUE_DAY: "new due day",
}
"""Each `Undoable` as the user says it: its name, but for two."""


class Undone(NamedTuple):
    """What `Session.undo` took back."""

    id: str
    """The review item's id."""
    item: ReviewItem | None
    """The item as the bank has it now; None if the bank no longer has it."""
    action: str = Undoable.GRADE
    """An `Undoable` (`change` for a step journalled before actions were named)."""

    def describe(self) -> str:
        """In the user's words: `Undone: answer of “When were the talks held?”`."""
        word = UNDO_WORDS.get(self.action, "change")
        if self.item is None:
            shown = visible(self.id, one_line=True)
            return f"Undone: {word} of {shown} (no longer in the bank, so not shown)"
        question = clipped(" ".join(self.item.question.split()), UNDO_QUESTION_WIDTH)
        return f"Undone: {word} of \u201c{visible(question, one_line=True)}\u201d"


def header_figures(left: int, banks: int) -> tuple[str, ...]:
    """What follows the deck's name in a several-bank header, the longest first: a narrow
    line takes the longest that leaves room for some of the name."""
    return (
        f" \u00b7 {left} left here \u00b7 {banks} banks",
        f" \u00b7 {left} left here",
        f" \u00b7 {left}",
    )


def deck_line(name: str, left: int | None, banks: int) -> str:
    """The header's deck line as a wide screen shows it: the name, and with several banks
    (`left` not None) the cards left in this one and the number of banks."""
    return name + (header_figures(left, banks)[0] if left is not None else "")
