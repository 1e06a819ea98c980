"""The note-type registry (#25): each type's module declares what every layer needs, and the
layers take it from there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from tests.notetype_plugin.typed import NOTE_TYPE as TYPED
from tests.notetype_plugin.typed import TypedNote
from tests.test_core_vocabulary import imported_modules
from trainer.anki import models
from trainer.model import expand
from trainer.notetypes import CARD_TYPES, NOTE_TYPES, _ordered
from trainer.notetypes.anki_form import FieldForm
from trainer.tui import render

NOTETYPES = Path(__file__).resolve().parent.parent / "trainer" / "notetypes"

FROM_AN_ATTRIBUTE = {FieldForm.TEXT, FieldForm.OPTIONAL, FieldForm.DELETIONS}


def test_every_card_type_is_registered_once() -> None:
    assert tuple(NOTE_TYPES) == CARD_TYPES
    ids = [note_type.anki.model_id for note_type in NOTE_TYPES.values()]
    names = [note_type.anki.name for note_type in NOTE_TYPES.values()]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)


@pytest.mark.parametrize(("taken", "clash"), [("note_class", "name"), ("position", "position")])
def test_two_types_claiming_one_name_or_position_are_refused(taken: str, clash: str) -> None:
    """A second module declaring a shipped type's name (its note class's `type`) or its place
    in the order would silently replace it or reorder the package: the registry refuses."""
    basic, cloze = NOTE_TYPES["basic"], NOTE_TYPES["cloze"]
    claimant = cloze._replace(**{taken: getattr(basic, taken)})
    with pytest.raises(ValueError, match=f"share a {clash}"):
        _ordered([basic, claimant])
    assert _ordered([cloze, basic]) == (basic, cloze)  # else: ordered by position, not found


def test_the_export_takes_its_note_types_from_the_registry() -> None:
    assert dict(models.MODELS) == {name: kind.anki for name, kind in NOTE_TYPES.items()}
    assert {models.KINDS[kind.anki.model_id] for kind in NOTE_TYPES.values()} == set(NOTE_TYPES)


def test_every_anki_field_is_made_from_something_the_note_has() -> None:
    for name, note_type in NOTE_TYPES.items():
        attributes = {field.name for field in fields(note_type.note_class)}
        anki_fields = note_type.anki.anki_fields
        assert anki_fields[-1].form is FieldForm.SOURCE, name
        for field in anki_fields:
            if field.form in FROM_AN_ATTRIBUTE:
                assert field.attribute in attributes, (name, field)
        assert note_type.aside in attributes, name


def test_the_note_types_import_no_terminal_or_package_library() -> None:
    for path in sorted(NOTETYPES.glob("*.py")):
        heavy = {
            name
            for name in imported_modules(path)
            if name.split(".")[0] in {"textual", "rich", "genanki", "yaml", "anki"}
        }
        assert not heavy, f"{path.name} imports {sorted(heavy)}"


def test_a_new_type_is_shown_as_its_own_module_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "NOTE_TYPES", {**NOTE_TYPES, TYPED.name: TYPED})
    note = TypedNote(id="t", tags=("date",), sources=(), prompt_text="Capital?", expected="Ottawa")
    (item,) = expand(note)
    assert render.question(item).plain == "Capital?\n\ntype the answer"
    shown = render.answer(item)
    assert shown.plain == "Capital?\n\nOttawa"
    assert [shown.plain[span.start : span.end] for span in shown.spans] == ["Ottawa"]
    assert render.type_label(item) == "typed answer"
    assert render.choices(item) == 0 and render.suggested_grade(item, 0) is None


PLUGINS = Path(__file__).resolve().parent / "notetype_plugin"
"""A directory holding one new type's module (`typed.py`), loaded as a module of
`trainer.notetypes` beside the package's own: as if the file were added to the package."""
WITH_TYPED = """
import importlib.util, sys
spec = importlib.util.find_spec("trainer.notetypes")
spec.submodule_search_locations.append(sys.argv.pop(1))
package = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = package
spec.loader.exec_module(package)
"""
RUN = WITH_TYPED + "from trainer.cli import main\nsys.exit(main(sys.argv[1:]))\n"
SHOW = (
    WITH_TYPED
    + """
import json
from trainer.bank import load_bank
from trainer.notetypes import CARD_TYPES
from trainer.tui import render
item = next(item for item in load_bank(sys.argv[1]).items if item.note.type == "typed")
shown = {
    "types": CARD_TYPES,
    "question": render.question(item).plain,
    "answer": render.answer(item).plain,
    "label": render.type_label(item),
    "choices": render.choices(item),
}
print(json.dumps(shown))
"""
)
REVIEW = (
    WITH_TYPED
    + """
import asyncio, json
from pathlib import Path
from rich.text import Text
from textual.widgets import Static
from trainer.session import open_session
from trainer.tui.app import ReviewApp
from trainer.tui.screens.review import ReviewScreen

def shown(app, selector):
    content = app.screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)

async def review(app):
    seen = []
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        while isinstance(app.screen, ReviewScreen) and app.screen.card is not None:
            card = {"id": app.screen.card.item.id, "question": shown(app, "#body")}
            await pilot.press("space")
            await pilot.pause()
            card["answer"] = shown(app, "#body")
            card["notes"] = shown(app, "#notes")
            seen.append(card)
            await pilot.press("4")
            await pilot.pause()
    return seen

with open_session(Path(sys.argv[1]), Path(sys.argv[2])) as session:
    seen = asyncio.run(review(ReviewApp(session)))
    print(json.dumps({"seen": seen, "reviewed": session.summary().reviewed}))
"""
)
TYPED_BANK = """\
deck:
  name: Typed Deck
sources:
  hindu:
    title: India-Canada Security Cooperation
    publisher: The Hindu
cards:
  - id: capital
    type: basic
    tags: [name]
    source: hindu
    front: Which city is the capital of Canada?
    back: Ottawa
  - id: capital-typed
    type: typed
    tags: [name]
    source: hindu
    prompt_text: Which city is the capital of Canada?
    expected: Ottawa
    extra: On the Ottawa River.
"""


