"""`s`: the statistics screen. Imports textual-plotext, so it is only imported when opened."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from trainer.stats import ItemBrief, Stats
from trainer.tui import charts, render

PROMPT_WIDTH = 60
RETENTION_WEEKS = 26


def overview(stats: Stats) -> Text:
    """One line of totals: cards, new, suspended, reviews, retention, streak."""
    parts = [
        f"{stats.items_total} cards",
        f"{stats.items_new} new",
        f"{stats.items_suspended} suspended",
        f"{stats.reviews_total} reviews ({stats.reviews_today} today)",
        f"retention (30 days) {render.percent(stats.retention_30d)}",
        f"streak {stats.streak_days} day{'s' * (stats.streak_days != 1)}",
    ]
    return Text(" · ".join(parts))


def items_table(items: tuple[ItemBrief, ...], empty: str) -> Table | Text:
    if not items:
        return Text(empty, style="dim")
    table = Table(box=None, padding=(0, 1), header_style="dim")
    table.add_column("card")
    table.add_column("category")
    table.add_column("lapses", justify="right")
    table.add_column("question", overflow="ellipsis", no_wrap=True, max_width=PROMPT_WIDTH)
    for item in items:
        table.add_row(Text(item.id), item.category, str(item.lapses), Text(item.prompt))
    return table


class StatsScreen(Screen):
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("escape,s,q", "dismiss", "Back"),
    ]

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        stats = self.stats
        with VerticalScroll(id="stats"):
            yield Static(Text("Statistics", style="bold"), classes="heading")
            yield Static(overview(stats))
            yield Static("Forecast: reviews due in the next 30 days", classes="heading")
            yield PlotextPlot(id="forecast")
            yield Static("Reviews per day, last 26 weeks", classes="heading")
            yield Static(charts.heatmap(stats.daily_reviews, stats.today))
            yield Static("Retention by week (share graded 3 or more)", classes="heading")
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
        yield Footer()

    def _retention(self) -> PlotextPlot | Static:
        if not self.stats.retention_by_week:
            return Static(Text("No reviews yet.", style="dim"))
        return PlotextPlot(id="retention")

    def on_mount(self) -> None:
        forecast = self.query_one("#forecast", PlotextPlot).plt
        days = list(self.stats.forecast)
        forecast.bar([f"{day.day}/{day.month}" for day in days], list(self.stats.forecast.values()))
        forecast.xticks(list(range(1, len(days) + 1, 7)), [f"{d.day}/{d.month}" for d in days[::7]])
        if self.stats.retention_by_week:
            weeks = list(self.stats.retention_by_week.items())[-RETENTION_WEEKS:]
            retention = self.query_one("#retention", PlotextPlot).plt
            labels = [f"{monday.day}/{monday.month}" for monday, _ in weeks]
            retention.plot(
                list(range(1, len(weeks) + 1)),
                [share * 100 for _, share in weeks],
                marker="braille",
            )
            retention.xticks(list(range(1, len(weeks) + 1)), labels)
            retention.ylim(0, 100)
