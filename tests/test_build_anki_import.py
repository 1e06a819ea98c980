"""The built package in real Anki (the official `anki` package): first import, rendering of
every note type, and a re-import after editing the bank that updates exactly what changed.

Anki updates a note on import only when the package's note is newer than the collection's,
so the builds are timed around the wall clock as in real use: the first build a day ago, the
import and the user's own edits now, the rebuild "tomorrow".
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from trainer.bank import load_bank
from trainer.cli import main

BANK = """\
deck:
  name: Trainer Test Deck
  description: Four note types
sources:
  pib:
    title: India & Canada <security> talks
    publisher: PIB
    date: 9 Feb 2026
    url: https://pib.gov.in/Press?id=1&lang=en
cards:
  - id: basic-escapes
    type: basic
    tags: [context, html]
    source: pib
    front: "Does <b>bold</b> & [x] stay literal? Ünïcødé — ✓"
    back: "Yes\\nsecond line"
  - id: reverse-capital
    type: reverse
    tags: [name, geography]
    source: pib
    front: Capital of Canada
    back: Ottawa
    extra: Seat of the 2026 talks
  - id: cloze-leaders
    type: cloze
    tags: [name]
    source: pib
    text: "{{c1::Ajit Doval::India's NSA}} met {{c2::Nathalie Drouin}} & <others>"
  - id: mcq-venue
    type: mcq
    tags: [name]
    source: pib
    question: Where were the talks held?
    choices: [New Delhi, Ottawa, Toronto]
    answer: b
    explanation: Canada's capital
"""

ADDED_CARD = """\
  - id: added-later
    type: basic
    tags: [date]
    source: pib
    front: When were the talks?
    back: February 2026
