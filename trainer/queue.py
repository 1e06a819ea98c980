"""The day's queue: which review items to show today and in what order. Pure rules, no I/O.

Anki's conventions: a study day starts at `day_starts_at` (04:00 by default); due reviews come
first (most overdue first), then new items in bank order; daily limits count what was already
done today (and, as in Anki, the review limit also caps new items); buried items come back the
next day, and keep their siblings away that day too (a buried cloze deletion must not be
answered by its sibling); siblings (the items of one note) are never shown on the same day.
SM-2 adds re-drills: items graded below 4 today are asked again, without changing their
schedule, until they get 4.
Like Anki's learning steps, a re-drill comes back soon: once `redrill_after` other answers have
been given since its latest failure it goes before anything else, so a user who stops early has
still repeated what they failed. Counting answers, not minutes, keeps the rule free of the clock.
"""

from collections.abc import Container, Hashable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from trainer.core.grades import REDRILL_UNTIL
from trainer.core.limits import (
    DEFAULT_DAY_STARTS_AT,
    DEFAULT_NEW_PER_DAY,
    DEFAULT_REDRILL_AFTER,
    DEFAULT_REVIEWS_PER_DAY,
)

K = TypeVar("K", bound=Hashable)


def study_day(moment: datetime, day_starts_at: int = DEFAULT_DAY_STARTS_AT) -> date:
    """The study day `moment` belongs to: 02:00 is still the previous day when days start at 4."""
    return (moment - timedelta(hours=day_starts_at)).date()


def day_start(day: date, day_starts_at: int = DEFAULT_DAY_STARTS_AT) -> datetime:
    return datetime.combine(day, time(hour=day_starts_at))


class ItemRecord(NamedTuple):
    """What the queue needs to know about one stored review item."""

    id: str
    bank_order: int
    siblings_key: str
    due_day: date | None = None
    """None: a new item, never scheduled."""
    buried_until: date | None = None
    suspended: bool = False
    retired: bool = False

    @property
    def is_new(self) -> bool:
        return self.due_day is None

    def is_buried(self, today: date) -> bool:
        return self.buried_until is not None and self.buried_until > today

    def is_available(self, today: date) -> bool:
        """In the bank, not suspended and not buried today."""
        return not (self.retired or self.suspended or self.is_buried(today))

    def is_due(self, today: date) -> bool:
        return self.due_day is not None and self.due_day <= today


class Limits(NamedTuple):
    new_per_day: int = DEFAULT_NEW_PER_DAY
    reviews_per_day: int = DEFAULT_REVIEWS_PER_DAY
    redrill_after: int = DEFAULT_REDRILL_AFTER
    """Answers to give after a failure before the failed item comes back first."""


class DayLog(NamedTuple):
    """What the review log says about today so far."""

    new_done: int = 0
    reviews_done: int = 0
    answered_siblings: frozenset[str] = frozenset()
    """Siblings keys of the items answered (new or review) today."""
    buried_siblings: frozenset[str] = frozenset()
    """Siblings keys of the items buried until after today (the store's items, not the log's,
    but the queue treats them alike: no sibling of theirs is shown today)."""
    redrill_pending: tuple[str, ...] = ()
    """Items whose latest answer today is below REDRILL_UNTIL, oldest failure first."""
    answers_since_failure: Mapping[str, int] = MappingProxyType({})
    """For each pending re-drill, the answers given today after its latest failure (an item
    missing here counts as just failed)."""


class DailyQueue(NamedTuple):
    reviews: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    redrill: tuple[str, ...] = ()
    """Every pending re-drill: first the `redrill_ready` ones, then those still waiting."""
    redrill_ready: int = 0
    """How many of the first re-drills have waited long enough to be shown first."""

    @property
    def order(self) -> tuple[str, ...]:
        ready = self.redrill_ready
        return self.redrill[:ready] + self.reviews + self.new + self.redrill[ready:]


