"""Exam day: due days that have every learned card fresh on one day. Pure: no I/O, no clock.

A layer over the deck's scheduler (SM-2 or FSRS), never a scheduler of its own: an item's
`Schedule` stays what its scheduler makes of the review log, and an answer is always scheduled
from that plain schedule. The layer only moves due days *earlier*, from the plain schedule and
the exam alone, so switching the exam off, or moving it, leaves every item's schedule exactly
as the log makes it (there is nothing to undo).

Before the exam, in the **window** (its last `window` days):

- every card learned before the window gets one review inside it (its *exam review*);
- a card reviewed in the window whose next review would fall on or after the exam while its
  predicted recall on the day is below the target gets another review before it;
- those reviews are **spread by load**: each day takes the least steady share that meets
  every card's deadline (`todays_share`), never piled onto the eve. Today's share goes to the
  cards that cannot wait, then the strongest; the weaker ones keep the days nearest the exam.

The target recall on the day is `EXAM_RECALL`, or the deck's desired retention if higher. On
the exam day and after it the plain schedule is back: nothing was ever changed.
"""

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from trainer.clock import EARLIEST, LATEST
from trainer.core.grades import Grade
from trainer.core.limits import DEFAULT_EXAM_WINDOW
from trainer.schedulers import Schedule, Settings, answer, retrievability

EXAM_RECALL = 0.95
"""The recall on the exam day the layer aims at (or the deck's desired retention, if higher)."""
PASS = Grade.GOOD
"""The grade the outlook assumes every planned answer gets (SM-2 "correct after hesitation")."""


class Exam(NamedTuple):
    day: date
    window: int = DEFAULT_EXAM_WINDOW

    @property
    def window_start(self) -> date:
        return self.day - timedelta(days=self.window)

    @property
    def eve(self) -> date:
        """The last day a review counts for the exam."""
        return self.day - timedelta(days=1)

    def is_open(self, today: date) -> bool:
        """True on the window's days: the layer moves today's due cards."""
        return self.window_start <= today < self.day

    def days_left(self, today: date) -> int:
        return (self.day - today).days


def exam_day(text: str) -> date | None:
    """The exam day written `YYYY-MM-DD`, within the dates the trainer supports (a due day
    100 years after it is still a date); None for anything else."""
    if len(text) != len("2027-05-24"):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if EARLIEST.date() <= day <= LATEST.date() else None


def target(settings: Settings) -> float:
    return max(EXAM_RECALL, settings.desired_retention)


class PlanCard(NamedTuple):
    """A scheduled card as the plan reads it; `order` breaks ties (bank order)."""

    key: Hashable
    order: int
    schedule: Schedule


def exam_range(
    exam: Exam, settings: Settings, schedule: Schedule, today: date
) -> tuple[date, date] | None:
    """The days `(first, last)` on which the card's exam review may fall, as seen on `today`;
    None if it needs none (its plain due day stands). Only for cards due after `today`."""
    due, last = schedule.due_day, schedule.last_day
    if due is None or last is None or due <= today or today >= exam.day:
        return None
    latest = min(due, exam.eve)
    if last < exam.window_start and due >= exam.window_start:
        first = max(exam.window_start, today)
    elif due >= exam.day and _recall(settings, schedule, exam.day) < target(settings):
        first = max(last + timedelta(days=1), today)
    else:
        return None
    return (first, latest) if first <= latest else None


def short_of_target(settings: Settings) -> tuple[str, float]:
    """`(scale, ratio)`: a card's recall on a day is below the target once the days since its
    last answer exceed `ratio` times its `scale` (`interval`, at least 1, for SM-2's curve;
    `stability` for FSRS's), so that a store can find such cards without computing each curve.
    Both curves fall with elapsed time over that scale alone."""
    aim = target(settings)
    if settings.scheduler == "fsrs":
        from trainer.schedulers.fsrs import scheduler

        decay = -scheduler(settings).parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        return "stability", (aim ** (1 / decay) - 1) / factor
    from trainer.schedulers.sm2 import RECALL_AT_INTERVAL

    return "interval", math.log(aim) / math.log(RECALL_AT_INTERVAL)


