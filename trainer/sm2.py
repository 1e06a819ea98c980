"""SuperMemo SM-2, exactly.

The easiness (E-Factor) is always a multiple of 0.02, so it is computed as an integer number of
hundredths: `6 x 2.0` gives 12 days, never 13 from binary floating-point drift. The public
`Sm2State.easiness` is still a float (`2.5`), the nearest one to the exact value.
"""

from typing import NamedTuple

from trainer.core.grades import GRADES as QUALITIES
from trainer.core.grades import PASSING as PASSING_QUALITY

HUNDREDTHS = 100
INITIAL_EASINESS_HUNDREDTHS = 250
MIN_EASINESS_HUNDREDTHS = 130
FIRST_INTERVAL = 1
SECOND_INTERVAL = 6


class Sm2State(NamedTuple):
    repetitions: int = 0
    easiness: float = INITIAL_EASINESS_HUNDREDTHS / HUNDREDTHS
    interval: int = 0

    @property
    def easiness_hundredths(self) -> int:
        return round(self.easiness * HUNDREDTHS)

    @classmethod
    def from_hundredths(
        cls, repetitions: int, easiness_hundredths: int, interval: int
    ) -> "Sm2State":
        return cls(repetitions, easiness_hundredths / HUNDREDTHS, interval)


def easiness_change_hundredths(quality: int) -> int:
    """`0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)` in hundredths: +10, 0, -14, -32, -54, -80."""
    miss = 5 - quality
    return 10 - miss * (8 + miss * 2)


def check_quality(quality: int) -> None:
    if isinstance(quality, bool) or not isinstance(quality, int) or quality not in QUALITIES:
        raise ValueError(f"SM-2 quality must be an integer from 0 to 5, not {quality!r}")


def review(state: Sm2State, quality: int) -> Sm2State:
    """The state after answering with `quality` (0-5); raises ValueError for any other value."""
    check_quality(quality)
    easiness = state.easiness_hundredths
    if quality >= PASSING_QUALITY:
        if state.repetitions == 0:
            interval = FIRST_INTERVAL
        elif state.repetitions == 1:
            interval = SECOND_INTERVAL
        else:
            interval = -(-state.interval * easiness // HUNDREDTHS)  # exact ceiling
        repetitions = state.repetitions + 1
    else:
        repetitions, interval = 0, FIRST_INTERVAL
    new_easiness = max(MIN_EASINESS_HUNDREDTHS, easiness + easiness_change_hundredths(quality))
    return Sm2State.from_hundredths(repetitions, new_easiness, interval)


MAX_INTERVAL_DAYS = 36_500
"""Anki's cap on intervals (100 years); the store caps what it schedules (`capped`)."""


def capped(state: Sm2State) -> Sm2State:
    """`state` with its interval at most MAX_INTERVAL_DAYS. `review` stays the exact SM-2;
    the schedule that is stored and shown is capped, so dates stay on the calendar and a run
    of Easy grades cannot grow the stored number without end."""
    if state.interval <= MAX_INTERVAL_DAYS:
        return state
    return state._replace(interval=MAX_INTERVAL_DAYS)
