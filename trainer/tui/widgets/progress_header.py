"""The top line: cards left today by kind, a progress bar, and the time spent."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from trainer.tui import render
from trainer.visible import visible


class ProgressHeader(Horizontal):
    """`New 5  Review 12  Re-drill 2  [████──] 40%  3:12`."""

    def compose(self) -> ComposeResult:
        yield Static(id="deck-name", markup=False)
        yield Static(id="counts")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(id="elapsed")

    def show_deck(self, name: str) -> None:
        self.query_one("#deck-name", Static).update(Text(visible(name, one_line=True)))

    def show_counts(self, new: int, review: int, redrill: int, done: int) -> None:
        self.query_one("#counts", Static).update(render.counts(new, review, redrill))
        self.query_one("#progress", ProgressBar).update(
            total=max(1, done + new + review + redrill), progress=done
        )

    def show_elapsed(self, seconds: int) -> None:
        self.query_one("#elapsed", Static).update(render.duration(seconds))
