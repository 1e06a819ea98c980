"""`ItemKey`: a stored review item's identity across banks; how a note's items are named."""

from typing import NamedTuple


class ItemKey(NamedTuple):
    """A stored item: its bank's row id and its id in that bank."""

    bank: int
    id: str


REVERSE_SUFFIX = ":reverse"
"""Item id suffix of a reverse note's back->front item; the front->back item keeps the note id,
so turning a basic note into a reverse one keeps the history of its original direction."""
CLOZE_INFIX = ":c"
"""A cloze note's items: the note id, this, and the cloze number (`note:c2`)."""
REVERSE_TYPE, CLOZE_TYPE = "reverse", "cloze"
"""The note types whose items the shapes above name, as a stored note's `type` says (the store
reads them without the bank's model; the note classes (`trainer.notetypes`) take their names from
here)."""
