"""Review statistics, computed from aggregates of the stored items and the review log. Pure.

The aggregates (`Tallies`) are what the store can count without reading the log: answers
per study day and per category (running counts kept as answers are logged), due items per
day, items by state. `trainer.store.reports` gathers them.

A *review* here is a scheduled answer (log kinds `new` and `review`): those change schedules and
count toward limits, retention, streaks and accuracy. Re-drills and cram answers are counted
apart as `practice_total`.
"""

from collections.abc import Container, Iterable, Mapping
from datetime import date, timedelta
from itertools import chain, compress, repeat, takewhile
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from trainer import days
from trainer.queue import DailyQueue

K = TypeVar("K")

if TYPE_CHECKING:
    from trainer.exam import ExamReport

    StatsByName = Mapping[str, "Stats"]
    MaybeExam = ExamReport | None
else:  # unchecked at run time: a string would cost a compile() (~10M instructions) at import,
    StatsByName = Mapping  # and trainer.exam is imported only for a deck with an exam
    MaybeExam = object

FORECAST_DAYS = 30
HISTORY_DAYS = 365
RETENTION_WINDOW_DAYS = 30
HARDEST_COUNT = 10


class ItemBrief:
    """A card named in the statistics (a leech, a hardest card). This, `Accuracy`,
    `ItemCounts` and `Tallies` are plain classes read by attribute: a NamedTuple's `__new__`
    is compiled from source at import (1.5M instructions for these two, as much for those)."""

    __slots__ = ("category", "easiness", "id", "lapses", "prompt")

    def __init__(self, id: str, prompt: str, category: str, lapses: int, easiness: float) -> None:
        self.id = id
        self.prompt = prompt
        self.category = category
        self.lapses = lapses
        self.easiness = easiness

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "prompt": self.prompt,
            "category": self.category,
            "lapses": self.lapses,
            "easiness": self.easiness,
        }


class Accuracy:
    """Reviews, and how many of them were correct."""

    __slots__ = ("correct", "reviews")

    def __init__(self, reviews: int, correct: int) -> None:
        self.reviews = reviews
        self.correct = correct

    @property
    def share(self) -> float | None:
        return self.correct / self.reviews if self.reviews else None

    def to_json(self) -> dict[str, object]:
        return {"reviews": self.reviews, "correct": self.correct, "accuracy": _round(self.share)}


class Stats(NamedTuple):
    today: date
    items_total: int
    items_new: int
    items_suspended: int
    items_retired: int
    due_now: int
    """The number `trainer due` prints: due reviews, new items within today's limit, re-drills."""
    due_reviews: int
    due_new: int
    due_redrill: int
    reviews_total: int
    reviews_today: int
    practice_total: int
    retention_30d: float | None
    streak_days: int
    forecast: dict[date, int]
    """Reviews falling due on each of the next FORECAST_DAYS days."""
    daily_reviews: dict[date, int]
    """Reviews per study day, the last HISTORY_DAYS days (zeros included), oldest first."""
    retention_by_week: dict[date, float | None]
    """Share of reviews graded 3+ per week (keyed by its Monday), weeks with reviews only."""
    category_accuracy: dict[str, Accuracy]
    leeches: tuple[ItemBrief, ...]
    hardest: tuple[ItemBrief, ...]
    scheduler: str
    predicted_retention: float | None
    """FSRS decks: the mean predicted probability of recalling the scheduled items today (None
    for SM-2, which predicts no recall, and with nothing scheduled)."""
    banks: StatsByName = MappingProxyType({})
    """Each bank's own statistics by deck name (the fields above are then totals)."""
    exam: MaybeExam = None
    """The deck's exam (`trainer.exam`); in the totals, the soonest of the banks' exams."""

    def to_json(self) -> dict[str, object]:
        return self._json() | {"banks": {name: bank._json() for name, bank in self.banks.items()}}

    def _json(self) -> dict[str, object]:
        return {
            "items_total": self.items_total,
            "items_new": self.items_new,
            "items_suspended": self.items_suspended,
            "items_retired": self.items_retired,
            "due_now": self.due_now,
            "due_reviews": self.due_reviews,
            "due_new": self.due_new,
            "due_redrill": self.due_redrill,
            "reviews_total": self.reviews_total,
            "reviews_today": self.reviews_today,
            "practice_total": self.practice_total,
            "retention_30d": _round(self.retention_30d),
            "streak_days": self.streak_days,
            "forecast": days.by_iso(self.forecast, self.forecast.values()),
            "daily_reviews": days.by_iso(
                compress(self.daily_reviews, self.daily_reviews.values()),
                filter(None, self.daily_reviews.values()),
            ),
            "retention_by_week": days.by_iso(
                self.retention_by_week, map(_round, self.retention_by_week.values())
            ),
            "category_accuracy": {
                category: accuracy.to_json()
                for category, accuracy in self.category_accuracy.items()
            },
            "leeches": [item.to_json() for item in self.leeches],
            "hardest": [item.to_json() for item in self.hardest],
            "scheduler": self.scheduler,
            "predicted_retention": _round(self.predicted_retention),
        } | ({"exam": self.exam.to_json()} if self.exam is not None else {})


