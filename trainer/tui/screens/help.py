"""`?`: every key of the review screen and what each grade means."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from trainer.core.grades import GRADES, Grade
from trainer.tui.screens.review import GRADE_GROUP, PICK_GROUP, SCROLL_GROUP, ReviewScreen

GROUP_HELP = {
    GRADE_GROUP: "Grade the answer (see below); show it first",
    PICK_GROUP: "Pick a choice on a multiple-choice card (shows the answer)",
    SCROLL_GROUP: "Scroll a long card (the key bar shows ↓ More while there is more)",
}


SCHEDULING = {
    "sm2": "\n0-2 fail: the card starts again at a 1-day interval. 3-5 pass: the interval grows. ",
    "fsrs": "\nThis deck is scheduled with FSRS: 0-2 are its Again, 3 Hard, 4 Good, 5 Easy. It "
    "schedules each card for the day its predicted recall falls to the deck's desired "
    "retention. ",
}
"""The first note, by the deck's scheduler."""
NOTES = (
    "Anything below 4 comes back a few cards later (re-drill) until you give it a 4. "
    "Each grade button shows the interval it would give."
    "\n\nOn a multiple-choice card, `b` picks choice b) until the answer is shown; after "
    "that it opens the card browser. With five or more choices, `e` likewise picks e) before "
    "it opens the editor."
    "\n\nq quits the review, ctrl+c or ctrl+q from any screen; every grade is saved as you "
    "give it.\n\nPress escape, q or ? to close."
)


def _row_key(binding: Binding) -> str:
    """Bindings of one group (0-5, a-f) or one action (space/enter) share a row."""
    return binding.group.description if binding.group else binding.action


def _keys(keys: list[str], group: Binding.Group | None) -> str:
    """A compact group is a range (`0-5`), another group its keys (`↓ pgdn ↑ pgup`), one
    action its keys as alternatives (`space / enter`)."""
    if group is None:
        return " / ".join(keys)
    return f"{keys[0]}-{keys[-1]}" if group.compact else " ".join(keys)


def keys_table(bindings: list[Binding]) -> Table:
    """One row per action or binding group, in binding order."""
    rows: dict[str, tuple[list[str], Binding]] = {}
    for binding in bindings:
        keys, _ = rows.setdefault(_row_key(binding), ([], binding))
        keys.append(binding.key_display or binding.key)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", justify="right")
    table.add_column()
    for keys, first in rows.values():
        description = GROUP_HELP[first.group] if first.group else first.tooltip
        description = description or first.description
        table.add_row(_keys(keys, first.group), description)
    return table


def grades_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", justify="right")
    table.add_column(style="bold")
    table.add_column(style="dim")
    for quality, grade in zip(GRADES, Grade, strict=True):
        table.add_row(str(quality), grade.label, grade.hint)
    return table


class HelpScreen(ModalScreen[None]):
    CSS = """
    HelpScreen {
        align: center middle;
    }

    HelpScreen #help {
        width: 86;
        max-height: 90%;
    }
    """
    """Parsed when the help is first shown (app.tcss is parsed before the first card)."""

    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("escape,q,?", "dismiss", "Close"),
        Binding("ctrl+z,u", "app.undo_behind", "Undo", show=False),
    ]

    def __init__(self, scheduler: str = "sm2") -> None:
        super().__init__()
        self.scheduler = scheduler

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="panel"):
            yield Static(Text("Keys", style="bold"))
            yield Static(keys_table([b for b in ReviewScreen.BINDINGS if isinstance(b, Binding)]))
            yield Static(Text("\nGrades (SM-2 quality)", style="bold"))
            yield Static(grades_table())
            yield Static(Text(SCHEDULING[self.scheduler] + NOTES, style="dim"))
