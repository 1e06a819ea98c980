"""`ItemKey`: a stored review item's identity across banks."""

from __future__ import annotations

from typing import NamedTuple


class ItemKey(NamedTuple):
    """A stored item: its bank's row id and its id in that bank."""

    bank: int
    id: str
