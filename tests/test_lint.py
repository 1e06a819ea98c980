"""The code base stays ruff-clean (lint and format) and type-checks with mypy, as configured in
pyproject.toml. Both tools come with the test set (requirements/test.txt)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_is_clean(command: list[str]) -> None:
    result = _run("ruff", *command, ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_errors() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
