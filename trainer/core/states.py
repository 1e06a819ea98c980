"""Card states: where a review item stands today, as the browser and `trainer cards` say it."""

from __future__ import annotations

from enum import StrEnum


class CardState(StrEnum):
    NEW = "new"
    REVIEW = "review"
    SUSPENDED = "suspended"
    BURIED = "buried"
    LEECH = "leech"
    """Suspended for failing too often."""
    RETIRED = "retired"
    """Gone from the bank; its history is kept."""


STATES = tuple(CardState)
SUSPENDED_STATES = (CardState.SUSPENDED, CardState.LEECH)
"""States an unsuspend brings back."""
FORGETTABLE_STATES = (CardState.REVIEW, CardState.SUSPENDED, CardState.LEECH, CardState.BURIED)
"""States a forget makes new again (a retired card is gone, a new one new already)."""
