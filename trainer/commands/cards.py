"""`trainer cards`: every review item with its state, due day and schedule; `--json` for
scripts. Covers the banks `stats` covers (every known bank without BANK) and agrees with it:
the same items, the same queues, each bank on its own study day and limits."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable

from trainer.browse import CardRow, memory_heading
from trainer.commands.progress import when_slow
from trainer.library import read_library
from trainer.store import reports
from trainer.store.banks import StoredBank
from trainer.store.browse import card_rows, with_history
from trainer.visible import visible, visible_json
from trainer.wording import plural

QUESTION_WIDTH = 50
COLUMNS = (("state", 9), ("due", 10), ("ivl", 4), ("ease", 4), ("reps", 4), ("lapses", 6))
MEMORY = 3
"""The memory column: `ease` (SM-2's E-Factor), or FSRS's stability, difficulty and
retrievability (`S D R`), as wide as its widest cell."""


def _rows(
    args: argparse.Namespace,
) -> Callable[[sqlite3.Connection, list[StoredBank]], list[CardRow]]:
    """The rows that match the search and tag, each bank's with its history for `--json`
    (the history of only those cards is read)."""

    def rows(connection: sqlite3.Connection, banks: list[StoredBank]) -> list[CardRow]:
        found: list[CardRow] = []
        for bank in banks:
            queue = reports.queue(connection, bank)
            matched = [
                row
                for row in card_rows(connection, bank, reports.today(bank.settings), queue)
                if row.matches(args.search, args.tag)
            ]
            found += with_history(connection, bank.id, matched) if args.json else matched
        return found

    return rows


def _aligned(values: tuple[str, ...], memory_width: int) -> list[str]:
    """State and due day to the left, the numbers to the right."""
    widths = [
        memory_width if index == MEMORY else width for index, (_, width) in enumerate(COLUMNS)
    ]
    return [
        value.ljust(width) if index < 2 else value.rjust(width)
        for index, (value, width) in enumerate(zip(values, widths, strict=True))
    ]


def heading(id_width: int, memory: str, memory_width: int) -> str:
    names = tuple(memory if index == MEMORY else name for index, (name, _) in enumerate(COLUMNS))
    return "  ".join([*_aligned(names, memory_width), "card".ljust(id_width), "question"])


def line(row: CardRow, id_width: int, memory_width: int) -> str:
    """State, due day, interval, memory (E-Factor, or FSRS's S D R), repetitions, lapses, id,
    question."""
    card = visible(row.id, one_line=True)
    cells = _aligned(row.schedule_cells(), memory_width)
    return "  ".join([*cells, card.ljust(id_width), row.question_line(QUESTION_WIDTH)])


def run(args: argparse.Namespace) -> int:
    rows = read_library(args.db, args.bank, _rows(args), slow=when_slow)
    if args.json:
        print(visible_json({"items": [row.to_json() for row in rows]}))
        return 0
    if rows:
        id_width = max(len(row.id) for row in rows)
        memory = memory_heading(rows)
        memory_width = max(len(memory), *(len(row.memory_cell()) for row in rows))
        several = len({row.deck for row in rows}) > 1
        print(heading(id_width, memory, memory_width))
        deck = None
        for row in rows:
            if several and row.deck != deck:
                deck = row.deck
                print(f"== {visible(deck, one_line=True)} ==")
            print(line(row, id_width, memory_width))
    print(f"{plural(len(rows), 'card')} shown")
    return 0
