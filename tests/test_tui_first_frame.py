"""The review screen's first card is cheap to show, counted in work rather than time (issue #23:
`review`'s first card <= 1.3x a one-label Textual app): few widgets, each styled few times, and
no module that only another screen needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

from tests.tui_support import SIZE, make_app, sync
from trainer.tui.screens.review import ReviewScreen

FIRST_CARD_WIDGETS = 12
"""Widgets on the review screen before the first answer: header (line, counts, progress line,
clock), card (caption, body, notes), the reveal button and the key bar, with their containers;
the six grade buttons wait for the first reveal, and the progress bar is one widget, not
Textual's three (there were 20)."""
FIRST_CARD_STYLINGS = 58
"""Times a node's styles are computed up to the first card (55 now; 114 when the grade buttons
were mounted hidden and the breakpoint classes restyled the whole screen after its first pass)."""

OTHER_SCREENS = (
    "trainer.tui.screens.summary",
    "trainer.tui.screens.empty",
    "trainer.tui.screens.help",
    "trainer.tui.screens.browser",
    "trainer.tui.screens.stats",
    "trainer.tui.charts",
    "trainer.tui.editor",
)
FIRST_CARD = """
import asyncio, sys
from pathlib import Path
from trainer.session import open_session
from trainer.tui.app import ReviewApp

async def first_screen(app):
    async with app.run_test() as pilot:
        await pilot.pause()
        return type(app.screen).__name__

with open_session(Path(sys.argv[1]), Path(sys.argv[2])) as session:
    print(asyncio.run(first_screen(ReviewApp(session))))
print(sorted(name for name in sys.argv[3:] if name in sys.modules))
"""


@sync
async def test_the_first_card_mounts_a_small_budget_of_widgets(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert len(list(app.screen.walk_children())) <= FIRST_CARD_WIDGETS
        await pilot.press("space")
        await pilot.pause()
        assert len(app.screen.query(".grade")) == 6  # mounted at the reveal


@sync
async def test_the_first_card_styles_each_node_a_few_times_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    styled: list[DOMNode] = []
    apply = Stylesheet.apply

    def counted(self: Stylesheet, node: DOMNode, *args: object, **kwargs: object) -> None:
        styled.append(node)
        apply(self, node, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Stylesheet, "apply", counted)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert len(styled) <= FIRST_CARD_STYLINGS


def test_the_first_card_imports_no_other_screen(tmp_path: Path) -> None:
    make_app(tmp_path).session.close()  # the bank synced; the database made
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            FIRST_CARD,
            str(tmp_path / "cards.yaml"),
            str(tmp_path / "reviews.sqlite3"),
            *OTHER_SCREENS,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split("\n")[:2] == ["ReviewScreen", "[]"]
