"""The review trainer driven like a user drives it: keys and clicks through Textual's pilot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Button

from tests.tui_support import (
    BANK,
    DAY_1,
    DAY_1_ORDER,
    DAY_2,
    MARKUP_BACK,
    MARKUP_FRONT,
    SIZE,
    make_app,
    screen_text,
    start,
    sync,
    text_of,
    write_bank,
    write_long_card_bank,
)
from trainer.bank import load_bank
from trainer.store.guard import DatabaseError
from trainer.tui.app import ReviewApp
from trainer.tui.screens.empty import EmptyScreen
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.screens.summary import SummaryScreen
from trainer.tui.widgets.card_view import CardView


@pytest.fixture(autouse=True)
def day_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    monkeypatch.delenv("TRAINER_DB", raising=False)


def current_id(app: ReviewApp) -> str | None:
    screen = app.screen
    if not isinstance(screen, ReviewScreen) or screen.card is None:
        return None
    return screen.card.item.id


async def answer(pilot, grade: str) -> None:
    await pilot.press("space", grade)
    await pilot.pause()


@sync
async def test_question_then_answer_with_source_and_extra(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert current_id(app) == "markup-basic"
        assert text_of(app, "#body") == MARKUP_FRONT
        assert not app.screen.query_one("#notes").display
        await pilot.press("enter")
        assert text_of(app, "#body") == f"{MARKUP_FRONT}\n\n{MARKUP_BACK}"
        notes = text_of(app, "#notes")
        assert "Extra [i]note[/i]" in notes
        assert "Pub, “A <title> & [more]”, 1 Mar 2026" in notes


@sync
async def test_markup_like_text_renders_literally_on_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        shown = screen_text(app)
    for literal in ("[red]x[/]", "<b>bold</b>", "&amp;", "{{not a cloze}}", "[bold]literal"):
        assert literal in shown


@sync
async def test_grading_before_reveal_is_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert current_id(app) == "markup-basic"
        assert app.session.summary().reviewed == 0
        assert not app.session.can_undo()


@pytest.mark.parametrize("grade", range(6))
@sync
async def test_every_grade_is_recorded_with_its_interval_on_the_button(
    tmp_path: Path, grade: int
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        label = str(app.screen.query_one(f"#grade-{grade}", Button).label)
        days = app.session.intervals(app.screen.card)[grade]
        assert label.startswith(f"{grade} ") and label.endswith(f" · {days}d")
        await pilot.press(str(grade))
        await pilot.pause()
        assert current_id(app) == "capital-reverse"
        summary = app.session.summary()
        assert summary.reviewed == 1
        assert summary.retention_today == (1.0 if grade >= 3 else 0.0)
        assert app.session.counts().redrill == (1 if grade < 4 else 0)


@sync
async def test_clicking_a_grade_button_grades(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#reveal")
        await pilot.pause()
        await pilot.click("#grade-5")
        await pilot.pause()
        assert current_id(app) == "capital-reverse"
        assert app.session.summary().reviewed == 1


@sync
async def test_cloze_hides_the_asked_deletions_and_highlights_them(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "4")
        await answer(pilot, "4")
        assert current_id(app) == "plan-cloze:c1"
        assert text_of(app, "#body") == "Plan: [...], [...] and cyber."
        assert "cloze c1" in text_of(app, "#caption")
        await pilot.press("space")
        assert text_of(app, "#body") == "Plan: security, policing and cyber."


@pytest.mark.parametrize(("letter", "suggested"), [("a", 4), ("b", 1)])
@sync
async def test_mcq_letter_reveals_marks_and_suggests_a_grade(
    tmp_path: Path, letter: str, suggested: int
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await answer(pilot, "4")
        assert current_id(app) == "talks-mcq"
        assert "a) Ottawa" in text_of(app, "#body")
        await pilot.press(letter)
        await pilot.pause()
        body = text_of(app, "#body")
        assert "✓ a) Ottawa" in body
        assert ("✗ b) New Delhi" in body) == (letter == "b")
        assert app.screen.query_one(f"#grade-{suggested}", Button).has_class("suggested")
        assert app.session.summary().reviewed == 3  # the user still confirms with a key
        await pilot.press(str(suggested))
        await pilot.pause()
        assert app.session.summary().reviewed == 4


@sync
async def test_letters_do_nothing_on_other_cards(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "c")  # (b opens the card browser)
        await pilot.pause()
        assert not app.screen.revealed


@sync
async def test_reverse_and_second_cloze_ask_their_own_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the front side and the first deletion suspended (which keeps their siblings away
    for the day, like a bury), the next day shows each sibling's own question."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "5")
        assert current_id(app) == "capital-reverse"
        assert text_of(app, "#body") == "Capital of Canada"
        await pilot.press("@")
        await pilot.pause()
        assert current_id(app) == "plan-cloze:c1"
        await pilot.press("@")
        await pilot.pause()
        assert current_id(app) == "talks-mcq"
    app.session.close()
    monkeypatch.setenv("TRAINER_NOW", DAY_2)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "5")  # markup-basic, due again
        assert current_id(app) == "capital-reverse:reverse"
        assert text_of(app, "#body") == "Ottawa"
        assert "reverse (back → front)" in text_of(app, "#caption")
        await pilot.press("space")
        assert text_of(app, "#body") == "Ottawa\n\nCapital of Canada"
        await pilot.press("4")
        await pilot.pause()
        assert current_id(app) == "plan-cloze:c2"
        assert text_of(app, "#body") == "Plan: security, policing and [domain]."
    app.session.close()


@sync
async def test_burying_a_cloze_deletion_keeps_the_other_one_away(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "5")
        await answer(pilot, "5")
        assert current_id(app) == "plan-cloze:c1"
        await pilot.press("-")
        await pilot.pause()
        assert current_id(app) == "talks-mcq"  # not plan-cloze:c2, showing c1's answer


@sync
async def test_suspending_a_cloze_deletion_keeps_the_other_one_away_like_a_bury(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "5")
        await answer(pilot, "5")
        assert current_id(app) == "plan-cloze:c1"
        await pilot.press("@")
        await pilot.pause()
        assert current_id(app) == "talks-mcq"  # not plan-cloze:c2, showing c1's answer
    app.session.close()
    monkeypatch.setenv("TRAINER_NOW", DAY_2)
    with start(tmp_path) as session:
        shown = []
        while (card := session.current()) is not None:
            shown.append(card.item.id)
            session.grade(card, 5, 1000)
    assert "plan-cloze:c2" in shown and "plan-cloze:c1" not in shown  # c1 stays suspended


@sync
async def test_undo_goes_back_several_steps(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "4")
        await answer(pilot, "2")
        assert current_id(app) == "plan-cloze:c1"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert current_id(app) == "capital-reverse"
        await pilot.press("u")
        await pilot.pause()
        assert current_id(app) == "markup-basic"
        assert app.session.summary().reviewed == 0
        assert not app.session.can_undo()


@sync
async def test_a_refused_write_is_reported_and_the_card_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        first = current_id(app)

        def disk_full(*args: object) -> None:
            raise DatabaseError("reviews.sqlite3: database or disk is full")

        with monkeypatch.context() as patch:
            patch.setattr(app.session, "grade", disk_full)
            await answer(pilot, "4")
            assert current_id(app) == first
            assert app.is_running
            (notice,) = [n for n in app._notifications if n.severity == "error"]
            assert "disk is full" in notice.message
        await pilot.press("4")  # the answer is still shown: grade again once the disk has room
        await pilot.pause()
        assert current_id(app) != first
        assert app.session.summary().reviewed == 1


@sync
async def test_undo_from_the_summary_returns_to_the_last_card(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for _ in DAY_1_ORDER:
            await answer(pilot, "4")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        await pilot.pause()
        assert current_id(app) == "talks-mcq"


@sync
async def test_bury_skips_until_tomorrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("-")
        await pilot.pause()
        assert current_id(app) == "capital-reverse"
        assert app.session.counts().total == len(DAY_1_ORDER) - 1
    app.session.close()
    monkeypatch.setenv("TRAINER_NOW", DAY_2)
    session = start(tmp_path)
    assert session.current().item.id == "markup-basic"
    session.close()


@sync
async def test_suspend_removes_the_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("@")
        await pilot.pause()
        assert current_id(app) == "capital-reverse"
    app.session.close()
    monkeypatch.setenv("TRAINER_NOW", DAY_2)
    session = start(tmp_path)
    queue = []
    while (card := session.current()) is not None:
        queue.append(card.item.id)
        session.grade(card, 5, 1000)
    session.close()
    assert "markup-basic" not in queue


@sync
async def test_failed_cards_are_redrilled_until_known(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "1")
        for _ in DAY_1_ORDER[1:]:
            await answer(pilot, "4")
        assert current_id(app) == "markup-basic"
        assert "re-drill" in text_of(app, "#caption")
        await answer(pilot, "3")
        assert current_id(app) == "markup-basic"  # 3 is still below the re-drill bar of 4
        await answer(pilot, "4")
        assert isinstance(app.screen, SummaryScreen)


@sync
async def test_summary_shows_the_day(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "2")
        for _ in range(4):
            await answer(pilot, "5")
        assert isinstance(app.screen, SummaryScreen)
        table = screen_text(app)
    assert "Answers today" in table  # answers, re-drills included ("reviews" are scheduled)
    assert "5 (5 this session)" in table  # re-drills count as answers given
    assert "75%" in table  # 3 of the 4 scheduled answers passed (re-drills are practice)


@sync
async def test_help_screen_lists_every_key(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for key in ("space / enter", "0-5", "a-f", "ctrl+z / u", "Blackout", "Easy"):
            assert key in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


@sync
async def test_stats_screen_opens_and_closes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "4")
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "StatsScreen"
        shown = screen_text(app)
        assert "Forecast" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


@sync
async def test_empty_queue_is_a_friendly_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path, new_per_day=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EmptyScreen)
        assert "Nothing to review right now" in screen_text(app)
        await pilot.press("s")  # statistics of a database without a single review
        await pilot.pause()
        assert "No reviews yet." in screen_text(app)
        await pilot.press("escape", "q")
    assert app.return_code == 0


EDIT_SCRIPT = """\
import sys
line, path = int(sys.argv[1].lstrip("+")), sys.argv[2]
lines = open(path, encoding="utf-8").read().splitlines(keepends=True)
lines = [text.replace(OLD, NEW) for text in lines]
open(path, "w", encoding="utf-8").write("".join(lines))
open(path + ".line", "w").write(str(line))
"""


def allow_suspend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the real App.suspend run under the test driver (whose suspend steps do nothing)."""
    monkeypatch.setattr(HeadlessDriver, "can_suspend", property(lambda _: True))


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text(f"OLD, NEW = {old!r}, {new!r}\n" + EDIT_SCRIPT, encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")


@sync
async def test_edit_reloads_the_bank_and_shows_the_edited_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    allow_suspend(monkeypatch)
    fake_editor(tmp_path, monkeypatch, "mean here?", "mean, really?")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert current_id(app) == "markup-basic"
        assert text_of(app, "#body").endswith("mean, really?")
    opened_at = int((tmp_path / "cards.yaml.line").read_text())
    (edited,) = [n for n in load_bank(tmp_path / "cards.yaml").notes if n.id == "markup-basic"]
    assert opened_at == edited.line


@sync
async def test_edit_with_errors_keeps_the_old_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    allow_suspend(monkeypatch)
    fake_editor(tmp_path, monkeypatch, "type: basic", "type: basik")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert current_id(app) == "markup-basic"
        assert text_of(app, "#body") == MARKUP_FRONT
        messages = [notification.message for notification in app._notifications]
    assert any("cards.yaml:" in message and "basik" in message for message in messages)


@sync
async def test_long_cards_wrap_and_scroll(tmp_path: Path) -> None:
    write_long_card_bank(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        card = app.screen.query_one(CardView)
        assert card.max_scroll_y > 0
        assert card.max_scroll_x == 0  # wrapped, not cut or scrolled sideways
        await pilot.press("pagedown")
        await pilot.pause()
        assert card.scroll_y > 0


@sync
async def test_undo_works_on_the_nothing_to_review_screen_after_a_restart(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for _ in DAY_1_ORDER:
            await answer(pilot, "4")
    app.session.close()
    app = make_app(tmp_path)  # the same study day: nothing left to review
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, EmptyScreen)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert current_id(app) == "talks-mcq"
        messages = [notice.message for notice in app._notifications]
        assert messages == ["Undone: answer of \u201cWhere were the talks held?\u201d"]
    app.session.close()


LONG_DECK_NAME = "India–Canada Security Work Plan 2026"


@pytest.mark.parametrize("size", [(80, 24), (60, 15)])
@sync
async def test_small_terminals_show_what_a_review_needs(tmp_path: Path, size) -> None:
    write_bank(tmp_path, BANK.replace("name: Test deck", f"name: {LONG_DECK_NAME}"))
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        question = screen_text(app)
        for needed in ("space Show answer", "q Quit"):  # whole, never parted by a line break
            assert needed in question, needed
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        for needed in ("New 4", "Review 0", "Re-drill 0", "Themselves", "5 Easy", "q Quit"):
            assert needed in text, needed
        assert "Source: Pub" in text  # below 20 lines the card loses its blank margins
        assert (LONG_DECK_NAME if size == (80, 24) else "India–Canada") in text
        await pilot.press("5")
        await pilot.pause()
        assert current_id(app) == "capital-reverse"  # still usable
    app.session.close()


@sync
async def test_a_window_shrunk_to_a_few_columns_keeps_the_review_running(tmp_path: Path) -> None:
    """A terminal window dragged down to a few columns while the grades show: the review goes on
    (the grade buttons once got no room for their labels and Textual stopped with a traceback)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for card in DAY_1_ORDER:
            await pilot.press("space")
            for size in ((12, 4), (10, 4), (8, 3), (5, 2), (1, 1), (80, 24)):
                await pilot.resize_terminal(*size)
                await pilot.pause()
            assert current_id(app) == card
            await pilot.press("4")
            await pilot.pause()
    app.session.close()


@sync
async def test_back_from_the_editor_on_the_answer_side_shows_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    allow_suspend(monkeypatch)
    fake_editor(tmp_path, monkeypatch, "Themselves:", "Still themselves:")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "e")
        await pilot.pause()
        assert current_id(app) == "markup-basic"
        assert app.screen.revealed
        assert "Still themselves:" in text_of(app, "#body")
        await pilot.press("4")  # and it can be graded at once
        await pilot.pause()
        assert current_id(app) == "capital-reverse"


@sync
async def test_a_fixed_bank_clears_the_error_and_messages_stay_off_the_buttons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    allow_suspend(monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")
        fake_editor(tmp_path, monkeypatch, "type: basic", "type: basik")
        await pilot.press("e")
        await pilot.pause()
        assert any("basik" in notice.message for notice in app._notifications)
        (toast,) = app.screen.query("Toast")
        for below in ("#grades", "KeyBar"):
            assert not toast.region.overlaps(app.screen.query_one(below).region), below
        fake_editor(tmp_path, monkeypatch, "type: basik", "type: basic")
        await pilot.press("e")
        await pilot.pause()
        assert not list(app._notifications)
        assert app.screen.revealed


@sync
async def test_with_no_color_the_suggested_grade_is_marked_in_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        for _ in range(3):
            await answer(pilot, "4")
        assert current_id(app) == "talks-mcq"
        await pilot.press("b")  # a wrong choice: 1 is suggested
        await pilot.pause()
        labels = [str(button.label) for button in app.screen.query("#grades Button.grade")]
        assert [label for label in labels if label.startswith("\u25b6")] == ["\u25b6 1 Wrong · 1d"]


@pytest.mark.parametrize("overlay", ["s", "?"])
@sync
async def test_undo_from_statistics_or_help_goes_back_to_the_card(
    tmp_path: Path, overlay: str
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "4")
        await pilot.press(overlay)
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        await pilot.press("u")
        await pilot.pause()
        assert current_id(app) == "markup-basic"
        assert not app.session.can_undo()
    app.session.close()
