"""Review statistics, computed from the stored items and the review log. Pure: no I/O.

A *review* here is a scheduled answer (log kinds `new` and `review`): those change schedules and
count toward limits, retention, streaks and accuracy. Re-drills and cram answers are counted
apart as `practice_total`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from trainer.queue import DailyQueue
from trainer.sm2 import PASSING_QUALITY
from trainer.store.items import StoredItem
from trainer.store.log import LogEntry

FORECAST_DAYS = 30
HISTORY_DAYS = 365
RETENTION_WINDOW_DAYS = 30
HARDEST_COUNT = 10


@dataclass(frozen=True)
class ItemBrief:
    id: str
    prompt: str
    category: str
    lapses: int
    easiness: float

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "prompt": self.prompt,
            "category": self.category,
            "lapses": self.lapses,
            "easiness": self.easiness,
        }


@dataclass(frozen=True)
class Accuracy:
    reviews: int
    correct: int

    @property
    def share(self) -> float | None:
        return self.correct / self.reviews if self.reviews else None

    def to_json(self) -> dict[str, object]:
        return {"reviews": self.reviews, "correct": self.correct, "accuracy": _round(self.share)}


@dataclass(frozen=True)
class Stats:
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
    retention_by_week: dict[date, float]
    """Share of reviews graded 3+ per week (keyed by its Monday), weeks with reviews only."""
    category_accuracy: dict[str, Accuracy]
    leeches: tuple[ItemBrief, ...]
    hardest: tuple[ItemBrief, ...]

    def to_json(self) -> dict[str, object]:
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
            "forecast": {day.isoformat(): count for day, count in self.forecast.items()},
            "daily_reviews": {
                day.isoformat(): count for day, count in self.daily_reviews.items() if count
            },
            "retention_by_week": {
                day.isoformat(): _round(share) for day, share in self.retention_by_week.items()
            },
            "category_accuracy": {
                category: accuracy.to_json()
                for category, accuracy in self.category_accuracy.items()
            },
            "leeches": [item.to_json() for item in self.leeches],
            "hardest": [item.to_json() for item in self.hardest],
        }


def _round(share: float | None) -> float | None:
    return None if share is None else round(share, 4)


def _passed(entries: list[LogEntry]) -> float | None:
    return sum(e.grade >= PASSING_QUALITY for e in entries) / len(entries) if entries else None


def streak(review_days: set[date], today: date) -> int:
    """Consecutive study days with reviews, ending today (or yesterday if none yet today)."""
    day = today if today in review_days else today - timedelta(days=1)
    count = 0
    while day in review_days:
        count += 1
        day -= timedelta(days=1)
    return count


def _brief(item: StoredItem) -> ItemBrief:
    return ItemBrief(item.id, item.prompt, item.category, item.lapses, item.state.easiness)


def _by_week(reviews: list[LogEntry], since: date) -> dict[date, float]:
    weeks: dict[date, list[LogEntry]] = {}
    for entry in reviews:
        if entry.study_day >= since:
            monday = entry.study_day - timedelta(days=entry.study_day.weekday())
            weeks.setdefault(monday, []).append(entry)
    return {monday: _passed(entries) for monday, entries in sorted(weeks.items())}


def _category_accuracy(items: list[StoredItem], reviews: list[LogEntry]) -> dict[str, Accuracy]:
    category_of = {item.id: item.category for item in items}
    totals: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for entry in reviews:
        category = category_of.get(entry.item_id) or "?"
        totals[category] += 1
        correct[category] += entry.grade >= PASSING_QUALITY
    return {category: Accuracy(totals[category], correct[category]) for category in sorted(totals)}


def compute(
    items: list[StoredItem], entries: list[LogEntry], today: date, queue: DailyQueue
) -> Stats:
    current = [item for item in items if not item.record.retired]
    reviews = [entry for entry in entries if entry.is_scheduled]
    scheduled = [item for item in current if not item.record.suspended and not item.record.is_new]
    due_days = Counter(item.record.due_day for item in scheduled)
    history_start = today - timedelta(days=HISTORY_DAYS - 1)
    per_day = Counter(entry.study_day for entry in reviews)
    window_start = today - timedelta(days=RETENTION_WINDOW_DAYS - 1)
    hardest = sorted(
        (item for item in current if item.lapses),
        key=lambda item: (-item.lapses, item.state.easiness_hundredths, item.id),
    )
    return Stats(
        today=today,
        items_total=len(current),
        items_new=sum(item.record.is_new and not item.record.suspended for item in current),
        items_suspended=sum(item.record.suspended for item in current),
        items_retired=len(items) - len(current),
        due_now=len(queue.order),
        due_reviews=len(queue.reviews),
        due_new=len(queue.new),
        due_redrill=len(queue.redrill),
        reviews_total=len(reviews),
        reviews_today=per_day[today],
        practice_total=len(entries) - len(reviews),
        retention_30d=_passed([entry for entry in reviews if entry.study_day >= window_start]),
        streak_days=streak(set(per_day), today),
        forecast={
            today + timedelta(days=offset): due_days[today + timedelta(days=offset)]
            for offset in range(1, FORECAST_DAYS + 1)
        },
        daily_reviews={
            history_start + timedelta(days=offset): per_day[history_start + timedelta(days=offset)]
            for offset in range(HISTORY_DAYS)
        },
        retention_by_week=_by_week(reviews, history_start),
        category_accuracy=_category_accuracy(items, reviews),
        leeches=tuple(_brief(item) for item in current if item.leech),
        hardest=tuple(_brief(item) for item in hardest[:HARDEST_COUNT]),
    )
