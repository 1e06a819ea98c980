"""The card browser (`b`): search, filter by tag, card info, and its undoable actions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable

from tests.tui_support import BANK, SIZE, make_app, screen_text, start, sync, write_bank
from trainer.session import open_session
from trainer.tui.app import ReviewApp
from trainer.tui.screens.browser import BrowserScreen, CardInfoScreen, DueDayScreen, parse_filter
from trainer.tui.screens.empty import EmptyScreen
from trainer.tui.screens.review import ReviewScreen


def test_a_hash_word_filters_by_tag() -> None:
    assert parse_filter("#date  talks held ") == ("talks held", "date")
    assert parse_filter("") == (None, None)


def states(screen: BrowserScreen) -> dict[str, str]:
    return {row.id: row.state for row in screen.shown}


@sync
async def test_browse_search_unsuspend_undo_and_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.press("@")  # suspend capital-reverse
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        assert len(browser.shown) == 6
        await pilot.press("slash", *"#name", "enter")
        await pilot.pause()
        assert list(states(browser)) == [
            "capital-reverse",
            "capital-reverse:reverse",
            "talks-mcq",
        ]
        assert states(browser)["capital-reverse"] == "suspended"
        assert "3 cards of 6" in screen_text(app)
        await pilot.press("@")
        await pilot.pause()
        assert states(browser)["capital-reverse"] == "new"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert states(browser)["capital-reverse"] == "suspended"
        messages = [notice.message for notice in app._notifications]
        assert messages[-1] == "Undone: unsuspend of \u201cCapital of Canada\u201d"
        await pilot.press("@", "i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        assert "Review history (0 answers)" in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card.item.id == "capital-reverse"  # back in today's queue


@sync
async def test_set_due_day_and_forget(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "5")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        await pilot.press("down", "down", "down", "down", "down", "d")  # talks-mcq
        await pilot.pause()
        assert isinstance(app.screen, DueDayScreen)
        await pilot.press("3", "enter")
        await pilot.pause()
        mcq = next(row for row in browser.shown if row.id == "talks-mcq")
        assert (mcq.state, mcq.due) == ("review", app.session.today() + timedelta(days=3))
        await pilot.press(*["up"] * 5, "f")  # markup-basic, answered: back to new
        await pilot.pause()
        first = browser.shown[0]
        assert (first.id, first.state, first.due, first.lapses) == ("markup-basic", "new", None, 0)
        assert len(app.session.with_history(first).history) == 1  # forgetting keeps it
        await pilot.press("f")
        await pilot.pause()
        assert app._notifications and "new already" in list(app._notifications)[-1].message


@sync
async def test_the_browser_covers_every_bank_and_acts_on_the_right_one(tmp_path: Path) -> None:
    """Without BANK the session covers every known bank; two banks may share a card id, and
    the browser lists and changes each bank's own card."""
    db = tmp_path / "reviews.sqlite3"
    first = write_bank(tmp_path)
    (tmp_path / "other").mkdir()
    second_bank = write_bank(tmp_path / "other", BANK.replace("name: Test deck", "name: Second"))
    for path in (first, second_bank):
        open_session(path, db).close()
    session = open_session(None, db)
    app = ReviewApp(session, timer=lambda: 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        assert len(browser.shown) == 12 and len({row.deck for row in browser.shown}) == 2
        second = next(index for index, row in enumerate(browser.shown) if row.bank_id == 2)
        browser.query_one(DataTable).move_cursor(row=second + 1)
        await pilot.press("f")  # forget a new card: refused, nothing changes
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        changed = [row for row in browser.rows if row.due is not None]
        assert [(row.bank_id, row.state) for row in changed] == [(2, "review")]


@sync
async def test_from_the_empty_screen_an_unsuspended_card_is_reviewed_at_once(
    tmp_path: Path,
) -> None:
    with start(tmp_path) as session:  # every card suspended: nothing to review
        while (card := session.current()) is not None:
            session.suspend(card)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, EmptyScreen)
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        assert browser.selected().state == "suspended"
        await pilot.press("@", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card.item.id == "markup-basic"
    app.session.close()


@sync
async def test_card_info_reads_the_cards_history(tmp_path: Path) -> None:
    """The browser's rows carry no history (reading every card's costs the whole log); the
    card info screen reads the one card's answers when it opens."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "5")  # markup-basic, answered once
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        assert browser.shown[0].id == "markup-basic"
        assert browser.shown[0].history == ()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        assert "Review history (1 answer)" in screen_text(app)
        assert "grade 5  new" in screen_text(app)
