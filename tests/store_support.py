"""Helpers shared by the tests: bank texts, writing files and running the CLI."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from trainer.model import Bank
from trainer.session import Session
from trainer.store.banks import all_banks
from trainer.store.sync import sync

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
    bank_id = sync(connection, bank)
    banks = [known for known in all_banks(connection) if known.id == bank_id]
    return Session(connection, banks, **options)
