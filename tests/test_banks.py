"""`trainer banks`: which banks the database knows, and forgetting one (after a backup, with
the user's yes) so that the commands without BANK stop covering it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store_support import run_trainer
from tests.test_library import NOW, history, make_banks, register, review_all

BANK_TABLES = (
    "items",
    "notes",
    "reviews",
    "undo_steps",
    "daily_tallies",
    "category_tallies",
    "anki_seconds",
)


def banks_json(db: Path, *args: str, now: str = NOW) -> list[dict]:
    result = run_trainer("banks", "--json", "--db", str(db), *args, now=now)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["banks"]


def rows_of(db: Path, bank_name: str) -> dict[str, int]:
    """How many rows of each per-bank table belong to the bank named `bank_name`."""
    with sqlite3.connect(db) as connection:
        (bank_id,) = connection.execute(
            "SELECT id FROM banks WHERE name = ?", (bank_name,)
        ).fetchone() or (None,)
        return {
            table: connection.execute(
                f"SELECT count(*) FROM {table} WHERE bank_id = ?", (bank_id,)
            ).fetchone()[0]
            for table in BANK_TABLES
        }


def forget(
    db: Path, name: str, *, answer: str | None, now: str = NOW
) -> subprocess.CompletedProcess:
    """`trainer banks --forget NAME`, answering the question with `answer` (None: `--yes`)."""
    args = ["--forget", name] + (["--yes"] if answer is None else [])
    return subprocess.run(
        [sys.executable, "-m", "trainer", "banks", "--db", str(db), *args],
        input=answer or "",
        capture_output=True,
        text=True,
        env={**_env(), "TRAINER_NOW": now},
        check=False,
        timeout=120,
    )


def _env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "TRAINER_DB"}


def test_banks_lists_each_known_bank_with_its_figures(tmp_path: Path) -> None:
    polity, economy, affairs = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    register([polity, economy, affairs], db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRAINER_NOW", NOW)
        review_all(polity, db)
    affairs.unlink()
    listed = banks_json(db, now="2026-03-02T09:00:00")
    assert [(bank["name"], bank["items"], bank["due_now"]) for bank in listed] == [
        ("Polity", 3, 3),  # reviewed yesterday with 4: due again (1 day)
        ("Economy", 3, 3),  # three new cards
        ("Current affairs", 3, 0),  # its file is gone: nothing due from it
    ]
    assert [bank["last_review"] for bank in listed] == ["2026-03-01", None, None]
    assert [bank["missing"] for bank in listed] == [False, False, True]
    assert [bank["file"] for bank in listed] == [
        str(path.resolve()) for path in (polity, economy, affairs)
    ]
    table = run_trainer("banks", "--db", str(db), now="2026-03-02T09:00:00")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["bank", "cards", "due", "last", "review", "file"]
    assert lines[1].split() == ["Polity", "3", "3", "2026-03-01", str(polity.resolve())]
    assert lines[3].split()[-1] == "(missing)" and "never" in lines[3]
    assert max(len(line) for line in lines) <= 80 or str(tmp_path) in lines[1]


def test_banks_agrees_with_due(tmp_path: Path) -> None:
    paths = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    register(paths, db)
    due = run_trainer("due", "--db", str(db), now=NOW)
    assert sum(bank["due_now"] for bank in banks_json(db)) == int(due.stdout)


def test_banks_never_makes_a_bank_known(tmp_path: Path) -> None:
    (tmp_path / "cards.yaml").write_text(make_banks.__doc__ or "", encoding="utf-8")
    db = tmp_path / "reviews.sqlite3"
    result = run_trainer("banks", "--db", str(db), now=NOW, cwd=tmp_path)
    assert result.returncode == 0 and "knows no bank yet" in result.stdout
    assert banks_json(db) == []
    assert not db.exists()


def test_forgetting_a_bank_asks_backs_up_and_deletes_only_that_bank(tmp_path: Path) -> None:
    polity, economy, affairs = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    register([economy, affairs], db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRAINER_NOW", NOW)
        review_all(polity, db, grade=2)  # re-drills, tallies, undo steps
        review_all(economy, db)
    kept = rows_of(db, "Economy")
    economy_history = [row for row in history(db) if row[0] == "Economy"]
    polity_history = [row for row in history(db) if row[0] == "Polity"]
    before = rows_of(db, "Polity")
    assert before["reviews"] > 3 and before["undo_steps"] and before["daily_tallies"]
    assert before["items"] == before["notes"] == 3 and before["category_tallies"]

    refused = forget(db, "Polity", answer="n\n")
    assert refused.returncode == 1 and "Forget the bank 'Polity'" in refused.stderr
    assert "Nothing forgotten" in refused.stderr
    assert [bank["name"] for bank in banks_json(db)] == ["Economy", "Current affairs", "Polity"]
    assert forget(db, "Polity", answer="").returncode == 1  # end of input is no

    done = forget(db, str(polity), answer="y\n")  # by its file
    assert done.returncode == 0, done.stderr
    backup = Path(done.stdout.strip().rsplit(" ", 1)[-1])
    assert backup.parent == tmp_path / "backups" and backup.exists()
    assert [bank["name"] for bank in banks_json(db)] == ["Economy", "Current affairs"]
    assert rows_of(db, "Polity") == dict.fromkeys(BANK_TABLES, 0)
    assert rows_of(db, "Economy") == kept
    assert [row for row in history(db) if row[0] == "Economy"] == economy_history
    assert [row for row in history(db) if row[0] == "Polity"] == []
    assert [row for row in history(backup) if row[0] == "Polity"] == polity_history
    due = run_trainer("due", "--db", str(db), now=NOW)
    assert (due.stdout, due.stderr) == ("3\n", "")  # Current affairs' three new cards only


def test_a_forgotten_bank_used_again_starts_afresh(tmp_path: Path) -> None:
    polity, *_ = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRAINER_NOW", NOW)
        review_all(polity, db)
    assert forget(db, "Polity", answer=None).returncode == 0
    assert banks_json(db) == []
    assert run_trainer("due", str(polity), "--db", str(db), now=NOW).stdout == "3\n"
    assert banks_json(db)[0]["last_review"] is None


def test_forgetting_an_unknown_or_ambiguous_bank_is_a_clear_error(tmp_path: Path) -> None:
    paths = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    register(paths, db)
    unknown = forget(db, "Geography", answer=None)
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("trainer: error: ") and "trainer banks" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    lonely = run_trainer("banks", "--yes", "--db", str(db), now=NOW)
    assert lonely.returncode == 2


def test_forgetting_waits_for_no_review_session(tmp_path: Path) -> None:
    from trainer.store.lock import SessionLock

    paths = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    register(paths, db)
    lock = SessionLock(db)
    try:
        refused = forget(db, "Polity", answer=None)
    finally:
        lock.release()
    assert refused.returncode == 1 and "another review session" in refused.stderr
    assert len(banks_json(db)) == 3


def test_banks_imports_no_heavy_library(tmp_path: Path) -> None:
    paths = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    register(paths, db)
    code = (
        "import sys; from trainer.cli import main\n"
        f"main(['banks', '--db', {str(db)!r}])\n"
        "heavy = {'yaml', 'textual', 'genanki', 'sqlite_utils', 'rich', 'anki'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**_env(), "TRAINER_NOW": NOW},
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_help_lists_every_command_of_the_public_surface() -> None:
    result = run_trainer("--help")
    for command in ("check", "build", "review", "stats", "due", "cards", "sync", "limits", "banks"):
        assert f"    {command} " in result.stdout
