"""Synthetic card banks and review histories for the benchmarks (deterministic: seeded).

A bank of N cards mixes the four types (40% basic, 20% reverse, 25% cloze, 15% mcq) with text
as long as the real bank's (questions of 60-140 characters, extras of 80-200), Unicode in every
field (Devanagari, accents, dashes, rupee signs, quotes), three tags (one category) and one to
three of eight sources. The review history is written straight into a database that the real
store code created and synced from the bank, with SM-2 schedules consistent with the log.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from trainer.bank import load_bank
from trainer.queue import DEFAULT_DAY_STARTS_AT as DAY_STARTS_AT_HOUR
from trainer.queue import study_day
from trainer.sm2 import PASSING_QUALITY, Sm2State, review
from trainer.store.database import open_for_writing
from trainer.store.mirror import mirror_bank

GENERATOR_VERSION = 6
"""Bump when the generated content changes, so cached files are rebuilt."""
NOW = "2026-03-01T09:00:00"
"""TRAINER_NOW for every benchmark command."""
HISTORY_DAYS = 365
REVIEWS_PER_CARD = 100
MAX_REVIEWS = 1_000_000
GRADE_WEIGHTS = (5, 8, 12, 25, 30, 20)
MAX_INTERVAL_DAYS = 365
REVIEWED_SHARE = 0.7
"""Share of the bank's items that have been studied at least once."""
TYPE_WEIGHTS = {"basic": 40, "reverse": 20, "cloze": 25, "mcq": 15}
CATEGORIES = ("date", "name", "figure", "component", "context")
TOPICS = (
    "cyber",
    "diplomacy",
    "law-enforcement",
    "extradition",
    "trade",
    "diaspora",
    "intelligence",
    "institutions",
    "history",
    "economy",
)
WORDS = tuple(
    (  # noqa: SIM905 (a word list, written as prose)
        "India Canada national security adviser work plan liaison officers law "
        "enforcement cybersecurity extradition treaty diaspora Ottawa New Delhi ministry "
        "external affairs joint working group counter-terrorism intelligence sharing "
        "bilateral relationship high commission diplomats expelled 2023 2024 2025 2026 "
        "agreement framework cooperation transnational organised crime fentanyl "
        "precursors visa services trade negotiations CEPA Early Progress Trade Agreement "
        "G20 summit Kananaskis Vancouver Brampton Surrey Khalistan extremism RCMP NIA CBI "
        "Interpol red notice mutual legal assistance"
    ).split()
)
UNICODE_WORDS = (
    "भारत",
    "कनाडा",
    "सुरक्षा",
    "Québec",
    "Montréal",
    "naïve",
    "café",
    "₹4,500 crore",
    "C$1.2 billion",
    "—",
    "“joint statement”",
    "‘reset’",
    "½",
    "°",
    "…",
)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    """Text of `low`-`high` characters, about one word in eight non-ASCII."""
    target = rng.randint(low, high)
    words: list[str] = []
    length = 0
    while length < target:
        word = rng.choice(UNICODE_WORDS) if rng.random() < 0.12 else rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _card(rng: random.Random, index: int, kind: str, source_keys: list[str]) -> list[str]:
    category = CATEGORIES[index % len(CATEGORIES)]
    tags = [category, *rng.sample(TOPICS, 2)]
    sources = rng.sample(source_keys, rng.randint(1, 3))
    lines = [
        f"  - id: card-{index:06d}",
        f"    type: {kind}",
        f"    tags: [{', '.join(tags)}]",
        f"    source: [{', '.join(sources)}]",
    ]
    if kind in ("basic", "reverse"):
        lines += [
            f"    front: {_quoted(_sentence(rng, 60, 140) + '?')}",
            f"    back: {_quoted(_sentence(rng, 15, 60))}",
        ]
    elif kind == "cloze":
        parts = [_sentence(rng, 20, 50)]
        for number in range(1, rng.randint(1, 3) + 1):
            hint = f"::{rng.choice(CATEGORIES)}" if rng.random() < 0.2 else ""
            parts.append(f"{{{{c{number}::{_sentence(rng, 5, 25)}{hint}}}}}")
            parts.append(_sentence(rng, 15, 40))
        lines.append(f"    text: {_quoted(' '.join(parts))}")
    else:
        count = rng.randint(3, 5)
        choices = [f"{_sentence(rng, 10, 40)} ({letter})" for letter in "abcdef"[:count]]
        lines += [
            f"    question: {_quoted(_sentence(rng, 60, 140) + '?')}",
            "    choices:",
            *(f"      - {_quoted(choice)}" for choice in choices),
            f"    answer: {'abcdef'[rng.randrange(count)]}",
        ]
    if rng.random() < 0.7:
        field = "explanation" if kind == "mcq" else "extra"
        lines.append(f"    {field}: {_quoted(_sentence(rng, 80, 200))}")
    return lines


