"""`b`: the card browser. Search and filter every card, see its state, schedule and review
history, and unsuspend, unbury, forget or set its due day (each undoable like a grade)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from trainer.browse import memory_heading
from trainer.core.keys import ItemKey
from trainer.core.states import FORGETTABLE_STATES, SUSPENDED_STATES, CardState
from trainer.sm2 import MAX_INTERVAL_DAYS
from trainer.tui.screens.base import SessionScreen
from trainer.tui.widgets.key_bar import KeyBar
from trainer.visible import visible
from trainer.wording import plural

if TYPE_CHECKING:
    from trainer.browse import CardRow
    from trainer.session import Session

COLUMNS = ("State", "Due", "Ivl", "Ease", "Reps", "Lapses", "Question")
QUESTION_WIDTH = 60
TAG_PREFIX = "#"


def parse_filter(text: str) -> tuple[str | None, str | None]:
    """`#date talks` -> (search `talks`, tag `date`): words starting with # are a tag."""
    words = text.split()
    tags = [word[len(TAG_PREFIX) :] for word in words if word.startswith(TAG_PREFIX)]
    search = " ".join(word for word in words if not word.startswith(TAG_PREFIX))
    return search or None, tags[-1] if tags else None


def cells(row: CardRow) -> tuple[str, ...]:
    """The table's cells, bank text with its control characters shown as symbols."""
    return (*row.schedule_cells(), row.question_line(QUESTION_WIDTH))


def _key(row: CardRow) -> ItemKey:
    return ItemKey(row.bank_id, row.id)


def _memory_fields(row: CardRow) -> list[tuple[str, str]]:
    """What the deck's scheduler keeps of the card's memory: SM-2's E-Factor, or FSRS's
    stability, difficulty and retrievability (none while FSRS has not scheduled it)."""
    if not row.is_fsrs:
        return [("E-Factor", f"{row.easiness:.2f}")]
    if row.stability is None or row.difficulty is None:
        return [("Memory", "not scheduled by FSRS yet")]
    fields = [("Stability", f"{row.stability:.1f} days"), ("Difficulty", f"{row.difficulty:.1f}")]
    if row.retrievability is not None:
        fields.append(("Recall today", f"{row.retrievability:.0%} (retrievability)"))
    return fields


def card_info(row: CardRow) -> Text:
    """Everything about one card: text, schedule, and its review history, oldest first."""
    info = Text()
    info.append(visible(row.question) + "\n\n", "bold")
    fields = [
        ("Card", visible(row.id, one_line=True)),
        ("Deck", visible(row.deck, one_line=True)),
        ("Tags", visible(" ".join(row.tags), one_line=True)),
        ("State", row.state),
        ("Due", row.due.isoformat() if row.due else "-"),
        ("Interval", plural(row.interval, "day")),
        *_memory_fields(row),
        ("Repetitions", str(row.repetitions)),
        ("Lapses", str(row.lapses)),
        ("Today", row.queued or "not in today's queue"),
    ]
    for label, value in fields:
        info.append(f"{label:<12}", "bold")
        info.append(value + "\n")
    info.append(f"\nReview history ({plural(len(row.history), 'answer')})\n", "bold")
    for answer in row.history:
        interval = "-" if answer.interval is None else plural(answer.interval, "day")
        info.append(
            f"{answer.time:%Y-%m-%d %H:%M}  grade {answer.grade}  {answer.kind:<8} {interval}\n"
        )
    return info


