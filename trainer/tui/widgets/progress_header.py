"""The top line: cards left today by kind, a progress bar, and the time spent."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from trainer.tui import render
from trainer.visible import clipped, visible


class DeckLine(Static):
    """The deck's name and, with several banks, the figures after it; a narrow line cuts the
    name (`India–Canada Secu… · 12 left here · 2 banks`) and then shortens the figures
    (`Polity · 12 left here`, `Polity · 12`), so the figures always show."""

    MIN_NAME = 8
    """Characters of the name kept before the figures are shortened."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.name_shown = ""
        self.figures: tuple[str, ...] = ()

    def show(self, name: str, figures: tuple[str, ...]) -> None:
        self.name_shown, self.figures = visible(name, one_line=True), figures
        self.update(Text(name + (figures[0] if figures else "")))

    def render(self) -> Text:
        if not self.figures:
            return Text(self.name_shown)
        width = self.content_region.width
        fits = [figures for figures in self.figures if width - len(figures) >= self.MIN_NAME]
        figures = fits[0] if fits else self.figures[-1]
        return Text(clipped(self.name_shown, max(width - len(figures), 1)) + figures)


class ProgressHeader(Horizontal):
    """`New 5  Review 12  Re-drill 2  [████──] 40%  3:12`."""

    def compose(self) -> ComposeResult:
        yield DeckLine(id="deck-name")
        yield Static(id="counts")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(id="elapsed")

    def show_deck(self, name: str, figures: tuple[str, ...] = ()) -> None:
        self.query_one(DeckLine).show(name, figures)

    def show_counts(self, new: int, review: int, redrill: int, done: int) -> None:
        self.query_one("#counts", Static).update(render.counts(new, review, redrill))
        self.query_one("#progress", ProgressBar).update(
            total=max(1, done + new + review + redrill), progress=done
        )

    def show_elapsed(self, seconds: int) -> None:
        self.query_one("#elapsed", Static).update(render.duration(seconds))
