"""Exam day, simulated: plain scheduling, the exam layer (`trainer.exam`) and the floor (every
interval capped at the days left), on a real review log and on synthetic learners.

    python bench/exam.py [--log CSV] [--days-ahead N] [--window N] [--seeds N] [--json]
    python bench/exam.py --docs    # exams 60 and 30 days ahead into docs/exam-day.md and the README

Each learner studies every day up to the exam: every card due (no daily review limit) and
`NEW_PER_DAY` new cards. Whether an answer is recalled is drawn from the learner's *true*
memory: FSRS-6 (default parameters) on the card's own answers, its stability scaled by the
learner's `memory` factor; recalled answers are graded 4, forgotten ones 2. The draw for a card
on a day is the same in every mode (seeded by learner, card and day), so the modes differ only
by when they ask.

- Real log (`../shared/data/fsrs-review-log.csv`, read in place): each card's real answers up
  to the log's middle study day are its history; cards first seen later are new cards, in
  order of first appearance; the exam is `--days-ahead` days after that day.
- Synthetic: 600 new cards, learned from day 0; the exam `--days-ahead` days later; memory
  0.5 (weak), 1 (FSRS's average) and 2 (strong).

Figures: the share of learned cards (answered before the exam) whose recall on the day, as the
deck's scheduler predicts it from the schedule, is at least the exam's target (95%); the mean
true recall on the day; the reviews from the start to the exam; the peak day in the window
over the window's average day.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import report  # noqa: E402
from bench.schedulers import DEFAULT_LOG, LogError, first_of_each_day, read_log  # noqa: E402
from trainer.core.limits import DEFAULT_EXAM_WINDOW  # noqa: E402
from trainer.exam import Exam, PlanCard, plan, target  # noqa: E402
from trainer.schedulers import Schedule, Settings, answer, retrievability  # noqa: E402

NEW_PER_DAY = 20
SYNTHETIC_CARDS = 600
MEMORIES = {"weak memory (0.5)": 0.5, "average memory (1)": 1.0, "strong memory (2)": 2.0}
MODES = ("plain", "exam mode", "cap at days left")
SCHEDULERS = {"SM-2": Settings("sm2"), "FSRS": Settings("fsrs")}
NAMES = {settings.scheduler: name for name, settings in SCHEDULERS.items()}
REAL = "real log"
SYNTHETIC_START = date(2026, 1, 1)
TRUTH = Settings("fsrs")
RECALLED, FORGOTTEN = 4, 2


@dataclass
class Card:
    key: str
    order: int
    schedule: Schedule = field(default_factory=Schedule)
    truth: Schedule = field(default_factory=Schedule)
    due: date | None = None
    """The due day the mode shows (None: new)."""


@dataclass(frozen=True)
class Row:
    learner: str
    scheduler: str
    mode: str
    learned: int
    at_target: float
    true_recall: float
    reviews: int
    peak_over_average: float
    peak: int


def true_recall(card: Card, day: date, memory: float) -> float:
    if card.truth.stability is None:
        return 0.0
    scaled = Schedule(
        card.truth.repetitions,
        card.truth.easiness_hundredths,
        card.truth.interval,
        card.truth.due_day,
        card.truth.stability * memory,
        card.truth.difficulty,
    )
    return retrievability(TRUTH, scaled, day) or 0.0


def answer_card(card: Card, day: date, grade: int, settings: Settings) -> None:
    card.schedule = answer(settings, card.schedule, grade, day)
    card.truth = answer(TRUTH, card.truth, grade, day)


def shown_due(card: Card, mode: str, exam: Exam, day: date) -> date | None:
    due = card.schedule.due_day
    if mode == "cap at days left" and due is not None and day < exam.day:
        return min(due, exam.eve)
    return due


@dataclass(frozen=True)
class Learner:
    name: str
    memory: float
    """The factor on FSRS-6's stability that makes the learner's true memory."""
    seed: int = 0
    """Which run of the learner's draws."""


def simulate(
    cards: list[Card], start: date, exam: Exam, settings: Settings, *, mode: str, learner: Learner
) -> Row:
    """Study from `start` to the eve; `cards` carry their history up to `start`."""
    memory, seed = learner.memory, f"{learner.name}:{learner.seed}:{start}"
    new = [card for card in cards if card.schedule.due_day is None]
    for card in cards:
        card.due = shown_due(card, mode, exam, start)
    loads: dict[date, int] = {}
    day = start
    while day < exam.day:
        due = [card for card in cards if card.due is not None and card.due <= day]
        if mode == "exam mode" and exam.is_open(day):
            later = [card for card in cards if card.due is not None and card.due > day]
            plan_cards = (PlanCard(card.key, card.order, card.schedule) for card in later)
            placed = plan(exam, settings, plan_cards, day)
            due += [card for card in later if placed.get(card.key, date.max) <= day]
        fresh, new = new[:NEW_PER_DAY], new[NEW_PER_DAY:]
        for card in due + fresh:
            draw = random.Random(f"{seed}:{card.key}:{day}").random()
            recalled = card.truth.stability is not None and draw < true_recall(card, day, memory)
            answer_card(card, day, RECALLED if recalled else FORGOTTEN, settings)
            card.due = shown_due(card, mode, exam, day + timedelta(days=1))
        loads[day] = len(due) + len(fresh)
        day += timedelta(days=1)
    learned = [card for card in cards if card.schedule.due_day is not None]
    aim = target(settings)
    window = [loads.get(exam.window_start + timedelta(days=n), 0) for n in range(exam.window)]
    average = sum(window) / len(window)
    return Row(
        learner=learner.name,
        scheduler=settings.scheduler,
        mode=mode,
        learned=len(learned),
        at_target=sum(
            (retrievability(settings, card.schedule, exam.day) or 0) >= aim for card in learned
        )
        / len(learned),
        true_recall=sum(true_recall(card, exam.day, memory) for card in learned) / len(learned),
        reviews=sum(loads.values()),
        peak_over_average=max(window) / average if average else 0.0,
        peak=max(window),
    )