def bank_text(cards: int, seed: int = 1, name: str | None = None) -> str:
    """The YAML of a valid bank of `cards` cards (deck `name`, by default named after its
    size)."""
    rng = random.Random(seed)
    source_keys = [f"source-{number}" for number in range(1, 9)]
    lines = [
        "# Synthetic benchmark bank (bench/banks.py)",
        "deck:",
        f"  name: {name or f'Benchmark bank {cards}'}",
        f"  description: {_quoted('Synthetic UPSC current affairs — ' + _sentence(rng, 60, 120))}",
        "sources:",
    ]
    for key in source_keys:
        lines += [
            f"  {key}:",
            f"    title: {_quoted(_sentence(rng, 30, 90))}",
            f"    publisher: {_quoted(_sentence(rng, 8, 30))}",
            f'    date: "{rng.randint(1, 28)} Feb 2026"',
        ]
    lines.append("cards:")
    kinds = list(TYPE_WEIGHTS)
    weights = list(TYPE_WEIGHTS.values())
    for index in range(cards):
        lines += _card(rng, index, rng.choices(kinds, weights)[0], source_keys)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Dataset:
    cards: int
    bank: Path
    db: Path
    reviews: int


def review_count(cards: int) -> int:
    return min(MAX_REVIEWS, REVIEWS_PER_CARD * cards)


def _history(
    item_ids: list[str], total: int, today: date, rng: random.Random
) -> tuple[list[tuple], list[tuple]]:
    """Log rows and the resulting schedule rows for `total` reviews over HISTORY_DAYS days.

    Written for speed (a million rows): grades from a weighted table, study days by arithmetic
    on seconds, day texts cached."""
    studied = item_ids[: int(len(item_ids) * REVIEWED_SHARE)]
    per_item, extra = divmod(total, len(studied))
    start = datetime.combine(today - timedelta(days=HISTORY_DAYS), datetime.min.time())
    grade_table = [grade for grade, weight in enumerate(GRADE_WEIGHTS) for _ in range(weight)]
    day_texts: dict[int, str] = {}

    def day_text(ordinal: int) -> str:
        if ordinal not in day_texts:
            day_texts[ordinal] = date.fromordinal(ordinal).isoformat()
        return day_texts[ordinal]

    shift = DAY_STARTS_AT_HOUR * 3600
    first_ordinal = start.toordinal()
    seconds = HISTORY_DAYS * 86400
    draw = rng.random
    log_rows: list[tuple] = []
    schedules: list[tuple] = []
    for position, item_id in enumerate(studied):
        count = per_item + (position < extra)
        state, due, lapses = Sm2State(), None, 0
        for number, offset in enumerate(sorted(int(draw() * seconds) for _ in range(count))):
            day = first_ordinal + (offset - shift) // 86400
            grade = grade_table[int(draw() * len(grade_table))]
            if state.interval > MAX_INTERVAL_DAYS:
                grade = 1  # a lapse: keeps dates in range with many reviews per card
            after = review(state, grade)
            new_due = day_text(day + after.interval)
            log_rows.append(
                (
                    item_id,
                    (start + timedelta(seconds=offset)).isoformat(),
                    day_text(day),
                    "new" if number == 0 else "review",
                    grade,
                    1500 + int(draw() * 18500),
                    state.repetitions,
                    state.easiness_hundredths,
                    state.interval,
                    due,
                    after.repetitions,
                    after.easiness_hundredths,
                    after.interval,
                    new_due,
                )
            )
            lapses += grade < PASSING_QUALITY
            state, due = after, new_due
        schedules.append(
            (state.repetitions, state.easiness_hundredths, state.interval, due, lapses, item_id)
        )
    log_rows.sort(key=lambda row: row[1])
    return log_rows, schedules


