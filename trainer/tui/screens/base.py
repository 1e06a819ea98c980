"""What every screen over the review session shares: the session, the app, and the keys that
open statistics and help or quit. Each screen lists its own BINDINGS, in its footer's order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from trainer.session import Session
    from trainer.tui.app import ReviewApp


class SessionScreen(Screen[Any]):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

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
