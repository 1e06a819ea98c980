"""Every kind of bank edit, rebuilt and imported into real Anki (the official `anki` package)
with the options Anki desktop's import dialog starts with: what arrives is what the build
report and the README say.

Builds are timed around the wall clock as in real use (Anki updates a note only when the
package's copy is newer): the first build a day ago, the import and the user's review now, the
rebuild a day from now.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from trainer.anki import models
from trainer.bank import load_bank
from trainer.cli import main

HEADER = """\
deck:
  name: Edits Deck
  description: Cards to edit
sources:
  pib: {title: Talks, publisher: PIB}
cards:
"""
CARDS = {
    "venue": """\
  - id: venue
    type: basic
    tags: [name]
    source: pib
    front: Where were the talks?
    back: Ottawa
""",
    "nsa": """\
  - id: nsa
    type: basic
    tags: [name]
    source: pib
    front: India's NSA
    back: Ajit Doval
""",
    "month": """\
  - id: month
    type: basic
    tags: [date]
    source: pib
    front: Month of the talks
    back: February
""",
}
AS_REVERSE = CARDS["nsa"].replace("type: basic", "type: reverse")
AS_CLOZE = """\
  - id: nsa
    type: cloze
    tags: [name]
    source: pib
    text: "India's NSA is {{c1::Ajit}} {{c2::Doval}}"
"""
PACKAGE = "decks/edits-deck.apkg"
REVIEWER_MATHJAX = re.compile(r"\\\[(.*?)\\\]|\\\((.*?)\\\)", re.DOTALL)
"""Anki's reviewer loads and runs MathJax when a card's HTML matches this (ts/reviewer)."""


def local_time(days_from_now: int) -> str:
    return (datetime.now() + timedelta(days=days_from_now)).replace(microsecond=0).isoformat()


def write_bank(path: Path, *cards: str, header: str = HEADER) -> None:
    path.write_text(header + "".join(cards), encoding="utf-8")


def build(
    bank: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, days: int
) -> tuple[Path, str]:
    """Build (as `trainer build`, `days` from now): the package path and the report."""
    monkeypatch.setenv("TRAINER_NOW", local_time(days))
    capsys.readouterr()
    assert main(["build", str(bank)]) == 0
    out = capsys.readouterr().out
    package = next(
        bank.parent / line.split(":")[0]
        for line in out.splitlines()
        if line.split(":")[0].endswith(".apkg")
    )
    return package, out


def import_package(col: Collection, package: Path, *, with_scheduling: bool = False):
    """File > Import as Anki desktop does it, with the dialog's default options (or with
    'Import any learning progress' ticked)."""
    options = col._backend.get_import_anki_package_presets()
    options.with_scheduling = with_scheduling
    request = ImportAnkiPackageRequest(package_path=str(package), options=options)
    return col.import_anki_package(request).log


def removed_search(report: str) -> str:
    (search,) = re.findall(r"^  (nid:[\d,]+)$", report, flags=re.MULTILINE)
    return search


def live_card_count(col: Collection, report: str) -> int:
    """Cards of the notes the bank still has: all cards minus the removed search's."""
    found = re.findall(r"^  (nid:[\d,]+)$", report, flags=re.MULTILINE)
    return len(col.find_cards(f"-({found[0]})" if found else ""))


def review_first_card(col: Collection, text: str):
    (card_id,) = col.find_cards(f'"front:{text}" card:1')
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, 3)
    return card_id


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "cards.yaml"
    write_bank(path, *CARDS.values())
    return path


@pytest.fixture
def imported(bank: Path, col: Collection, monkeypatch, capsys) -> int:
    """The first build imported and its 'nsa' card reviewed once: that card's id."""
    package, _ = build(bank, monkeypatch, capsys, days=-1)
    log = import_package(col, package)
    assert len(log.new) == 3
    return review_first_card(col, "India's NSA")


