"""What the user can take back: each action the undo journal records, by the name it stores."""

from __future__ import annotations

from enum import StrEnum


class Undoable(StrEnum):
    GRADE = "grade"
    BURY = "bury"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    """The card browser's actions from here on."""
    UNBURY = "unbury"
    FORGET = "forget"
    SET_DUE_DAY = "set due day"
