"""`trainer build` as users run it (a subprocess): output, change report, errors, lean imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PYTHON = sys.executable
CARD = """\
  - id: {id}
    type: basic
    tags: [date]
    source: src
    front: Question {id}
    back: Answer {id}
"""
HEADER = """\
deck:
  name: CLI Deck
sources:
  src: {title: T, publisher: P}
cards:
"""


def write_bank(path: Path, ids, edited: str | None = None) -> Path:
    cards = "".join(CARD.format(id=card_id) for card_id in ids)
    if edited:
        cards = cards.replace(f"Answer {edited}", f"Answer {edited}, corrected")
    path.write_text(HEADER + cards, encoding="utf-8")
    return path


def trainer(*args: str, cwd: Path, now: str = "2026-03-01T09:00:00"):
    env = os.environ | {"TRAINER_NOW": now}
    return subprocess.run(
        [PYTHON, "-m", "trainer", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "cards.yaml", ["alpha", "beta", "gamma"])


def test_first_build_prints_path_and_counts(bank: Path) -> None:
    result = trainer("build", cwd=bank.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "decks/cli-deck.apkg: 3 notes, 3 cards",
        "first build: all 3 notes are new",
        "  (if Anki already has this deck from a build whose package and manifest are lost,",
        "  importing replaces its notes there, your edits in Anki included)",
    ]
    assert result.stderr == ""
    assert (bank.parent / "decks" / "cli-deck.apkg").is_file()
    assert (bank.parent / "decks" / "cli-deck.lock.json").is_file()


def test_rebuild_reports_changes_by_id(bank: Path) -> None:
    trainer("build", cwd=bank.parent)
    write_bank(bank, ["alpha", "beta", "delta"], edited="beta")
    result = trainer("build", "cards.yaml", cwd=bank.parent, now="2026-03-02T09:00:00")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "decks/cli-deck.apkg: 3 notes, 3 cards",
        "since the last build: 1 added, 1 changed, 1 removed",
        "  added: delta",
        "  changed: beta",
        "  removed: gamma",
    ]
    unchanged = trainer("build", cwd=bank.parent, now="2026-03-03T09:00:00")
    assert unchanged.stdout.splitlines()[1] == (
        "no changes since the last build: importing changes nothing in Anki"
    )


def test_many_changes_are_listed_briefly(bank: Path) -> None:
    trainer("build", cwd=bank.parent)
    write_bank(bank, ["alpha", "beta", "gamma", *(f"new{n:02}" for n in range(25))])
    result = trainer("build", cwd=bank.parent, now="2026-03-02T09:00:00")
    added = result.stdout.splitlines()[2]
    assert added == "  added: " + ", ".join(f"new{n:02}" for n in range(10)) + " and 15 more"


def test_output_option_writes_there_and_keeps_the_manifest_with_the_bank(
    bank: Path, tmp_path: Path
) -> None:
    out = tmp_path / "elsewhere" / "my.apkg"
    out.parent.mkdir()
    result = trainer("build", str(bank), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{out}: 3 notes")
    assert out.is_file()
    assert (bank.parent / "decks" / "cli-deck.lock.json").is_file()
    assert not (bank.parent / "decks" / "cli-deck.apkg").exists()


def test_invalid_bank_gives_located_errors_and_exit_1(tmp_path: Path) -> None:
    bank = tmp_path / "cards.yaml"
    bank.write_text(HEADER + CARD.format(id="alpha").replace("front:", "fornt:"), "utf-8")
    result = trainer("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "cards.yaml:10:5: " in result.stderr
    assert "did you mean 'front'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "decks").exists()


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing/deck.apkg", "output directory missing does not exist"),
        ("cards.yaml/deck.apkg", "output directory cards.yaml is not a directory"),
        (".", "cannot write ."),
    ],
)
def test_unwritable_output_is_a_clear_error(bank: Path, output: str, message: str) -> None:
    result = trainer("build", "-o", output, cwd=bank.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("trainer: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_read_only_output_directory_is_a_clear_error(bank: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write into read-only directories")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = trainer("build", "-o", str(locked / "deck.apkg"), cwd=bank.parent)
    assert result.returncode == 1
    assert "cannot write" in result.stderr


def test_genanki_stays_out_of_the_modules_due_uses() -> None:
    code = (
        "import sys, trainer.cli, trainer.bank, trainer.model, trainer.clock;"
        "print(sorted(m for m in ('genanki', 'trainer.anki') if m in sys.modules))"
    )
    result = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