def _take(records: Iterable[ItemRecord], room: int, shown_siblings: set[str]) -> tuple[str, ...]:
    """Up to `room` ids, skipping items whose sibling is already shown today (updates the set).
    Reads no record after the last one taken (the store would read a page more for it)."""
    taken: list[str] = []
    if room <= 0:
        return ()
    for record in records:
        if record.siblings_key in shown_siblings:
            continue
        shown_siblings.add(record.siblings_key)
        taken.append(record.id)
        if len(taken) == room:
            break
    return tuple(taken)


def daily_queue(
    scheduled: Iterable[ItemRecord],
    new: Iterable[ItemRecord],
    today: date,
    limits: Limits,
    day_log: DayLog,
) -> DailyQueue:
    """Today's queue from `scheduled` items (any order; those due today or re-drilled must be
    among them) and `new` items in bank order (read only as far as needed). Items that are not
    available today are skipped, so callers may pass more than needed."""
    candidates = [record for record in scheduled if record.is_available(today)]
    due = sorted((record for record in candidates if record.is_due(today)), key=showing_order)
    available_ids = {record.id for record in candidates}
    return queue_in_order(due, new, today, limits, day_log, redrill_available=available_ids)


def showing_order(record: ItemRecord) -> tuple[date | None, int]:
    """Due reviews come most overdue first, then in bank order."""
    return (record.due_day, record.bank_order)


def queue_in_order(
    due: Iterable[ItemRecord],
    new: Iterable[ItemRecord],
    today: date,
    limits: Limits,
    day_log: DayLog,
    *,
    redrill_available: Container[str],
) -> DailyQueue:
    """`daily_queue` for a store that hands over `due` items already in `showing_order` and
    `new` ones in bank order, both read only as far as the day's limits need: the cost does
    not grow with the bank. `redrill_available` holds the ids of today's re-drill candidates
    that are available. Unavailable or not-due records are skipped."""
    shown_siblings = set(day_log.answered_siblings | day_log.buried_siblings)
    review_room = max(0, limits.reviews_per_day - day_log.reviews_done - day_log.new_done)
    due = (record for record in due if record.is_available(today) and record.is_due(today))
    reviews = _take(due, review_room, shown_siblings)
    new_room = max(0, min(limits.new_per_day - day_log.new_done, review_room - len(reviews)))
    fresh = (record for record in new if record.is_new and record.is_available(today))
    new_ids = _take(fresh, new_room, shown_siblings) if new_room else ()
    redrill = [item_id for item_id in day_log.redrill_pending if item_id in redrill_available]
    waited = day_log.answers_since_failure
    ready = [item_id for item_id in redrill if waited.get(item_id, 0) >= limits.redrill_after]
    waiting = [item_id for item_id in redrill if item_id not in ready]
    return DailyQueue(reviews, new_ids, (*ready, *waiting), redrill_ready=len(ready))


def redrill_waits(answers_today: Iterable[tuple[K, int]]) -> dict[K, int]:
    """Items whose latest grade among today's `(item id, grade)` answers (in answer order) is
    below REDRILL_UNTIL, ordered by that latest answer, each with the number of answers given
    after it."""
    latest: dict[K, tuple[int, int]] = {}
    count = 0
    for count, (item_id, grade) in enumerate(answers_today, start=1):
        latest.pop(item_id, None)  # re-insert so dict order follows the latest answer
        latest[item_id] = (grade, count)
    return {
        item_id: count - position
        for item_id, (grade, position) in latest.items()
        if grade < REDRILL_UNTIL
    }


def redrill_pending(answers_today: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """The items of `redrill_waits`, oldest failure first."""
    return tuple(redrill_waits(answers_today))


def cram_queue(
    tagged: Iterable[ItemRecord], today: date, answers: Iterable[tuple[str, int]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A cram session's (first pass, repeats): tagged items not yet answered in the session
    (bank order), then those whose latest answer in the session was below REDRILL_UNTIL."""
    answers = list(answers)
    answered = {item_id for item_id, _ in answers}
    available = sorted(
        (record for record in tagged if record.is_available(today)), key=lambda r: r.bank_order
    )
    available_ids = {record.id for record in available}
    first_pass = tuple(record.id for record in available if record.id not in answered)
    repeats = tuple(item_id for item_id in redrill_pending(answers) if item_id in available_ids)
    return first_pass, repeats
