"""`s`: the statistics screen. Imports textual-plotext, so it is only imported when opened."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from trainer.stats import ItemBrief, Stats
from trainer.tui import charts, render
from trainer.tui.widgets.key_bar import KeyBar
from trainer.visible import visible
from trainer.wording import plural

PROMPT_WIDTH = 48
RETENTION_WEEKS = 12


def overview(stats: Stats) -> Text:
    """One line of totals: cards, new, suspended, reviews, retention, streak (and FSRS's
    predicted retention on an FSRS deck)."""
    parts = [
        plural(stats.items_total, "card"),
        f"{stats.items_new} new",
        f"{stats.items_suspended} suspended",
        f"{plural(stats.reviews_total, 'review')} ({stats.reviews_today} today)",
        f"retention (30 days) {render.percent(stats.retention_30d)}",
        f"streak {plural(stats.streak_days, 'day')}",
    ]
    if stats.scheduler != "sm2":  # an FSRS deck, or banks of both schedulers ("mixed")
        parts.append(f"FSRS predicts {render.percent(stats.predicted_retention)} recall today")
    return Text(" · ".join(parts))


def items_table(items: tuple[ItemBrief, ...], empty: str) -> Table | Text:
    if not items:
        return Text(empty, style="dim")
    table = Table(box=None, padding=(0, 1), header_style="dim")
    table.add_column("card", no_wrap=True)
    table.add_column("category")
    table.add_column("lapses", justify="right")
    table.add_column("question", overflow="ellipsis", no_wrap=True, max_width=PROMPT_WIDTH)
    for item in items:
        table.add_row(
            Text(visible(item.id, one_line=True)),
            Text(visible(item.category, one_line=True)),
            str(item.lapses),
            Text(visible(item.prompt, one_line=True)),
        )
    return table


class StatsScreen(Screen[None]):
    CSS = """
    StatsScreen #stats {
        padding: 0 2;
    }

    StatsScreen .heading {
        text-style: bold;
        margin-top: 1;
    }

    StatsScreen PlotextPlot {
        height: 12;
    }
    """
    """Parsed when the statistics are first shown (app.tcss is parsed before the first card)."""

    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("escape,s,q", "dismiss", "Back"),
        Binding("ctrl+z,u", "app.undo_behind", "Undo"),
    ]

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        stats = self.stats
        with VerticalScroll(id="stats"):
            yield Static(Text("Statistics", style="bold"), classes="heading")
            yield Static(overview(stats))
            yield Static(
                f"Forecast: reviews due in the next {len(stats.forecast)} days", classes="heading"
            )
            yield PlotextPlot(id="forecast")
            yield Static(f"Reviews per day, last {charts.HEATMAP_WEEKS} weeks", classes="heading")
            yield Static(charts.heatmap(stats.daily_reviews, stats.today))
            yield Static(
                f"Retention by week (share graded 3 or more), last {RETENTION_WEEKS} weeks",
                classes="heading",
            )
            yield self._retention()
            yield Static("Accuracy by category", classes="heading")
            yield Static(
                charts.share_table(
                    [
                        (category, accuracy.share, accuracy.reviews)
                        for category, accuracy in stats.category_accuracy.items()
                    ],
                    "category",
                )
            )
            yield Static("Leeches (failed often; suspended)", classes="heading")
            yield Static(items_table(stats.leeches, "No leeches."))
            yield Static("Hardest cards", classes="heading")
            yield Static(items_table(stats.hardest, "No lapses yet."))
        yield KeyBar()

    def _retention(self) -> Static:
        weeks = list(self.stats.retention_by_week.items())[-RETENTION_WEEKS:]
        if not weeks:
            return Static(Text("No reviews yet.", style="dim"))
        rows = [(f"{monday:%d %b %Y}", share, None) for monday, share in weeks]
        return Static(charts.share_table(rows, "week of"))

    def on_mount(self) -> None:
        forecast = self.query_one("#forecast", PlotextPlot).plt
        days = list(self.stats.forecast)
        forecast.bar([f"{day.day}/{day.month}" for day in days], list(self.stats.forecast.values()))
        forecast.xticks(list(range(1, len(days) + 1, 7)), [f"{d.day}/{d.month}" for d in days[::7]])
        ticks = charts.whole_ticks(max(self.stats.forecast.values(), default=0))
        forecast.yticks([float(tick) for tick in ticks], [str(tick) for tick in ticks])
