"""A note type as the bank declares it: its own fields and the checks of their values. Each
type is one module of `trainer.notetypes`; the validator (`trainer.validate`) reads the bank
through them."""

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol

from trainer.model import Note, ReviewItem
from trainer.notetypes.anki_form import AnkiNoteType

Entries = Mapping[str, tuple[Any, Any]]
"""A card's fields as read from the bank: name -> (key node, value node)."""


class Checker(Protocol):
    """What a type's check may ask of the validator (the nodes are YAML's, left opaque here
    so that reading a type does not import YAML)."""

    def report(self, node: Any, message: str) -> None: ...

    def text(self, node: Any, what: str, *, required: bool = True) -> str | None: ...

    def elements(self, node: Any) -> list[Any] | None:
        """A list's element nodes; None if `node` is not a list."""
        ...


Check = Callable[[Checker, Entries, dict[str, object], str], None]
"""Checks a card's `values` (its text fields, read) against its `entries`; sets a field it
finds wrong to None (reported), fills in the fields it reads itself."""

PLAIN, GAP, REVEALED, CHOSEN, RIGHT, WRONG, OTHER, LETTER = (
    "plain", "gap", "revealed", "chosen", "right", "wrong", "other", "letter",
)  # fmt: skip
"""The parts a piece of a card plays on screen: plain text, a hidden deletion, a deletion
shown, the choice picked before the answer is shown, the answer (a right pick), a wrong pick,
the choices neither picked nor right, a choice's letter. The terminal styles each part
(`trainer.tui.render`)."""
Pieces = list[tuple[str, str]]
"""A card's text as it is shown: each piece (literal text) with the part it plays."""
Shown = Callable[[ReviewItem, int | None], Pieces]
"""The item's question, or its answer shown, given the choice picked (None: none)."""


class NoteType(NamedTuple):
    """A note type as its module declares it (by keyword). A NamedTuple, not a dataclass: every
    type is declared before the first card is shown, and a dataclass's generated methods cost
    ~6M instructions to define (issue #23). Its annotations are evaluated (no `from __future__
    import annotations` here): a string annotation would cost a compile() per field."""

    note_class: type[Note]
    position: int
    """Where the type comes among the types (`trainer.notetypes`: the order the summaries list
    them in); each type its own."""
    fields: Mapping[str, bool]
    """The type's own fields (beyond id, type, tags, source and quiet): True if required."""
    anki: AnkiNoteType
    """The type as Anki keeps it (`trainer.anki` builds and syncs it)."""
    question: Shown
    """What the item asks, before the answer is shown."""
    answer: Shown
    """The item once revealed: the question and its answer together, the answer marked."""
    aside: str = "extra"
    """The note's optional attribute shown in small print under the answer."""
    check: Check | None = None
    read_by_check: tuple[str, ...] = ()
    """Fields that are not plain text: `check` reads them."""
    label: Callable[[ReviewItem], str] | None = None
    """The item's type as the line above the card says it; None: the type's name."""
    choice: Callable[[Note], tuple[int, int]] | None = None
    """A note answered by picking a choice: how many there are and which is right (0 is
    `a`); None: the answer is recalled, not picked."""

    def item_label(self, item: ReviewItem) -> str:
        return self.name if self.label is None else self.label(item)

    @property
    def name(self) -> str:
        """The bank's `type:` (the note class's)."""
        return self.note_class.type
