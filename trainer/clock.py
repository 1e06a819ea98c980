"""The current local time, replaceable with TRAINER_NOW for simulations and tests."""

from __future__ import annotations

import os
from datetime import datetime

from trainer.errors import UsageError

NOW_VARIABLE = "TRAINER_NOW"


def now() -> datetime:
    """Local naive date-time: TRAINER_NOW (ISO 8601) if set, else the wall clock."""
    value = os.environ.get(NOW_VARIABLE)
    if not value:
        return datetime.now().replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{NOW_VARIABLE}={value!r} is not an ISO 8601 date-time (e.g. 2026-03-01T09:00:00)"
        ) from None
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
