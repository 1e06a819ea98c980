"""Answer kinds: what an answer was, as the log stores it.

`new` and `review` are scheduled answers (they change the schedule and count as reviews in
statistics and daily limits); `redrill` (SM-2's same-day repeats of grades below 4) and `cram`
(a tag session) are practice and leave the schedule alone.
"""

from __future__ import annotations

from enum import StrEnum


class AnswerKind(StrEnum):
    """What an answer was; stored as its value."""

    NEW = "new"
    REVIEW = "review"
    REDRILL = "redrill"
    CRAM = "cram"


KINDS = tuple(AnswerKind)
SCHEDULED_KINDS = (AnswerKind.NEW, AnswerKind.REVIEW)
"""Answers that change the schedule and count as reviews."""
DAY_KINDS = (*SCHEDULED_KINDS, AnswerKind.REDRILL)
"""Answers of the day's queue (not cram): those an Anki sync exchanges."""
