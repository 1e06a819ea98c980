"""How well each scheduler predicts recall on a real review log: log loss and RMSE(bins).

    python bench/schedulers.py [--log CSV] [--day-starts-at HOUR] [--json]

The log (default: `../shared/data/fsrs-review-log.csv` beside the project, read in place) has
one row per answer: `card_id`, `review_rating` (Anki's 1 Again, 2 Hard, 3 Good, 4 Easy),
`review_time` (ISO 8601, UTC), `review_duration` (ms). Each card's history is replayed through
the trainer's own schedulers (`trainer.schedulers`, exactly what a deck uses) the way the
trainer schedules: one scheduled answer per study day (later answers the same day are
re-drills, which never reach a scheduler), study days starting at `--day-starts-at` UTC.
Before each answer after a card's first, the scheduler predicts the probability of recall on
that day; the answer says whether the card was recalled (any rating but Again).

- Ratings become trainer grades as the open srs-benchmark's SM-2 makes them: rating + 1 (Again
  2, Hard 3, Good 4, Easy 5). FSRS maps grades 0-2 to Again, so it sees the ratings unchanged.
- SM-2 predicts no recall by itself: it is given the benchmark's forgetting curve,
  R = 0.9 ** (elapsed days / interval) (`trainer.schedulers.sm2.forgetting_curve`).
- FSRS: FSRS-6 with the `fsrs` package's default parameters.
- Optimised FSRS-6 (only when `fsrs[optimizer]`, i.e. PyTorch, is installed): the log is split
  in time at the study day that halves its scheduled answers; the `fsrs` package's optimizer
  fits parameters on the first half's scheduled answers, and SM-2, FSRS-6 with default and
  with those parameters, and a constant (the first half's recall rate) are scored on the
  answers of the second half (predicted from each card's whole history).
- Log loss: the mean of -(y ln p + (1 - y) ln(1 - p)), p clipped to [1e-6, 1 - 1e-6].
- RMSE(bins): the srs-benchmark's: answers binned by elapsed days, review number and lapses
  (each on its log scale), then the root of the answer-weighted mean squared difference
  between a bin's mean prediction and its recall rate.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.report import BENCHMARKS, load_now, stamp, write_block  # noqa: E402
from trainer.schedulers import Schedule, Settings, answer, retrievability  # noqa: E402

DEFAULT_LOG = BENCH.parent.parent / "shared" / "data" / "fsrs-review-log.csv"
AGAIN = 1
RATINGS = range(1, 5)
CLIP = 1e-6
SCHEDULERS = {"SM-2": Settings("sm2"), "FSRS-6, default parameters": Settings("fsrs")}
CONSTANT = "constant: the recall rate"
OPTIMISED = "FSRS-6, optimised parameters"
BENCHMARK = {
    "SM-2": (0.547, 0.1484),
    "FSRS-6, default parameters": (0.3393, 0.0716),
    CONSTANT: (0.3630, 0.0876),
    OPTIMISED: (0.3214, 0.0462),
}
"""The srs-benchmark's figures (log loss, RMSE(bins)) for the same models, means weighted by
reviews over 9,999 Anki collections (README at commit 00c9de5): SM-2, "FSRS-6 default param."
and "AVG" (each collection's average recall) and FSRS-6 (optimised per collection)."""


class LogError(Exception):
    """The review log cannot be read."""


@dataclass(frozen=True)
class Prediction:
    day: date
    recalled: bool
    probability: float
    elapsed_days: int
    review_number: int
    """1 for a card's first answer (never predicted), 2 for the second..."""
    lapses: int
    """Again answers before this one."""


@dataclass(frozen=True)
class Result:
    scheduler: str
    answers: int
    log_loss: float
    rmse_bins: float
    mean_prediction: float
    recall_rate: float


def read_log(path: Path, day_starts_at: int) -> dict[str, list[tuple[date, int]]]:
    """Each card's answers `(study day, rating)`, oldest first."""
    cards: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    try:
        with path.open(newline="", encoding="utf-8") as file:
            for line, row in enumerate(csv.DictReader(file), start=2):
                try:
                    moment = datetime.fromisoformat(row["review_time"])
                    rating = int(row["review_rating"])
                    card = row["card_id"]
                except (KeyError, TypeError, ValueError) as error:
                    raise LogError(f"{path}:{line}: not a review row ({error})") from None
                if rating not in RATINGS:
                    raise LogError(f"{path}:{line}: rating {rating} is not 1-4")
                cards[card].append((moment, rating))
    except (OSError, UnicodeDecodeError) as error:
        raise LogError(f"{path}: cannot read the review log: {error}") from None
    shift = timedelta(hours=day_starts_at)
    return {
        card: [((moment - shift).date(), rating) for moment, rating in sorted(answers)]
        for card, answers in cards.items()
    }


def first_of_each_day(answers: Iterable[tuple[date, int]]) -> list[tuple[date, int]]:
    """The scheduled answers: a card's first answer of each study day."""
    kept: list[tuple[date, int]] = []
    for day, rating in answers:
        if not kept or kept[-1][0] != day:
            kept.append((day, rating))
    return kept


def predictions(settings: Settings, answers: list[tuple[date, int]]) -> list[Prediction]:
    """The scheduler's prediction before each of a card's answers after its first."""
    out: list[Prediction] = []
    schedule, lapses = Schedule(), 0
    for number, (day, rating) in enumerate(answers, start=1):
        if schedule.last_day is not None:
            probability = retrievability(settings, schedule, day)
            assert probability is not None
            elapsed = (day - schedule.last_day).days
            out.append(Prediction(day, rating != AGAIN, probability, elapsed, number, lapses))
        schedule = answer(settings, schedule, rating + 1, day)
        lapses += rating == AGAIN
    return out


def log_loss(results: list[Prediction]) -> float:
    total = 0.0
    for result in results:
        p = min(max(result.probability, CLIP), 1 - CLIP)
        total -= math.log(p) if result.recalled else math.log(1 - p)
    return total / len(results)


def _bin(value: int, base: float, scale: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(value) / math.log(base)), digits)


