"""The top line: cards left today by kind, a progress bar, and the time spent."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.renderables.bar import Bar
from textual.widget import Widget
from textual.widgets import Static

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


ALIGN_PAD = Style(reverse=False)
"""The style Textual gives the blanks it pads an aligned label with."""


class ProgressLine(Widget):
    """`━━━━━━━╺━━━━━━  40%`: Textual's ProgressBar drawn by one widget.

    Textual's is three widgets (the bar, the percentage and a container) with a clock and a
    timer of their own: about 3 % of all the work before the first card at 10,000 cards (issue
    #23). This draws the same bar (Textual's own `Bar` renderable, its fill rounded to half cells
    as its widget does) and the same right-aligned percentage; at 5 cells wide (app.tcss narrows
    it so on small terminals) the percentage alone.
    """

    COMPONENT_CLASSES = {"progress-line--bar", "progress-line--complete"}  # noqa: RUF012
    PERCENT_WIDTH = 5

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fraction = 0.0
        self.filled = 0.0
        """The bar's fraction: as Textual's Bar, rounded down to half cells once it has a width
        (the first card's is set before the layout, so only the renderable rounds it)."""

    def show(self, done: int, total: int) -> None:
        """`done` of `total` (at least 1)."""
        self.fraction = min(max(done / total, 0.0), 1.0)
        cells = (self.size.width - self.PERCENT_WIDTH) * 2
        self.filled = int(self.fraction * cells) / cells if cells > 0 else self.fraction
        self.refresh()

    def render(self) -> Text:
        label = f"{round(self.fraction * 100)}%"
        # padded as Textual pads a right-aligned label: a span of its own
        percent = Text.assemble((" " * (self.PERCENT_WIDTH - len(label)), ALIGN_PAD), label)
        width = self.size.width - self.PERCENT_WIDTH
        if width <= 0:
            return percent
        component = "progress-line--bar" if self.fraction < 1 else "progress-line--complete"
        style = self.get_component_rich_style(component)
        bar = Bar(
            highlight_range=(0, width * self.filled),
            highlight_style=Style.from_color(style.color),
            background_style=Style.from_color(style.bgcolor),
            width=width,
        )
        console = self.app.console
        drawn = Text()
        # one run per style, as the Bar widget's strips are (a snapshot shows every run)
        for segment in Segment.simplify(console.render(bar, console.options)):
            drawn.append(segment.text, segment.style)
        return drawn.append_text(percent)


class ProgressHeader(Horizontal):
    """`New 5  Review 12  Re-drill 2  [████──] 40%  3:12`."""

    def compose(self) -> ComposeResult:
        yield DeckLine(id="deck-name")
        yield Static(id="counts")
        yield ProgressLine(id="progress")
        yield Static(id="elapsed")

    def show_deck(self, name: str, figures: tuple[str, ...] = ()) -> None:
        self.query_one(DeckLine).show(name, figures)

    def show_counts(self, new: int, review: int, redrill: int, done: int) -> None:
        self.query_one("#counts", Static).update(render.counts(new, review, redrill))
        self.query_one(ProgressLine).show(done, max(1, done + new + review + redrill))

    def show_elapsed(self, seconds: int) -> None:
        self.query_one("#elapsed", Static).update(render.duration(seconds))
