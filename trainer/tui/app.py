"""The review app: owns the session and moves between the screens."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SuspendNotSupported
from textual.binding import Binding
from textual.screen import Screen

from trainer.errors import BankError, TrainerError
from trainer.tui.screens.review import ReviewScreen
from trainer.visible import visible

if TYPE_CHECKING:
    from trainer.session import Card, Session, Undone

MAX_PROBLEMS_SHOWN = 5
NARROW_COLUMNS = 100
"""Below this width the six grade buttons wrap onto two rows and the progress bar goes."""
TINY_COLUMNS = 90
"""Below this width the key hints wrap onto two lines: the review screen's question side needs 84
columns on one line, so at 80 its last hint (quit) would be cut."""
SHORT_LINES = 20
"""Below this height the card loses its blank margins, so a multiple-choice question shows more
of its choices (the rest is a documented ↓ away)."""
ERROR_TIMEOUT_SECONDS = 20


class ReviewApp(App[None]):
    """`timer` is a monotonic clock in seconds (answer times, time spent); tests freeze it."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere find it
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        # Ctrl+C and Ctrl+Q quit from every screen, the browser's search box included (Textual
        # makes Ctrl+C copy and only hint at Ctrl+Q): every grade is saved as it is given.
        Binding("ctrl+c,ctrl+q", "quit", "Quit", show=False, priority=True),
    ]
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-tiny"),
        (TINY_COLUMNS, "-narrow"),
        (NARROW_COLUMNS, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_LINES, "-tall")]  # noqa: RUF012

    def __init__(self, session: Session, *, timer: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.session = session
        self.timer = timer
        self.started = timer()

    def get_default_screen(self) -> Screen[Any]:
        """The first screen is the bottom of the stack itself: pushed over Textual's default
        screen, that empty screen was composed, styled and laid out too before the first card."""
        if self.session.current() is not None:
            return ReviewScreen(self.session)
        from trainer.tui.screens.empty import EmptyScreen  # the other screens: when shown

        return EmptyScreen(self.session)

    def show_instead(self, screen: Screen[Any]) -> None:
        """Show `screen` in place of the current one; over the bottom screen, which Textual
        cannot switch (it was not pushed), push it."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def saved(self, write: Callable[[], object]) -> bool:
        """Run one database write; on failure (disk full, read-only) say so and go on.

        The session rolls the failed transaction back, so nothing is half-saved and the card
        stays on screen to be answered again.
        """
        try:
            write()
        except TrainerError as error:
            self.notify(
                visible(str(error)),
                title="Not saved: the database refused the write",
                severity="error",
                timeout=ERROR_TIMEOUT_SECONDS,
                markup=False,
            )
            return False
        return True

    def grade_card(self, card: Card, quality: int, answer_ms: int) -> bool:
        return self.saved(lambda: self.session.grade(card, quality, answer_ms))

    def bury_card(self, card: Card) -> bool:
        return self.saved(lambda: self.session.bury(card))

    def suspend_card(self, card: Card) -> bool:
        return self.saved(lambda: self.session.suspend(card))

    def undo(self) -> Undone | None:
        """Undo the latest action of the study day and say what was undone, in the user's
        words; returns it, or None."""
        undone: list[Undone | None] = []
        if not self.session.can_undo():
            self.notify("Nothing to undo today.")
            return None
        if not self.saved(lambda: undone.append(self.session.undo())):
            return None
        step = undone[0]
        if step is not None:
            self.notify(step.describe(), markup=False)
        return step

    async def action_undo_behind(self) -> None:
        """Undo from a screen over the session (statistics, help): close it, then undo as
        the screen behind does, so the undone card is in view."""
        await self.pop_screen()
        await self.screen.run_action("undo")

    def elapsed_seconds(self) -> int:
        return int(self.timer() - self.started)

    def show_summary(self) -> None:
        from trainer.tui.screens.summary import SummaryScreen

        self.show_instead(SummaryScreen(self.session))

    def resume_review(self) -> None:
        """Back to reviewing: the review screen under this one if there is one, else a new one."""
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, ReviewScreen):
            self.pop_screen()
            below.show_current()
        else:
            self.show_instead(ReviewScreen(self.session))

    def show_browser(self) -> None:
        """The card browser over the current screen; if it changed a schedule, the screen
        behind shows what is due now."""
        from trainer.tui.screens.browser import BrowserScreen

        def closed(changed: bool | None) -> None:
            if not changed:
                return
            if isinstance(self.screen, ReviewScreen):
                self.screen.show_current()
            elif self.session.current() is not None:
                self.resume_review()

        self.push_screen(BrowserScreen(self.session), closed)

    def show_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.session.scheduler.scheduler))

    def show_stats(self) -> None:
        from trainer.tui.screens.stats import StatsScreen  # imports plotext: only when asked

        self.push_screen(StatsScreen(self.session.stats()))

    def edit_note(self, card: Card) -> bool:
        """Open the card's bank in $EDITOR at its note; reload it. False if nothing changed
        hands."""
        from trainer.tui.editor import EditorError, check_found, editor_command

        path = card.bank.path
        if path is None:
            return False
        failure: OSError | None = None
        try:
            command = editor_command(path, card.item.note.line)
            check_found(command)
            with self.suspend():
                try:  # an exception leaving `suspend` would never give the screen back
                    subprocess.run(command, check=False)
                except OSError as error:
                    failure = error
        except SuspendNotSupported:
            self.notify("This terminal cannot run an editor.", severity="error")
            return False
        except EditorError as error:
            self.notify(visible(str(error)), severity="error", markup=False)
            return False
        if failure is not None:
            self.notify(
                visible(
                    f"Could not start the editor {command[0]!r}: "
                    f"{failure.strerror or failure}. Set $EDITOR."
                ),
                severity="error",
                markup=False,
            )
            return False
        try:
            bank = self.session.read_bank(path)
        except BankError as error:
            self._show_bank_problems(error)
            return False
        self.clear_notifications()  # a fixed bank: the old error no longer holds
        return self.saved(lambda: self.session.reload(bank, bank_id=card.bank.id))

    def _show_bank_problems(self, error: BankError) -> None:
        listed = error.problems[:MAX_PROBLEMS_SHOWN]
        shown = [visible(str(problem), one_line=True) for problem in listed]
        hidden = len(error.problems) - len(shown)
        if hidden:
            shown.append(f"... and {hidden} more (run `trainer check`)")
        self.notify(
            "\n".join(shown),
            title="The bank has errors: still using the previous version",
            severity="error",
            timeout=ERROR_TIMEOUT_SECONDS,
            markup=False,
        )
