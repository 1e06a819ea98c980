"""One place per word and number (#25): no grade, answer kind, card state, note type name, cap
or default is written as a literal in more than one module of `trainer/`.

Read from the source (an AST scan of every module's top-level constants, and of all its code
for type names and compared words), so a restated value fails here before it can drift from
the original. The released migrations
(`trainer/store/schema/`) are left out on purpose: they carry their own literal values, which
must never follow a live constant (tests/test_store_schema.py)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from trainer.core.deck_settings import DECK_SETTINGS
from trainer.core.kinds import KINDS
from trainer.core.states import STATES
from trainer.notetypes import CARD_TYPES

TRAINER = Path(__file__).resolve().parent.parent / "trainer"
FROZEN = TRAINER / "store" / "schema"
"""The released migrations: literal on purpose."""

DISTINCT_WORDS = (set(KINDS) | set(STATES) | set(CARD_TYPES)) - {"new", "review"}
"""The vocabulary's words that mean nothing else here (`new` and `review` also name a command
and a lock: a constant with one of them alone is not a restatement)."""

COINCIDENCES = {
    "'backups'": "Anki's backup folder and the trainer's: two programs' conventions",
    "'collection.anki2'": "a profile's collection file, and the entry inside a package",
    "65536": "the largest cloze number and SQLite's largest page size",
}
"""Values two modules hold for unrelated reasons."""

NOT_VOCABULARY = {
    "store/items.py: SCHEDULE_COLUMNS": "the items table's columns, named by the migrations",
}
"""Constants that hold a vocabulary word as another thing's name."""

PENDING: dict[str, str] = {}
"""Restated names another change is removing; each with that change."""


def constants(path: Path) -> list[tuple[str, object]]:
    """`(name, value)` of the module's top-level assignments of literal values."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        try:
            literal = ast.literal_eval(value)
        except ValueError:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                found.append((target.id, literal))
            elif isinstance(target, ast.Tuple) and isinstance(literal, tuple):
                found += [
                    (name.id, item)
                    for name, item in zip(target.elts, literal, strict=False)
                    if isinstance(name, ast.Name)
                ]
    return found


def modules() -> dict[str, list[tuple[str, object]]]:
    return {
        str(path.relative_to(TRAINER)): constants(path)
        for path in sorted(TRAINER.rglob("*.py"))
        if FROZEN not in path.parents
    }


def words(value: object) -> set[str]:
    """The strings a constant holds: itself, or its elements, keys and values."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return words(tuple(value)) | words(tuple(value.values()))
    if isinstance(value, tuple | list | set | frozenset):
        return {item for element in value for item in words(element)}
    return set()


