"""Counting the work of a command instead of timing it: SQLite's virtual-machine steps.

Every connection the trainer opens while `counted()` is active gets a progress handler that
SQLite calls every `STEP` instructions of its virtual machine; the count is the same on a slow
or a busy machine, so a guard on it cannot flake, and it grows with the rows a query visits
(a scan of the whole log shows as millions). Anki's collection is opened by its Rust backend,
not through `sqlite3`, so only the trainer's own database is counted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

import pytest

STEP = 100
"""Instructions between two calls of the handler: the count's resolution."""


@dataclass
class Work:
    """Virtual-machine instructions run, per statement (its first 120 characters)."""

    by_statement: dict[str, int] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return sum(self.by_statement.values())

    def heaviest(self, count: int = 3) -> list[tuple[int, str]]:
        ranked = sorted(((steps, sql) for sql, steps in self.by_statement.items()), reverse=True)
        return ranked[:count]


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    """Count the work of every statement run on connections opened inside the block."""
    work = Work()
    statement = ["(opening)"]
    connect = sqlite3.connect

    def counting_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)  # type: ignore[arg-type]

        def trace(sql: str) -> None:
            statement[0] = " ".join(sql.split())[:120]

        def progress() -> int:
            work.by_statement[statement[0]] = work.by_statement.get(statement[0], 0) + STEP
            return 0  # go on

        connection.set_trace_callback(trace)
        connection.set_progress_handler(progress, STEP)
        return connection

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", counting_connect)
        yield work


TEMPORARY = ("TEMP B-TREE", "MATERIALIZE", "AUTOMATIC")
"""What a query plan says of a structure SQLite builds for the statement alone (a sorter, a
temporary table or index), which it writes to a temporary file once it outgrows the cache."""


@contextmanager
def traced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The statements run on connections opened inside the block, with their values."""
    statements: list[str] = []
    connect = sqlite3.connect

    def tracing_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)  # type: ignore[arg-type]
        connection.set_trace_callback(statements.append)
        return connection

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", tracing_connect)
        yield statements


def temporary_structures(db: object, statements: list[str]) -> dict[str, str]:
    """The queries among `statements` whose plan on the database `db` builds a temporary
    structure, with that plan."""
    queries = {" ".join(sql.split()) for sql in statements if sql.lstrip().startswith("SELECT")}
    found = {}
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        for sql in queries:
            rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            plan = "; ".join(detail for *_, detail in rows)
            if any(word in plan for word in TEMPORARY):
                found[sql] = plan
    return found
