"""The first sync of a bank shows a progress bar on a terminal when it is slow; it is silent
when fast or when stderr is not a terminal (e.g. `trainer due` in a shell prompt)."""

from __future__ import annotations

import io
import time

import pytest

from trainer.store.sync import progress_when_slow


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO, work_seconds: float) -> str:
    monkeypatch.setattr("sys.stderr", stderr)
    with progress_when_slow("Reading cards.yaml", after_seconds=0.05):
        time.sleep(work_seconds)
    return stderr.getvalue()


def test_slow_sync_on_a_terminal_shows_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Reading cards.yaml" in _run(monkeypatch, Terminal(), 0.5)


def test_fast_sync_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(monkeypatch, Terminal(), 0.0) == ""


def test_no_terminal_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(monkeypatch, io.StringIO(), 0.5) == ""