def from_log(
    answers: dict[str, list[tuple[date, int]]], settings: Settings
) -> tuple[list[Card], date]:
    """Cards with their real history before the log's middle study day, and that day."""
    scheduled = {card: first_of_each_day(found) for card, found in answers.items()}
    days = sorted(day for found in scheduled.values() for day, _ in found)
    middle = days[len(days) // 2]
    cards = []
    first_seen = sorted(scheduled, key=lambda card: (scheduled[card][0][0], card))
    for order, key in enumerate(first_seen):
        card = Card(key, order)
        for day, rating in scheduled[key]:
            if day >= middle:
                break
            answer_card(card, day, rating + 1, settings)
        cards.append(card)
    return cards, middle


def synthetic(count: int) -> list[Card]:
    return [Card(f"card-{n}", n) for n in range(count)]


def run(log: Path, days_ahead: int, window: int, seeds: int) -> list[Row]:
    """Every learner, scheduler and mode; each row the mean over `seeds` runs of the draws
    (the peak day: the highest of the runs)."""
    answers = read_log(log, 4)
    rows = []
    learners = [Learner(REAL, 1.0)] + [
        Learner(f"synthetic, {name}", memory) for name, memory in MEMORIES.items()
    ]
    for learner in learners:
        for settings in SCHEDULERS.values():
            for mode in MODES:
                runs = []
                for seed in range(seeds):
                    if learner.name == REAL:
                        cards, start = from_log(answers, settings)
                    else:
                        cards, start = synthetic(SYNTHETIC_CARDS), SYNTHETIC_START
                    exam = Exam(start + timedelta(days=days_ahead), window)
                    seeded = replace(learner, seed=seed)
                    runs.append(simulate(cards, start, exam, settings, mode=mode, learner=seeded))
                rows.append(mean_of(runs))
    return rows


def mean_of(runs: list[Row]) -> Row:
    count = len(runs)
    return replace(
        runs[0],
        at_target=sum(row.at_target for row in runs) / count,
        true_recall=sum(row.true_recall for row in runs) / count,
        reviews=round(sum(row.reviews for row in runs) / count),
        peak_over_average=max(row.peak_over_average for row in runs),
        peak=max(row.peak for row in runs),
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| learner | scheduler | mode | learned | at 95% on the day | true recall | reviews |"
        " peak day / window average |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row.learner} | {NAMES[row.scheduler]} | {row.mode} | {row.learned} |"
            f" {row.at_target:.1%} | {row.true_recall:.1%} | {row.reviews} |"
            f" {row.peak_over_average:.2f} ({row.peak}) |"
        )
    return "\n".join(lines)


DOCS_DAYS_AHEAD = (60, 30)
"""The exams `--docs` writes: one with the bank learned before the window, one without."""
README = report.DOCS.parent / "README.md"
EXAM_DOC = report.DOCS / "exam-day.md"


def readme_table(rows: list[Row]) -> str:
    """The README's digest: the real log, plain against exam mode, per scheduler."""
    real = {(row.scheduler, row.mode): row for row in rows if row.learner == REAL}
    lines = [
        "| scheduler | cards at 95% on the day: plain / exam | reviews: plain / exam |"
        " busiest day / window mean |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, settings in SCHEDULERS.items():
        plain, exam = real[settings.scheduler, MODES[0]], real[settings.scheduler, MODES[1]]
        lines.append(
            f"| {name} | {plain.at_target:.1%} / {exam.at_target:.1%} |"
            f" {plain.reviews:,} / {exam.reviews:,} |"
            f" {plain.peak_over_average:.2f} / {exam.peak_over_average:.2f} |"
        )
    return "\n".join(lines)


def write_docs(log: Path, window: int, seeds: int) -> None:
    """Each exam's whole table into docs/exam-day.md with the run's stamp, and the 60 days'
    digest into the README."""
    load_before = report.load_now()
    command = f"python bench/exam.py --docs --window {window} --seeds {seeds}"
    for days_ahead in DOCS_DAYS_AHEAD:
        rows = run(log, days_ahead, window, seeds)
        if days_ahead == DOCS_DAYS_AHEAD[0]:
            report.write_block(README, "bench/exam.py readme", command, readme_table(rows))
        body = (
            f"{report.stamp(load_before)} Exam {days_ahead} days ahead, window {window} days,"
            f" means of {seeds} runs of the draws (peak: the highest).\n\n{table(rows)}"
        )
        report.write_block(EXAM_DOC, f"bench/exam.py {days_ahead}", command, body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--days-ahead", type=int, default=60)
    parser.add_argument("--window", type=int, default=DEFAULT_EXAM_WINDOW)
    parser.add_argument("--seeds", type=int, default=3, help="runs of each learner's draws")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--docs", action="store_true", help="write the figures into the docs")
    args = parser.parse_args(argv)
    try:
        if args.docs:
            write_docs(args.log, args.window, args.seeds)
            return 0
        rows = run(args.log, args.days_ahead, args.window, args.seeds)
    except LogError as error:
        print(f"bench/exam.py: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([asdict(row) for row in rows], indent=2))
    else:
        print(
            f"exam {args.days_ahead} days ahead, window {args.window} days,"
            f" mean of {args.seeds} runs (peak: the highest);"
            f" {platform.machine()}, Python {platform.python_version()}"
        )
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