def bin_key(result: Prediction) -> tuple[float, float, float]:
    """The srs-benchmark's bins: elapsed days, review number, lapses, each on a log scale."""
    lapses = _bin(result.lapses, 1.73, 1.65, 0) if result.lapses else 0.0
    return (
        _bin(result.elapsed_days, 3.62, 2.48, 2),
        _bin(result.review_number, 1.89, 1.99, 0),
        lapses,
    )


def rmse_bins(results: list[Prediction]) -> float:
    bins: dict[tuple[float, float, float], list[Prediction]] = defaultdict(list)
    for result in results:
        bins[bin_key(result)].append(result)
    squares = 0.0
    for members in bins.values():
        predicted = sum(member.probability for member in members) / len(members)
        recalled = sum(member.recalled for member in members) / len(members)
        squares += len(members) * (predicted - recalled) ** 2
    return math.sqrt(squares / len(results))


def result(name: str, predicted: list[Prediction]) -> Result:
    return Result(
        scheduler=name,
        answers=len(predicted),
        log_loss=log_loss(predicted),
        rmse_bins=rmse_bins(predicted),
        mean_prediction=sum(p.probability for p in predicted) / len(predicted),
        recall_rate=sum(p.recalled for p in predicted) / len(predicted),
    )


def evaluate(
    scheduled: list[list[tuple[date, int]]],
    schedulers: dict[str, Settings],
    since: date = date.min,
    rate: float | None = None,
) -> list[Result]:
    """Each scheduler's figures on the predicted answers from study day `since` on, then a
    constant prediction: `rate`, else the scored answers' own recall rate (which flatters it)."""
    results = []
    for name, settings in schedulers.items():
        predicted = [
            p for answers in scheduled for p in predictions(settings, answers) if p.day >= since
        ]
        if not predicted:
            raise LogError("no card has answers on two different days: nothing to predict")
        results.append(result(name, predicted))
    constant = [replace(p, probability=rate or results[0].recall_rate) for p in predicted]
    return [*results, result(CONSTANT, constant)]


