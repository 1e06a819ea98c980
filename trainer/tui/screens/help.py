"""`?`: every key of the review screen and what each grade means."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from trainer.tui import render

KEY_NAMES = {"space": "space", "enter": "enter", "ctrl+z": "ctrl+z"}


def keys_table(bindings: list[Binding]) -> Table:
    """One row per action (keys sharing an action are listed together), in binding order."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in bindings:
        keys, _ = rows.setdefault(binding.action, ([], binding.description))
        keys.append(binding.key_display or KEY_NAMES.get(binding.key, binding.key))
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", justify="right")
    table.add_column()
    for keys, description in rows.values():
        table.add_row(" / ".join(keys), description)
    return table


def grades_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", justify="right")
    table.add_column(style="bold")
    table.add_column(style="dim")
    for quality, name in render.GRADE_NAMES.items():
        table.add_row(str(quality), name, render.GRADE_HINTS[quality])
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("escape,q,?", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        from trainer.tui.screens.review import ReviewScreen  # the keys it documents

        with VerticalScroll(id="help", classes="panel"):
            yield Static(Text("Keys", style="bold"))
            yield Static(keys_table(ReviewScreen.BINDINGS))
            yield Static(Text("\nGrades (SM-2 quality)", style="bold"))
            yield Static(grades_table())
            yield Static(
                Text(
                    "\n0-2 fail: the card starts again at a 1-day interval. 3-5 pass: the "
                    "interval grows. Anything below 4 comes back later today (re-drill) "
                    "until you know it. Each grade button shows the interval it would give."
                    "\n\n"
                    "Press escape, q or ? to close.",
                    style="dim",
                )
            )
