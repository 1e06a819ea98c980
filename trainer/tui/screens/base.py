"""What every screen over the review session shares: the session, the app, and the keys that
open statistics and help or quit. Each screen lists its own BINDINGS, in its footer's order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from trainer.session import Session
    from trainer.tui.app import ReviewApp


def breakpoint_classes(screen: Screen[Any]) -> list[str]:
    """The breakpoint classes (`-wide`, `-tall`) Textual gives `screen` at the app's size.

    Textual sets them on the screen's first Resize, after its widgets are mounted, and changing
    a screen's classes restyles every widget on it once more (a whole pass of selector matching
    before the first card). Set in the constructor, from the size the app already has, that
    Resize finds nothing to change; at another size it still sets the right ones.
    """
    app = screen.app
    chosen = []
    for dimension, breakpoints in (
        (app.size.width, screen.HORIZONTAL_BREAKPOINTS or app.HORIZONTAL_BREAKPOINTS),
        (app.size.height, screen.VERTICAL_BREAKPOINTS or app.VERTICAL_BREAKPOINTS),
    ):
        reached = [(limit, name) for limit, name in breakpoints or () if dimension >= limit]
        if reached:
            chosen.append(max(reached)[1])
    return chosen


class SessionScreen(Screen[Any]):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.add_class(*breakpoint_classes(self), update=False)

    @property
    def trainer_app(self) -> ReviewApp:
        return self.app  # type: ignore[return-value]

    def action_undo(self) -> None:
        """Undo from a screen without a card: go back to reviewing what was undone."""
        if self.trainer_app.undo() is not None:
            self.trainer_app.resume_review()

    def action_browse(self) -> None:
        self.trainer_app.show_browser()

    def action_stats(self) -> None:
        self.trainer_app.show_stats()

    def action_help(self) -> None:
        self.trainer_app.show_help()

    async def action_quit(self) -> None:
        self.app.exit()