def _recall(settings: Settings, schedule: Schedule, day: date) -> float:
    found = retrievability(settings, schedule, day)
    return 0.0 if found is None else found


def plan(
    exam: Exam,
    settings: Settings,
    cards: Iterable[PlanCard],
    today: date,
    done_today: int = 0,
) -> dict[Hashable, date]:
    """The exam review day of each card of `cards` that needs one (from `today` on).

    `cards`: the scheduled cards due after `today` (a card due by today is due anyway).
    `done_today`: exam reviews already given today. Today takes `todays_share` of the exam
    reviews: the cards that cannot wait, then the strongest (`todays_order`); answering one
    leaves the others due today and the share one smaller, so today's queue does not change
    under the user's hands. The rest are levelled over the days after (`_fill`), earliest
    deadline first, the weakest nearest the exam. Only today's cards are shown; the later
    days are a forecast (they are planned again each day). Deterministic: the result depends
    on the cards, not on their order."""
    movable: list[_Movable] = []
    for card in cards:
        span = exam_range(exam, settings, card.schedule, today)
        if span is not None:
            movable.append(_Movable(span[1], card.schedule.interval, span[0], card))
    share = todays_share(Counter(entry.latest for entry in movable), today, done_today)
    eligible = sorted(
        (entry for entry in movable if entry.first <= today),
        key=lambda entry: todays_order(entry.latest, entry.interval, entry.card, today),
    )
    todays = eligible[:share]
    chosen = {id(entry) for entry in todays}
    later = [entry.after(today) for entry in movable if id(entry) not in chosen]
    later.sort(key=_Movable.placing_order)
    return {entry.card.key: today for entry in todays} | _fill(later, {})


def todays_share(deadlines: Mapping[date, int], today: date, done_today: int) -> int:
    """How many exam reviews are due today: the least steady rate from today that meets every
    card's deadline (`deadlines`: how many cards must be reviewed by each day), less those
    given today already. The exam reviews are levelled on their own: the plain schedule's
    reviews on the window's later days are not known yet (each answer sets the next), and
    counting only those known would push the exam reviews towards the exam day by day."""
    rate, count = 0, done_today
    for deadline in sorted(deadlines):
        count += deadlines[deadline]
        rate = max(rate, math.ceil(count / ((deadline - today).days + 1)))
    return max(0, rate - done_today)


def todays_order(
    latest: date, interval: int, card: PlanCard, today: date
) -> tuple[bool, int, int, str]:
    """Which cards take today's share: those that cannot wait, then the strongest (the weak
    ones are kept for the days nearest the exam, when they are fresher on the day)."""
    return (latest > today, -interval, card.order, repr(card.key))


class _Movable(NamedTuple):
    """A card with an exam review to place: the days it may take, and how strong it is."""

    latest: date
    interval: int
    first: date
    card: PlanCard

    def placing_order(self) -> tuple[date, int, date, int, str]:
        """Earliest deadline first; then the weakest, which take the days nearest the exam."""
        return (self.latest, self.interval, self.first, self.card.order, repr(self.card.key))

    def after(self, today: date) -> "_Movable":
        return self._replace(first=max(self.first, today + timedelta(days=1)))


def _fill(movable: list[_Movable], load: dict[date, int]) -> dict[Hashable, date]:
    """Each card in turn on the least-loaded day it may take, the latest of equals."""
    placed: dict[Hashable, date] = {}
    for entry in movable:
        span = (entry.latest - entry.first).days + 1
        days = [entry.first + timedelta(days=offset) for offset in range(span)]
        chosen = min(reversed(days), key=lambda day: load.get(day, 0))
        load[chosen] = load.get(chosen, 0) + 1
        placed[entry.card.key] = chosen
    return placed


