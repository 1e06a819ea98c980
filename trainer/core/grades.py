"""Grades: SM-2's qualities 0-5, the pass mark, and how they map to Anki's four buttons."""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from types import MappingProxyType


class Grade(IntEnum):
    """An answer's grade, SM-2's quality: 0-2 fail (re-drilled today), 3-5 pass with rising
    confidence. Stored, logged and shown as its number."""

    BLACKOUT = 0
    WRONG = 1
    ALMOST = 2
    HARD = 3
    GOOD = 4
    EASY = 5

    @property
    def label(self) -> str:
        """`Blackout`, `Wrong`, ... `Easy`: the grade's word on its button."""
        return self.name.capitalize()

    @property
    def hint(self) -> str:
        """What the grade means, for the button's tooltip and the help screen."""
        return _HINTS[self]


_HINTS = {
    Grade.BLACKOUT: "no idea at all",
    Grade.WRONG: "wrong; the answer looked familiar",
    Grade.ALMOST: "wrong, but nearly had it",
    Grade.HARD: "right, with serious effort",
    Grade.GOOD: "right, after a moment",
    Grade.EASY: "right, instantly",
}

GRADES = range(len(Grade))
"""Every grade as a plain number (0-5), the range a grade is checked against."""
PASSING = Grade.HARD.value
"""Grades from here up count as recalled: the interval grows instead of restarting."""
REDRILL_UNTIL = Grade.GOOD.value
"""SM-2: an item graded below this is repeated in the same day until it reaches it."""

MCQ_GRADE_RIGHT = Grade.GOOD.value
"""The grade suggested for a multiple-choice card answered with the right letter."""
MCQ_GRADE_WRONG = Grade.WRONG.value
"""The grade suggested for a multiple-choice card answered with a wrong letter."""

ANKI_TO_GRADE: Mapping[int, int] = MappingProxyType(
    {1: Grade.WRONG.value, 2: Grade.HARD.value, 3: Grade.GOOD.value, 4: Grade.EASY.value}
)
"""Anki's buttons (Again, Hard, Good, Easy) as grades."""


def passed(grade: int) -> bool:
    """The grade counts as recalled."""
    return grade >= PASSING


def anki_button(grade: int) -> int:
    """The Anki button for a grade: every failing grade is Again (1); 3-5 are Hard, Good, Easy."""
    return 1 if grade < PASSING else grade - 1
