"""The first sync of a bank shows a progress bar on a terminal when it is slow; it is silent
when fast or when stderr is not a terminal (e.g. `trainer due` in a shell prompt).

"Slow" and "fast" are set by the threshold, not by timing the machine: a threshold of 0 has
always passed, one of an hour never has."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from trainer.commands.progress import when_slow

HANG_GUARD_SECONDS = 60


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(
    monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO, after_seconds: float, work: float = 0
) -> str:
    """Work inside `when_slow` for `work` seconds, or with a threshold of 0 on a
    terminal until the bar is drawn (the hang guard only ends a broken run)."""
    monkeypatch.setattr("sys.stderr", stderr)
    with when_slow("Reading cards.yaml", after_seconds=after_seconds):
        if after_seconds == 0 and stderr.isatty():
            give_up = time.monotonic() + HANG_GUARD_SECONDS
            while "Reading cards.yaml" not in stderr.getvalue() and time.monotonic() < give_up:
                time.sleep(0.01)
        time.sleep(work)
    return stderr.getvalue()


def test_slow_sync_on_a_terminal_shows_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Reading cards.yaml" in _run(monkeypatch, Terminal(), after_seconds=0)


def test_fast_sync_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(monkeypatch, Terminal(), after_seconds=3600) == ""


def test_no_terminal_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(monkeypatch, io.StringIO(), after_seconds=0, work=0.2) == ""


def test_the_library_reports_through_its_callback_and_draws_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Reading a changed bank is wrapped in the callback the command gives; the library itself
    writes nothing to the terminal, even when the work is slow."""
    from tests.store_support import synthetic_bank, write
    from trainer.commands import progress
    from trainer.library import survey

    bank = write(tmp_path / "cards.yaml", synthetic_bank(3))
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(progress, "AFTER_SECONDS", 0.0)
    told: list[str] = []

    @contextmanager
    def slow(description: str) -> Iterator[None]:
        told.append(description)
        yield

    survey(tmp_path / "reviews.sqlite3", bank, strict=True, slow=slow)
    assert told == ["Reading cards.yaml into the review database"]
    survey(tmp_path / "reviews.sqlite3", bank, strict=True)
    assert terminal.getvalue() == ""
