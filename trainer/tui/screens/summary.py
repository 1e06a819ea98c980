"""The end of today's queue: what was done, and what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.tui import render

if TYPE_CHECKING:
    from trainer.session import Session, Summary
    from trainer.tui.app import ReviewApp


def summary_table(summary: Summary) -> Table:
    table = Table.grid(padding=(0, 3))
    table.add_column(style="dim")
    table.add_column(justify="right", style="bold")
    days = summary.streak_days
    for label, value in (
        ("Reviewed this session", str(summary.reviewed)),
        ("Retention today", render.percent(summary.retention_today)),
        ("Time this session", render.duration(summary.seconds_spent)),
        ("Due tomorrow", str(summary.due_tomorrow)),
        ("Streak", f"{days} day{'s' * (days != 1)}"),
    ):
        table.add_row(label, value)
    return table


class SummaryScreen(Screen):
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("ctrl+z", "undo", "Undo last grade"),
        Binding("u", "undo", "Undo last grade", show=False),
        Binding("s", "stats", "Stats"),
        Binding("?", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @property
    def trainer_app(self) -> ReviewApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="summary", classes="panel"):
            yield Static("Done for today. Well studied!", classes="title")
            yield Static(summary_table(self.session.summary()), id="summary-table")
        yield Footer()

    def action_undo(self) -> None:
        if self.trainer_app.undo() is not None:
            self.trainer_app.resume_review()

    def action_stats(self) -> None:
        self.trainer_app.show_stats()

    def action_help(self) -> None:
        self.trainer_app.show_help()

    async def action_quit(self) -> None:
        self.app.exit()
