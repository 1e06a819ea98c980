"""The current local time, replaceable with TRAINER_NOW for simulations and tests."""

from __future__ import annotations

import os
from datetime import datetime

from trainer.errors import UsageError

NOW_VARIABLE = "TRAINER_NOW"
EARLIEST = datetime(1970, 1, 2)
"""Build times are seconds since 1970: a day of margin keeps them positive in every zone."""
LATEST = datetime(9899, 12, 31, 23, 59, 59)
"""A due day is at most 36,500 days (100 years) ahead, and it must be a real date (<= 9999)."""


def _unsupported(source: str) -> UsageError:
    return UsageError(
        f"{source} is outside the dates the trainer supports "
        f"({EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d})"
    )


def _supported(moment: datetime, source: str) -> datetime:
    if not EARLIEST <= moment <= LATEST:
        raise _unsupported(source)
    return moment


def now() -> datetime:
    """Local naive date-time: TRAINER_NOW (ISO 8601) if set, else the wall clock; either must
    lie between EARLIEST and LATEST, or a UsageError says so."""
    value = os.environ.get(NOW_VARIABLE)
    if not value:
        return _supported(datetime.now().replace(microsecond=0), "the system clock's date")
    source = f"{NOW_VARIABLE}={value!r}"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{source} is not an ISO 8601 date-time (e.g. 2026-03-01T09:00:00)"
        ) from None
    try:
        local = moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
    except (OverflowError, ValueError):  # an offset that moves year 1 or 9999 off the calendar
        raise _unsupported(source) from None
    return _supported(local, source)


def wall_clock(command: str) -> datetime:
    """`now()` for a command that must agree with another program's clock (Anki's scheduler
    reads the real one): TRAINER_NOW is refused rather than mixed with it."""
    if os.environ.get(NOW_VARIABLE):
        raise UsageError(
            f"{command} uses the real clock, as Anki's scheduler does: unset {NOW_VARIABLE}"
        )
    return now()
