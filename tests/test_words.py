"""One word per concept (the README's glossary): a *note* in the bank, its *cards* (what is
reviewed; `items` only in JSON keys), an *answer* (one grade given; a *review* is an answer that
schedules). The command line's and the screens' words are read as a user sees them, and the
retired synonyms and wrong plurals must not appear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.store_support import run_trainer
from tests.tui_support import BANK, DAY_1, SIZE, make_app, screen_text, sync, write_bank
from trainer.cli import COMMANDS

RETIRED = {
    r"\breview items?\b": "say card",
    r"\bItems\b": "say Cards",
    r"\bAnswered\b": "it counted answers as cards: say N answers",
    r"\bReviewed today\b": "say Reviews today",
}
COUNTED = "card|note|review|re-drill|answer|day|warning|problem|bank|minute|choice|deletion|second"
WRONG_PLURALS = {
    rf"(?<![\d.,-])1 ({COUNTED})s\b": "one takes the singular",
    rf"(?<![\d.,:-])(0|[2-9]|[1-9]\d+) ({COUNTED})\b(?![s\w-])": "more than one takes a plural",
}


def problems(text: str) -> list[str]:
    found = []
    for pattern, advice in {**RETIRED, **WRONG_PLURALS}.items():
        found += [f"{match.group(0)!r}: {advice}" for match in re.finditer(pattern, text)]
    return found


def test_the_checker_finds_what_it_looks_for() -> None:
    assert problems("the review items; 1 re-drills, 2 review; Answered 4 cards") == [
        "'review items': say card",
        "'Answered': it counted answers as cards: say N answers",
        "'1 re-drills': one takes the singular",
        "'2 review': more than one takes a plural",
    ]
    assert problems("1 card, 2 cards, 0 answers, 30 days, 1d, 2026-03-01 review") == []


@pytest.fixture
def studied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The test bank after a first sitting with a failure, so re-drills and plurals show."""
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    bank, db = write_bank(tmp_path), tmp_path / "reviews.sqlite3"
    from trainer.session import open_session

    with open_session(bank, db) as session:
        session.grade(session.current(), 1, 1000)
        session.grade(session.current(), 4, 1000)
    return bank, db


def test_the_command_line_uses_the_glossarys_words(studied: tuple[Path, Path]) -> None:
    bank, db = studied
    runs = [["--help"], *([name, "--help"] for name in COMMANDS)]
    runs += [["check", str(bank)], ["check", "--strict", str(bank)], ["due", str(bank)]]
    runs += [[name, str(bank)] for name in ("stats", "cards")] + [["banks"]]
    shown = []
    for args in runs:
        over_db = args[0] in ("stats", "cards", "due", "banks") and "--help" not in args
        result = run_trainer(*args, *(["--db", str(db)] if over_db else []), now=DAY_1)
        shown.append(result.stdout + result.stderr)
    text = "\n".join(shown)
    assert "1 re-drill" in text and "Reviews today" in text  # the plurals are exercised
    assert problems(text) == []


@sync
async def test_the_screens_use_the_glossarys_words(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    write_bank(tmp_path, BANK)
    app = make_app(tmp_path)
    shown = []
    async with app.run_test(size=SIZE) as pilot:
        for keys in (
            (),
            ("space",),
            ("1",),  # a failure: re-drills
            ("space", "4", "question_mark"),
            ("escape", "s"),
            ("escape", "b"),
            ("i",),
            ("escape", "escape", "space", "4", "space", "4"),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            shown.append(screen_text(app))
        while app.screen.__class__.__name__ == "ReviewScreen":
            await pilot.press("space", "5")
            await pilot.pause()
        shown.append(screen_text(app))  # "Done for today"
    app.session.close()
    text = "\n".join(shown)
    assert "Done for today" in text and "Answers today" in text
    assert problems(text) == []


def test_check_strict_does_not_say_ok_when_it_fails(tmp_path: Path) -> None:
    long_back = " ".join(["word"] * 30)
    bank = write_bank(tmp_path, BANK.replace("back: Ottawa", f"back: {long_back}"))
    plain = run_trainer("check", str(bank))
    assert plain.returncode == 0 and plain.stdout.startswith(f"{bank}: OK, ")
    strict = run_trainer("check", "--strict", str(bank))
    assert strict.returncode == 1
    assert strict.stdout.startswith(f"{bank}: NOT OK under --strict (1 warning), ")
