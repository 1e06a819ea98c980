"""`trainer review` starts lean and refuses a broken bank before any UI starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.store_support import SMALL_BANK, write
from tests.tui_support import first_screen_in_a_new_process
from trainer.session import open_session

HEAVY_MODULES = (
    "yaml",
    "sqlite_utils",
    "plotext",
    "textual_plotext",
    "genanki",
    "fsrs",
    "anki",
)


def test_first_card_on_an_unchanged_bank_needs_no_yaml_and_no_heavy_module(
    tmp_path: Path, set_now
) -> None:
    bank, db = write(tmp_path / "cards.yaml", SMALL_BANK), tmp_path / "reviews.sqlite3"
    open_session(bank, db).close()  # the first sync reads the bank; the next start must not
    assert first_screen_in_a_new_process(bank, db, HEAVY_MODULES) == ["ReviewScreen", "[]"]


def test_bank_errors_exit_1_before_the_ui(tmp_path: Path) -> None:
    bank = tmp_path / "cards.yaml"
    bank.write_text("deck: {name: D}\nsources: {}\ncards:\n  - id: x\n    type: basik\n")
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "review", str(bank), "--db", str(tmp_path / "db")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert f"{bank}:5:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "db").exists()
