"""The review screen's first card is cheap to show, counted in work rather than time (issue #23:
`review`'s first card <= 1.3x a one-label Textual app): few widgets, each styled few times, and
no module that only another screen (or the answer side) needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.css.stylesheet import Stylesheet
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button

from tests.tui_support import (
    FIRST_SCREEN,
    SIZE,
    first_screen_in_a_new_process,
    make_app,
    screen_text,
    sync,
    write_long_card_bank,
)
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.screens.summary import SummaryScreen
from trainer.tui.widgets.card_view import CardView
from trainer.tui.widgets.grade_bar import REVEAL_LABEL, GradeBar
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.progress_header import ProgressHeader

FIRST_CARD_WIDGETS = 8
"""Widgets on the review screen before the first answer: the header (one widget drawing the
deck's name, the counts, the progress bar and the clock: it was those four in a container),
card (caption, body, notes), the reveal button and the key bar, with their containers; the six
grade buttons wait for the first reveal, and the progress bar is drawn by the header, not
Textual's three widgets (there were 20, then 12)."""
FIRST_CARD_STYLINGS = 19
"""Times a node's styles are computed up to the first card (19 now: each node once, and the key
bar's and the header's component styles; 21 when the header was five widgets; 29 when the card
took the focus, restyling it and its text; 45 when Textual restyled the whole screen on its
first resume; 114 when the grade buttons were mounted hidden, the breakpoint classes restyled
the whole screen after its first pass and the review screen was pushed over Textual's empty
default screen)."""
FIRST_CARD_CSS_RULES = 60
"""Rule sets parsed by the first card: Textual's defaults for the widgets shown and app.tcss (60;
71 when app.tcss held the help's, statistics' and browser's rules: their screens' own CSS now,
parsed when first shown)."""
FIRST_CARD_HINT_REFRESHES = 3
"""Times the key bar works out its hints up to the first card (3: as it is mounted, as the card
is shown and as the screen is resumed; 5 when the first layout of the card refreshed them twice
more, the "↓ More" hint unchanged)."""
FIRST_CARD_DATACLASSES = 4
"""Dataclasses of ours defined by the time the first card is up (4: the note and the note
classes that add fields). Python writes and compiles each one's methods as it is defined, ~4M
instructions a class: values the first card needs that are plain records are NamedTuples (the
review item, its citation, the note types' declarations), a note class adding no field
(reverse) inherits its parent's methods, and what only a bank read from its file needs (`Bank`,
`Deck`, `Source`: `trainer.bank_model`) and the reports (`trainer.outlook`) wait until asked
(there were 21, then 13, then 6)."""

OTHER_SCREENS = (
    "trainer.tui.screens.summary",
    "trainer.tui.screens.empty",
    "trainer.tui.screens.help",
    "trainer.tui.screens.browser",
    "trainer.tui.screens.stats",
    "trainer.tui.charts",
    "trainer.tui.editor",
    "trainer.outlook",  # the summary's and statistics' reports
    "textual.widgets._progress_bar",  # the header draws its own
    "trainer.bank_model",  # a bank read from its file
    "trainer.notetypes.cloze",  # the types of the cards not shown yet (the first is basic)
    "trainer.notetypes.mcq",
    "trainer.notetypes.reverse",
    "pkgutil",  # to list every type
)


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


async def calls_until_the_first_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: type, name: str
) -> int:
    """How many times `owner.name` is called up to the first card on the review screen."""
    calls = 0
    method = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return method(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    return calls


@sync
async def test_the_first_card_styles_each_node_a_few_times_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    styled = await calls_until_the_first_card(tmp_path, monkeypatch, Stylesheet, "apply")
    assert styled <= FIRST_CARD_STYLINGS


@sync
async def test_the_first_card_parses_only_the_css_it_uses(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert len(app.stylesheet.rules) <= FIRST_CARD_CSS_RULES


@sync
async def test_the_first_card_works_out_the_key_hints_a_few_times_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked_out = await calls_until_the_first_card(
        tmp_path, monkeypatch, KeyBar, "_bindings_changed"
    )
    assert worked_out <= FIRST_CARD_HINT_REFRESHES


@sync
async def test_a_tick_of_the_clock_draws_the_clock_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = app.screen.query_one(ProgressHeader)
        drawn: list[str] = []
        draw = ProgressHeader._drawn

        def counted(self: ProgressHeader, text: Text, *args: Any) -> Strip:
            drawn.append(text.plain)
            return draw(self, text, *args)

        monkeypatch.setattr(ProgressHeader, "_drawn", counted)
        monkeypatch.setattr(ProgressHeader, "_deck", lambda *_: pytest.fail("deck drawn"))
        app.timer = lambda: 65.0
        app.screen._tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert drawn == ["1:05"]
        assert header.elapsed == "1:05"


@sync
async def test_the_header_narrows_and_widens_with_the_terminal(tmp_path: Path) -> None:
    """Below 100 columns the header drops its bar for the percentage alone, and takes it back:
    at the new size, not the one before (it draws its parts' widths itself)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        tops = []
        for size in [(120, 40), (80, 24), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            tops.append(screen_text(app).splitlines()[0])
    bar = "━"  # Textual's Bar
    assert [bar in top for top in tops] == [True, False, True]
    assert tops[0] == tops[2]
    assert all(top.rstrip().endswith("0:00") for top in tops)


def test_the_first_card_imports_only_what_it_shows(tmp_path: Path) -> None:
    make_app(tmp_path).session.close()  # the bank synced; the database made
    loaded = first_screen_in_a_new_process(
        tmp_path / "cards.yaml", tmp_path / "reviews.sqlite3", OTHER_SCREENS
    )
    assert loaded == ["ReviewScreen", "[]"]


COUNT_DATACLASSES = """
import inspect
print(sum(
    1
    for name, module in list(sys.modules.items())
    if name == "trainer" or name.startswith("trainer.")
    for _, value in inspect.getmembers(module, inspect.isclass)
    if value.__module__ == name and "__dataclass_fields__" in vars(value)  # its own methods
))
"""


def test_the_first_card_defines_few_dataclasses(tmp_path: Path) -> None:
    make_app(tmp_path).session.close()
    files = (str(tmp_path / "cards.yaml"), str(tmp_path / "reviews.sqlite3"))
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN + COUNT_DATACLASSES, *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    shown, _, defined = result.stdout.split("\n")[:3]
    assert shown == "ReviewScreen"
    assert 0 < int(defined) <= FIRST_CARD_DATACLASSES


@sync
async def test_nothing_takes_the_focus_yet_home_and_end_still_scroll_the_card(
    tmp_path: Path,
) -> None:
    write_long_card_bank(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert app.screen.focused is None
        card = app.screen.query_one(CardView)
        assert card.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause(0.5)  # animated, as the card's own binding scrolls
        assert card.scroll_y == card.max_scroll_y
        await pilot.press("home")
        await pilot.pause(0.5)
        assert card.scroll_y == 0


@sync
async def test_the_reveal_button_looks_and_clicks_like_a_compact_button(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        ours = app.screen.query_one("#reveal")
        button = Button(REVEAL_LABEL, compact=True)  # as the grade buttons are made
        button.can_focus = False
        await app.screen.query_one(GradeBar).mount(button)
        await pilot.pause()

        def look(widget: Widget) -> tuple[object, ...]:
            drawn = [(part.text, str(part.style)) for part in widget.render_line(0)]
            return (*drawn, str(widget.styles.tint))  # the tint is the compositor's

        async def looks(widget: Widget) -> tuple[object, ...]:
            """Plain, hovered, and pressed while hovered."""
            plain = look(widget)
            await pilot.hover(widget)
            await pilot.pause()
            hovered = look(widget)
            widget.add_class("-active")
            await pilot.pause()
            pressed = look(widget)
            widget.remove_class("-active")
            await pilot.hover("#card")
            await pilot.pause()
            return widget.size, plain, hovered, pressed

        ours_looks, button_looks = await looks(ours), await looks(button)
        assert ours_looks == button_looks
        assert len(set(map(str, button_looks[1:]))) == 3  # three different looks compared
        await pilot.click(ours)
        await pilot.pause()
        assert app.screen.query_one(CardView).query_one("#notes").display  # the answer


@sync
async def test_the_first_screen_is_the_bottom_one_and_still_gives_way_to_the_summary(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen_stack == [app.screen]  # no empty default screen under the card
        for _round in range(2):  # the summary and undo alternate, the stack stays small
            while isinstance(app.screen, ReviewScreen):
                await pilot.press("space", "4")
                await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("u")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert app.screen.card is not None
            assert app.screen.card.item.id == "talks-mcq"
            assert len(app.screen_stack) == 1