def write_history(db: Path, total: int, seed: int = 1, bank_id: int = 1) -> None:
    """Insert `total` reviews of bank `bank_id` into the synced database at `db` (one
    transaction; the log's indexes are dropped during the insert and recreated from their own
    SQL afterwards)."""
    rng = random.Random(seed)
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        item_ids = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM items WHERE bank_id = ? ORDER BY bank_order", (bank_id,)
            )
        ]
        today = study_day(datetime.fromisoformat(NOW))
        log_rows, schedules = _history(item_ids, total, today, rng)
        connection.execute("BEGIN")
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews'"
            " AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f"DROP INDEX [{name}]")
        connection.executemany(
            "INSERT INTO reviews (bank_id, item_id, reviewed_at, study_day, kind, grade,"
            " answer_ms, repetitions_before, easiness_before, interval_before, due_before,"
            " repetitions_after, easiness_after, interval_after, due_after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(bank_id, *row) for row in log_rows],
        )
        for _, sql in indexes:
            connection.execute(sql)
        connection.executemany(
            "UPDATE items SET repetitions = ?, easiness_hundredths = ?, interval = ?,"
            " due_day = ?, lapses = ? WHERE bank_id = ? AND id = ?",
            [(*schedule[:-1], bank_id, schedule[-1]) for schedule in schedules],
        )
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def dataset(out: Path, cards: int) -> Dataset:
    """The bank and its review database for `cards`, generated once and cached in `out`."""
    directory = out / f"v{GENERATOR_VERSION}-{cards}"
    bank = directory / "cards.yaml"
    db = directory / "reviews.sqlite3"
    reviews = review_count(cards)
    done = directory / "complete"
    if not done.exists():
        _emptied(directory)
        bank.write_text(bank_text(cards), encoding="utf-8")
        connection = open_for_writing(db)
        try:
            mirror_bank(connection, load_bank(bank))
        finally:
            connection.close()
        write_history(db, reviews)
        done.write_text("ok\n")
    return Dataset(cards, bank, db, reviews)


def _emptied(directory: Path) -> None:
    """The cache folder, made or cleared of what an interrupted run left."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.iterdir():
        if stale.is_file():
            stale.unlink()


@dataclass(frozen=True)
class Library:
    """Several banks, each with its history, in one review database."""

    banks: tuple[Path, ...]
    db: Path

    @property
    def folder(self) -> Path:
        return self.db.parent


def library(out: Path, count: int, cards: int) -> Library:
    """`count` banks of `cards` cards (distinct decks and texts) studied in one database,
    generated once and cached in `out`."""
    directory = out / f"v{GENERATOR_VERSION}-{count}x{cards}"
    banks = tuple(directory / f"bank-{number}.yaml" for number in range(1, count + 1))
    db = directory / "reviews.sqlite3"
    done = directory / "complete"
    if not done.exists():
        _emptied(directory)
        for number, bank in enumerate(banks, start=1):
            name = f"Benchmark bank {number} of {count}"
            bank.write_text(bank_text(cards, seed=number, name=name), encoding="utf-8")
            connection = open_for_writing(db)
            try:
                bank_id = mirror_bank(connection, load_bank(bank))
            finally:
                connection.close()
            write_history(db, review_count(cards), seed=number, bank_id=bank_id)
        done.write_text("ok\n")
    return Library(banks, db)


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 4:
        library(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
    else:
        dataset(Path(sys.argv[1]), int(sys.argv[2]))