class ItemCounts:
    """A bank's items by state (a plain class, as `ItemBrief` says why)."""

    __slots__ = ("new", "retired", "suspended", "total")

    def __init__(self, total: int, new: int, suspended: int, retired: int) -> None:
        self.total = total
        """Current (not retired) items."""
        self.new = new
        """Never scheduled and not suspended."""
        self.suspended = suspended
        self.retired = retired


class Tallies:
    """What `compute` needs, counted by the store. Reviews are scheduled answers only."""

    __slots__ = (
        "accuracy_by_category",
        "correct_by_day",
        "due_by_day",
        "hardest",
        "items",
        "leeches",
        "practice_total",
        "predicted_items",
        "predicted_retention",
        "reviews_by_day",
        "scheduler",
    )

    def __init__(
        self,
        *,
        items: ItemCounts,
        due_by_day: dict[date, int],
        reviews_by_day: dict[date, int],
        correct_by_day: dict[date, int],
        practice_total: int,
        accuracy_by_category: dict[str, Accuracy],
        leeches: tuple[ItemBrief, ...],
        hardest: tuple[ItemBrief, ...],
        scheduler: str = "sm2",
        predicted_retention: float | None = None,
        predicted_items: int = 0,
    ) -> None:
        self.items = items
        self.due_by_day = due_by_day
        """Current, unsuspended, scheduled items by due day: the forecast's days (others
        unused)."""
        self.reviews_by_day = reviews_by_day
        """Scheduled answers per study day: the days with some only."""
        self.correct_by_day = correct_by_day
        """Those graded correct, on the same days."""
        self.practice_total = practice_total
        self.accuracy_by_category = accuracy_by_category
        """By the category of the item; `?` for items without one and for answers logged for
        an id that was not a stored item (only a foreign write can log those)."""
        self.leeches = leeches
        self.hardest = hardest
        """Current items with lapses: most lapses first, then lowest easiness, then id."""
        self.scheduler = scheduler
        """`sm2` or `fsrs`; over several banks of both, `mixed`."""
        self.predicted_retention = predicted_retention
        self.predicted_items = predicted_items
        """How many items `predicted_retention` is the mean of."""


def _round(share: float | None) -> float | None:
    return None if share is None else round(share, 4)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


ONE_DAY = timedelta(days=1)


def streak(review_days: Container[date], today: date) -> int:
    """Consecutive study days with reviews, ending today (or yesterday if none yet today)."""
    return _run_back(review_days, today if today in review_days else today - ONE_DAY)


