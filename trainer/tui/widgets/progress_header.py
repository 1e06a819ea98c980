"""The top line: the deck, cards left today by kind, a progress bar, and the time spent."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual, visualize
from textual.widget import Widget

from trainer.tui import render
from trainer.tui.screens.base import breakpoint_classes
from trainer.visible import clipped, visible

ALIGN_PAD = Style(reverse=False)
"""The style Textual gives the blanks it pads an aligned label with."""
PERCENT_WIDTH = 5
"""`100%` and the blank before it."""


class Columns(NamedTuple):
    """The widths of the header's parts; the deck's name takes what they leave."""

    counts_margin: int
    """Blank columns on each side of the counts."""
    progress: int
    """The bar and its percentage (at PERCENT_WIDTH: the percentage alone)."""
    elapsed: int


WIDE = Columns(counts_margin=2, progress=29, elapsed=8)
"""A bar of 24 cells and the percentage's 5."""
NARROW = Columns(counts_margin=1, progress=PERCENT_WIDTH, elapsed=6)
"""Below 100 columns (the screen's `-narrow` and `-tiny` classes): the percentage only."""


class ProgressHeader(Widget):
    """`Polity · 12 left here  New 5  Review 12  Re-drill 2  ━━━━━╺━━━━  40%  3:12`: one widget.

    It was a row of four (the deck's name, the counts, the progress bar, the clock) in a
    container: five nodes to mount, style, lay out and draw before the first card, about 4 % of
    all its work at 10,000 cards (issue #23). This draws the same line: the name in bold, the
    counts with a margin each side, Textual's own `Bar` (its fill rounded to half cells as
    Textual's ProgressBar does) and the right-aligned percentage, the clock right-aligned and
    muted; the name takes the columns the others leave. app.tcss styles the parts (its
    components); their widths are `WIDE`, or `NARROW` below 100 columns.

    The name is cut, then the figures shortened, so the figures always show: a narrow line
    gives `India–Canada Secu… · 12 left here · 2 banks`, then `Polity · 12 left here`,
    `Polity · 12`.
    """

    COMPONENT_CLASSES = {  # noqa: RUF012 (Textual's convention)
        "progress-header--deck",
        "progress-header--elapsed",
        "progress-line--bar",
        "progress-line--complete",
    }
    MIN_NAME = 8
    """Characters of the name kept before the figures are shortened."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.deck_name = ""
        self.figures: tuple[str, ...] = ()
        self.counts = Text()
        self.fraction = 0.0
        self.filled = 0.0
        """The bar's fraction: as Textual's Bar, rounded down to half cells once the header has
        a width (the first card's is set before the layout, so only the renderable rounds it)."""
        self.elapsed = ""
        self._parts: dict[str, tuple[object, Strip]] = {}
        """Each part of the line as last drawn, with what it showed (`_kept`)."""

    @property
    def deck_line(self) -> str:
        """The deck's name and its longest figures, as given (before any cut)."""
        return self.deck_name + (self.figures[0] if self.figures else "")

    def show_deck(self, name: str, figures: tuple[str, ...] = ()) -> None:
        self.deck_name, self.figures = visible(name, one_line=True), figures
        self.refresh()

    def show_counts(self, new: int, review: int, redrill: int, done: int) -> None:
        self.counts = render.counts(new, review, redrill)
        self.fraction = min(max(done / max(1, done + new + review + redrill), 0.0), 1.0)
        cells = (self._columns().progress - PERCENT_WIDTH) * 2 if self.size.width else 0
        self.filled = int(self.fraction * cells) / cells if cells > 0 else self.fraction
        self.refresh()

    def show_elapsed(self, seconds: int) -> None:
        self.elapsed = render.duration(seconds)
        self.refresh()

    def _columns(self) -> Columns:
        """The widths at the app's size now: the screen's breakpoint classes as they will be
        (after a resize the header is drawn at its new width before the screen's classes
        change, and a change of class alone would not draw it again)."""
        narrow = {"-narrow", "-tiny"}.intersection(breakpoint_classes(self.screen))
        return NARROW if narrow else WIDE

    # -- drawing ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The line as the row of widgets drew it, cell for cell and run for run: each part
        drawn by Textual as that widget drew its content, the blanks between them in the
        header's background (as Textual fills a widget's unused width). A part is drawn again
        only when what it shows changed: a tick of the clock draws the clock alone."""
        columns = self._columns()
        width = self.content_region.width
        fill = Style.from_color(bgcolor=self.background_colors[1].rich_color)
        margin = Strip.blank(columns.counts_margin, fill)
        counts_width = self.counts.cell_len + 2 * columns.counts_margin
        # the name: what the others leave, at least one column (as Textual gives a `1fr` width)
        name_width = max(width - counts_width - columns.progress - columns.elapsed, 1)
        plain, bold = self.get_visual_style(), self.get_visual_style("progress-header--deck")
        muted = self.get_visual_style("progress-header--elapsed")
        line = Strip.join(
            [
                self._kept(
                    "deck",
                    (self.deck_name, self.figures, name_width, bold, fill),
                    lambda: self._deck(name_width, bold).adjust_cell_length(name_width, fill),
                ),
                margin,
                self._kept("counts", (self.counts, plain), lambda: self._drawn(self.counts, plain)),
                margin,
                self._kept(
                    "progress",
                    (self.fraction, self.filled, columns.progress, plain),
                    lambda: self._drawn(self._progress(columns.progress), plain),
                ),
                self._kept(
                    "elapsed",
                    (self.elapsed, columns.elapsed, muted, fill),
                    lambda: self._elapsed(columns.elapsed, muted, fill),
                ),
            ]
        )
        return line.crop(0, width)

    def notify_style_update(self) -> None:
        self._parts.clear()  # drawn in the previous styles
        super().notify_style_update()

    def _kept(self, part: str, shows: object, draw: Callable[[], Strip]) -> Strip:
        """The part as last drawn if it `shows` the same, else drawn (and kept)."""
        kept = self._parts.get(part)
        if kept is None or kept[0] != shows:
            kept = self._parts[part] = (shows, draw())
        return kept[1]

    def _drawn(self, text: Text, style: VisualStyle) -> Strip:
        """`text` on one line, as a widget of `style` draws it."""
        strips = Visual.to_strips(self, visualize(self, text), text.cell_len, 1, style)
        return strips[0] if strips else Strip([])

    def _elapsed(self, width: int, style: VisualStyle, fill: Style) -> Strip:
        """The clock right-aligned in `width` columns."""
        clock = self._drawn(Text(self.elapsed), style)
        return Strip.join([Strip.blank(max(width - clock.cell_length, 0), fill), clock])

    def _deck(self, width: int, style: VisualStyle) -> Strip:
        """The name (and figures) in at most `width` columns, bold; a name alone too long for
        them is cut with an ellipsis (app.tcss: the header's `text-overflow`)."""
        if not self.figures:
            shown = Text(self.deck_name)
        else:
            fits = [figures for figures in self.figures if width - len(figures) >= self.MIN_NAME]
            figures = fits[0] if fits else self.figures[-1]
            shown = Text(clipped(self.deck_name, max(width - len(figures), 1)) + figures)
        strips = Visual.to_strips(self, visualize(self, shown), width, 1, style)
        return strips[0] if strips else Strip([])

    def _progress(self, width: int) -> Text:
        """Textual's `Bar` in `width` less the percentage, and the percentage right-aligned."""
        label = f"{round(self.fraction * 100)}%"
        # padded as Textual pads a right-aligned label: a span of its own
        percent = Text.assemble((" " * (PERCENT_WIDTH - len(label)), ALIGN_PAD), label)
        bar_width = width - PERCENT_WIDTH
        if bar_width <= 0:
            return percent
        component = "progress-line--bar" if self.fraction < 1 else "progress-line--complete"
        style = self.get_component_rich_style(component)
        bar = Bar(
            highlight_range=(0, bar_width * self.filled),
            highlight_style=Style.from_color(style.color),
            background_style=Style.from_color(style.bgcolor),
            width=bar_width,
        )
        console = self.app.console
        drawn = Text()
        # one run per style, as the Bar widget's strips are (a snapshot shows every run)
        for segment in Segment.simplify(console.render(bar, console.options)):
            drawn.append(segment.text, segment.style)
        return drawn.append_text(percent)