def split_day(scheduled: list[list[tuple[date, int]]]) -> date:
    """The study day that halves the scheduled answers in time."""
    days = sorted(day for answers in scheduled for day, _ in answers)
    return days[len(days) // 2]


def optimised(scheduled: list[list[tuple[date, int]]], before: date) -> Settings | None:
    """FSRS-6 with parameters the `fsrs` optimizer fits on the scheduled answers before
    `before` (as the trainer feeds them to FSRS: study days, first answer of each); None
    without `fsrs[optimizer]`."""
    try:
        import torch  # noqa: F401  (what `fsrs[optimizer]` adds)
        from fsrs import Optimizer, Rating, ReviewLog
    except ImportError:
        return None
    from trainer.schedulers.fsrs import moment

    logs = [
        ReviewLog(card, Rating(rating), moment(day), None)
        for card, answers in enumerate(scheduled)
        for day, rating in answers
        if day < before
    ]
    parameters = Optimizer(logs).compute_optimal_parameters()
    return Settings("fsrs", parameters=tuple(float(value) for value in parameters))


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table(results: list[Result]) -> list[str]:
    lines = [
        "| model | log loss | RMSE(bins) | mean predicted R | recall rate"
        " | srs-benchmark log loss | srs-benchmark RMSE(bins) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        loss, rmse = BENCHMARK.get(result.scheduler, (None, None))
        lines.append(
            f"| {result.scheduler} | {result.log_loss:.3f} | {result.rmse_bins:.3f}"
            f" | {result.mean_prediction:.3f} | {result.recall_rate:.3f}"
            f" | {_figure(loss)} | {_figure(rmse)} |"
        )
    return lines


def report(path: Path, cards: dict[str, list[tuple[date, int]]], measured: Measured) -> str:
    answers = sum(len(history) for history in cards.values())
    scheduled = sum(len(first_of_each_day(history)) for history in cards.values())
    lines = [
        f"{path.name}: {answers:,} answers of {len(cards):,} cards; {scheduled:,} scheduled"
        f" (first of the study day); {measured.whole[0].answers:,} predicted (after the first)",
        "",
        *table(measured.whole),
        "",
    ]
    if measured.split is None:
        lines.append(f"{OPTIMISED}: not run (needs fsrs[optimizer], i.e. PyTorch)")
    else:
        day, results = measured.split
        lines += [
            f"Parameters fitted on the scheduled answers before {day}, all scored on the"
            f" {results[0].answers:,} predicted answers from {day} on:",
            "",
            *table(results),
        ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Measured:
    whole: list[Result]
    """Default parameters, every predicted answer."""
    split: tuple[date, list[Result]] | None
    """With optimised parameters: the split day and the figures on the later half."""


def measure(cards: dict[str, list[tuple[date, int]]]) -> Measured:
    scheduled = [first_of_each_day(answers) for answers in cards.values()]
    whole = evaluate(scheduled, SCHEDULERS)
    day = split_day(scheduled)
    fitted = optimised(scheduled, day)
    if fitted is None:
        return Measured(whole, None)
    earlier = [p for answers in scheduled for p in predictions(Settings(), answers) if p.day < day]
    rate = sum(p.recalled for p in earlier) / len(earlier) if earlier else None
    later = evaluate(scheduled, {**SCHEDULERS, OPTIMISED: fitted}, since=day, rate=rate)
    return Measured(whole, (day, later))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG, metavar="CSV")
    parser.add_argument(
        "--day-starts-at",
        type=int,
        default=4,
        choices=range(24),
        metavar="HOUR",
        help="UTC hour at which a study day begins (default 4)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--docs", action="store_true", help="write the tables into docs/")
    args = parser.parse_args(argv)
    load_before = load_now()
    started = time.perf_counter()
    try:
        cards = read_log(args.log, args.day_starts_at)
        measured = measure(cards)
    except LogError as error:
        print(f"schedulers: error: {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({**asdict(measured), "seconds": seconds}, default=str))
    else:
        print(report(args.log, cards, measured))
        print(f"\n{seconds:.1f} s")
    if args.docs:
        table_text = report(args.log, cards, measured)
        body = f"{stamp(load_before)} {seconds:.1f} s.\n\n{table_text}"
        command = "python bench/schedulers.py " + " ".join(
            argv if argv is not None else sys.argv[1:]
        )
        write_block(BENCHMARKS, "bench/schedulers.py", command.strip(), body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
