"""`trainer review` at the edge: no terminal, usage errors, the line printed on quitting."""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.store_support import SMALL_BANK, run_trainer, session_over, write
from trainer.bank import load_bank
from trainer.commands.review import farewell

NOW = "2026-03-01T09:00:00"


def test_without_a_terminal_review_refuses_with_one_line(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    result = run_trainer("review", str(bank), "--db", str(tmp_path / "db"), now=NOW, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""  # no escape codes written into the pipe
    assert len(result.stderr.splitlines()) == 1
    assert "terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_reschedule_without_a_tag_is_a_usage_error(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    result = run_trainer("review", str(bank), "--reschedule", "--db", str(tmp_path / "db"))
    assert result.returncode == 2
    assert "--tag" in result.stderr
    assert not (tmp_path / "db").exists()


def test_a_cram_of_a_tag_no_card_has_is_refused_with_one_line(tmp_path: Path) -> None:
    """It opened on "more cards are due, but today's limits are reached", limits untouched."""
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    db = str(tmp_path / "db")
    result = run_trainer("review", str(bank), "--tag", "diplomatic", "--db", db, now=NOW)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "trainer: error: --tag diplomatic: no card has this tag (did you mean 'diplomacy'?)"
    ]
    result = run_trainer("review", str(bank), "--tag", "diplomacy", "--db", db, now=NOW)
    assert "terminal" in result.stderr  # a tag cards have: on to the terminal check


def test_the_line_on_quitting_says_what_was_done_and_when_to_come_back(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    set_now(NOW)
    session = session_over(load_bank(write(tmp_path / "cards.yaml", SMALL_BANK)), fresh_db)
    assert farewell(session) == "0 answers; more cards are due now."
    while (card := session.current()) is not None:
        session.grade(card, 5, 50_000)
    assert farewell(session) == "4 answers in 3 minutes; next cards tomorrow at 04:00."


def test_a_dumb_terminal_is_refused_with_one_line(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "trainer", "review", str(bank), "--db", str(tmp_path / "db")],
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ | {"TERM": "dumb", "TRAINER_NOW": NOW},
            timeout=60,
            check=False,
        )
    finally:
        os.close(controller)
        os.close(terminal)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "dumb" in result.stderr


def test_after_a_cram_the_quit_line_says_the_regular_cards_are_due_now(
    tmp_path: Path, fresh_db: sqlite3.Connection, set_now
) -> None:
    set_now(NOW)
    bank = load_bank(write(tmp_path / "cards.yaml", SMALL_BANK))
    session = session_over(bank, fresh_db, tag="diplomacy")
    while (card := session.current()) is not None:
        session.grade(card, 5, 1000)
    assert farewell(session) == "4 answers in under a minute; more cards are due now."
