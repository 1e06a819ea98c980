"""The review app against a hostile `$EDITOR` and an undo of a card the bank has since removed:
a clear message, the review comes back, nothing lost."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest
from textual.drivers.headless_driver import HeadlessDriver

from tests.reliability_support import record
from tests.tui_support import BANK, DAY_1, SIZE, make_app, sync
from trainer.tui.app import ReviewApp
from trainer.tui.screens.review import ReviewScreen


@pytest.fixture(autouse=True)
def day_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    monkeypatch.delenv("TRAINER_DB", raising=False)


@pytest.fixture
def suspensions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Let the real App.suspend run under the test driver, recording each hand-over of the
    terminal and each return of it."""
    calls: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "can_suspend", property(lambda _: True))
    monkeypatch.setattr(
        HeadlessDriver, "suspend_application_mode", lambda _: calls.append("suspend")
    )
    monkeypatch.setattr(HeadlessDriver, "resume_application_mode", lambda _: calls.append("resume"))
    return calls


def _reviews(tmp_path: Path) -> int:
    with closing(sqlite3.connect(tmp_path / "reviews.sqlite3")) as connection:
        return connection.execute("SELECT count(*) FROM reviews").fetchone()[0]


def _errors(app: ReviewApp) -> list[str]:
    return [note.message for note in app._notifications if note.severity == "error"]


def _not_executable(tmp_path: Path) -> str:
    path = tmp_path / "plain.txt"
    path.write_text("not a program")
    return str(path)


def _bad_interpreter(tmp_path: Path) -> str:
    """Found and executable, but exec fails: the failure comes with the terminal handed over."""
    path = tmp_path / "broken-editor"
    path.write_text("#!/nonexistent/interpreter\n")
    path.chmod(0o755)
    return str(path)


EDITORS = {
    "unbalanced single quote": lambda _: "'vim",
    "unbalanced double quote": lambda _: '"code --wait',
    "trailing backslash": lambda _: "vim \\",
    "missing program": lambda _: "/nonexistent/editor",
    "missing program with options": lambda _: "no-such-editor-xyz --wait",
    "a directory": str,
    "a file that is not executable": _not_executable,
    "a bad interpreter": _bad_interpreter,
}


@pytest.mark.parametrize("case", EDITORS)
@sync
async def test_a_broken_editor_gives_a_message_and_the_review_back(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suspensions: list[str]
) -> None:
    monkeypatch.setenv("EDITOR", EDITORS[case](tmp_path))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = app.screen.card.item.id if isinstance(app.screen, ReviewScreen) else None
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card is not None and app.screen.card.item.id == shown
        assert len(_errors(app)) == 1
        assert suspensions.count("suspend") == suspensions.count("resume")
        await pilot.press("space", "4")  # the review goes on, and the grade is kept
        await pilot.pause()
    assert _reviews(tmp_path) == 1
    record("review: hostile $EDITOR", inputs=1)


REMOVE_SCRIPT = """\
import sys
path = sys.argv[2]
text = open(path, encoding="utf-8").read()
start = text.index("  - id: capital-reverse")
end = text.index("  - id:", start + 1)
open(path, "w", encoding="utf-8").write(text[:start] + text[end:])
"""
ACTIONS = {"grade": ("space", "4"), "bury": ("minus",), "suspend": ("at",)}


@pytest.mark.parametrize("action", ACTIONS)
@sync
async def test_undo_of_a_removed_card_says_so_and_undoes_one_step(
    action: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suspensions: list[str]
) -> None:
    assert "  - id: capital-reverse" in BANK
    script = tmp_path / "remove.py"
    script.write_text(REMOVE_SCRIPT, encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")  # markup-basic, graded
        await pilot.pause()
        assert app.screen.card.item.id == "capital-reverse"
        await pilot.press(*ACTIONS[action])  # then the card the bank will lose
        await pilot.pause()
        await pilot.press("e")  # the editor removes capital-reverse from the bank
        await pilot.pause()
        before = _reviews(tmp_path)
        await pilot.press("u")
        await pilot.pause()
        messages = [note.message for note in app._notifications]
        assert messages[-1].startswith("Undone: ") and "capital-reverse" in messages[-1]
        assert "no longer in the bank" in messages[-1]
        assert _reviews(tmp_path) == before - (action == "grade")  # one step, not two
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.card is not None and app.screen.card.item.id != "capital-reverse"
        await pilot.press("u")  # the next undo takes back markup-basic, and shows it
        await pilot.pause()
        assert app.screen.card.item.id == "markup-basic"
        undone = [m for m in (n.message for n in app._notifications) if "Undone" in m][-1]
        assert undone.startswith("Undone: answer of \u201cWhat do [red]x[/]")  # its question
    assert _reviews(tmp_path) == 0
    record("review: undo of a removed card", inputs=1)
