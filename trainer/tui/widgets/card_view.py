"""The card: a caption, the question (or the revealed answer), and the small print."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from trainer.model import ReviewItem
from trainer.tui import render


class CardView(VerticalScroll):
    """Scrolls when a long card does not fit; all text is literal rich `Text`."""

    def compose(self) -> ComposeResult:
        yield Static(id="caption")
        yield Static(id="body")
        yield Static(id="notes")

    def show(
        self,
        item: ReviewItem,
        kind: str,
        *,
        revealed: bool,
        picked: int | None,
        citation: str,
    ) -> None:
        self.query_one("#caption", Static).update(render.card_caption(item, kind))
        body = render.answer(item, picked) if revealed else render.question(item, picked)
        self.query_one("#body", Static).update(body)
        notes = self.query_one("#notes", Static)
        notes.update(render.notes(item, citation) if revealed else Text())
        notes.display = revealed
        self.scroll_home(animate=False)
