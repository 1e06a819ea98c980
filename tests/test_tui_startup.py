"""`trainer review` starts lean and refuses a broken bank before any UI starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY_MODULES = ("plotext", "textual_plotext", "genanki")


def test_first_screen_does_not_import_heavy_modules() -> None:
    probe = (
        "import sys, trainer.commands.review, trainer.tui.app;"
        f"print([m for m in {HEAVY_MODULES!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


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
