"""Helpers shared by the tests: bank texts, writing files and running the CLI."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer.model import Bank
from trainer.session import Session
from trainer.store.banks import all_banks
from trainer.store.mirror import mirror_bank

SMALL_BANK = """\
deck:
  name: Small Deck
sources:
  hindu:
    title: India-Canada Security Cooperation
    publisher: The Hindu
    date: 2026-02-09
cards:
  - id: talks-date
    type: basic
    tags: [date, diplomacy]
    source: hindu
    front: When were the talks held?
    back: 7 February 2026
  - id: doval
    type: reverse
    tags: [name, diplomacy]
    source: [hindu]
    front: Ajit Doval
    back: India's National Security Advisor
  - id: four-areas
    type: cloze
    tags: [component]
    source: hindu
    text: Areas include {{c1::cyber}} and {{c2::narcotics::drugs}}.
  - id: venue
    type: mcq
    tags: [context, diplomacy]
    source: hindu
    question: Which city hosted the talks?
    choices: [Delhi, Ottawa, Toronto]
    answer: b
"""
SMALL_BANK_ITEMS = (
    "talks-date",
    "doval",
    "doval:reverse",
    "four-areas:c1",
    "four-areas:c2",
    "venue",
)


def synthetic_bank(count: int, *, deck_settings: str = "", start: int = 0) -> str:
    """A bank of `count` basic cards `card-N` (N from `start`), all tagged `date`."""
    cards = "".join(
        f"  - id: card-{n}\n    type: basic\n    tags: [date]\n    source: s\n"
        f"    front: Question {n}?\n    back: Answer {n}\n"
        for n in range(start, start + count)
    )
    return (
        f"deck:\n  name: Synthetic\n{deck_settings}"
        "sources:\n  s:\n    title: T\n    publisher: P\n"
        f"cards:\n{cards}"
    )


def run_trainer(
    *args: str,
    now: str | None = None,
    extra_env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m trainer ARGS` as a user runs it, with TRAINER_DB unset unless `extra_env`
    sets it."""
    env = {key: value for key, value in os.environ.items() if key != "TRAINER_DB"}
    if now:
        env["TRAINER_NOW"] = now
    env |= extra_env or {}
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def session_over(bank: Bank, connection: sqlite3.Connection, **options: Any) -> Session:
    """A session over `connection` synced with `bank`, as `open_session` makes for a file."""
    bank_id = mirror_bank(connection, bank)
    banks = [known for known in all_banks(connection) if known.id == bank_id]
    return Session(connection, banks, **options)


class PlanRecorder:
    """Stands in for a connection and records, for every SELECT, what SQLite's program for it
    reads: the tables and indexes it opens (`OpenRead`, by root page), those it walks from one
    end (`Rewind`/`Last`: a scan, where a search seeks), and any temporary b-tree or sorter.
    Read from the compiled program, not from EXPLAIN QUERY PLAN's wording."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.opened: set[str] = set()
        self.scanned: set[str] = set()
        self.temporary = 0

    def __getattr__(self, name: str) -> object:
        """Everything but `execute` (transactions, `executemany`) goes to the connection."""
        return getattr(self.connection, name)

    def execute(self, sql: str, parameters: object = ()) -> sqlite3.Cursor:
        if sql.startswith("SELECT"):
            names = dict(self.connection.execute("SELECT rootpage, name FROM sqlite_master"))
            cursors: dict[int, str] = {}
            for _, opcode, p1, p2, *_ in self.connection.execute(f"EXPLAIN {sql}", parameters):
                if opcode == "OpenRead":
                    cursors[p1] = names[p2]
                    self.opened.add(names[p2])
                elif opcode in ("Rewind", "Last") and p1 in cursors:
                    self.scanned.add(cursors[p1])
                self.temporary += opcode in ("OpenEphemeral", "SorterOpen")
        return self.connection.execute(sql, parameters)


def plans(
    connection: sqlite3.Connection, read: Callable[[sqlite3.Connection], object]
) -> PlanRecorder:
    recorder = PlanRecorder(connection)
    read(recorder)  # type: ignore[arg-type]
    return recorder