"""

DECK = "Trainer Test Deck"
PACKAGE = Path("decks/trainer-test-deck.apkg")
CITATION = "PIB, \u201cIndia & Canada <security> talks\u201d, 9 Feb 2026"


def visible_text(rendered_html: str) -> str:
    """What the user reads: no style sheet, no tags, entities decoded, spaces collapsed."""
    text = re.sub(r"<style>.*?</style>|<script>.*?</script>", "", rendered_html, flags=re.DOTALL)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"[ \t]+", " ", text).strip()


def local_time(days_from_now: int) -> str:
    return (datetime.now() + timedelta(days=days_from_now)).replace(microsecond=0).isoformat()


def build(bank: Path, monkeypatch: pytest.MonkeyPatch, days_from_now: int) -> Path:
    monkeypatch.setenv("TRAINER_NOW", local_time(days_from_now))
    assert main(["build", str(bank)]) == 0
    return bank.parent / PACKAGE


def import_package(col: Collection, package: Path):
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package))).log


def card_of(col: Collection, note_id_text: str, ord_: int = 0):
    """The Anki card of a bank note (found by its first field text) and ordinal."""
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        if card.ord == ord_ and note_id_text in visible_text(card.question()):
            return card
    raise AssertionError(f"no card {ord_} whose question shows {note_id_text!r}")


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "cards.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


@pytest.fixture
def imported(bank: Path, col: Collection, monkeypatch: pytest.MonkeyPatch):
    log = import_package(col, build(bank, monkeypatch, days_from_now=-1))
    return log


def test_first_import_gives_one_note_per_bank_card_and_one_card_per_review_item(
    imported, bank: Path, col: Collection
) -> None:
    assert len(imported.new) == 4
    assert not (imported.updated or imported.duplicate or imported.conflicting)
    assert col.note_count() == 4
    assert col.card_count() == 6  # basic 1 + reverse 2 + cloze 2 + mcq 1
    assert col.card_count() == len(load_bank(bank).items)
    deck_names = {col.decks.name(col.get_card(card_id).did) for card_id in col.find_cards("")}
    assert deck_names == {DECK}


def test_note_types_are_ours_and_sort_by_the_question(imported, col: Collection) -> None:
    names = {col.get_note(nid).note_type()["name"] for nid in col.find_notes("")}
    assert names == {
        "Trainer \u00b7 Basic",
        "Trainer \u00b7 Basic (and reversed card)",
        "Trainer \u00b7 Cloze",
        "Trainer \u00b7 Multiple choice",
    }
    for note_id in col.find_notes(""):
        note_type = col.get_note(note_id).note_type()
        assert note_type["sortf"] == 0
        assert note_type["flds"][0]["name"] in {"Front", "Text", "Question"}


def test_tags_carry_over(imported, col: Collection) -> None:
    assert sorted(col.get_note(col.find_notes("Capital")[0]).tags) == ["geography", "name"]
    assert set(col.tags.all()) == {"context", "html", "name", "geography"}


def test_text_shows_as_itself(imported, col: Collection) -> None:
    card = card_of(col, "Does <b>bold</b>")
    question = visible_text(card.question())
    assert question == "Does <b>bold</b> & [x] stay literal? Ünïcødé — ✓"
    assert "<b>bold" not in card.question()  # escaped, not bold
    assert not card.question_av_tags()
    answer = visible_text(card.answer())
    assert "Yes\nsecond line" in answer
    assert CITATION in answer


def test_the_citation_links_to_its_source(imported, col: Collection) -> None:
    answer = card_of(col, "Capital of Canada").answer()
    link = re.findall(r'<a href="([^"]*)">(.*?)</a>', answer)
    assert link == [("https://pib.gov.in/Press?id=1&amp;lang=en", html.escape(CITATION, False))]


def test_basic_and_reverse_render_both_directions(imported, col: Collection) -> None:
    forward = card_of(col, "Capital of Canada", 0)
    assert "Ottawa" not in visible_text(forward.question())
    assert "Ottawa" in visible_text(forward.answer())
    backward = card_of(col, "Ottawa", 1)
    assert visible_text(backward.question()) == "Ottawa"
    back_answer = visible_text(backward.answer())
    assert "Capital of Canada" in back_answer
    assert "Seat of the 2026 talks" in back_answer
    assert CITATION in back_answer


def test_cloze_hides_one_number_per_card_with_its_hint(imported, col: Collection) -> None:
    first = card_of(col, "[India's NSA]", 0)
    question = visible_text(first.question())
    assert question == "[India's NSA] met Nathalie Drouin & <others>"
    assert "Ajit Doval met Nathalie Drouin & <others>" in visible_text(first.answer())
    assert CITATION in visible_text(first.answer())
    second = card_of(col, "Ajit Doval met [...]", 1)
    assert visible_text(second.question()) == "Ajit Doval met [...] & <others>"


def test_mcq_shows_lettered_choices_then_the_marked_answer(imported, col: Collection) -> None:
    card = card_of(col, "Where were the talks held?")
    question = visible_text(card.question())
    assert re.search(r"a\) New Delhi\s+b\) Ottawa\s+c\) Toronto", question)
    answer_html = card.answer().split("<hr id=answer>", 1)[1]
    assert visible_text(answer_html).startswith("\u2713 b) Ottawa")
    assert 'class="choice correct"' in answer_html
    assert "Canada's capital" in visible_text(answer_html)
    assert CITATION in visible_text(answer_html)


def test_reimport_after_bank_edit_updates_exactly_what_changed(
    imported, bank: Path, col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    card_ids_before = set(col.find_cards(""))
    reviewed = card_of(col, "Capital of Canada", 0)
    reviewed.start_timer()
    col.sched.answerCard(reviewed, 3)
    assert col.db.scalar("select count() from revlog where cid = ?", reviewed.id) == 1
    user_note = col.get_note(card_of(col, "Where were the talks held?").nid)
    user_note["Explanation"] = "my own mnemonic"
    col.update_note(user_note)

    text = bank.read_text(encoding="utf-8")
    edited = text.replace("back: Ottawa", "back: Ottawa (Ontario)") + ADDED_CARD
    bank.write_text(edited, encoding="utf-8")
    log = import_package(col, build(bank, monkeypatch, days_from_now=1))

    assert [entry.fields[0] for entry in log.updated] == ["Capital of Canada"]
    assert [entry.fields[0] for entry in log.new] == ["When were the talks?"]
    assert len(log.duplicate) == 3  # unchanged notes (and the user's edit) are left alone
    assert not log.conflicting
    assert col.note_count() == 5
    assert card_ids_before < set(col.find_cards(""))
    assert col.card_count() == 7
    after = col.get_card(reviewed.id)
    assert after.reps == 1
    assert col.db.scalar("select count() from revlog where cid = ?", reviewed.id) == 1
    assert "Ottawa (Ontario)" in visible_text(after.answer())
    assert "Ottawa (Ontario)" in visible_text(card_of(col, "Ottawa (Ontario)", 1).question())
    assert col.get_note(user_note.id)["Explanation"] == "my own mnemonic"


def test_reimport_of_an_unchanged_rebuild_changes_nothing(
    imported, bank: Path, col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = import_package(col, build(bank, monkeypatch, days_from_now=1))
    assert len(log.duplicate) == 4
    assert not (log.new or log.updated or log.conflicting)
    assert col.card_count() == 6


def test_the_browsers_columns_keep_the_choices_apart(imported, col: Collection) -> None:
    """Anki's browser shows a card's question and answer on one line: each choice is a word
    apart, never run into the next (`New Delhib) Ottawa`)."""
    card = card_of(col, "Where were the talks held?")
    col.set_browser_card_columns(["question", "answer", "noteFld"])
    cells = [cell[0] for cell in col.browser_row_for_id(card.id)[0]]
    assert cells[0] == "Where were the talks held? a) New Delhi b) Ottawa c) Toronto"
    assert cells[1].startswith(cells[0])
    assert cells[2] == "Where were the talks held?"  # the sort field: the question alone
