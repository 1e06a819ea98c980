"""Hostile text: terminal control sequences and Rich markup in the bank reach no terminal.

Every screen of the review app and every CLI output shows bank text with its control
characters as visible symbols (`␛`), never emits them, and never reads it as markup; `--json`
keeps the exact text. Inputs are ours: escape sequences that clear the screen, write the
clipboard (OSC 52), plant hidden links (OSC 8), retitle the window (OSC 0), their 8-bit (C1)
forms, terminal queries that make the terminal type input, and markup-like text. A bank
refuses C0 controls and DEL in its text (`check`: tests/test_reliability_hostile_round3.py), so
the bank-fed outputs here are tried with the controls a bank may hold: C1 ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability_support import record, scaled
from tests.store_support import run_trainer
from tests.tui_support import SIZE, screen_text, sync
from trainer.bank import load_bank
from trainer.session import open_session
from trainer.tui.app import ReviewApp
from trainer.validate import CONTROL_RE
from trainer.visible import visible, visible_json

CONTROL_INPUTS = (
    "\x1b[2J\x1b[H cleared?",  # erase the screen, cursor home
    "\x1b]52;c;cHduZWQ=\x07 clipboard",  # OSC 52: write the clipboard (BEL-terminated)
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hidden link (ST)
    "\x1b]0;owned title\x07",  # OSC 0: window title
    "\x9b31m red via C1 CSI",  # the 8-bit CSI
    "\x9d0;title via C1 OSC\x9c",  # the 8-bit OSC and ST
    "\x1bc full reset",  # RIS
    "\x1b[?1049h alternate screen",
    "\x1bP+q544e\x1b\\ DCS query",  # XTGETTCAP: the terminal answers as typed input
    "\x1b[6n cursor report",  # DSR: likewise
    "over\rwritten",  # carriage return: overwrites the line
    "back\x08\x08space",
    "bell\x07",
    "nul\x00byte",
    "del\x7f",
    "line\x85next line",  # NEL (C1)
    "\x1b[1;31mred\x1b[0m",
)
MARKUP_INPUTS = (
    "What does [/x] close?",
    "[link=https://evil.example]click[/link]",
    "[/]",
    "[bold red]loud[/bold red]",
    "smile :smile: :thumbs_up:",
    "\\[escaped] and [red",
    "[@click=app.quit]quit[/]",
    "[on red]x[/on red] [b]",
)
BANK_CONTROL_INPUTS = tuple(text for text in CONTROL_INPUTS if not CONTROL_RE.search(text))
"""The control inputs a bank accepts (C1 controls); the others are located `check` errors."""
FORBIDDEN = {chr(code) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))} - {"\n", "\t"}


def raw_controls(text: str) -> set[str]:
    """Control characters a terminal would act on (line breaks and tabs are fine)."""
    return {character for character in text if character in FORBIDDEN}


def quoted(text: str) -> str:
    return json.dumps(text)  # JSON is YAML: a double-quoted scalar with \\u escapes


def hostile_bank(texts: tuple[str, ...]) -> str:
    """One card of each type per text, the text in every field it can fill, and in the deck
    name and a source title too."""
    cards = []
    for n, text in enumerate(texts):
        q = quoted(text)
        cards.append(
            f"  - {{id: b{n}, type: basic, tags: [date], source: s, front: {q}, back: {q},"
            f" extra: {q}}}\n"
            f"  - {{id: r{n}, type: reverse, tags: [name], source: s, front: {q},"
            f" back: {quoted(text + ' back')}}}\n"
            f"  - {{id: z{n}, type: cloze, tags: [component], source: s,"
            f" text: {quoted('A {{c1::' + text + '::' + text + '}} B')}, extra: {q}}}\n"
            f"  - {{id: m{n}, type: mcq, tags: [context], source: s, question: {q},"
            f" choices: [{q}, {quoted(text + ' 2')}], answer: a, explanation: {q}}}\n"
        )
    return (
        f"deck:\n  name: {quoted(texts[0] + ' deck')}\n"
        f"sources:\n  s: {{title: {quoted(texts[-1])}, publisher: {quoted(texts[0])}}}\n"
        "cards:\n" + "".join(cards)
    )


def test_visible_leaves_no_control_character_and_changes_nothing_else() -> None:
    tried = 0

    @settings(max_examples=scaled(300, 5000), deadline=None)
    @given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80))
    def check(text: str) -> None:
        nonlocal tried
        tried += 1
        shown = visible(text)
        assert not raw_controls(shown)
        assert "\n" not in visible(text, one_line=True)
        assert shown == "".join(visible(character) for character in text)
        for character in text:  # everything else is left alone; each control shows as something
            assert (visible(character) == character) is (character not in FORBIDDEN)
        assert json.loads(visible_json(text)) == text
        assert not raw_controls(visible_json(text))

    check()
    for text in CONTROL_INPUTS + MARKUP_INPUTS:
        assert json.loads(visible_json({"t": text})) == {"t": text}
        assert not raw_controls(visible(text))
    record("controls: visible()", generated=tried, ours=len(CONTROL_INPUTS + MARKUP_INPUTS))


def _grade_everything_wrong(bank: Path, db: Path) -> int:
    """Answer every card of the first day with 1, so each shows in the `hardest` tables."""
    graded = 0
    with open_session(bank, db, new_per_day=1000) as session:
        while (card := session.current()) is not None and graded < 200:
            session.grade(card, 1 if card.kind != "redrill" else 4, 1000)
            graded += 1
    return graded


def test_cli_outputs_show_hostile_text_visibly_and_json_exactly(tmp_path: Path) -> None:
    texts = BANK_CONTROL_INPUTS + MARKUP_INPUTS
    bank = tmp_path / "cards.yaml"
    bank.write_text(hostile_bank(texts), encoding="utf-8")
    db = tmp_path / "reviews.sqlite3"
    env = {"TRAINER_DB": str(db), "COLUMNS": "400"}
    now = "2026-03-01T09:00:00"
    assert run_trainer("check", str(bank), now=now).returncode == 0
    _grade_everything_wrong(bank, db)
    outputs = 0
    for args in (("check",), ("build",), ("stats",), ("due",), ("build", "-o", "out/")):
        result = run_trainer(*args, str(bank), now=now, extra_env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert not raw_controls(result.stdout + result.stderr), (args, result.stdout)
        outputs += 1
    stats = run_trainer("stats", str(bank), now=now, extra_env=env).stdout
    as_json = run_trainer("stats", "--json", str(bank), now=now, extra_env=env)
    assert not raw_controls(as_json.stdout)
    prompts = [brief["prompt"] for brief in json.loads(as_json.stdout)["hardest"]]
    assert set(prompts) & set(BANK_CONTROL_INPUTS)  # the exact text, escapes and all
    assert set(prompts) & set(MARKUP_INPUTS)
    for prompt in prompts:  # the table shows each literally: not markup, controls visible
        assert " ".join(visible(prompt).split())[:50] in stats
    record("controls: CLI outputs", inputs=len(texts), outputs=outputs + 1)


def test_check_messages_quote_hostile_text_visibly_one_line_each(tmp_path: Path) -> None:
    """Problems quote what the bank says (an unknown field, an unknown source): each stays one
    line, however many line breaks or escapes the quoted text holds."""
    fields = "".join(
        f"    {quoted('f' + text + chr(10) + 'cards.yaml:1:1: forged')}: x\n"
        for text in CONTROL_INPUTS
    )
    bank = tmp_path / "cards.yaml"
    bank.write_text(
        "deck: {name: D}\nsources:\n  s: {title: T, publisher: P}\ncards:\n"
        f"  - id: c\n    type: basic\n    tags: [date]\n    source: {quoted(CONTROL_INPUTS[0])}\n"
        f"    front: q\n    back: a\n{fields}",
        encoding="utf-8",
    )
    result = run_trainer("check", str(bank))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not raw_controls(result.stdout + result.stderr)
    lines = result.stderr.splitlines()
    assert not [line for line in lines[:-1] if not line.startswith(f"{bank}:")]
    assert len(lines) >= len(CONTROL_INPUTS) + 1
    record("controls: check messages", inputs=len(CONTROL_INPUTS) + 1)


@sync
async def test_every_screen_shows_hostile_text_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = BANK_CONTROL_INPUTS + MARKUP_INPUTS
    bank = tmp_path / "cards.yaml"
    bank.write_text(hostile_bank(texts), encoding="utf-8")
    db = tmp_path / "reviews.sqlite3"
    monkeypatch.setenv("TRAINER_NOW", "2026-03-01T09:00:00")
    _grade_everything_wrong(bank, db)  # the stats screen then lists hostile prompts
    monkeypatch.setenv("TRAINER_NOW", "2026-03-02T09:00:00")  # all due again
    screens = 0

    def check() -> None:
        nonlocal screens
        assert not raw_controls(app.export_screenshot()), type(app.screen).__name__
        screens += 1

    app = ReviewApp(open_session(bank, db, new_per_day=1000), timer=lambda: 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "␛" in screen_text(app)
        for _ in range(len(load_bank(bank).items)):
            check()
            await pilot.press("space")
            await pilot.pause()
            check()
            await pilot.press("4")
            await pilot.pause()
        for key in ("s", "escape", "?", "escape"):
            await pilot.press(key)
            await pilot.pause()
            check()
    record("controls: review app screens", inputs=len(texts), screens=screens)


def test_check_warnings_stay_one_line_each_under_a_file_name_with_a_line_break(
    tmp_path: Path,
) -> None:
    """Warnings are written as one text: a line break in the bank's path (in every warning's
    prefix) still shows as `␊`, each warning on its own line."""
    folder = tmp_path / "a\nb.yaml:1:1: forged"
    folder.mkdir()
    bank = folder / "cards.yaml"
    bank.write_text(
        "deck: {name: D}\nsources:\n  s: {title: T, publisher: P}\ncards:\n"
        + "".join(
            f"  - {{id: c{n}, type: basic, tags: [date], source: s, front: Is it {n}?, "
            "back: 'yes'}\n"
            for n in range(3)
        ),
        encoding="utf-8",
    )
    result = run_trainer("check", str(bank))
    assert result.returncode == 0, result.stderr
    *warnings, count = result.stderr.splitlines()
    assert count == f"{len(warnings)} warnings"
    assert all(line.startswith(f"{visible(str(bank), one_line=True)}:") for line in warnings)
    assert sum(line.endswith("[yes-no]") for line in warnings) == 3