class CardInfoScreen(ModalScreen[None]):
    CSS = """
    CardInfoScreen {
        align: center middle;
    }

    CardInfoScreen #card-info {
        width: 80;
        max-height: 90%;
    }
    """
    """Parsed when a card's information is first shown (app.tcss is parsed before the first
    card)."""

    BINDINGS = [Binding("escape,q,i,enter", "dismiss", "Close")]  # noqa: RUF012

    def __init__(self, row: CardRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-info", classes="panel"):
            yield Static(card_info(self.row), markup=False)


MAX_DUE_IN_DAYS = MAX_INTERVAL_DAYS
"""As far ahead as a grade can put a card (and, from the trainer's latest day, 9899-12-31,
still a real date)."""


def due_in_days(text: str) -> int | None:
    """The answer to "Due in how many days?": the digits 0-9 only, 0 to MAX_DUE_IN_DAYS."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(MAX_DUE_IN_DAYS)):
        return None
    days = int(text)
    return days if days <= MAX_DUE_IN_DAYS else None


class DueDayScreen(ModalScreen[int | None]):
    """Asks in how many days the card should be due; dismissed with the number or None."""

    CSS = """
    DueDayScreen {
        align: center middle;
    }

    DueDayScreen #due-day {
        width: 44;
    }
    """
    """Parsed when first shown (app.tcss is parsed before the first card)."""
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        with Vertical(id="due-day", classes="panel"):
            yield Static("Due in how many days? (0 = today)")
            yield Input(id="days", placeholder="e.g. 3")  # text: "1.5" must not become 15

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        days = due_in_days(event.value)
        if days is None:
            self.notify(f"A whole number of days, 0 to {MAX_DUE_IN_DAYS:,}.", severity="warning")
        else:
            self.dismiss(days)


class BrowserScreen(SessionScreen):
    CSS = """
    BrowserScreen #filter {
        dock: top;
    }

    BrowserScreen #cards {
        height: 1fr;
    }

    BrowserScreen #browser-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """
    """Parsed when the browser is first shown (app.tcss is parsed before the first card)."""

    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("slash", "search", "Search", tooltip="Search text; #tag filters by tag"),
        Binding("i", "info", "Info", tooltip="The card's schedule and review history"),
        Binding("@", "unsuspend", "Unsuspend"),
        Binding("-", "unbury", "Unbury"),
        Binding("f", "forget", "Forget", tooltip="Forget: back to new"),
        Binding("d", "due_day", "Due day", tooltip="Set the day the card is due"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("u", "undo", "Undo", show=False),
        Binding("escape,b", "close", "Back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.rows: list[CardRow] = []
        self.shown: list[CardRow] = []
        self.changed = False
        """Whether an action changed a schedule: the review behind must recompute its card."""

    def compose(self) -> ComposeResult:
        yield Input(id="filter", placeholder="Search the cards (#tag to filter by tag)")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield Static(id="browser-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.rows = self.session.browse()
        memory = memory_heading(self.rows).replace("ease", "Ease")  # the deck's scheduler's
        self.query_one(DataTable).add_columns(
            *(memory if name == "Ease" else name for name in COLUMNS)
        )
        self.show_rows()
        self.query_one(DataTable).focus()

    # -- the list --------------------------------------------------------------------

    def reload(self) -> None:
        """Read the cards again (after an action) and show them, keeping the cursor's card."""
        self.rows = self.session.browse()
        self.show_rows()

    def show_rows(self) -> None:
        table = self.query_one(DataTable)
        current = self.selected()
        search, tag = parse_filter(self.query_one("#filter", Input).value)
        self.shown = [row for row in self.rows if row.matches(search, tag)]
        table.clear()
        for row in self.shown:
            table.add_row(*map(Text, cells(row)), key=f"{row.bank_id}:{row.id}")  # Text: literal
        keys = [_key(row) for row in self.shown]
        if current is not None and _key(current) in keys:
            table.move_cursor(row=keys.index(_key(current)))
        status = f"{plural(len(self.shown), 'card')} of {len(self.rows)}"
        self.query_one("#browser-status", Static).update(status)

    def selected(self) -> CardRow | None:
        table = self.query_one(DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def on_input_changed(self, _: Input.Changed) -> None:
        self.show_rows()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_info()

    # -- actions ---------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_info(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(CardInfoScreen(self.session.with_history(row)))

    def action_close(self) -> None:
        if self.query_one("#filter", Input).has_focus:
            self.query_one(DataTable).focus()
            return
        self.dismiss(self.changed)

    def _act(
        self, states: tuple[str, ...], refusal: str, done: str, act: Callable[[ItemKey], None]
    ) -> None:
        """Run `act` on the selected card if its state is one of `states` (any, if empty);
        say what was done, and show the cards again."""
        row = self.selected()
        if row is None:
            return
        if states and row.state not in states:
            self.notify(refusal, severity="warning")
            return
        if self.trainer_app.saved(lambda: act(_key(row))):
            self.changed = True
            self.notify(f"{done}: \u201c{cells(row)[-1]}\u201d", markup=False)
            self.reload()

    def action_unsuspend(self) -> None:
        self._act(
            SUSPENDED_STATES,
            "This card is not suspended.",
            "Unsuspended",
            self.session.unsuspend,
        )

    def action_unbury(self) -> None:
        self._act((CardState.BURIED,), "This card is not buried.", "Unburied", self.session.unbury)

    def action_forget(self) -> None:
        self._act(
            FORGETTABLE_STATES,
            "This card is new already.",
            "Forgotten (new again)",
            self.session.forget,
        )

    def action_due_day(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.state == CardState.RETIRED:
            self.notify("This card is no longer in the bank.", severity="warning")
            return

        def chosen(days: int | None) -> None:
            if days is None:
                return
            day = self.session.today() + timedelta(days=days)
            self._act(
                (),
                "",
                f"Due {day.isoformat()}",
                lambda key: self.session.set_due_day(key, day),
            )

        self.app.push_screen(DueDayScreen(), chosen)

    def action_undo(self) -> None:
        if self.trainer_app.undo() is not None:
            self.changed = True
            self.reload()
