"""Child processes for the benchmarks: the floors, and the in-process measurements of ours.

    python bench/probes.py yaml BANK                 libyaml parse (yaml.load, CSafeLoader)
    python bench/probes.py check-rules-off BANK      trainer check without the quality rules
    python bench/probes.py genanki BANK OUT          libyaml parse + plain genanki package
    python bench/probes.py textual                   a one-label Textual app, first screen
    python bench/probes.py review BANK DB            trainer review, first card shown
    python bench/probes.py grade BANK DB FLOOR_DB N  Session.grade vs raw insert+update (JSON)

Each runs in its own interpreter so that the parent measures wall time from process start and
the child's peak memory.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

SCREEN_SIZE = (120, 40)


def parse_yaml(bank: str) -> dict:
    import yaml

    with Path(bank).open(encoding="utf-8") as file:
        return yaml.load(file, Loader=yaml.CSafeLoader)


def check_without_rules(bank: str) -> None:
    """`trainer check` as it was before the card-quality rules: load, validate, summarise."""
    from trainer.bank import load_bank
    from trainer.commands.check import summary

    print(summary(load_bank(Path(bank))))


def _genanki_models() -> dict:
    """Plain genanki note types with the same fields and templates count as ours."""
    import genanki

    def model(model_id: int, name: str, fields: list[str], templates: int, **kwargs):
        return genanki.Model(
            model_id,
            name,
            fields=[{"name": field} for field in fields],
            templates=[
                {"name": f"Card {n}", "qfmt": f"{{{{{fields[n]}}}}}", "afmt": "{{FrontSide}}"}
                for n in range(templates)
            ],
            **kwargs,
        )

    return {
        "basic": model(1, "Basic", ["Front", "Back", "Extra", "Source"], 1),
        "reverse": model(2, "Reverse", ["Front", "Back", "Extra", "Source"], 2),
        "cloze": genanki.Model(
            3,
            "Cloze",
            model_type=genanki.Model.CLOZE,
            fields=[{"name": "Text"}, {"name": "Extra"}, {"name": "Source"}],
            templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
        ),
        "mcq": model(4, "MCQ", ["Question", "Choices", "Answer", "Explanation", "Source"], 1),
    }


def genanki_floor(bank: str, out: str) -> None:
    import genanki

    data = parse_yaml(bank)
    models = _genanki_models()
    deck = genanki.Deck(2059400110, data["deck"]["name"])
    for card in data["cards"]:
        kind = card["type"]
        source = ", ".join(card["source"])
        extra = card.get("extra") or card.get("explanation") or ""
        if kind == "cloze":
            fields = [card["text"], extra, source]
        elif kind == "mcq":
            fields = [card["question"], " | ".join(card["choices"]), card["answer"], extra, source]
        else:
            fields = [card["front"], card["back"], extra, source]
        deck.add_note(
            genanki.Note(model=models[kind], fields=fields, tags=card["tags"], guid=card["id"])
        )
    genanki.Package(deck).write_to_file(out)


async def _first_screen(app) -> str:
    async with app.run_test(size=SCREEN_SIZE) as pilot:
        await pilot.pause()
        return type(app.screen).__name__


def bare_textual() -> str:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("What did the February 2026 work plan cover?")

    return asyncio.run(_first_screen(Bare()))


def review(bank: str, db: str) -> str:
    """What `trainer review` does, with the app run headless until its first screen is up."""
    from trainer.session import open_session

    session = open_session(Path(bank), Path(db))
    try:
        from trainer.tui.app import ReviewApp

        return asyncio.run(_first_screen(ReviewApp(session)))
    finally:
        session.close()


def _raw_grade(connection: sqlite3.Connection, item_id: str) -> None:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT INTO reviews (item_id, reviewed_at, study_day, kind, grade, answer_ms,"
        " repetitions_before, easiness_before, interval_before, due_before,"
        " repetitions_after, easiness_after, interval_after, due_after)"
        " VALUES (?, '2026-03-01T09:00:00', '2026-03-01', 'review', 4, 3000,"
        " 1, 250, 1, '2026-03-01', 2, 250, 6, '2026-03-07')",
        (item_id,),
    )
    connection.execute(
        "UPDATE items SET repetitions = 2, interval = 6, due_day = '2026-03-07' WHERE id = ?",
        (item_id,),
    )
    connection.execute("COMMIT")


def grade(bank: str, db: str, floor_db: str, count: int) -> dict:
    """Median milliseconds: Session.grade, grade plus showing the next card, raw transaction."""
    from trainer.session import open_session

    raw = sqlite3.connect(floor_db, isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = FULL")
    item_ids = [row[0] for row in raw.execute("SELECT id FROM items LIMIT ?", (count,))]
    session = open_session(Path(bank), Path(db))
    ours, next_card, floor = [], [], []
    try:
        card = session.current()
        for item_id in item_ids:
            started = time.perf_counter()
            _raw_grade(raw, item_id)
            floor.append(time.perf_counter() - started)
            started = time.perf_counter()
            session.grade(card, 4, 3000)
            graded = time.perf_counter()
            card = session.current()
            session.counts()
            shown = time.perf_counter()
            ours.append(graded - started)
            next_card.append(shown - started)
            if card is None:
                break
    finally:
        session.close()
        raw.close()
    reviews = sqlite3.connect(db).execute("SELECT count(*) FROM reviews").fetchone()[0]

    def median_ms(samples: list[float]) -> float:
        return round(statistics.median(samples) * 1000, 3)

    return {
        "grade_ms": median_ms(ours),
        "grade_and_next_card_ms": median_ms(next_card),
        "floor_ms": median_ms(floor),
        "grades": len(ours),
        "reviews_logged": reviews,
    }


def main(argv: list[str]) -> None:
    command, *rest = argv
    if command == "yaml":
        parse_yaml(rest[0])
    elif command == "check-rules-off":
        check_without_rules(rest[0])
    elif command == "genanki":
        genanki_floor(rest[0], rest[1])
    elif command == "textual":
        print(bare_textual())
    elif command == "review":
        print(review(rest[0], rest[1]))
    elif command == "grade":
        print(json.dumps(grade(rest[0], rest[1], rest[2], int(rest[3]))))
    else:
        raise SystemExit(f"unknown probe {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