def _run_back(review_days: Container[date], last: date) -> int:
    """Consecutive days in `review_days` ending on `last`, looked up a year at a time in C
    (`takewhile` over the shared `days.span`), not day by day."""
    count = 0
    while True:
        year = days.span(last.toordinal() - HISTORY_DAYS + 1, HISTORY_DAYS)
        run = len(list(takewhile(review_days.__contains__, reversed(year))))
        count += run
        if run < HISTORY_DAYS:
            return count
        last = year[0] - ONE_DAY


def _history(today: date) -> tuple[date, ...]:
    """The last HISTORY_DAYS days, today's last."""
    return days.span(today.toordinal() - HISTORY_DAYS + 1, HISTORY_DAYS)


Calendar = tuple[float | None, int, dict[date, int], dict[date, float | None]]
"""`Stats`' retention_30d, streak_days, daily_reviews and retention_by_week."""


def _calendar(reviews: dict[date, int], correct: dict[date, int], today: date) -> Calendar:
    """The figures of the calendar, from three lists in the order of the shared year of days
    (made in C: `map`), each a slice or a sum away; day by day only if some review is on a
    day after `today` (a clock set back)."""
    history = _history(today)
    if reviews and max(reviews) > today:
        return _calendar_daily(reviews, correct, today, history)
    daily = list(map(reviews.get, history, repeat(0)))
    right = list(map(correct.get, history, repeat(0)))
    reviewed = list(map(reviews.__contains__, history))
    window = slice(-RETENTION_WINDOW_DAYS, None)
    ending = reviewed if reviewed[-1] else reviewed[:-1]  # the streak ends today or yesterday
    streak_days = (
        ending[::-1].index(False)
        if False in ending
        else len(ending) + _run_back(reviews, history[0] - ONE_DAY)
    )
    by_week = {
        monday: _ratio(sum(right[start:end]), sum(daily[start:end]))
        for monday, start, end in days.weeks(history[0], len(history))
        if True in reviewed[start:end]
    }
    return (
        _ratio(sum(right[window]), sum(daily[window])),
        streak_days,
        dict(zip(history, daily, strict=True)),
        by_week,
    )


def _calendar_daily(
    reviews: dict[date, int], correct: dict[date, int], today: date, history: tuple[date, ...]
) -> Calendar:
    window_start = today - timedelta(days=RETENTION_WINDOW_DAYS - 1)
    window = [day for day in reviews if day >= window_start]
    return (
        _ratio(sum(map(correct.__getitem__, window)), sum(map(reviews.__getitem__, window))),
        streak(reviews.keys(), today),
        dict(zip(history, map(reviews.get, history, repeat(0)), strict=True)),
        _by_week_daily(reviews, correct, history[0]),
    )


def _by_week_daily(
    reviews: dict[date, int], correct: dict[date, int], since: date
) -> dict[date, float | None]:
    weeks: dict[date, list[int]] = {}
    for day in sorted(reviews):
        if day >= since:
            counts = weeks.setdefault(days.monday(day), [0, 0])
            counts[0] += reviews[day]
            counts[1] += correct[day]
    return {monday: _ratio(right, answers) for monday, (answers, right) in weeks.items()}


def compute(tallies: Tallies, today: date, queue: DailyQueue) -> Stats:
    """The statistics of study day `today`. The calendar's figures are looked up day by day
    in C (`map`, `zip` over the shared `days.span`): a five-bank `stats` makes six of these."""
    reviews = tallies.reviews_by_day
    forecast = days.span(today.toordinal() + 1, FORECAST_DAYS)
    retention, streak_days, daily, by_week = _calendar(reviews, tallies.correct_by_day, today)
    return Stats(
        today=today,
        items_total=tallies.items.total,
        items_new=tallies.items.new,
        items_suspended=tallies.items.suspended,
        items_retired=tallies.items.retired,
        due_now=len(queue.order),
        due_reviews=len(queue.reviews),
        due_new=len(queue.new),
        due_redrill=len(queue.redrill),
        reviews_total=sum(reviews.values()),
        reviews_today=reviews.get(today, 0),
        practice_total=tallies.practice_total,
        retention_30d=retention,
        streak_days=streak_days,
        forecast=dict(zip(forecast, map(tallies.due_by_day.get, forecast, repeat(0)), strict=True)),
        daily_reviews=daily,
        retention_by_week=by_week,
        category_accuracy=dict(sorted(tallies.accuracy_by_category.items())),
        leeches=tallies.leeches,
        hardest=tallies.hardest[:HARDEST_COUNT],
        scheduler=tallies.scheduler,
        predicted_retention=tallies.predicted_retention,
    )