def _with_typed(tmp_path: Path, script: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"TRAINER_NOW": "2026-03-01T09:00:00", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", script, str(PLUGINS), *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )


def test_a_new_type_is_one_module(tmp_path: Path, col: Collection) -> None:
    """The type-the-answer card's module alone (its note class and its declaration), put among
    the package's modules, makes a bank using it valid, exported, checked and shown."""
    bank = tmp_path / "cards.yaml"
    bank.write_text(TYPED_BANK, encoding="utf-8")
    checked = _with_typed(tmp_path, RUN, "check", str(bank))
    assert checked.returncode == 0, checked.stderr
    assert "(1 basic, 1 typed)" in checked.stdout
    # no rule is written for it, but read from its declaration it asks what the basic card asks
    assert "card 'capital-typed'" in checked.stderr and "[near-duplicate]" in checked.stderr
    missing = tmp_path / "missing.yaml"
    missing.write_text(TYPED_BANK.replace("    expected: Ottawa\n", ""), encoding="utf-8")
    refused = _with_typed(tmp_path, RUN, "check", str(missing))
    assert refused.returncode == 1 and "'expected'" in refused.stderr
    assert "Traceback" not in refused.stderr

    package = tmp_path / "typed.apkg"
    built = _with_typed(tmp_path, RUN, "build", str(bank), "-o", str(package))
    assert built.returncode == 0, built.stderr
    request = ImportAnkiPackageRequest(package_path=str(package))
    assert len(col.import_anki_package(request).log.new) == 2
    (note_id,) = col.find_notes('"note:Trainer \u00b7 Typed answer"')
    note = col.get_note(note_id)
    assert note["Prompt"] == "Which city is the capital of Canada?" and note["Answer"] == "Ottawa"

    shown = _with_typed(tmp_path, SHOW, str(bank))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == {
        "types": [*CARD_TYPES, "typed"],
        "question": "Which city is the capital of Canada?\n\ntype the answer",
        "answer": "Which city is the capital of Canada?\n\nOttawa",
        "label": "typed answer",
        "choices": 0,
    }


def test_a_new_type_is_reviewed_in_the_terminal_trainer(tmp_path: Path) -> None:
    """The type-the-answer card, from its module alone, is asked, revealed and graded on the
    review screen, and its answer is stored like any other card's."""
    bank = tmp_path / "cards.yaml"
    bank.write_text(TYPED_BANK, encoding="utf-8")
    db = tmp_path / "reviews.sqlite3"
    reviewed = _with_typed(tmp_path, REVIEW, str(bank), str(db))
    assert reviewed.returncode == 0, reviewed.stderr
    result = json.loads(reviewed.stdout)
    typed = next(card for card in result["seen"] if card["id"] == "capital-typed")
    assert typed["question"] == "Which city is the capital of Canada?\n\ntype the answer"
    assert typed["answer"] == "Which city is the capital of Canada?\n\nOttawa"
    assert "On the Ottawa River." in typed["notes"]
    assert sorted(card["id"] for card in result["seen"]) == ["capital", "capital-typed"]
    assert result["reviewed"] == 2
    stats = _with_typed(tmp_path, RUN, "stats", "--json", "--db", str(db))
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["reviews_today"] == 2
