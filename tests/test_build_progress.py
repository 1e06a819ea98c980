"""A slow build shows a progress bar on a terminal; otherwise the build is silent on stderr."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from trainer.commands import build as build_command
from trainer.commands import progress

BANK = """\
deck: {name: Progress}
sources: {src: {title: T, publisher: P}}
cards:
  - {id: one, type: basic, tags: [date], source: src, front: Q, back: A}
  - {id: two, type: basic, tags: [date], source: src, front: Q2, back: A2}
"""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def build_with_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO):
    bank = tmp_path / "cards.yaml"
    bank.write_text(BANK, encoding="utf-8")
    monkeypatch.setenv("TRAINER_NOW", "2026-03-01T09:00:00")
    monkeypatch.setattr(progress, "AFTER_SECONDS", 0.0)
    monkeypatch.setattr("sys.stderr", stderr)
    assert build_command.run(argparse.Namespace(bank=bank, output=None, collection=None)) == 0
    return stderr.getvalue()


def test_slow_build_on_a_terminal_shows_progress(tmp_path: Path, monkeypatch) -> None:
    assert "Building" in build_with_stderr(tmp_path, monkeypatch, Terminal())


def test_build_without_a_terminal_is_silent(tmp_path: Path, monkeypatch) -> None:
    assert build_with_stderr(tmp_path, monkeypatch, io.StringIO()) == ""
