"""The end of today's queue: what was done, and what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.tui import render
from trainer.tui.screens.base import SessionScreen
from trainer.tui.widgets.key_bar import KeyBar
from trainer.wording import plural

if TYPE_CHECKING:
    from trainer.outlook import Summary


def summary_table(summary: Summary) -> Table:
    table = Table.grid(padding=(0, 3))
    table.add_column(style="dim")
    table.add_column(justify="right", style="bold")
    days = summary.streak_days
    for label, value in (
        ("Answers today", f"{summary.reviewed_today} ({summary.reviewed} this session)"),
        ("Retention today", render.percent(summary.retention_today)),
        (
            "Time today",
            f"{render.duration(summary.seconds_today)} "
            f"({render.duration(summary.seconds_spent)} this session)",
        ),
        ("Due tomorrow", str(summary.due_tomorrow)),
        ("Streak", plural(days, "day")),
    ):
        table.add_row(label, value)
    if summary.exam is not None:
        table.add_row("Exam", summary.exam)
    return table


class SummaryScreen(SessionScreen):
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("ctrl+z", "undo", "Undo last grade"),
        Binding("u", "undo", "Undo last grade", show=False),
        Binding("b", "browse", "Browse"),
        Binding("s", "stats", "Stats"),
        Binding("?", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="summary", classes="panel"):
            yield Static("Done for today. Well studied!", classes="title")
            yield Static(summary_table(self.session.summary()), id="summary-table")
        yield KeyBar()