def recall_on_day(
    exam: Exam, settings: Settings, schedule: Schedule, first_review: date | None, today: date
) -> float:
    """The predicted recall of the card on the exam day if it is studied as planned and every
    answer passes: it is next reviewed on `first_review` (its plain due day if None; a card
    still new, `schedule.due_day` None, on `first_review`, or never), each later review on its
    plain due day or, when it needs an exam review, in the middle of the days it may take (the
    average the spreading gives)."""
    day = first_review if first_review is not None else schedule.due_day
    while day is not None and day < exam.day:
        day = max(day, today)
        schedule = answer(settings, schedule, PASS, day)
        span = exam_range(exam, settings, schedule, day + timedelta(days=1))
        day = schedule.due_day if span is None else span[0] + (span[1] - span[0]) // 2
    return _recall(settings, schedule, exam.day)


class NewCardPace(NamedTuple):
    """New cards against the clock: learned before the window at `new_per_day`?"""

    new_left: int
    new_per_day: int
    learned_on: date | None
    """The day the last new card is introduced at `new_per_day` (None: none left)."""
    before_window: bool
    needed_per_day: int | None
    """The pace that introduces every new card before the window (None: no day left)."""

    def to_json(self) -> dict[str, object]:
        return {
            "new_left": self.new_left,
            "new_per_day": self.new_per_day,
            "learned_on": None if self.learned_on is None else self.learned_on.isoformat(),
            "learned_before_window": self.before_window,
            "new_per_day_needed": self.needed_per_day,
        }


def pace(exam: Exam, new_left: int, new_per_day: int, new_today: int, today: date) -> NewCardPace:
    """`new_today`: new cards still allowed today (within today's limit)."""
    days_before_window = max(0, (exam.window_start - today).days)
    if new_left == 0:
        return NewCardPace(0, new_per_day, None, True, 0)
    later = max(0, new_left - new_today)
    extra_days = math.ceil(later / new_per_day) if new_per_day else None
    learned_on = None if extra_days is None else today + timedelta(days=extra_days)
    needed = math.ceil(new_left / days_before_window) if days_before_window else None
    before = learned_on is not None and learned_on < exam.window_start
    return NewCardPace(new_left, new_per_day, learned_on, before, needed)


def learning_day(index: int, new_per_day: int, new_today: int, today: date) -> date | None:
    """The day the `index`-th new card (bank order) is introduced at `new_per_day`, the first
    `new_today` of them today; None: never (no new cards a day)."""
    if index < new_today:
        return today
    if not new_per_day:
        return None
    return today + timedelta(days=1 + (index - new_today) // new_per_day)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class ExamReport(NamedTuple):
    """What `trainer stats` says of a bank's exam on `today`."""

    exam: Exam
    today: date
    target: float
    recall: float | None
    """The predicted share of the bank's cards recalled on the day, studied as planned (new
    cards learned at the deck's pace; every answer passed); None once the exam is past."""
    recall_by_category: dict[str, float]
    pace: NewCardPace | None
    window_load: dict[date, int]
    """Reviews the plan puts on each of the window's days after today (the plain schedule's
    and the exam reviews), as the cards stand today."""

    @property
    def days_left(self) -> int:
        return self.exam.days_left(self.today)

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.exam.day.isoformat(),
            "days_left": self.days_left,
            "window": self.exam.window,
            "window_start": self.exam.window_start.isoformat(),
            "target_recall": self.target,
            "predicted_recall": _round(self.recall),
            "predicted_recall_by_category": {
                category: _round(share) for category, share in self.recall_by_category.items()
            },
            **(self.pace.to_json() if self.pace else {}),
            "window_load": {day.isoformat(): count for day, count in self.window_load.items()},
        }

    def headline(self) -> str:
        """One line: `2027-05-24: 12 days left · 94% predicted on the day`."""
        day = self.exam.day.isoformat()
        if self.days_left < 0:
            return f"{day}: past; plain scheduling"
        left = {0: "today", 1: "tomorrow"}.get(self.days_left, f"{self.days_left} days left")
        recall = "" if self.recall is None else f" \u00b7 {self.recall:.0%} predicted on the day"
        return f"{day}: {left}{recall}"
