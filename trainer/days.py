"""The days the statistics' calendars share. Pure.

A five-bank `trainer stats` makes six calendars (each bank's and the totals) over the same
year of days; each is read in C (`map`, `zip`, slices) over the tuples made here once. Each
day is one object (`shared_days`), so that a dict finds its key by identity rather than by
comparing two dates, and keeps the ISO text the database gave it (`days_of`) for the JSON.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import TypeVar

V = TypeVar("V")


@lru_cache(maxsize=8)
def span(first: int, count: int) -> tuple[date, ...]:
    """`count` days from the day of ordinal `first`: each bank's statistics and the totals
    share them (made from ordinals: a `timedelta` per day cost 365 times as much)."""
    return tuple(shared_days(map(date.fromordinal, range(first, first + count))))


_SHARED_DAYS: dict[date, date] = {}
"""The one object of each day met (a few hundred a year of use): see `shared_days`."""


def shared_days(days: Iterable[date]) -> list[date]:
    """`days`, each as the one object of its day that the calendars here share. A dict lookup
    by the very object stored as key skips comparing two dates: keyed by the calendar's own
    objects, the log's counts (`Tallies.reviews_by_day`) cost a five-bank `stats` 1.6M
    instructions less."""
    found = list(days)
    return list(map(_SHARED_DAYS.setdefault, found, found))


class _IsoTexts(dict[date, str]):
    """Each day's ISO text, made by `date.isoformat` (4.5K instructions) only for a day not
    read as text from the database (`days_of`)."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


_ISO_TEXTS = _IsoTexts()


def days_of(texts: Iterable[str]) -> list[date]:
    """The days of the ISO `texts` (as the database stores them), as `shared_days`; their
    texts are kept for the JSON if each is a day's `isoformat()`."""
    found = list(texts)
    days = shared_days(map(date.fromisoformat, found))
    if _all_isoformat(found):
        _ISO_TEXTS.update(zip(days, found, strict=True))
    return days


def _all_isoformat(texts: list[str]) -> bool:
    """Whether each of `texts`, read by `date.fromisoformat`, is YYYY-MM-DD: the only other
    form of 10 characters it reads is a week date (YYYY-Www-D), and none of its forms is
    longer (checked in C, on all the texts at once)."""
    joined = "".join(texts)
    return len(joined) == 10 * len(texts) and "W" not in joined


def by_iso(days: Iterable[date], values: Iterable[V]) -> dict[str, V]:
    """`values` by the ISO text of their `days`, paired in C (`map`, `zip`)."""
    return dict(zip(map(_ISO_TEXTS.__getitem__, days), values, strict=True))


@lru_cache(maxsize=1024)
def monday(day: date) -> date:
    """The Monday of `day`'s week (cached: the banks' histories share their days)."""
    (found,) = shared_days([date.fromordinal(day.toordinal() - day.weekday())])
    return found


@lru_cache(maxsize=8)
def weeks(first: date, count: int) -> tuple[tuple[date, int, int], ...]:
    """The weeks of the `count` days from `first`: each one's Monday and its days' slice."""
    cuts = [0, *range(7 - first.weekday(), count, 7), count]
    return tuple(
        (monday(first + timedelta(days=start)), start, end) for start, end in pairwise(cuts)
    )