def _sum_by_key(parts: list[dict[K, int]]) -> dict[K, int]:
    """The counts of every key in `parts`, added up in C (keys in order of first appearance)."""
    keys = dict.fromkeys(chain.from_iterable(parts))
    columns = [map(part.get, keys, repeat(0)) for part in parts]
    return dict(zip(keys, map(sum, zip(*columns, strict=True)), strict=True))


def _add(first: Accuracy, second: Accuracy) -> Accuracy:
    return Accuracy(first.reviews + second.reviews, first.correct + second.correct)


def _sum_accuracies(parts: Iterable[dict[K, Accuracy]]) -> dict[K, Accuracy]:
    total: dict[K, Accuracy] = {}
    for part in parts:
        for key, value in part.items():
            total[key] = _add(total[key], value) if key in total else value
    return total


def merge(tallies: list[Tallies]) -> Tallies:
    """The tallies of several banks as one: counts added, leeches listed, hardest re-ranked."""
    hardest = sorted(
        (brief for part in tallies for brief in part.hardest),
        key=lambda brief: (-brief.lapses, brief.easiness, brief.id),
    )
    return Tallies(
        items=ItemCounts(
            total=sum(part.items.total for part in tallies),
            new=sum(part.items.new for part in tallies),
            suspended=sum(part.items.suspended for part in tallies),
            retired=sum(part.items.retired for part in tallies),
        ),
        due_by_day=_sum_by_key([part.due_by_day for part in tallies]),
        reviews_by_day=_sum_by_key([part.reviews_by_day for part in tallies]),
        correct_by_day=_sum_by_key([part.correct_by_day for part in tallies]),
        practice_total=sum(part.practice_total for part in tallies),
        accuracy_by_category=_sum_accuracies(part.accuracy_by_category for part in tallies),
        leeches=tuple(brief for part in tallies for brief in part.leeches),
        hardest=tuple(hardest[:HARDEST_COUNT]),
        scheduler=_common({part.scheduler for part in tallies}),
        predicted_retention=_weighted_mean(
            [(part.predicted_retention, part.predicted_items) for part in tallies]
        ),
        predicted_items=sum(part.predicted_items for part in tallies),
    )


def _common(schedulers: set[str]) -> str:
    if not schedulers:
        return "sm2"
    return schedulers.pop() if len(schedulers) == 1 else "mixed"


def _weighted_mean(means: list[tuple[float | None, int]]) -> float | None:
    counted = [(mean, count) for mean, count in means if mean is not None and count]
    total = sum(count for _, count in counted)
    return sum(mean * count for mean, count in counted) / total if total else None


def combine(
    per_bank: dict[str, Stats], parts: list[tuple[Tallies, date, DailyQueue]], today: date
) -> Stats:
    """Totals over banks on study day `today` (the due figures add up each bank's queue under
    its own limits), with each bank's statistics under `banks`."""
    queue = DailyQueue(
        reviews=tuple(item for _, _, part in parts for item in part.reviews),
        new=tuple(item for _, _, part in parts for item in part.new),
        redrill=tuple(item for _, _, part in parts for item in part.redrill),
    )
    total = compute(merge([part for part, _, _ in parts]), today, queue)
    return total._replace(banks=per_bank)
