"""One vocabulary (`trainer.core`): the grades, answer kinds, card states, item keys and limits
are written once, every layer imports them, and the screens reach the data only through the
session."""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

from trainer.core.grades import (
    ANKI_TO_GRADE,
    GRADES,
    MCQ_GRADE_RIGHT,
    MCQ_GRADE_WRONG,
    PASSING,
    Grade,
    anki_button,
    passed,
)
from trainer.core.kinds import DAY_KINDS, KINDS, SCHEDULED_KINDS, AnswerKind
from trainer.core.states import FORGETTABLE_STATES, STATES, SUSPENDED_STATES, CardState
from trainer.core.undoable import Undoable
from trainer.model import Note
from trainer.notetypes import CARD_TYPES, NOTE_TYPES
from trainer.session_words import UNDO_WORDS

TRAINER = Path(__file__).resolve().parent.parent / "trainer"


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (functions and TYPE_CHECKING blocks too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_grades_pass_from_hard_up_and_map_onto_ankis_four_buttons() -> None:
    assert list(GRADES) == [int(grade) for grade in Grade] == [0, 1, 2, 3, 4, 5]
    assert [passed(grade) for grade in GRADES] == [False, False, False, True, True, True]
    assert PASSING == Grade.HARD
    assert [anki_button(grade) for grade in GRADES] == [1, 1, 1, 2, 3, 4]
    assert all(anki_button(grade) == button for button, grade in ANKI_TO_GRADE.items())
    assert passed(MCQ_GRADE_RIGHT) and not passed(MCQ_GRADE_WRONG)


def test_every_grade_has_a_word_and_a_hint() -> None:
    assert [grade.label for grade in Grade] == [
        "Blackout",
        "Wrong",
        "Almost",
        "Hard",
        "Good",
        "Easy",
    ]
    assert len({grade.hint for grade in Grade}) == len(Grade)


def test_the_kinds_and_states_are_the_public_words() -> None:
    assert KINDS == ("new", "review", "redrill", "cram")
    assert set(SCHEDULED_KINDS) < set(DAY_KINDS) < set(KINDS)
    assert AnswerKind.CRAM not in DAY_KINDS
    # `trainer cards --json`: state is one of these (../shared/interface.md)
    assert STATES == ("new", "review", "suspended", "buried", "leech", "retired")
    assert CardState.NEW not in FORGETTABLE_STATES and CardState.RETIRED not in FORGETTABLE_STATES
    assert set(SUSPENDED_STATES) <= set(FORGETTABLE_STATES)


def _light(name: str) -> bool:
    """The core's own modules and the few standard ones it needs (see its docstring)."""
    standard = {"__future__", "collections.abc", "enum", "types", "typing"}
    return name.startswith("trainer.core") or name in standard or name.rsplit(".", 1)[0] in standard


def test_the_core_imports_only_the_standard_library_and_itself() -> None:
    for path in sorted((TRAINER / "core").glob("*.py")):
        outside = sorted(name for name in imported_modules(path) if not _light(name))
        assert not outside, f"{path.name} imports {outside}"


def test_the_screens_import_neither_the_store_nor_bank_files() -> None:
    forbidden = ("trainer.store", "trainer.bank", "trainer.bankfile", "trainer.bankedit")
    for path in sorted((TRAINER / "tui").rglob("*.py")):
        reached = {
            name
            for name in imported_modules(path)
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden)
        }
        assert not reached, f"{path.relative_to(TRAINER)} imports {sorted(reached)}"


def test_the_checks_see_a_forbidden_import(tmp_path: Path) -> None:
    screen = tmp_path / "screen.py"
    screen.write_text("def f():\n    from trainer.store.items import ItemKey\n")
    assert "trainer.store.items" in imported_modules(screen)


def test_each_note_type_declares_the_fields_of_its_note_class() -> None:
    common = {field.name for field in fields(Note)}
    assert tuple(NOTE_TYPES) == CARD_TYPES
    for name, note_type in NOTE_TYPES.items():
        own = {field.name for field in fields(note_type.note_class)} - common
        assert set(note_type.fields) == own, name
        assert set(note_type.read_by_check) <= own, name


def test_every_undoable_action_has_the_users_word() -> None:
    assert [UNDO_WORDS[action] for action in Undoable] == [
        "answer", "bury", "suspend", "unsuspend", "unbury", "forget", "new due day",
    ]  # fmt: skip