@pytest.mark.parametrize("retyped", [AS_REVERSE, AS_CLOZE], ids=["reverse", "cloze"])
def test_a_type_change_arrives_as_the_new_types_cards_and_the_old_note_is_found(
    imported: int, bank: Path, col: Collection, *, monkeypatch, capsys, retyped: str
) -> None:
    cards = 2  # a reverse note's two directions, or the cloze's two deletions
    write_bank(bank, CARDS["venue"], retyped, CARDS["month"])
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "type changed: nsa (basic -> " in report

    log = import_package(col, package)

    assert not log.conflicting
    assert len(log.new) == 1
    assert len(log.duplicate) == 2
    items_total = len(load_bank(bank).items)
    assert live_card_count(col, report) == items_total == 2 + cards
    old_note = col.get_card(imported).nid
    assert col.find_notes(removed_search(report)) == [old_note]
    assert col.get_card(imported).reps == 1  # the old note's history is still there
    new_note = col.get_note(col.find_notes("-" + removed_search(report) + " nsa")[0])
    assert new_note.note_type()["name"].startswith("Trainer \u00b7 ")
    assert len(new_note.cards()) == cards


def test_a_type_changed_back_updates_the_old_note_and_keeps_its_history(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, CARDS["venue"], AS_CLOZE, CARDS["month"])
    import_package(col, build(bank, monkeypatch, capsys, days=1)[0])
    write_bank(bank, CARDS["venue"], CARDS["nsa"].replace("Ajit Doval", "A. Doval"))
    package, report = build(bank, monkeypatch, capsys, days=2)

    log = import_package(col, package)

    assert not log.conflicting
    assert [entry.fields[0] for entry in log.updated] == ["India's NSA"]
    assert "A. Doval" in col.get_card(imported).answer()
    assert col.get_card(imported).reps == 1
    assert live_card_count(col, report) == len(load_bank(bank).items) == 2
    assert "nid:" in report  # the cloze note and the removed 'month' stay findable


def test_a_renamed_deck_keeps_every_note_and_its_history(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, *CARDS.values(), header=HEADER.replace("Edits Deck", "Renamed Deck"))
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert package.name == "renamed-deck.apkg"
    assert "the deck was renamed from 'Edits Deck'" in report
    assert "add 'id: Edits Deck' under 'deck:'" in report
    assert "deck renamed from 'Edits Deck'" in report

    log = import_package(col, package)

    assert not (log.new or log.conflicting)
    assert len(log.duplicate) == 3
    assert col.note_count() == 3
    assert col.get_card(imported).reps == 1
    assert col.db.scalar("select count() from revlog where cid = ?", imported) == 1
    # As the report says: Anki keeps the cards in the deck of the old name.
    assert len(col.find_cards('deck:"Edits Deck"')) == 3

    _, again = build(bank, monkeypatch, capsys, days=2)
    assert "was renamed" not in again  # said once
    assert again.splitlines()[1].startswith("no changes since the last build")


