"""The review screen: one card at a time, reveal, grade, and the per-card actions."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding

from trainer.core.grades import GRADES, Grade
from trainer.core.limits import MAX_ANSWER_MS
from trainer.model import CHOICE_LETTERS
from trainer.session_words import header_figures
from trainer.tui import render
from trainer.tui.messages import GradeChosen, RevealRequested
from trainer.tui.screens.base import SessionScreen
from trainer.tui.widgets.card_view import CardView
from trainer.tui.widgets.grade_bar import GradeBar
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.progress_header import ProgressHeader

if TYPE_CHECKING:
    from trainer.session import Card, Session

CLOCK_TICK_SECONDS = 1.0

GRADE_GROUP = Binding.Group("Grade", compact=True)
PICK_GROUP = Binding.Group("Pick", compact=True)
SCROLL_GROUP = Binding.Group("Scroll")


class ReviewScreen(SessionScreen):
    AUTO_FOCUS = ""
    """Nothing takes the focus by itself. The card (a scrolling container, the screen's one
    focusable widget) used to: its focus, and its blur as the app closed, restyled it and its
    text and drew one more frame (~15M instructions before the first card, issue #23). Its keys
    stay: the screen's bindings scroll it over any focus (↓ ↑ pgdn pgup), `key_home` and
    `key_end` below; a click still gives it the focus, as before."""

    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        *(
            Binding(str(quality), f"grade({quality})", f"Grade: {grade.label}", group=GRADE_GROUP)
            for quality, grade in zip(GRADES, Grade, strict=True)
        ),
        *(
            Binding(letter, f"pick('{letter}')", f"Pick choice {letter})", group=PICK_GROUP)
            for letter in CHOICE_LETTERS
        ),
        Binding(
            "down",
            "scroll_card(1)",
            "More",
            key_display="↓",
            tooltip="More of the card below: ↓ or page down (↑ or page up: back)",
            group=SCROLL_GROUP,
            priority=True,  # over the card's own scroll keys, so the hint is this binding's
        ),
        *(
            Binding(
                key,
                action,
                "More" if "(1" in action else "Back up",
                key_display=display,
                show=False,
                group=SCROLL_GROUP,
                priority=True,
            )
            for key, action, display in (
                ("pagedown", "scroll_card(1, True)", "pgdn"),
                ("up", "scroll_card(-1)", "↑"),
                ("pageup", "scroll_card(-1, True)", "pgup"),
            )
        ),
        Binding(
            "ctrl+z", "undo", "Undo", tooltip="Undo the last action (repeat to go further back)"
        ),
        Binding("u", "undo", "Undo", show=False),
        Binding("-", "bury", "Bury", tooltip="Bury: skip this card until tomorrow"),
        Binding("@", "suspend", "Suspend", tooltip="Suspend: never schedule this card again"),
        Binding("e", "edit", "Edit", tooltip="Edit the card in $EDITOR, then reload the bank"),
        Binding(
            "b",
            "browse",
            "Browse",
            tooltip="Browse, search and fix every card",
            show=False,  # the bar is full at 80 columns; `?` lists it
        ),
        Binding("s", "stats", "Stats", tooltip="Statistics: forecast, calendar, retention"),
        Binding("?", "help", "Help", tooltip="This help"),
        Binding("q", "quit", "Quit", tooltip="Quit; ctrl+c too (every grade is already saved)"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.card: Card | None = None
        self.revealed = False
        self.picked: int | None = None
        self.shown_at = 0.0
        self.resumed = False
        self.bindings_stale = False
        self.more_below = False
        """Whether the key hints were last refreshed with more of the card below ("↓ More")."""

    def compose(self) -> ComposeResult:
        yield ProgressHeader(id="header")
        yield CardView(id="card")
        yield GradeBar(id="grades")
        yield KeyBar()

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(CLOCK_TICK_SECONDS, self._tick)
        card = self.query_one(CardView)
        # the "↓ More" hint shows while part of the card is below the fold
        self.watch(card, "scroll_y", self._card_moved, init=False)
        self.watch(card, "virtual_size", self._card_moved, init=False)
        self.show_current()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Spare the first card Textual's restyle of the whole screen on its first resume: its
        widgets were styled as they mounted, moments before, and nothing has changed since (a
        class or focus that changes restyles what it touches itself). That pass styled every
        node a second time (half the stylings before the first card). Later resumes (back
        from help or statistics) restyle as Textual does."""
        if not self.resumed:
            self.resumed = True
            event.refresh_styles = False

    def on_resize(self) -> None:
        self._look_again()

    def _card_moved(self) -> None:
        self._look_again()

    def _look_again(self) -> None:
        """Once laid out, see whether the "↓ More" hint comes or goes: the screen was resized,
        the card scrolled or was laid out. Textual sends several Resizes as it starts, and the
        card's sizes pass through values in between: one look after them will do, and the hints
        are refreshed only if the hint changed (each refresh recomputes every hint: ~1M
        instructions; the first card's layout used to cost two, issue #23)."""
        if not self.bindings_stale:
            self.bindings_stale = True
            self.call_after_refresh(self._refresh_stale_bindings)

    def _refresh_stale_bindings(self) -> None:
        self.bindings_stale = False
        if self._has_more_below() != self.more_below:
            self._refresh_hints()

    def _has_more_below(self) -> bool:
        card = self.query_one(CardView)
        return card.scroll_y < card.max_scroll_y

    def _refresh_hints(self) -> None:
        self.more_below = self._has_more_below()
        self.refresh_bindings()

    def _tick(self) -> None:
        self.query_one(ProgressHeader).show_elapsed(self.trainer_app.elapsed_seconds())

    # -- showing cards ---------------------------------------------------------------

    def show_current(self) -> None:
        """Show the session's current card, or the summary when the queue is empty."""
        card = self.session.current()
        if card is None:
            self.trainer_app.show_summary()
            return
        self.card, self.revealed, self.picked = card, False, None
        self.shown_at = self.trainer_app.timer()
        name, left = self.session.header_parts(card)
        banks = len(self.session.banks)
        figures = header_figures(left, banks) if left is not None else ()
        self.query_one(ProgressHeader).show_deck(name, figures)
        counts = self.session.counts()
        self.query_one(ProgressHeader).show_counts(
            counts.new, counts.review, counts.redrill, self.session.answered_today()
        )
        self._refresh_card()

    def _refresh_card(self) -> None:
        card = self.card
        if card is None:
            return
        self.query_one(CardView).show(
            card.item,
            card.kind,
            revealed=self.revealed,
            picked=self.picked,
            citation=card.citation,
        )
        grades = self.query_one(GradeBar)
        if self.revealed:
            suggested = render.suggested_grade(card.item, self.picked)
            grades.show_grades(self.session.intervals(card), suggested)
        else:
            grades.show_question()
        self._refresh_hints()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return not self.revealed
        if action == "pick":  # else `e` on a 4-choice card falls through to edit
            return not self.revealed and self._has_choice(str(parameters[0]))
        if action == "scroll_card" and parameters[0] == 1:
            return self._has_more_below()
        return True

    def _has_choice(self, letter: str) -> bool:
        count = render.choices(self.card.item) if self.card is not None else 0
        return CHOICE_LETTERS.index(letter) < count

    # -- actions ---------------------------------------------------------------------

    def action_reveal(self) -> None:
        if self.card is not None and not self.revealed:
            self.revealed = True
            self._refresh_card()

    def on_reveal_requested(self, _: RevealRequested) -> None:
        self.action_reveal()

    def action_pick(self, letter: str) -> None:
        if self.revealed or not self._has_choice(letter):
            return
        self.picked, self.revealed = CHOICE_LETTERS.index(letter), True
        self._refresh_card()

    def action_scroll_card(self, direction: int, page: bool = False) -> None:
        """Scroll the card: a line (arrow keys) or a page (page up / down)."""
        card = self.query_one(CardView)
        if page:
            page_height = card.scrollable_content_region.height
            card.scroll_to(y=card.scroll_y + direction * page_height, animate=False)
        else:
            card.scroll_relative(y=direction, animate=False)

    def key_home(self) -> None:
        """`home` and `end` scroll the card as its own bindings do when it has the focus (key
        methods, not bindings: the help lists the screen's bindings, and these are the card's)."""
        with suppress(SkipAction):  # nothing to scroll
            self.query_one(CardView).action_scroll_home()

    def key_end(self) -> None:
        with suppress(SkipAction):
            self.query_one(CardView).action_scroll_end()

    def action_grade(self, quality: int) -> None:
        card = self.card
        if card is None:
            return
        if not self.revealed:
            self.notify("Show the answer first (space), then grade it.", severity="warning")
            return
        elapsed_ms = int((self.trainer_app.timer() - self.shown_at) * 1000)
        if self.trainer_app.grade_card(card, quality, min(elapsed_ms, MAX_ANSWER_MS)):
            self.show_current()

    def on_grade_chosen(self, message: GradeChosen) -> None:
        self.action_grade(message.quality)

    def action_undo(self) -> None:
        if self.trainer_app.undo() is not None:
            self.show_current()

    def action_bury(self) -> None:
        if self.card is not None and self.trainer_app.bury_card(self.card):
            self.notify("Buried until tomorrow.")
            self.show_current()

    def action_suspend(self) -> None:
        if self.card is not None and self.trainer_app.suspend_card(self.card):
            self.notify("Suspended: this card will not be scheduled again.")
            self.show_current()

    def action_edit(self) -> None:
        """Edit the card in $EDITOR; back from it, the same side of the card (now edited) is
        shown, unless the edit took the card out of today's queue."""
        card = self.card
        if card is None or not self.trainer_app.edit_note(card):
            return
        revealed, picked = self.revealed, self.picked
        self.show_current()
        if self.card is not None and self.card.key == card.key and revealed:
            if picked is not None and not self._has_choice(CHOICE_LETTERS[picked]):
                picked = None  # the edit removed the picked choice
            self.revealed, self.picked = True, picked
            self._refresh_card()
