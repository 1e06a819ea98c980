"""The deck's settings, declared once: what a bank's `deck:` section may set, how each is
written, its default and its bounds.

The others follow this table: the validator reads the settings it names (`validate_deck`), the
store keeps one `banks` column each (`store/banks.py`, `store/mirror.py`), and `model.Deck`'s
and the store's `DeckSettings`' fields are these names in this order (tests/test_one_place.py
holds them to it). Plain data, no dataclass: the store reads it on the way to `trainer due`.
"""

from __future__ import annotations

from trainer.core.limits import (
    DEFAULT_DAY_STARTS_AT,
    DEFAULT_DESIRED_RETENTION,
    DEFAULT_EXAM_WINDOW,
    DEFAULT_NEW_PER_DAY,
    DEFAULT_REDRILL_AFTER,
    DEFAULT_REVIEWS_PER_DAY,
    DEFAULT_SCHEDULER,
    HOURS_PER_DAY,
    MAX_COUNT,
    MAX_DESIRED_RETENTION,
    MAX_EXAM_WINDOW,
    MIN_DESIRED_RETENTION,
    MIN_EXAM_WINDOW,
)

COUNT = "count"
"""A whole number (0 to `MAX_COUNT`)."""
HOUR = "hour"
"""An hour of the day, local time: a whole number within the bounds."""
SCHEDULER = "scheduler"
"""One of `trainer.schedulers.SCHEDULERS`."""
PROBABILITY = "probability"
"""A decimal within the bounds."""
DAY = "day"
"""A date (`trainer.exam.exam_day` holds its range); kept as ISO text in the store."""
DAYS = "days"
"""A whole number of days within the bounds."""

DECK_SETTINGS: dict[str, tuple[str, int | float | str | None, tuple[float, float] | None]] = {
    "new_per_day": (COUNT, DEFAULT_NEW_PER_DAY, (0, MAX_COUNT)),
    "reviews_per_day": (COUNT, DEFAULT_REVIEWS_PER_DAY, (0, MAX_COUNT)),
    "day_starts_at": (HOUR, DEFAULT_DAY_STARTS_AT, (0, HOURS_PER_DAY - 1)),
    "scheduler": (SCHEDULER, DEFAULT_SCHEDULER, None),
    "desired_retention": (
        PROBABILITY,
        DEFAULT_DESIRED_RETENTION,
        (MIN_DESIRED_RETENTION, MAX_DESIRED_RETENTION),
    ),
    "redrill_after": (COUNT, DEFAULT_REDRILL_AFTER, (0, MAX_COUNT)),
    "exam": (DAY, None, None),
    "exam_window": (DAYS, DEFAULT_EXAM_WINDOW, (MIN_EXAM_WINDOW, MAX_EXAM_WINDOW)),
}
"""Each setting's `(kind, default, bounds)` by name, in the order the bank's `deck:` section
documents them. Absent from a bank (None in the store), a setting is its default; None as a
default: no exam. Bounds are inclusive; None: the kind has its own."""


def settings_of_kind(kind: str) -> tuple[str, ...]:
    """The settings written as `kind`, in order."""
    return tuple(name for name, (of_kind, _, _) in DECK_SETTINGS.items() if of_kind == kind)
