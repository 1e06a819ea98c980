"""Nothing to review now: say when the next card is due instead of failing."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer import clock
from trainer.tui.screens.base import SessionScreen
from trainer.tui.widgets.key_bar import KeyBar
from trainer.wording import noun, when


def empty_message(next_due: datetime | None, due_tomorrow: int, now: datetime) -> Text:
    message = Text("Nothing to review right now.\n\n", style="bold")
    if next_due is None:
        message.append("No card is scheduled: every card is suspended, or the bank is empty.")
        return message
    if next_due <= now:
        message.append("More cards are due, but today's limits are reached.\n")
    else:
        message.append("Next cards: ")
        message.append(when(next_due, now), "bold")
        message.append(".\n")
    message.append(str(due_tomorrow), "bold")
    message.append(f" {noun(due_tomorrow, 'review')} due tomorrow.")
    return message


class EmptyScreen(SessionScreen):
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("ctrl+z", "undo", "Undo"),
        Binding("u", "undo", "Undo", show=False),
        Binding("b", "browse", "Browse"),
        Binding("s", "stats", "Stats"),
        Binding("?", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        message = empty_message(self.session.next_due(), self.session.due_tomorrow(), clock.now())
        with Vertical(id="empty", classes="panel"):
            yield Static(message)
        yield KeyBar()
