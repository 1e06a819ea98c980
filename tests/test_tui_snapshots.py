"""Pinned pictures of the main screens (pytest-textual-snapshot), with a frozen clock and timer.

Update after an intended change of the look: `pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui_support import DAY_1, SIZE, make_app

ANSWER_ALL_FOUR = ("space", "5") * 4
REACH_CLOZE = ("space", "4") * 2
REACH_MCQ = ("space", "4") * 3


@pytest.fixture(autouse=True)
def day_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    monkeypatch.delenv("TRAINER_DB", raising=False)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param((), id="question"),
        pytest.param(("space",), id="answer"),
        pytest.param(REACH_CLOZE, id="cloze"),
        pytest.param((*REACH_CLOZE, "space"), id="cloze-answer"),
        pytest.param(REACH_MCQ, id="mcq"),
        pytest.param((*REACH_MCQ, "b"), id="mcq-answer"),
        pytest.param(ANSWER_ALL_FOUR, id="summary"),
        pytest.param(("?",), id="help"),
    ],
)
def test_screen(snap_compare, tmp_path: Path, keys: tuple[str, ...]) -> None:
    assert snap_compare(make_app(tmp_path), press=keys, terminal_size=SIZE)


def test_empty_queue(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path, new_per_day=0), terminal_size=SIZE)


def test_narrow_terminal_wraps_the_grade_buttons(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path), press=("space",), terminal_size=(80, 24))


@pytest.mark.parametrize("keys", [(), ("space",)], ids=["question", "answer"])
def test_a_60_by_15_terminal_scrolls_and_keeps_grades_and_quit(
    snap_compare, tmp_path: Path, keys: tuple[str, ...]
) -> None:
    assert snap_compare(make_app(tmp_path), press=keys, terminal_size=(60, 15))


@pytest.mark.parametrize("size", [(80, 24), (60, 15)], ids=["80x24", "60x15"])
def test_the_card_browser(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    keys = ("space", "4", "b")  # one card answered
    assert snap_compare(make_app(tmp_path), press=keys, terminal_size=size)


@pytest.mark.parametrize(
    ("size", "keys"),
    [((60, 15), ()), ((60, 15), ("down",) * 4), ((80, 24), ("a",))],
    ids=["60x15-question", "60x15-choices", "80x24-picked"],
)
def test_a_long_multiple_choice_offers_more_below(
    snap_compare, tmp_path: Path, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    """`↓ More` in the key bar while part of the card is below the fold."""
    from tests.test_tui_keys import LONG_MCQ
    from tests.tui_support import BANK, write_bank

    write_bank(tmp_path, BANK.replace("cards:\n", "cards:\n" + LONG_MCQ, 1))
    assert snap_compare(make_app(tmp_path), press=keys, terminal_size=size)