def distinctive(value: object) -> bool:
    """A value too particular to be two modules' coincidence (small numbers and short words
    are everywhere)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return abs(value) >= 1000
    return isinstance(value, str) and len(value) >= 4


def test_no_module_outside_the_core_spells_out_the_vocabulary() -> None:
    spelled = [
        f"{module}: {name} holds {sorted(words(value) & DISTINCT_WORDS)}"
        for module, found in modules().items()
        if not module.startswith("core/")
        for name, value in found
        if words(value) & DISTINCT_WORDS and f"{module}: {name}" not in NOT_VOCABULARY
    ]
    assert not spelled, "import these from trainer.core (or derive them):\n" + "\n".join(spelled)


def test_no_name_is_given_its_value_in_two_modules() -> None:
    where: defaultdict[str, set[str]] = defaultdict(set)
    for module, found in modules().items():
        for name, value in found:
            if name.isupper() and name not in PENDING:
                where[f"{name} = {value!r}"].add(module)
    restated = {constant: sorted(found) for constant, found in where.items() if len(found) > 1}
    assert not restated, f"defined twice (define once, import it): {restated}"


def test_no_distinctive_value_is_written_in_two_modules() -> None:
    where: defaultdict[str, set[str]] = defaultdict(set)
    for module, found in modules().items():
        for name, value in found:
            if distinctive(value) and name not in PENDING:
                where[repr(value)].add(f"{module}: {name}")
    repeated = {
        value: sorted(found)
        for value, found in where.items()
        if len({place.split(":")[0] for place in found}) > 1 and value not in COINCIDENCES
    }
    assert not repeated, f"one value, several definitions: {repeated}"


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('KINDS = ("new", "redrill")\nA, B = 60_000, "x"\n\ndef f():\n    C = 1\n')
    assert constants(module) == [("KINDS", ("new", "redrill")), ("A", 60_000), ("B", "x")]
    assert words({"cloze": ["suspended"]}) == {"cloze", "suspended"}
    assert words(("new", "redrill")) & DISTINCT_WORDS == {"redrill"}
    assert distinctive(60_000) and distinctive("cards.yaml") and not distinctive(True)


RESTATED_SETTINGS = 3
"""A class, mapping, list or text naming this many deck settings restates their list (two are
a pair of limits: `TodayLimits`, a sitting's overrides)."""

CHECKED_LISTS = {
    "bank_model.py: Deck": "typed fields; tests/test_deck_settings.py holds them to the core's",
    "store/banks.py: DeckSettings": "typed fields; tests/test_deck_settings.py, the same",
    "queue.py: Limits": "the queue's limits: numbers the settings resolve to, not the settings",
}
"""Places that name deck settings as typed fields, each with what keeps it in step."""


def settings_named(node: ast.AST) -> set[str]:
    """The deck settings a node names as its fields, keys, elements or words."""
    if isinstance(node, ast.ClassDef):
        return {
            statement.target.id
            for statement in node.body
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
        } & set(DECK_SETTINGS)
    if isinstance(node, ast.Dict | ast.Tuple | ast.List | ast.Set):
        elements = node.keys if isinstance(node, ast.Dict) else node.elts
        return {
            element.value
            for element in elements
            if isinstance(element, ast.Constant) and element.value in DECK_SETTINGS
        }
    if isinstance(node, ast.Call):
        return {keyword.arg for keyword in node.keywords if keyword.arg in DECK_SETTINGS}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return set(re.findall(r"\w+", node.value)) & set(DECK_SETTINGS)
    return set()


def restated_settings(path: Path) -> list[str]:
    """Where the module lists deck settings: a class by name, else the line."""
    return [
        node.name if isinstance(node, ast.ClassDef) else f"line {getattr(node, 'lineno', 0)}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if len(settings_named(node)) >= RESTATED_SETTINGS
    ]


def test_the_deck_settings_are_listed_once() -> None:
    restated = [
        found
        for path in sorted(TRAINER.rglob("*.py"))
        if FROZEN not in path.parents and path != TRAINER / "core" / "deck_settings.py"
        for found in [f"{path.relative_to(TRAINER)}: {place}" for place in restated_settings(path)]
        if found not in CHECKED_LISTS
    ]
    assert not restated, "derive them from trainer.core.deck_settings:\n" + "\n".join(restated)


def test_the_settings_scan_finds_a_restated_list(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "class A:\n    new_per_day: int\n    scheduler: str\n    exam: str\n"
        'B = {"new_per_day": 1, "reviews_per_day": 2}\n'
        'C = "SELECT day_starts_at, exam, exam_window FROM banks"\n'
        "D = f(new_per_day=1, exam=2, redrill_after=3)\n"
    )
    assert restated_settings(module) == ["A", "line 6", "line 7"]


GRADE_NAMES = ("grade", "quality", "rating")
"""A compared name holding one of these is a grade: compared with a number 0-5, it restates
the pass mark or a button (`trainer.core.grades`)."""


def _strings(node: ast.AST) -> set[str]:
    """The strings a node writes: a text, or the texts of a tuple, list or set."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return {item for element in node.elts for item in _strings(element)}
    return set()


def _name(node: ast.AST) -> str:
    """`kind` for `kind`, `card.kind`, `kind()` or `kinds[0]`."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call | ast.Subscript):
        return _name(node.func if isinstance(node, ast.Call) else node.value)
    return node.id if isinstance(node, ast.Name) else ""


def _type_declarations(tree: ast.Module) -> set[int]:
    """The texts a class gives its `type` (`type: ClassVar[str] = "basic"`): a note class
    naming its type, the one place a type name is written (its module of `trainer.notetypes`)."""
    return {
        id(statement.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for statement in node.body
        if isinstance(statement, ast.AnnAssign | ast.Assign)
        and "type" in {_name(target) for target in _targets(statement)}
    }


def _targets(statement: ast.AnnAssign | ast.Assign) -> list[ast.expr]:
    return [statement.target] if isinstance(statement, ast.AnnAssign) else statement.targets


def written_in_code(path: Path) -> list[str]:
    """Where the module's code, at any depth, writes a note type's name (`note.type ==
    "basic"`, `{"mcq": ...}`), compares a kind or state with a written word (`kind ==
    "redrill"`, `case "leech":`) or a grade with a number (`grade >= 3`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared = _type_declarations(tree) if path.parent == TRAINER / "notetypes" else set()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in CARD_TYPES and id(node) not in declared:
            found.append((node.lineno, f"type {node.value!r}"))
        compared: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            compared = [node.left, *node.comparators]
        elif isinstance(node, ast.MatchValue):
            compared = [node.value]
        words = set().union(*map(_strings, compared)) & (set(KINDS) | set(STATES))
        if words:
            found.append((node.lineno, f"compared with {sorted(words)}"))
        numbers = [
            side.value
            for side in compared
            if isinstance(side, ast.Constant) and type(side.value) is int and 0 <= side.value <= 5
        ]
        graded = any(grade in _name(side).lower() for side in compared for grade in GRADE_NAMES)
        if numbers and graded:
            found.append((node.lineno, f"a grade compared with {numbers}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_no_code_writes_a_type_name_or_compares_a_written_word() -> None:
    written = [
        f"{path.relative_to(TRAINER)}: {place}"
        for path in sorted(TRAINER.rglob("*.py"))
        if FROZEN not in path.parents and TRAINER / "core" not in path.parents
        for place in written_in_code(path)
    ]
    assert not written, (
        "ask the registry (trainer.notetypes) or import the word from trainer.core:\n"
        + "\n".join(written)
    )


def test_the_code_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "class Note:\n    type = 'cloze'\n\n"
        "def f(note, card, grade):\n"
        "    if note.type == 'basic' or card.kind in ('redrill', 'cram'):\n"
        "        return {'mcq': 1}\n"
        "    match card.state:\n"
        "        case 'leech':\n"
        "            return grade() >= 3\n"
        "    return card.kind == 'reviews' or card.interval > 3\n"
    )
    assert written_in_code(module) == [
        "line 2: type 'cloze'",
        "line 5: compared with ['cram', 'redrill']",
        "line 5: type 'basic'",
        "line 6: type 'mcq'",
        "line 8: compared with ['leech']",
        "line 9: a grade compared with [3]",
    ]


MAX_MODULE_LINES, MAX_SESSION_LINES = 450, 250
"""#25: no module of `trainer/` grows past 450 lines, and the session stays a thin
coordinator (the queue rules, reports and words live beside it)."""


def test_no_module_is_long_and_the_session_is_thin() -> None:
    lines = {
        str(path.relative_to(TRAINER)): len(path.read_text(encoding="utf-8").splitlines())
        for path in TRAINER.rglob("*.py")
    }
    assert not {module: count for module, count in lines.items() if count > MAX_MODULE_LINES}
    assert lines["session.py"] < MAX_SESSION_LINES
