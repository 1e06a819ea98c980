"""The key-hint bar that replaces Textual's Footer: what it lists, when, and that clicks work."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from tests.tui_support import DAY_1, SIZE, make_app, sync
from trainer.tui.app import ReviewApp
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.screens.summary import SummaryScreen
from trainer.tui.widgets.key_bar import KeyBar

REACH_MCQ = ("space", "4") * 3


@pytest.fixture(autouse=True)
def day_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    monkeypatch.delenv("TRAINER_DB", raising=False)


def bar_of(app: App) -> KeyBar:
    return app.screen.query_one(KeyBar)


def bar_text(app: App) -> str:
    return bar_of(app).render().plain


def listed_keys(app: App) -> set[str]:
    return {hint.key for entry in bar_of(app).entries for hint in entry.hints}


async def click_on(pilot, app: App, text: str) -> None:
    """Click the first cell of `text` in the bar."""
    column = bar_text(app).index(text)
    assert await pilot.click(KeyBar, offset=(column, 0))
    await pilot.pause()


@sync
async def test_question_lists_show_answer_and_the_grades_as_one_entry(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert text.startswith(" space Show answer ")
        assert text.count("012345 Grade") == 1
        assert "Grade:" not in text  # the group's keys are not listed again one by one
        assert text.endswith(" q Quit ")
        drawn = list(bar_of(app).render_line(0))
        assert not any(segment.style and segment.style.underline for segment in drawn)


@sync
async def test_revealing_removes_show_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        text = bar_text(app)
        assert "Show answer" not in text
        assert "space" not in listed_keys(app)
        assert "012345 Grade" in text


@sync
async def test_pick_keys_only_for_the_choices_of_an_unrevealed_mcq(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Pick" not in bar_text(app)  # a basic card
        await pilot.press(*REACH_MCQ)
        await pilot.pause()
        text = bar_text(app)
        assert " abcd Pick " in text  # four choices: no `e` or `f`
        assert {"e", "f"} & listed_keys(app) == {"e"}  # `e` is Edit again
        assert text.rstrip().endswith("q Quit")  # too long for 100 columns: drawn compactly
        assert len(text) <= SIZE[0]
        await pilot.press("b")
        await pilot.pause()
        assert "Pick" not in bar_text(app)


@sync
async def test_hidden_bindings_are_not_listed(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = listed_keys(app)
        assert "ctrl+z" in keys
        assert not {"u", "enter"} & keys


@sync
async def test_clicking_an_entry_runs_its_action(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        first = screen.card
        await click_on(pilot, app, "Show answer")  # the description is part of the entry
        assert screen.revealed
        await click_on(pilot, app, "5")  # one key of the grade group
        assert screen.card != first
        assert not screen.revealed


@sync
async def test_summary_lists_undo_and_clicking_it_undoes(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_per_day=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "5")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert bar_text(app) == " ^z Undo last grade  b Browse  s Stats  ? Help  q Quit "
        await click_on(pilot, app, "^z")
        assert isinstance(app.screen, ReviewScreen)


@sync
async def test_hovering_a_key_shows_its_tooltip(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = bar_of(app)
        await pilot.hover(KeyBar, offset=(bar_text(app).index("Undo"), 0))
        assert bar.tooltip == "Undo the last action (repeat to go further back)"
        await pilot.hover(KeyBar, offset=(bar_text(app).index("3"), 0))
        assert bar.tooltip == "Grade: Hard"  # a grouped key: its own description
        await pilot.hover("#card")
        assert bar.tooltip is None


GROUP = Binding.Group("numbers")


class ProbeScreen(Screen):
    """Bindings the review screens do not have: markup, a disabled key, a spaced group."""

    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("x", "mark('x')", "[b]not bold[/b] & [@click=app.quit]no link[/]"),
        Binding("y", "mark('y')", "Locked"),
        Binding("1", "mark('1')", "One", group=GROUP),
        Binding("2", "mark('2')", "Two", group=GROUP),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("y",) else True

    def action_mark(self, name: str) -> None:
        self.marks.append(name)


class ProbeApp(App[None]):
    CSS_PATH = ReviewApp.CSS_PATH

    def __init__(self) -> None:
        super().__init__()
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(ProbeScreen())

    def bell(self) -> None:
        self.bells += 1


@sync
async def test_descriptions_are_literal_text() -> None:
    app = ProbeApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        content = bar_of(app).render()
        assert " x [b]not bold[/b] & [@click=app.quit]no link[/] " in content.plain
        await click_on(pilot, app, "no link")
        assert app.screen.marks == ["x"]  # the entry's own action, not the injected one
        assert app.is_running


@sync
async def test_a_disabled_key_is_dimmed_and_its_click_only_rings_the_bell() -> None:
    app = ProbeApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        content = bar_of(app).render()
        dimmed = {content.plain[span.start : span.end] for span in content.spans if span.style.dim}
        assert dimmed == {" y", " Locked "}
        await click_on(pilot, app, "Locked")
        assert app.screen.marks == []
        assert app.bells == 1


@sync
async def test_a_spaced_group_shows_its_keys_apart_and_each_is_clickable() -> None:
    app = ProbeApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert bar_text(app).endswith(" 1 2 numbers ")
        await click_on(pilot, app, "2 numbers")
        assert app.screen.marks == ["2"]


@sync
async def test_an_action_bound_to_several_keys_is_one_entry(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert bar_text(app) == " esc Back  ^z Undo "  # `escape,s,q`: the first key speaks for all
        await click_on(pilot, app, "Back")
        assert isinstance(app.screen, ReviewScreen)
