"""One quit story (q on the review, ctrl+c or ctrl+q anywhere: every grade already saved) and a
card taller than the screen: its choices, verdict and source a documented key (↓) away, with
`↓ More` in the key bar while there is more below."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui_support import BANK, DAY_1, SIZE, make_app, screen_text, sync, write_bank
from trainer.tui.app import ReviewApp
from trainer.tui.screens.browser import BrowserScreen
from trainer.tui.widgets.card_view import CardView

LONG_MCQ = """\
  - id: prominence-mcq
    type: mcq
    tags: [component]
    source: [src]
    question: "The 2026 India–Canada security work plan gives prominence to which of these?\\n\
1. Cybersecurity\\n2. Exports of defence hardware\\n3. Financing of extremism\\n\
4. Collaboration in space technology\\nSelect the correct answer:"
    choices: [1 and 2 only, 2 and 4 only, 1 and 3 only, "1, 3 and 4"]
    answer: c
    explanation: Cyber cooperation and extremist financing are both work-plan targets; \
defence exports and space are not part of it.
"""


@pytest.fixture(autouse=True)
def day_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    monkeypatch.delenv("TRAINER_DB", raising=False)


def mcq_first(tmp_path: Path) -> ReviewApp:
    write_bank(tmp_path, BANK.replace("cards:\n", "cards:\n" + LONG_MCQ, 1))
    return make_app(tmp_path)


async def scroll_to_the_end(app: ReviewApp, pilot) -> int:
    """Press ↓ while the key bar offers `↓ More`; returns the number of presses."""
    presses = 0
    while "↓ More" in screen_text(app):
        await pilot.press("down")
        await pilot.pause()
        presses += 1
        assert presses < 30
    return presses


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
@sync
async def test_ctrl_c_and_ctrl_q_quit_the_review_with_the_grade_saved(
    tmp_path: Path, key: str
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running
    assert app.return_code in (0, None)
    assert app.session.summary().reviewed == 1
    app.session.close()


@sync
async def test_ctrl_c_quits_from_the_browsers_search_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "slash", *"Can")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "filter"
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
    app.session.close()


@sync
async def test_at_60_by_15_the_choices_are_a_documented_key_away(tmp_path: Path) -> None:
    app = mcq_first(tmp_path)
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.pause()
        question = screen_text(app)
        assert "Select the correct answer" in question  # the whole question is on screen
        assert "d) 1, 3 and 4" not in question
        assert "↓ More" in question
        assert await scroll_to_the_end(app, pilot) > 0
        bottom = screen_text(app)
        assert "a) 1 and 2 only" in bottom and "d) 1, 3 and 4" in bottom
        await pilot.press("up")
        await pilot.pause()
        assert "↓ More" in screen_text(app)  # back up: more below again
        await pilot.press("c")
        await pilot.pause()
        await scroll_to_the_end(app, pilot)
        answer = screen_text(app)
        assert "Right!" in answer and "Source: Pub" in answer
        assert "5 Easy" in answer and "q Quit" in answer
    app.session.close()


@sync
async def test_at_80_by_24_the_verdict_and_source_are_a_documented_key_away(
    tmp_path: Path,
) -> None:
    app = mcq_first(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        answer = screen_text(app)
        assert "The answer is c)." in answer
        assert "Source: Pub" not in answer and "↓ More" in answer
        await pilot.press("pagedown")
        await pilot.pause()
        await scroll_to_the_end(app, pilot)
        assert "Source: Pub" in screen_text(app)
        assert "↓ More" not in screen_text(app)
        await pilot.press("pageup")
        await pilot.pause()
        assert app.screen.query_one(CardView).scroll_y == 0
    app.session.close()


@sync
async def test_a_card_that_fits_offers_no_scrolling(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert "↓ More" not in screen_text(app)
    app.session.close()


@sync
async def test_help_documents_the_scroll_and_quit_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "↓ pgdn ↑ pgup" in text and "ctrl+c" in text
    app.session.close()