def test_an_explicit_deck_id_set_to_the_old_name_keeps_the_notes_too(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    header = HEADER.replace("name: Edits Deck", "name: Renamed Deck\n  id: Edits Deck")
    write_bank(bank, *CARDS.values(), header=header)
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "the deck was renamed" not in report  # nothing to make explicit
    assert "deck renamed from 'Edits Deck'" in report

    log = import_package(col, package)

    assert not (log.new or log.conflicting)
    assert col.note_count() == 3
    assert col.get_card(imported).reps == 1


def test_removed_notes_are_found_by_the_one_search_the_report_prints(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, CARDS["venue"])
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "  removed: nsa, month" in report
    import_package(col, package)
    removed = set(col.find_notes(removed_search(report)))
    assert removed == set(col.find_notes("-front:Where*"))
    assert len(removed) == 2
    assert live_card_count(col, report) == len(load_bank(bank).items) == 1

    _, later = build(bank, monkeypatch, capsys, days=2)
    assert removed_search(later) == removed_search(report)  # printed on every build


def test_a_reorder_is_reported_and_leaves_anki_alone(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, CARDS["month"], CARDS["venue"], CARDS["nsa"])
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "since the last build: 0 added, 0 changed, 0 removed" in report
    assert "order changed: cards Anki does not have yet come up in the new order" in report
    log = import_package(col, package)
    assert len(log.duplicate) == 3
    assert not (log.new or log.updated or log.conflicting)


def test_a_new_description_is_reported_and_arrives(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, *CARDS.values(), header=HEADER.replace("Cards to edit", "Better words"))
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "deck description changed: Anki takes the new one" in report
    import_package(col, package)
    assert col.decks.by_name("Edits Deck")["desc"] == "Better words"


def test_a_lost_manifest_is_rebuilt_from_the_package_and_anki_keeps_the_users_edit(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    note = col.get_note(col.get_card(imported).nid)
    note["Back"] = "my own words"
    col.update_note(note)
    (bank.parent / "decks" / "edits-deck.lock.json").unlink()
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "edits-deck.lock.json was missing: rebuilt it from the last package" in report
    assert "no changes since the last build: importing changes nothing in Anki" in report

    log = import_package(col, package)

    assert len(log.duplicate) == 3
    assert not (log.new or log.updated or log.conflicting)
    assert col.get_note(note.id)["Back"] == "my own words"


def test_with_package_and_manifest_lost_the_report_warns_that_anki_overwrites(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    note = col.get_note(col.get_card(imported).nid)
    note["Back"] = "my own words"
    col.update_note(note)
    for built in (bank.parent / "decks").iterdir():
        built.unlink()
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "first build: all 3 notes are new" in report
    assert "  importing replaces its notes there, your edits in Anki included)" in report

    log = import_package(col, package)

    assert len(log.updated) == 3  # as the report warned: the user's edit is replaced
    assert col.get_note(note.id)["Back"] == "Ajit Doval"
    assert col.get_card(imported).reps == 1


def test_a_package_that_is_not_ours_is_reported_as_overwriting(
    bank: Path, monkeypatch, capsys
) -> None:
    (bank.parent / "decks").mkdir()
    (bank.parent / PACKAGE).write_bytes(b"not a zip")
    _, report = build(bank, monkeypatch, capsys, days=1)
    assert "first build: all 3 notes are new" in report
    assert "cannot be rebuilt from it" in report


MATH = """\
  - id: math
    type: reverse
    tags: [figure]
    source: pib
    front: 'Inline \\(x^2\\) and display \\[y\\] and $$z$$'
    back: '\\(a\\)'
  - id: math-cloze
    type: cloze
    tags: [figure]
    source: pib
    text: 'Cloze \\(b\\) {{c1::\\[c\\]}}'
"""


def test_math_delimiters_stay_literal_in_every_rendered_card(
    bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, MATH)
    import_package(col, build(bank, monkeypatch, capsys, days=-1)[0])
    sides = [
        side
        for card_id in col.find_cards("")
        for side in (col.get_card(card_id).question(), col.get_card(card_id).answer())
    ]
    assert len(sides) == 6
    for html_text in sides:
        assert not REVIEWER_MATHJAX.search(html_text)  # Anki never loads MathJax for it
        body = re.sub(r"<style>.*?</style>", "", html_text, flags=re.DOTALL)
        assert body.lstrip().startswith('<div class="tex2jax_ignore mathjax_ignore">')
    front = col.get_card(col.find_cards("Inline card:1")[0]).question()
    assert "Inline &#92;(x^2&#92;) and display &#92;&#91;y&#92;&#93; and $$z$$" in front
    assert "Inline \\(x^2\\) and display \\[y\\] and $$z$$" in html.unescape(front)


def tag_the_note(col: Collection, card_id: int, *tags: str) -> int:
    note = col.get_note(col.get_card(card_id).nid)
    for tag in tags:
        note.add_tag(tag)
    col.update_note(note)
    return note.id


@pytest.mark.parametrize("with_scheduling", [False, True], ids=["default", "progress"])
def test_a_changed_note_keeps_the_users_tags_when_built_with_the_collection(
    imported: int, bank: Path, col: Collection, *, monkeypatch, capsys, tmp_path, with_scheduling
) -> None:
    note_id = tag_the_note(col, imported, "marked", "leech", "my-own")
    untouched = tag_the_note(col, col.find_cards("Month")[0], "marked")
    edited = CARDS["nsa"].replace("Ajit Doval", "A. K. Doval").replace("[name]", "[name, nsa]")
    write_bank(bank, CARDS["venue"], edited, CARDS["month"])
    col.close()  # as the README says: Anki closed
    monkeypatch.setenv("TRAINER_NOW", local_time(1))
    capsys.readouterr()
    collection_file = tmp_path / "anki" / "collection.anki2"
    assert main(["build", str(bank), "--collection", str(collection_file)]) == 0
    report = capsys.readouterr().out
    assert "your own tags from Anki kept on 2 notes: leech, marked, my-own" in report
    assert "unless you tick 'Import any learning progress'" in report
    col.reopen()

    log = import_package(col, bank.parent / PACKAGE, with_scheduling=with_scheduling)

    assert [entry.fields[1] for entry in log.updated] == ["A. K. Doval"]
    system = ["leech", "marked"] if with_scheduling else []  # as the report says
    assert sorted(col.get_note(note_id).tags) == sorted([*system, "my-own", "name", "nsa"])
    assert col.get_note(untouched).tags == ["date", "marked"]  # not updated: left alone
    assert col.get_card(imported).reps == 1


def test_a_tag_dropped_from_the_bank_is_dropped_in_anki_and_the_users_stay(
    imported: int, bank: Path, col: Collection, *, monkeypatch, tmp_path: Path
) -> None:
    note_id = tag_the_note(col, imported, "exam-2026")
    write_bank(bank, CARDS["venue"], CARDS["nsa"].replace("[name]", "[date]"), CARDS["month"])
    col.close()
    monkeypatch.setenv("TRAINER_NOW", local_time(1))
    collection_file = tmp_path / "anki" / "collection.anki2"
    assert main(["build", str(bank), "--collection", str(collection_file)]) == 0
    col.reopen()
    import_package(col, bank.parent / PACKAGE)
    assert sorted(col.get_note(note_id).tags) == ["date", "exam-2026"]


def test_without_the_collection_the_report_says_anki_drops_the_users_tags(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    note_id = tag_the_note(col, imported, "my-own")
    write_bank(bank, CARDS["venue"], CARDS["nsa"].replace("Ajit", "A."), CARDS["month"])
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "Anki replaces a changed note's tags with the bank's" in report
    assert "--collection" in report
    import_package(col, package)
    assert col.get_note(note_id).tags == ["name"]  # what the report warned of


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no Anki collection there"), (b"not sqlite at all", "cannot read the Anki collection")],
)
def test_an_unusable_collection_is_a_clear_error(
    bank: Path, tmp_path: Path, capsys, content: bytes | None, message: str
) -> None:
    path = tmp_path / "elsewhere.anki2"
    if content is not None:
        path.write_bytes(content)
    assert main(["build", str(bank), "--collection", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (bank.parent / "decks").exists() or not any((bank.parent / "decks").iterdir())


def test_a_new_cloze_deletion_adds_its_card_and_the_others_keep_their_history(
    bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, CARDS["venue"], AS_CLOZE)
    import_package(col, build(bank, monkeypatch, capsys, days=-1)[0])
    (first,) = col.find_cards("card:1 Ajit")
    card = col.get_card(first)
    card.start_timer()
    col.sched.answerCard(card, 3)
    write_bank(
        bank, CARDS["venue"], AS_CLOZE.replace("{{c2::Doval}}", "{{c2::Doval}}, {{c3::NSA}}")
    )
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "  changed: nsa" in report

    log = import_package(col, package)

    assert len(log.updated) == 1
    assert col.card_count() == len(load_bank(bank).items) == 4
    assert col.get_card(first).reps == 1


def test_a_removed_description_leaves_ankis_as_it_is(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, *CARDS.values(), header=HEADER.replace("  description: Cards to edit\n", ""))
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "deck description removed: Anki keeps the one it has" in report
    import_package(col, package)
    assert col.decks.by_name("Edits Deck")["desc"] == "Cards to edit"


def as_legacy_manifest(path: Path) -> None:
    """Rewrite a manifest as builds before `deck.id` wrote it (format 1)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    notes = {
        key: {"hash": value["hash"], "mtime": value["mtime"], "nid": value["nid"]}
        for key, value in data["notes"].items()
    }
    legacy = {key: data[key] for key in ("created", "deck", "models")}
    path.write_text(json.dumps({"format": 1, **legacy, "notes": notes}), encoding="utf-8")


def test_a_deck_renamed_in_the_first_build_after_upgrading_keeps_its_notes(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    as_legacy_manifest(bank.parent / "decks" / "edits-deck.lock.json")
    write_bank(bank, *CARDS.values(), header=HEADER.replace("Edits Deck", "Renamed Deck"))
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "the deck was renamed from 'Edits Deck'" in report
    assert "add 'id: Edits Deck' under 'deck:'" in report
    assert "deck renamed from 'Edits Deck'" in report
    assert "description" not in report

    log = import_package(col, package)

    assert not (log.new or log.conflicting)
    assert col.note_count() == 3
    assert col.get_card(imported).reps == 1


RTL = """\
  - id: rtl-basic
    type: reverse
    tags: [name]
    source: pib
    front: "NSA of India in Urdu: قومی سلامتی کے مشیر"
    back: "Ajit Doval (2014-)"
    extra: "עברית: יועץ לביטחון לאומי"
  - id: rtl-mcq
    type: mcq
    tags: [name]
    source: pib
    question: "Which is Arabic?"
    choices: ["مستشار الأمن الوطني", "National Security Adviser"]
    answer: a
  - id: rtl-cloze
    type: cloze
    tags: [name]
    source: pib
    text: "In Arabic: {{c1::مستشار الأمن}} (adviser)"
"""


def test_every_field_keeps_its_own_direction_in_the_rendered_card(
    bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    """Each field is a bidi isolate (each choice a block), so right-to-left text takes its own
    direction and cannot reorder the labels and fields around it."""
    write_bank(bank, RTL)
    import_package(col, build(bank, monkeypatch, capsys, days=-1)[0])
    rendered = {col.get_card(card_id).answer() for card_id in col.find_cards("")} | {
        col.get_card(card_id).question() for card_id in col.find_cards("")
    }
    texts = [
        "NSA of India in Urdu: قومی سلامتی کے مشیر",
        "Ajit Doval (2014-)",
        "עברית: יועץ לביטחון לאומי",
        "Which is Arabic?",
        "PIB, \u201cTalks\u201d",
    ]
    for text in texts:
        assert any(f"<bdi>{html.escape(text, quote=False)}</bdi>" in side for side in rendered)
    for side in rendered:
        assert "</bdi>" in side
    mcq = next(side for side in rendered if "Which is Arabic?" in side)
    # Each choice is a block of its own: a paragraph with its own direction.
    assert '<div class="choice"><span class="letter">a)</span> مستشار الأمن الوطني</div>' in mcq
    cloze = next(side for side in rendered if "In Arabic" in side and "adviser" in side)
    assert re.search(r"<bdi>In Arabic: .*\(adviser\)</bdi>", cloze)


def test_a_type_changed_note_takes_the_users_tags_from_the_old_one(
    imported: int, bank: Path, col: Collection, *, monkeypatch, tmp_path: Path
) -> None:
    tag_the_note(col, imported, "my-own")
    write_bank(bank, CARDS["venue"], AS_REVERSE, CARDS["month"])
    col.close()
    monkeypatch.setenv("TRAINER_NOW", local_time(1))
    collection_file = tmp_path / "anki" / "collection.anki2"
    assert main(["build", str(bank), "--collection", str(collection_file)]) == 0
    col.reopen()
    log = import_package(col, bank.parent / PACKAGE)
    (new_note,) = [col.get_note(entry.id.nid) for entry in log.new]
    assert sorted(new_note.tags) == ["my-own", "name"]


def test_a_renamed_deck_whose_manifests_are_lost_keeps_its_notes(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, *CARDS.values(), header=HEADER.replace("Edits Deck", "Renamed Deck"))
    import_package(col, build(bank, monkeypatch, capsys, days=1)[0])
    for manifest_file in (bank.parent / "decks").glob("*.lock.json"):
        manifest_file.unlink()
    package, report = build(bank, monkeypatch, capsys, days=2)
    assert "was missing: rebuilt it from the last package" in report
    assert "no changes since the last build" in report

    log = import_package(col, package)

    assert not (log.new or log.updated or log.conflicting)
    assert col.note_count() == 3
    _, again = build(bank, monkeypatch, capsys, days=3)
    assert "no changes since the last build" in again
    assert "renamed" not in again.split("\n", 1)[1]


def test_a_deck_id_that_would_make_every_note_new_is_refused(
    imported: int, bank: Path, monkeypatch, capsys
) -> None:
    write_bank(bank, *CARDS.values(), header=HEADER.replace("Cards to edit", "x\n  id: fresh"))
    monkeypatch.setenv("TRAINER_NOW", local_time(1))
    assert main(["build", str(bank)]) == 1
    err = capsys.readouterr().err
    assert "deck 'id: fresh' is not the identity this bank was built with ('Edits Deck'" in err
    assert "Write 'id: Edits Deck' to keep them" in err
    assert "Traceback" not in err
    assert not (bank.parent / "decks" / "fresh.lock.json").exists()


def test_the_id_the_rename_hint_asks_for_keeps_the_manifest_even_if_it_moved(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    renamed = HEADER.replace("Edits Deck", "Renamed Deck")
    write_bank(bank, *CARDS.values(), header=renamed)
    build(bank, monkeypatch, capsys, days=1)
    (bank.parent / "decks" / "edits-deck.lock.json").unlink()  # the recovered manifest moves
    build(bank, monkeypatch, capsys, days=2)
    assert (bank.parent / "decks" / "renamed-deck.lock.json").exists()
    write_bank(
        bank,
        *CARDS.values(),
        header=renamed.replace("\n  description", "\n  id: Edits Deck\n  description"),
    )
    package, report = build(bank, monkeypatch, capsys, days=3)
    assert report.splitlines()[1] == (
        "no changes since the last build: importing changes nothing in Anki"
    )
    log = import_package(col, package)
    assert not (log.new or log.conflicting)


MCQ_CARD = """\
  - id: venue-mcq
    type: mcq
    tags: [name]
    source: pib
    question: Where were the talks held?
    choices: [New Delhi, Ottawa]
    answer: b
"""


def test_a_changed_template_reaches_anki_and_keeps_notes_and_history(
    bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    """A package whose multiple-choice templates had no script, imported and reviewed, then the
    current one: Anki takes the new templates and changes no note."""
    write_bank(bank, CARDS["venue"], MCQ_CARD)
    without_script = [
        template
        | {
            side: re.sub(r"\n<script>.*?</script>", "", template[side], flags=re.DOTALL)
            for side in ("qfmt", "afmt")
        }
        for template in models.MCQ.templates
    ]
    with monkeypatch.context() as patch:
        stripped = models.MCQ._replace(templates=tuple(without_script))
        patch.setattr(models, "MODELS", models.MODELS | {"mcq": stripped})
        import_package(col, build(bank, monkeypatch, capsys, days=-1)[0])
    (card_id,) = col.find_cards('"note:Trainer · Multiple choice"')
    assert "<script>" not in col.get_card(card_id).question()
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, 3)

    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "note types restyled: Trainer \u00b7 Multiple choice (Anki updates them)" in report
    log = import_package(col, package)

    assert not (log.new or log.updated or log.conflicting)
    assert "<script>" in col.get_card(card_id).question()
    assert "<script>" in col.get_card(card_id).answer()
    assert col.get_card(card_id).reps == 1
    assert col.note_count() == 2


def test_a_renamed_deck_with_new_notes_gets_only_their_cards_as_the_report_says(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    added = CARDS["venue"].replace("id: venue", "id: venue-two")
    write_bank(bank, *CARDS.values(), added, header=HEADER.replace("Edits Deck", "Renamed Deck"))
    package, report = build(bank, monkeypatch, capsys, days=1)
    flowing = " ".join(report.split())
    assert "holding only the cards of the 1 note added here" in flowing
    assert "empty deck" not in report

    import_package(col, package)

    assert len(col.find_cards('deck:"Edits Deck"')) == 3  # the existing cards stay there
    assert len(col.find_cards('deck:"Renamed Deck"')) == 1  # the added note's card


def test_a_renamed_deck_without_new_notes_gets_an_empty_deck_as_the_report_says(
    imported: int, bank: Path, col: Collection, monkeypatch, capsys
) -> None:
    write_bank(bank, *CARDS.values(), header=HEADER.replace("Edits Deck", "Renamed Deck"))
    package, report = build(bank, monkeypatch, capsys, days=1)
    assert "a new, empty deck of that name" in report
    import_package(col, package)
    assert col.decks.id_for_name("Renamed Deck") is not None
    assert col.find_cards('deck:"Renamed Deck"') == []
